/**
 * Node's http server ↔ the SDK's fetch-shaped handler. Small on purpose (what `@modelcontextprotocol/node`'s
 * `toNodeHandler` does, without its Hono dependencies): the body is read here under our own limit before
 * anything parses it, and the response is streamed back honouring backpressure until the request's deadline
 * or the client's disconnect stops it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export type BodyRead =
  | { readonly kind: "read"; readonly body: Buffer }
  | { readonly kind: "too_large" }
  | { readonly kind: "aborted" };

/** Reads at most `limit` bytes; a declared or actual longer body is refused without buffering it. */
export async function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (Number.isFinite(declared) && declared > limit) {
    return { kind: "too_large" };
  }
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of req) {
      const buffer = chunk as Buffer;
      received += buffer.byteLength;
      if (received > limit) {
        return { kind: "too_large" };
      }
      chunks.push(buffer);
    }
  } catch {
    return { kind: "aborted" };
  }
  return { kind: "read", body: Buffer.concat(chunks) };
}

/** The web Request the SDK handler takes; `url` is already validated (Host checked by the caller). */
export function toWebRequest(req: IncomingMessage, url: URL, body: Buffer, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(":")) {
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      headers.append(name, item);
    }
  }
  const method = (req.method ?? "GET").toUpperCase();
  const hasBody = method !== "GET" && method !== "HEAD" && body.byteLength > 0;
  return new Request(url, { method, headers, signal, ...(hasBody ? { body } : {}) });
}

/**
 * Writes `response` to `res`; returns the body bytes written. Stops early (ending the response) when
 * `stop` aborts: the deadline passed, or the client went away.
 */
export async function sendWebResponse(
  res: ServerResponse,
  response: Response,
  stop: AbortSignal,
): Promise<number> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  if (response.body === null) {
    res.end();
    return 0;
  }
  let written = 0;
  const reader = response.body.getReader();
  const stopped = new Promise<"stopped">((resolve) => {
    if (stop.aborted) {
      resolve("stopped");
    }
    stop.addEventListener("abort", () => resolve("stopped"), { once: true });
  });
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), stopped]);
      if (next === "stopped" || next.done) {
        break;
      }
      written += next.value.byteLength;
      if (!res.write(next.value)) {
        const drained = new Promise<void>((resolve) => res.once("drain", () => resolve()));
        if ((await Promise.race([drained, stopped])) === "stopped") {
          break;
        }
      }
    }
  } catch {
    // The stream failed mid-way (the handler closed it): end what was sent.
  } finally {
    void reader.cancel().catch(() => undefined);
    res.end();
  }
  return written;
}

/** A small JSON answer (health, errors the HTTP layer gives before MCP is reached). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}

/** The JSON-RPC error body the SDK's own HTTP rejections use (id null: no request was read). */
export function jsonRpcError(message: string, code = -32000): unknown {
  return { jsonrpc: "2.0", error: { code, message }, id: null };
}
