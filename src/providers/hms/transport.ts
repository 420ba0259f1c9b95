/**
 * The `fetch` the 100ms client hands to openapi-fetch: per-attempt timeouts, one retry with a fresh token
 * after a 401, and bounded retries with exponential backoff and jitter for reads.
 *
 * Only GETs are retried on 429/5xx/network failures: a POST that timed out or failed may already have
 * acted (ended a room, sent a message), so repeating it blindly could act twice. A 401 is retried for every
 * method, once: the request was refused before anything happened.
 */
import { UpstreamError } from "../../errors.js";
import { log } from "../../log.js";
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
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly fetch?: typeof globalThis.fetch;
  /** Waits between attempts; injectable so tests need not wait. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** In [0, 1), for jitter. */
  readonly random?: () => number;
}

const RETRYABLE_STATUS = (status: number) => status === 429 || (status >= 500 && status <= 599);

export function bearer(token: string): string {
  return `Bearer ${token}`;
}

export function createTransport(options: TransportOptions): typeof globalThis.fetch {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const { attempts, baseDelayMs, maxDelayMs } = options.retry;

  return async (input, init) => {
    const request = new Request(input, init);
    const caller = request.signal;
    // Read the body once, so that every attempt can send it again.
    const body = request.body === null ? undefined : await request.arrayBuffer();
    const headers = new Headers(request.headers);
    const retriesReads = request.method === "GET";
    let token = (headers.get("authorization") ?? "").replace(/^Bearer /, "");
    let renewed = false;

    for (let attempt = 1; ; attempt++) {
      const timeout = AbortSignal.timeout(options.timeoutMs);
      let response: Response;
      try {
        response = await fetchImpl(
          new Request(request.url, {
            method: request.method,
            headers,
            body: body ?? null,
            redirect: request.redirect,
            signal: AbortSignal.any([caller, timeout]),
          }),
        );
      } catch (error) {
        if (caller.aborted) {
          throw error;
        }
        if (timeout.aborted) {
          // Not retried even for reads: the attempt already used its whole time budget.
          throw new UpstreamError({
            provider: "hms",
            code: "timeout",
            message: `100ms did not answer within ${options.timeoutMs} ms`,
            cause: error,
          });
        }
        if (retriesReads && attempt < attempts) {
          const wait = backoff(attempt);
          noteRetry(request, attempt, wait, "network error");
          await sleep(wait, caller);
          continue;
        }
        throw networkError(request.url, error);
      }

      if (response.status === 401 && !renewed) {
        const fresh = await options.tokens.renew(token);
        if (fresh !== undefined) {
          renewed = true;
          token = fresh;
          headers.set("authorization", bearer(fresh));
          await discard(response);
          attempt--; // the renewal retry does not use up an attempt
          continue;
        }
      }
      if (retriesReads && RETRYABLE_STATUS(response.status) && attempt < attempts) {
        const wait = retryAfterMs(response) ?? backoff(attempt);
        if (wait <= maxDelayMs) {
          await discard(response);
          noteRetry(request, attempt, wait, `HTTP ${response.status}`);
          await sleep(wait, caller);
          continue;
        }
      }
      return response;
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

/** Retry-After in seconds (the HTTP-date form is not used by 100ms and is ignored). */
function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get("retry-after");
  if (value === null || !/^\d+$/.test(value.trim())) {
    return undefined;
  }
  return Number(value.trim()) * 1000;
}

function networkError(url: string, error: unknown): UpstreamError {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | undefined)?.code;
  const why = typeof code === "string" ? code : cause instanceof Error ? cause.message : String(cause);
  return new UpstreamError({
    provider: "hms",
    code: "unavailable",
    message: `could not reach the 100ms API at ${new URL(url).origin} (${why})`,
    cause: error,
  });
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
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
