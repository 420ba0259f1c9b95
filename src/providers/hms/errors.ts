/**
 * 100ms error answers → {@link UpstreamError}. The API answers `{code, message, details}`; proxies and load
 * balancers in front of it may answer HTML or plain text instead, which must not crash or flood the result.
 */
import { type ErrorHints, UpstreamError } from "../../errors.js";
import { isRecord } from "../../json.js";

/** How much of a non-JSON error body is quoted back: enough to recognise it, not a whole HTML page. */
const SNIPPET_CHARS = 200;

/**
 * An error for a non-2xx answer. `body` is what openapi-fetch parsed: the JSON value when the body was
 * JSON, else the raw text.
 */
export function errorFromResponse(response: Response, body: unknown): UpstreamError {
  const { status } = response;
  if (isRecord(body) && typeof body.message === "string") {
    const code = typeof body.code === "number" || typeof body.code === "string" ? body.code : status;
    return new UpstreamError({
      provider: "hms",
      code: String(code),
      status,
      message: body.message,
      details: body.details === undefined ? {} : { details: body.details },
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
      snippet === ""
        ? `${reason}, with an empty body`
        : `${reason}, with a body that is not a 100ms error (from a proxy in between?): ${snippet}`,
  });
}

/**
 * The codes a 100ms call can fail with: the HTTP status as a string (the API's own `code` is the status),
 * and what this client says when no answer came or it could not be used.
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
  | "bad_response";

export type HmsErrorHints = ErrorHints<HmsErrorCode>;
