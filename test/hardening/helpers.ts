/**
 * Shared by the hardening tests: an upstream on loopback whose every answer a test scripts (stalls, drips,
 * resets, redirects, huge bodies), and a rooms-mcp server assembled from an environment, as the CLI does,
 * behind the SDK's real client.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { bindProvider } from "../../src/assemble.js";
import type { Env } from "../../src/providers/provider.js";
import type { AnyProvider } from "../../src/providers/registry.js";
import type { BoundTool } from "../../src/tools/define.js";
import { type ConnectedClient, connectClient } from "../harness/mcp.js";

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type FaultHandler = (request: SeenRequest, res: ServerResponse) => void;

export interface FaultyUpstream {
  readonly baseUrl: string;
  readonly seen: SeenRequest[];
  /** Replaces how the next requests are answered. */
  handle(handler: FaultHandler): void;
  close(): Promise<void>;
}

/** A real HTTP server on loopback (`host` 127.0.0.1 unless given) answering as the current handler says. */
export async function startFaultyUpstream(
  handler: FaultHandler = (_req, res) => res.writeHead(500).end(),
  host = "127.0.0.1",
): Promise<FaultyUpstream> {
  let current = handler;
  const seen: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      seen.push(request);
      current(request, res);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://${host}:${port}`,
    seen,
    handle: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) {
          socket.destroy();
        }
        server.close(() => resolve());
      }),
  };
}

/** Answers JSON. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): FaultHandler {
  return (_req, res) =>
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

/** Sends headers and a first part of the body, then nothing more (the socket stays open). */
export function stalledBody(contentType = "application/json"): FaultHandler {
  return (_req, res) => {
    res.writeHead(200, { "content-type": contentType });
    res.write('{"rooms":[');
  };
}

/** Sends the body one byte every `everyMs`, forever (each byte arrives well within any idle timeout). */
export function drippingBody(everyMs = 50, contentType = "application/json"): FaultHandler {
  return (_req, res) => {
    res.writeHead(200, { "content-type": contentType });
    res.write("{");
    const timer = setInterval(() => {
      if (res.destroyed) {
        clearInterval(timer);
        return;
      }
      res.write(" ");
    }, everyMs);
    res.on("close", () => clearInterval(timer));
  };
}

/** A 200 whose body is `bytes` long (valid JSON for the given wrapper key), sent without building it whole. */
export function hugeBody(bytes: number, key = "data", announce = true): FaultHandler {
  const head = Buffer.from(`{"${key}":"`);
  const tail = Buffer.from('"}');
  const fill = Math.max(0, bytes - head.length - tail.length);
  const piece = Buffer.alloc(Math.min(fill, 1024 * 1024), "x");
  return (_req, res) => {
    res.writeHead(200, {
      "content-type": "application/json",
      ...(announce ? { "content-length": String(head.length + fill + tail.length) } : {}),
    });
    res.write(head);
    let left = fill;
    // Piece by piece, as a real large answer arrives; stops when the client hangs up.
    const more = () => {
      while (left > 0 && !res.destroyed) {
        const chunk = left >= piece.length ? piece : piece.subarray(0, left);
        left -= chunk.length;
        if (!res.write(chunk)) {
          res.once("drain", more);
          return;
        }
      }
      if (!res.destroyed) {
        res.end(tail);
      }
    };
    more();
  };
}

/** Headers and part of the body, then the connection is reset. */
export function resetMidBody(contentType = "application/json"): FaultHandler {
  return (_req, res) => {
    res.writeHead(200, { "content-type": contentType, "content-length": "400" });
    res.write('{"rooms":[{"name":"a"');
    setTimeout(() => res.socket?.destroy(), 20);
  };
}

/** The request is read whole (the server may act on it), then the connection is reset without an answer. */
export function resetAfterSend(): FaultHandler {
  return (_req, res) => {
    res.socket?.destroy();
  };
}

export function redirectTo(location: string, status = 302): FaultHandler {
  return (_req, res) => res.writeHead(status, { location }).end();
}

export interface ServedProvider {
  readonly mcp: ConnectedClient;
  /** The secrets the assembled server scrubs. */
  readonly secrets: readonly string[];
  readonly notices: readonly string[];
  call(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<ToolResult>;
  close(): Promise<void>;
}

export interface ToolResult {
  readonly isError: boolean;
  readonly text: string;
  readonly structuredContent?: unknown;
}

export interface BoundProvider {
  readonly tools: BoundTool[];
  readonly secrets: string[];
  readonly notices: string[];
}

/**
 * Every tool of one provider (not only the default selection), with its client configured from `env` as
 * `rooms-mcp <provider>` does; `client` overrides settings the environment cannot give (a test's sleep).
 */
export function bindAll(
  provider: AnyProvider,
  env: Env,
  client: Record<string, unknown> = {},
): BoundProvider {
  const configured = provider.configFromEnv(env, { standalone: true });
  if (configured.kind !== "configured") {
    throw new Error(`${provider.id} test environment: ${JSON.stringify(configured)}`);
  }
  const config = { ...(configured.config as Record<string, unknown>), ...client };
  return {
    tools: bindProvider(provider, provider.createClient(config)),
    secrets: provider.secretsOf(config),
    notices: configured.notice === undefined ? [] : [configured.notice],
  };
}

/** One provider's tools, configured from `env` as `rooms-mcp <provider>` does, behind the SDK's client. */
export async function serveProvider(provider: AnyProvider, env: Env): Promise<ServedProvider> {
  const assembled = bindAll(provider, env);
  const mcp = await connectClient(assembled.tools, assembled.secrets);
  return {
    mcp,
    secrets: assembled.secrets,
    notices: assembled.notices,
    async call(name, args, signal) {
      const result = await mcp.client.callTool(
        { name, arguments: args },
        signal === undefined ? undefined : { signal },
      );
      const content = (result.content ?? []) as { type: string; text?: string }[];
      return {
        isError: result.isError === true,
        text: content.map((c) => c.text ?? "").join("\n"),
        ...(result.structuredContent === undefined ? {} : { structuredContent: result.structuredContent }),
      };
    },
    close: () => mcp.close(),
  };
}

/** How long a promise took to settle, with its value. */
export async function timed<T>(promise: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await promise;
  return { value, ms: performance.now() - started };
}

const jsonEscape = (text: string) => JSON.stringify(text).slice(1, -1);
/** JSON string content as Go's encoder writes it (<, > and & escaped). */
export const goEscape = (text: string) =>
  jsonEscape(text).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** The forms a leak could take in a result: raw, nested one to three times, Go-escaped, percent-encoded. */
export function leakForms(secret: string): string[] {
  return [
    secret,
    jsonEscape(secret),
    jsonEscape(jsonEscape(secret)),
    jsonEscape(jsonEscape(jsonEscape(secret))),
    goEscape(secret),
    jsonEscape(goEscape(secret)),
    encodeURIComponent(secret),
  ];
}
