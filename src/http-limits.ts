/**
 * One HTTP exchange with an upstream, bounded: one deadline for the headers and the whole body, a cap on the
 * bytes read, and no redirect followed. Both provider transports use it and then say what happened in their
 * vendor's words. Nothing the network or the upstream does makes it throw: every outcome is a value.
 */
import type { Env } from "./providers/provider.js";

export interface UpstreamLimits {
  /** One deadline covering the headers and the whole body, in milliseconds. */
  readonly timeoutMs: number;
  /** The most body bytes read; a longer answer is not read any further. */
  readonly maxResponseBytes: number;
}

/**
 * Whether the request may have reached the server. `not_sent`: no connection was made, so nothing can have
 * happened. `maybe_sent`: the connection broke or the deadline passed before an answer; the server may have
 * acted. `sent`: the server answered (at least its headers).
 */
export type Delivery = "not_sent" | "maybe_sent" | "sent";

/** What of an answer the transports read besides its body: a fetch `Response` is one. */
export interface UpstreamResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
}

export type Exchange =
  | { readonly kind: "answered"; readonly response: UpstreamResponse; readonly body: Uint8Array }
  | { readonly kind: "timeout"; readonly phase: "headers" | "body"; readonly status?: number }
  | { readonly kind: "canceled"; readonly delivery: Delivery }
  | {
      readonly kind: "network";
      readonly phase: "headers" | "body";
      readonly delivery: Delivery;
      /** The socket error's code (ECONNRESET, ECONNREFUSED, …) or message. */
      readonly reason: string;
      readonly status?: number;
    }
  | {
      readonly kind: "too_large";
      readonly response: UpstreamResponse;
      /** What Content-Length announced, or how much had arrived when reading stopped. */
      readonly bytes: number;
    };

/** Connection errors that happen before a request byte is written: the server cannot have acted. */
const NOT_SENT =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL|EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ENETDOWN|EADDRNOTAVAIL|UND_ERR_CONNECT_TIMEOUT|ERR_INVALID_URL|ERR_TLS_\w+|ERR_SSL_\w+|CERT_\w+|\w+_CERT\w*|UNABLE_TO_\w+|SELF_SIGNED_\w+|DEPTH_ZERO_\w+)$/;

/**
 * Fetches once within `limits`. `init` must not carry a signal or a redirect mode: the deadline and the
 * caller's signal are combined here, and redirects are always returned as answers (`redirect: "manual"`), so
 * a POST is never turned into a GET elsewhere nor sent twice.
 */
export async function boundedFetch(
  fetchImpl: typeof globalThis.fetch,
  url: string,
  init: Omit<RequestInit, "signal" | "redirect">,
  limits: UpstreamLimits,
  caller: AbortSignal | undefined,
): Promise<Exchange> {
  if (caller?.aborted) {
    return { kind: "canceled", delivery: "not_sent" };
  }
  const controller = new AbortController();
  let timedOut = false;
  // Our own timer, cleared in `finally`: AbortSignal.timeout inside AbortSignal.any can be collected early.
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException("upstream deadline passed", "TimeoutError"));
  }, limits.timeoutMs);
  const onCallerAbort = () => controller.abort(caller?.reason);
  caller?.addEventListener("abort", onCallerAbort, { once: true });
  // Races every await, so that a fetch implementation ignoring the signal still cannot outlive the deadline.
  const stopped = new Promise<never>((_, reject) => {
    controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
  });
  stopped.catch(() => undefined);
  const interrupted = (phase: "headers" | "body", status?: number): Exchange =>
    timedOut
      ? { kind: "timeout", phase, ...(status === undefined ? {} : { status }) }
      : { kind: "canceled", delivery: phase === "headers" ? "maybe_sent" : "sent" };

  try {
    let response: Response;
    try {
      response = await Promise.race([
        fetchImpl(url, { ...init, redirect: "manual", signal: controller.signal }),
        stopped,
      ]);
    } catch (error) {
      if (controller.signal.aborted) {
        return interrupted("headers");
      }
      const reason = networkReason(error);
      return { kind: "network", phase: "headers", delivery: deliveryOf(reason), reason };
    }
    const status = response.status;
    const declared = Number(response.headers.get("content-length") ?? Number.NaN);
    if (Number.isFinite(declared) && declared > limits.maxResponseBytes) {
      void response.body?.cancel().catch(() => undefined);
      return { kind: "too_large", response, bytes: declared };
    }
    if (response.body === null) {
      return { kind: "answered", response, body: new Uint8Array(0) };
    }
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let received = 0;
    try {
      for (;;) {
        const { done, value } = await Promise.race([reader.read(), stopped]);
        if (done) {
          break;
        }
        received += value.byteLength;
        if (received > limits.maxResponseBytes) {
          void reader.cancel().catch(() => undefined);
          return { kind: "too_large", response, bytes: received };
        }
        chunks.push(value);
      }
    } catch (error) {
      void reader.cancel().catch(() => undefined);
      if (controller.signal.aborted) {
        return interrupted("body", status);
      }
      return { kind: "network", phase: "body", delivery: "sent", reason: networkReason(error), status };
    }
    return { kind: "answered", response, body: concat(chunks, received) };
  } finally {
    clearTimeout(timer);
    caller?.removeEventListener("abort", onCallerAbort);
  }
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0] !== undefined) {
    return chunks[0];
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Whether a request that failed with this network error may have reached the server. */
export function deliveryOf(reason: string): Delivery {
  return NOT_SENT.test(reason) ? "not_sent" : "maybe_sent";
}

/** Node's fetch hides the socket error in `cause` (`TypeError: fetch failed` → `ECONNREFUSED`). */
export function networkReason(error: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code !== "") {
      return code;
    }
    // Happy eyeballs: every address failed; the first one's code says why.
    if (current instanceof AggregateError && current.errors[0] instanceof Error) {
      current = current.errors[0];
    } else if (current.cause instanceof Error) {
      current = current.cause;
    } else {
      return current.message || current.name;
    }
  }
  return String(error);
}

