/**
 * A connect-es `Transport` that speaks Twirp the way LiveKit serves it, so `createClient(RoomService, t)`
 * works against LiveKit while keeping Twirp's error `msg` and `meta`, which connect's own protocols drop.
 */
import {
  create,
  type DescMessage,
  fromBinary,
  fromJsonString,
  toBinary,
  toJsonString,
} from "@bufbuild/protobuf";
import type { Transport } from "@connectrpc/connect";
import { UpstreamError } from "../../errors.js";
import { isRecord, parseJson } from "../../json.js";

export interface TwirpTransportOptions {
  /** `http(s)://host[:port][/prefix]`, no trailing slash (see `toHttpBaseUrl`). */
  baseUrl: string;
  /** Send and accept `application/protobuf` instead of JSON. Default false. */
  binary?: boolean;
  /** Per-call timeout when the call sets none; 0 disables. Default 10 000 ms, as LiveKit's SDKs use. */
  timeoutMs?: number;
  /** Replaces `globalThis.fetch` (tests, proxies). */
  fetch?: typeof globalThis.fetch;
  userAgent?: string;
}

/**
 * Status → code for answers that are not Twirp JSON (LiveKit's auth middleware, proxies, load balancers);
 * Twirp's own clients map "intermediary" errors the same way. Anything unlisted is `unknown`.
 */
const INTERMEDIARY_CODES: Readonly<Record<number, string>> = {
  400: "internal",
  401: "unauthenticated",
  403: "permission_denied",
  404: "bad_route",
  429: "resource_exhausted",
  502: "unavailable",
  503: "unavailable",
  504: "unavailable",
};

/** LiveKit re-wraps psrpc errors, so `msg` often starts with (possibly repeated) "twirp error unknown: ". */
const TWIRP_PREFIX = /^(?:twirp error [a-z_]+: )+/;

const MAX_MESSAGE_CHARS = 500;

/** Build the Twirp transport for one LiveKit server. Unary only: RoomService has no streaming methods. */
export function createTwirpTransport(options: TwirpTransportOptions): Transport {
  const { baseUrl, binary = false, timeoutMs: defaultTimeoutMs = 10_000, userAgent } = options;
  const fetchFn = options.fetch ?? globalThis.fetch;
  const contentType = binary ? "application/protobuf" : "application/json";
  // Name the host in messages, never the full request (the token travels in headers, but keep it narrow).
  const host = new URL(baseUrl).host;

  return {
    async unary(method, signal, timeoutMs, header, input) {
      const url = `${baseUrl}/twirp/${method.parent.typeName}/${method.name}`;
      const request = create(method.input, input);
      const timeout = timeoutMs ?? defaultTimeoutMs;
      const headers = new Headers(header);
      headers.set("Content-Type", contentType);
      headers.set("Accept", contentType);
      if (userAgent !== undefined) {
        headers.set("User-Agent", userAgent);
      }
      // LiveKit (xtwirp) turns this into the server-side deadline, so both ends give up together.
      if (timeout > 0) {
        headers.set("X-Twirp-Timeout-Ms", String(timeout));
      }

      const timeoutSignal = timeout > 0 ? AbortSignal.timeout(timeout) : undefined;
      const signals = [signal, timeoutSignal].filter((s): s is AbortSignal => s !== undefined);
      let response: Response;
      let bytes: Uint8Array;
      let answered = false; // headers arrived: the server has seen the request
      try {
        response = await fetchFn(url, {
          method: "POST",
          headers,
          body: binary ? toBinary(method.input, request) : toJsonString(method.input, request),
          signal: signals.length > 0 ? AbortSignal.any(signals) : null,
          // Twirp clients don't follow redirects: fetch would turn a 301'd POST into a GET (→ bad_route).
          redirect: "manual",
        });
        answered = true;
        bytes = new Uint8Array(await response.arrayBuffer());
      } catch (e) {
        if (signal?.aborted) {
          throw signal.reason; // the caller cancelled: not an upstream failure
        }
        if (timeoutSignal?.aborted) {
          throw new UpstreamError({
            provider: "livekit",
            code: "timeout",
            message: `LiveKit at ${host} did not answer ${method.name} within ${timeout} ms; the operation may still have taken effect on the server`,
            details: { timeout_ms: timeout },
            cause: e,
          });
        }
        const reason = networkReason(e);
        throw new UpstreamError({
          provider: "livekit",
          code: "unavailable",
          message: answered
            ? `connection to LiveKit at ${host} broke while reading the ${method.name} answer (${reason}); the operation may have taken effect on the server`
            : `could not reach LiveKit at ${host} (${reason}); check LIVEKIT_URL and that the server is running`,
          details: { network_error: reason },
          cause: e,
        });
      }

      const responseType = mediaType(response.headers.get("Content-Type"));
      // Twirp: only 200 is success; any other status carries an error (redirects included).
      if (response.status !== 200) {
        throw errorFromResponse(response, responseType, bytes, host);
      }
      if (responseType !== contentType) {
        throw new UpstreamError({
          provider: "livekit",
          code: "unknown",
          status: 200,
          message: `expected ${contentType} from LiveKit at ${host}, got ${responseType || "no Content-Type"}; is LIVEKIT_URL pointing at a LiveKit server?`,
          details: { http_error_from_intermediary: true, body: excerpt(bytes, responseType) },
        });
      }
      const message = decodeResponse(method.output, bytes, binary, method.name);
      return {
        stream: false,
        service: method.parent,
        method,
        header: response.headers,
        trailer: new Headers(),
        message,
      };
    },

    async stream(method) {
      throw new Error(
        `${method.parent.typeName}/${method.name} is a streaming method; Twirp supports unary calls only`,
      );
    },
  };
}

