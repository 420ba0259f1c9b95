/**
 * One bounded exchange over node:http / node:https: the contract of `boundedFetch` (http-limits.ts: one
 * deadline for headers and body, a cap on the bytes read, no redirect followed, every outcome a value), for
 * the LiveKit transport. A small call is mostly HTTP overhead, and this costs a fraction of a fetch: no
 * WHATWG streams, Request or Response objects per call. Connections are kept alive per origin by Node's
 * agents, whose idle sockets never hold the process open.
 */
import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import {
  deliveryOf,
  type Exchange,
  networkReason,
  type UpstreamLimits,
  type UpstreamResponse,
} from "./http-limits.js";

export interface BoundedRequestInit {
  readonly method: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array;
}

const HTTP_AGENT = new HttpAgent({ keepAlive: true });
const HTTPS_AGENT = new HttpsAgent({ keepAlive: true });

export function boundedRequest(
  url: URL,
  init: BoundedRequestInit,
  limits: UpstreamLimits,
  caller: AbortSignal | undefined,
): Promise<Exchange> {
  if (caller?.aborted) {
    return Promise.resolve({ kind: "canceled", delivery: "not_sent" });
  }
  const https = url.protocol === "https:";
  const body = typeof init.body === "string" ? Buffer.from(init.body, "utf8") : init.body;
  return new Promise<Exchange>((resolve) => {
    let request: ClientRequest;
    try {
      request = (https ? httpsRequest : httpRequest)(url, {
        method: init.method,
        headers: { ...init.headers, "content-length": String(body.byteLength) },
        agent: https ? HTTPS_AGENT : HTTP_AGENT,
      });
    } catch (error) {
      // A header Node refuses to send (ERR_INVALID_CHAR): nothing left the process.
      resolve({ kind: "network", phase: "headers", delivery: "not_sent", reason: networkReason(error) });
      return;
    }
    let settled = false;
    let status: number | undefined;
    const finish = (exchange: Exchange) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        caller?.removeEventListener("abort", onAbort);
        resolve(exchange);
      }
    };
    /** Ends the exchange with this outcome, and the connection with it (nothing more is read). */
    const stop = (exchange: Exchange) => {
      finish(exchange);
      request.destroy();
    };
    const timer = setTimeout(
      () =>
        stop(
          status === undefined
            ? { kind: "timeout", phase: "headers" }
            : { kind: "timeout", phase: "body", status },
        ),
      limits.timeoutMs,
    );
    const onAbort = () => stop({ kind: "canceled", delivery: status === undefined ? "maybe_sent" : "sent" });
    caller?.addEventListener("abort", onAbort, { once: true });
    request.on("error", (error) => {
      const reason = networkReason(error);
      finish(
        status === undefined
          ? { kind: "network", phase: "headers", delivery: deliveryOf(reason), reason }
          : { kind: "network", phase: "body", delivery: "sent", reason, status },
      );
    });
    request.on("response", (answer: IncomingMessage) => {
      status = answer.statusCode ?? 0;
      const response: UpstreamResponse = {
        status,
        statusText: answer.statusMessage ?? "",
        headers: headersOf(answer.rawHeaders),
      };
      const declared = Number(answer.headers["content-length"] ?? Number.NaN);
      if (Number.isFinite(declared) && declared > limits.maxResponseBytes) {
        stop({ kind: "too_large", response, bytes: declared });
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      answer.on("data", (chunk: Buffer) => {
        received += chunk.byteLength;
        if (received > limits.maxResponseBytes) {
          stop({ kind: "too_large", response, bytes: received });
          return;
        }
        chunks.push(chunk);
      });
      answer.on("end", () => {
        const whole =
          chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, received);
        finish({ kind: "answered", response, body: whole });
      });
      // A connection that closes before the body's end: the server answered, so it has acted.
      answer.on("close", () => {
        if (!answer.complete) {
          finish({
            kind: "network",
            phase: "body",
            delivery: "sent",
            reason: "ECONNRESET",
            status: response.status,
          });
        }
      });
      answer.on("error", (error) =>
        finish({
          kind: "network",
          phase: "body",
          delivery: "sent",
          reason: networkReason(error),
          status: response.status,
        }),
      );
    });
    request.end(body);
  });
}

/** Node's raw header pairs as fetch's Headers (repeated headers joined, as fetch does). */
function headersOf(raw: readonly string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    headers.append(raw[i] as string, raw[i + 1] as string);
  }
  return headers;
}