/**
 * Retry-After in whole seconds from now: the delta-seconds form, or the HTTP-date form. Undefined when absent
 * or unreadable, so errors can tell an agent "1 s" from "24 h".
 */
export function retryAfterSeconds(headers: Headers, now: number = Date.now()): number | undefined {
  const value = headers.get("retry-after")?.trim();
  if (value === undefined || value === "") {
    return undefined;
  }
  if (/^\d+$/.test(value)) {
    return Number(value);
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** `2 MiB`, `512 KiB`, `900 bytes`: sizes in messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) {
    return `${Number((bytes / (1024 * 1024)).toFixed(1))} MiB`;
  }
  if (bytes >= 1024) {
    return `${Number((bytes / 1024).toFixed(1))} KiB`;
  }
  return `${bytes} bytes`;
}

/** The environment variables that set one provider's limits, and their defaults. */
export interface LimitVariables {
  readonly timeout: { readonly name: string; readonly defaultValue: number };
  readonly maxResponseBytes: { readonly name: string; readonly defaultValue: number };
}

/**
 * The accepted ranges: a deadline within Node's timer range and an MCP call's life; a read cap that bounds
 * memory. What reaches the client is bounded separately (ROOMS_MCP_MAX_RESULT_BYTES, the stdio line limit),
 * so the read cap may exceed what a client can read: list tools page over a whole answer.
 */
export const TIMEOUT_RANGE = { min: 100, max: 600_000 } as const;
export const MAX_RESPONSE_BYTES_RANGE = { min: 1024, max: 128 * 1024 * 1024 } as const;

/** A provider's limits from the environment, or a problem naming the variable and the accepted range. */
export function limitsFromEnv(
  env: Env,
  variables: LimitVariables,
): { readonly limits: UpstreamLimits } | { readonly problem: string } {
  const timeout = integerFromEnv(env, variables.timeout.name, variables.timeout.defaultValue, TIMEOUT_RANGE);
  if (typeof timeout === "string") {
    return { problem: timeout };
  }
  const bytes = integerFromEnv(
    env,
    variables.maxResponseBytes.name,
    variables.maxResponseBytes.defaultValue,
    MAX_RESPONSE_BYTES_RANGE,
  );
  if (typeof bytes === "string") {
    return { problem: bytes };
  }
  return { limits: { timeoutMs: timeout, maxResponseBytes: bytes } };
}

/** The integer value, or the problem as a sentence (never echoing more than the value given). */
function integerFromEnv(
  env: Env,
  name: string,
  defaultValue: number,
  range: { readonly min: number; readonly max: number },
): number | string {
  const raw = (env[name] ?? "").trim();
  if (raw === "") {
    return defaultValue;
  }
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    return `${name} must be a whole number from ${range.min} to ${range.max}, not ${JSON.stringify(raw.slice(0, 40))}`;
  }
  return value;
}