function decodeResponse<O extends DescMessage>(schema: O, bytes: Uint8Array, binary: boolean, name: string) {
  try {
    // Servers add fields and enum values over time; unknown JSON names must not fail an otherwise good answer.
    return binary
      ? fromBinary(schema, bytes)
      : fromJsonString(schema, new TextDecoder().decode(bytes), { ignoreUnknownFields: true });
  } catch (e) {
    throw new UpstreamError({
      provider: "livekit",
      code: "internal",
      status: 200,
      message: `could not decode LiveKit's ${name} response: ${e instanceof Error ? e.message : String(e)}`,
      cause: e,
    });
  }
}

/** A non-200 answer as an UpstreamError: Twirp's own JSON error if it is one, else mapped by status. */
function errorFromResponse(
  response: Response,
  responseType: string,
  bytes: Uint8Array,
  host: string,
): UpstreamError {
  const status = response.status;
  if (responseType === "application/json") {
    const body = parseJson(new TextDecoder().decode(bytes));
    if (isRecord(body) && typeof body.code === "string" && typeof body.msg === "string") {
      const message = body.msg.replace(TWIRP_PREFIX, "");
      const details: Record<string, unknown> = {};
      if (body.meta !== undefined) {
        details.meta = body.meta;
      }
      if (message !== body.msg) {
        details.raw_message = body.msg;
      }
      return new UpstreamError({ provider: "livekit", code: body.code, status, message, details });
    }
  }
  const details = { http_error_from_intermediary: true };
  if (status >= 300 && status < 400) {
    // Typically http:// → https://. Show where to, minus any query string.
    const location = response.headers.get("Location") ?? "";
    const to = location === "" ? "" : ` to ${location.split("?")[0]}`;
    const message = `LiveKit at ${host} answered with a redirect${to} (HTTP ${status}); set LIVEKIT_URL to the final address`;
    return new UpstreamError({ provider: "livekit", code: "internal", status, message, details });
  }
  const message = excerpt(bytes, responseType) || `HTTP ${status} ${response.statusText}`.trim();
  return new UpstreamError({
    provider: "livekit",
    code: INTERMEDIARY_CODES[status] ?? "unknown",
    status,
    message,
    details,
  });
}

/** A body as one readable line: HTML reduced to its text, whitespace collapsed, capped. */
function excerpt(bytes: Uint8Array, responseType: string): string {
  let text = new TextDecoder().decode(bytes);
  if (responseType === "text/html") {
    text = text.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " ");
  }
  text = text.replace(/\s+/g, " ").trim();
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text;
}

/** `application/json; charset=utf-8` → `application/json`. */
function mediaType(header: string | null): string {
  return (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** Node's fetch hides the socket error in `cause` (`TypeError: fetch failed` → `ECONNREFUSED`). */
function networkReason(e: unknown): string {
  const cause = e instanceof Error ? e.cause : undefined;
  if (isRecord(cause) && typeof cause.code === "string") {
    return cause.code;
  }
  if (cause instanceof Error) {
    return cause.message;
  }
  return e instanceof Error ? e.message : String(e);
}
