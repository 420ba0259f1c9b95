/**
 * A scripted upstream: a real HTTP server on 127.0.0.1 that expects a given sequence of requests and
 * answers each with its recorded response. Anything unexpected is answered 599 and reported, so a test
 * fails on any request the fixture did not foresee.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedResponse {
  readonly status: number;
  /** An object is sent as JSON; a string as-is (text/plain unless contentType says otherwise). */
  readonly body?: unknown;
  readonly contentType?: string;
  /** Milliseconds to wait before answering (timeouts). */
  readonly delayMs?: number;
}

export interface ScriptedExchange {
  readonly method: string;
  /** Path and query, e.g. `/twirp/livekit.RoomService/CreateRoom` or `/rooms?limit=10`. */
  readonly path: string;
  readonly response: RecordedResponse;
}

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface ScriptedUpstream {
  readonly baseUrl: string;
  /** Requests that matched the script, in order, paired with their script index. */
  readonly received: ReceivedRequest[];
  /** Human-readable problems: unexpected requests, and (after `finish`) unanswered script entries. */
  readonly problems: string[];
  /** Script entries not yet requested. */
  remaining(): number;
  close(): Promise<void>;
}

export async function startScriptedUpstream(script: readonly ScriptedExchange[]): Promise<ScriptedUpstream> {
  const received: ReceivedRequest[] = [];
  const problems: string[] = [];
  let next = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: ReceivedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      const expected = script[next];
      if (expected === undefined || expected.method !== request.method || expected.path !== request.path) {
        problems.push(
          `unexpected request ${request.method} ${request.path}` +
            (expected ? ` (expected ${expected.method} ${expected.path})` : " (script exhausted)"),
        );
        res.writeHead(599, { "content-type": "text/plain" }).end("unexpected request");
        return;
      }
      next += 1;
      received.push(request);
      const answer = () => sendResponse(res, expected.response);
      if (expected.response.delayMs) {
        setTimeout(answer, expected.response.delayMs).unref();
      } else {
        answer();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    problems,
    remaining: () => script.length - next,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sendResponse(res: import("node:http").ServerResponse, response: RecordedResponse): void {
  if (res.destroyed) {
    return;
  }
  if (response.body === undefined) {
    res.writeHead(response.status).end();
    return;
  }
  const isText = typeof response.body === "string";
  const payload = isText ? (response.body as string) : JSON.stringify(response.body);
  res
    .writeHead(response.status, {
      "content-type": response.contentType ?? (isText ? "text/plain; charset=utf-8" : "application/json"),
    })
    .end(payload);
}
