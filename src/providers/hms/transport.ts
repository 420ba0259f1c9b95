/**
 * The `fetch` the 100ms client hands to openapi-fetch: one deadline per attempt covering headers and body, a
 * cap on what is read, no redirect to another origin, one retry with a fresh token after a 401, and bounded
 * retries with exponential backoff and jitter for reads.
 *
 * Only GETs are retried on 429/5xx/network failures: a POST that timed out or failed may already have
 * acted (ended a room, sent a message), so repeating it blindly could act twice. A 401 is retried for every
 * method, once: the request was refused before anything happened. The body is read here, within the
 * deadline, and handed on as a buffered Response, so openapi-fetch never waits on the network.
 */
import { UpstreamError } from "../../errors.js";
import {
  boundedFetch,
  type Exchange,
  formatBytes,
  retryAfterSeconds,
  type UpstreamLimits,
  type UpstreamResponse,
} from "../../http-limits.js";
import { log } from "../../log.js";
import { HMS_LIMIT_VARIABLES } from "./config.js";
import type { TokenSource } from "./token.js";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  /** No single wait is longer; a Retry-After above it is not waited for (the error is returned instead). */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 250, maxDelayMs: 2000 };

export interface TransportOptions {
  readonly tokens: TokenSource;
  /** Per attempt: the deadline for headers and body, and the most body bytes read. */
  readonly limits: UpstreamLimits;
  readonly retry: RetryPolicy;
  readonly fetch?: typeof globalThis.fetch;
  /** Waits between attempts; injectable so tests need not wait. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** In [0, 1), for jitter. */
  readonly random?: () => number;
}

const RETRYABLE_STATUS = (status: number) => status === 429 || (status >= 500 && status <= 599);
const REDIRECT_STATUS = (status: number) => status >= 300 && status <= 399;
/** Same-origin redirects a GET may follow (e.g. a trailing slash added); more is a loop. */
const MAX_REDIRECTS = 3;
/** Statuses whose Response may carry no body. */
const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

export function bearer(token: string): string {
  return `Bearer ${token}`;
}

