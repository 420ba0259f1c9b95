/**
 * 100ms error answers → {@link UpstreamError}. The API answers `{code, message, details}`; proxies and load
 * balancers in front of it may answer HTML or plain text instead, which must not crash or flood the result.
 */
import { type ErrorHints, UpstreamError } from "../../errors.js";
import { retryAfterSeconds } from "../../http-limits.js";
import { isRecord } from "../../json.js";

/** How much of a non-JSON error body is quoted back: enough to recognise it, not a whole HTML page. */
const SNIPPET_CHARS = 200;

/**
 * An error for a non-2xx answer. `body` is what openapi-fetch parsed: the JSON value when the body was
 * JSON, else the raw text.
 */
export function errorFromResponse(response: Response, body: unknown): UpstreamError {
  const { status } = response;
  // Shown whenever given, so an agent can tell "wait a second" from "wait a day".
  const retryAfter = retryAfterSeconds(response.headers);
  const wait = retryAfter === undefined ? {} : { retry_after_seconds: retryAfter };
  const waitText = retryAfter === undefined ? "" : ` (Retry-After: ${retryAfter} s)`;
  if (isRecord(body) && typeof body.message === "string") {
    const code = typeof body.code === "number" || typeof body.code === "string" ? body.code : status;
    return new UpstreamError({
      provider: "hms",
      code: String(code),
      status,
      message: `${body.message}${waitText}`,
      details: { ...(body.details === undefined ? {} : { details: body.details }), ...wait },
    });
  }
  const text = typeof body === "string" ? body : body === undefined ? "" : JSON.stringify(body);
  const snippet = text
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, SNIPPET_CHARS);
  const reason = response.statusText || "Error";
  return new UpstreamError({
    provider: "hms",
    code: String(status),
    status,
    message:
      (snippet === ""
        ? `${reason}, with an empty body`
        : `${reason}, with a body that is not a 100ms error (from a proxy in between?): ${snippet}`) +
      waitText,
    details: wait,
    // Set here, so it wins over a tool's hint for this status (which assumes 100ms itself answered).
    ...(status === 404 ? { hint: NOT_THE_API } : {}),
  });
}

const NOT_THE_API =
  "This 404 did not come from the 100ms API (its errors carry a message): check that HMS_API_URL is the API's " +
  "base URL including /v2, e.g. https://api.100ms.live/v2.";

/**
 * The codes a 100ms call can fail with: the HTTP status as a string (the API's own `code` is the status),
 * and what this client says when no answer came or it could not be used: `timeout` (no complete answer
 * within HMS_TIMEOUT_MS), `unavailable` (not reached; nothing sent), `connection_lost` (broke after sending),
 * `canceled`, `bad_response` (not the documented JSON), `too_large` (over HMS_MAX_RESPONSE_BYTES),
 * `redirect` (not followed).
 */
export type HmsErrorCode =
  | "400"
  | "401"
  | "403"
  | "404"
  | "409"
  | "422"
  | "429"
  | "500"
  | "502"
  | "503"
  | "504"
  | "timeout"
  | "unavailable"
  | "canceled"
  | "bad_response"
  | "connection_lost"
  | "too_large"
  | "redirect";

export type HmsErrorHints = ErrorHints<HmsErrorCode>;