export function createTransport(options: TransportOptions): typeof globalThis.fetch {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const { limits } = options;
  const { attempts, baseDelayMs, maxDelayMs } = options.retry;

  return async (input, init) => {
    const request = new Request(input, init);
    const caller = request.signal;
    // Read the body once, so that every attempt can send it again.
    const body = request.body === null ? undefined : await request.arrayBuffer();
    const headers = new Headers(request.headers);
    const retriesReads = request.method === "GET";
    const origin = new URL(request.url).origin;
    let url = request.url;
    let redirects = 0;
    let token = (headers.get("authorization") ?? "").replace(/^Bearer /, "");
    let renewed = false;

    for (let attempt = 1; ; attempt++) {
      const exchange = await boundedFetch(
        fetchImpl,
        url,
        { method: request.method, headers, body: body ?? null },
        limits,
        caller,
      );
      if (exchange.kind === "canceled") {
        throw canceledError(exchange.delivery);
      }
      if (exchange.kind === "network" && retriesReads && attempt < attempts) {
        const wait = backoff(attempt);
        noteRetry(request, attempt, wait, `network error (${exchange.reason})`);
        await sleep(wait, caller);
        continue;
      }
      if (exchange.kind !== "answered") {
        // Timeouts are not retried even for reads: the attempt already used its whole time budget.
        throw failureError(exchange, url, limits);
      }
      const { response } = exchange;

      if (REDIRECT_STATUS(response.status)) {
        const target = redirectTarget(response, url);
        const sameOrigin = target !== undefined && new URL(target).origin === origin;
        if (retriesReads && sameOrigin && redirects < MAX_REDIRECTS) {
          redirects++;
          url = target;
          attempt--; // following a redirect does not use up an attempt
          continue;
        }
        throw redirectError(response, target, request.method);
      }
      if (response.status === 401 && !renewed) {
        const fresh = await options.tokens.renew(token);
        if (fresh !== undefined) {
          renewed = true;
          token = fresh;
          headers.set("authorization", bearer(fresh));
          attempt--; // the renewal retry does not use up an attempt
          continue;
        }
      }
      if (retriesReads && RETRYABLE_STATUS(response.status) && attempt < attempts) {
        const after = retryAfterSeconds(response.headers);
        const wait = after === undefined ? backoff(attempt) : after * 1000;
        if (wait <= maxDelayMs) {
          noteRetry(request, attempt, wait, `HTTP ${response.status}`);
          await sleep(wait, caller);
          continue;
        }
      }
      return new Response(NULL_BODY_STATUS.has(response.status) ? null : exchange.body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }
  };

  /** Exponential backoff with "equal jitter": half fixed, half random, capped. */
  function backoff(attempt: number): number {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
  }
}

/** One line per retry for the operator (path only: no query string, never a header). */
function noteRetry(request: Request, attempt: number, waitMs: number, reason: string): void {
  log("info", "100ms request retried", {
    method: request.method,
    path: new URL(request.url).pathname,
    reason,
    attempt,
    wait_ms: waitMs,
  });
}

/** What went wrong when no usable answer came, in 100ms's terms; saying whether the request may have acted. */
function failureError(
  exchange: Exclude<Exchange, { kind: "answered" | "canceled" }>,
  url: string,
  limits: UpstreamLimits,
): UpstreamError {
  const origin = new URL(url).origin;
  switch (exchange.kind) {
    case "timeout": {
      const { name } = HMS_LIMIT_VARIABLES.timeout;
      const what =
        exchange.phase === "headers"
          ? `did not answer within ${limits.timeoutMs} ms`
          : `sent the headers of its answer (HTTP ${exchange.status}) but not the whole body within ${limits.timeoutMs} ms`;
      return new UpstreamError({
        provider: "hms",
        code: "timeout",
        message: `100ms ${what} (the deadline ${name} sets)`,
        details: { timeout_ms: limits.timeoutMs },
        outcomeUnknown: true,
      });
    }
    case "network":
      if (exchange.delivery === "not_sent") {
        return new UpstreamError({
          provider: "hms",
          code: "unavailable",
          message: `could not reach the 100ms API at ${origin} (${exchange.reason}); nothing was sent`,
        });
      }
      return new UpstreamError({
        provider: "hms",
        code: "connection_lost",
        message:
          exchange.phase === "headers"
            ? `the connection to the 100ms API at ${origin} broke after the request was sent, before any answer (${exchange.reason})`
            : `the connection to the 100ms API at ${origin} broke while its answer (HTTP ${exchange.status}) was being read (${exchange.reason})`,
        ...(exchange.status === undefined ? {} : { status: exchange.status }),
        outcomeUnknown: true,
      });
    case "too_large": {
      const { name } = HMS_LIMIT_VARIABLES.maxResponseBytes;
      const { status } = exchange.response;
      const ok = status >= 200 && status <= 299;
      return new UpstreamError({
        provider: "hms",
        code: "too_large",
        status,
        message:
          `100ms answered (HTTP ${status}) with more than ${formatBytes(limits.maxResponseBytes)} ` +
          `(${exchange.bytes} bytes read or announced), the most ${name} lets this server read; the answer was dropped`,
        details: { max_response_bytes: limits.maxResponseBytes },
        // A 2xx means the call itself succeeded; an error body that large says nothing we could read.
        outcomeUnknown: !ok,
      });
    }
  }
}

function canceledError(delivery: "not_sent" | "maybe_sent" | "sent"): UpstreamError {
  return new UpstreamError({
    provider: "hms",
    code: "canceled",
    message:
      delivery === "not_sent"
        ? "the call was canceled before anything was sent"
        : "the call was canceled after the request was sent, before 100ms's answer was complete",
    outcomeUnknown: delivery !== "not_sent",
  });
}

/** The Location a redirect points at, resolved against the request URL; undefined when missing or unusable. */
function redirectTarget(response: UpstreamResponse, from: string): string | undefined {
  const location = response.headers.get("location");
  if (location === null || location === "") {
    return undefined;
  }
  try {
    return new URL(location, from).href;
  } catch {
    return undefined;
  }
}

/**
 * Redirects are not followed to another origin (the token would go with them, and a POST would turn into a
 * GET there), and never for an action, which would then be sent again.
 */
function redirectError(
  response: UpstreamResponse,
  target: string | undefined,
  method: string,
): UpstreamError {
  // Where to, without the query (it may carry tokens).
  const to = target === undefined ? "" : ` to ${target.split(/[?#]/)[0]}`;
  const why =
    method === "GET"
      ? "redirects to another address are not followed (the management token would go with them)"
      : "this action was not sent there, since following a redirect would send it again";
  return new UpstreamError({
    provider: "hms",
    code: "redirect",
    status: response.status,
    message: `the 100ms API answered with a redirect (HTTP ${response.status})${to}; ${why}`,
    hint: "Set HMS_API_URL to the address the API really answers at (https://api.100ms.live/v2 for 100ms itself).",
  });
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
