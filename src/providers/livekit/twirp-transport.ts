/**
 * A connect-es `Transport` that speaks Twirp the way LiveKit serves it, so `createClient(RoomService, t)`
 * works against LiveKit while keeping Twirp's error `msg` and `meta`, which connect's own protocols drop.
 */
import {
  create,
  type DescMessage,
  type DescMethodUnary,
  fromBinary,
  fromJson,
  type JsonValue,
  toBinary,
  toJsonString,
} from "@bufbuild/protobuf";
import type { Transport } from "@connectrpc/connect";
import { UpstreamError } from "../../errors.js";
import { type Exchange, formatBytes, retryAfterSeconds, type UpstreamResponse } from "../../http-limits.js";
import { boundedRequest } from "../../http-request.js";
import { isRecord, parseJson } from "../../json.js";
import { LIVEKIT_LIMIT_VARIABLES } from "./config.js";

export interface TwirpTransportOptions {
  /** `http(s)://host[:port][/prefix]`, no trailing slash (see `toHttpBaseUrl`). */
  baseUrl: string;
  /** Send and accept `application/protobuf` instead of JSON. Default false. */
  binary?: boolean;
  /** One deadline for headers and body when the call sets none (LIVEKIT_TIMEOUT_MS). */
  timeoutMs?: number;
  /** The most bytes read of one answer (LIVEKIT_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
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

/** One decoder for every answer (UTF-8; a TextDecoder is stateless between whole-buffer decodes). */
const UTF8 = new TextDecoder();

/** Servers add fields and enum values over time; unknown JSON names must not fail an otherwise good answer. */
const JSON_READ = { ignoreUnknownFields: true } as const;

/** Build the Twirp transport for one LiveKit server. Unary only: RoomService has no streaming methods. */
export function createTwirpTransport(options: TwirpTransportOptions): Transport {
  const {
    baseUrl,
    binary = false,
    timeoutMs: defaultTimeoutMs = LIVEKIT_LIMIT_VARIABLES.timeout.defaultValue,
    maxResponseBytes = LIVEKIT_LIMIT_VARIABLES.maxResponseBytes.defaultValue,
    userAgent,
  } = options;
  const contentType = binary ? "application/protobuf" : "application/json";
  // Name the host in messages, never the full request (the token travels in headers, but keep it narrow).
  const host = new URL(baseUrl).host;
  // What every request carries, worked out once; a call adds its token and deadline.
  // Header names in lower case (as fetch sends them), so a caller's header of the same name is replaced.
  const fixedHeaders: Record<string, string> = {
    "content-type": contentType,
    accept: contentType,
    ...(userAgent === undefined ? {} : { "user-agent": userAgent }),
  };
  const urls = new Map<DescMethodUnary, URL>();

  return {
    async unary(method, signal, timeoutMs, header, input) {
      let url = urls.get(method as DescMethodUnary);
      if (url === undefined) {
        url = new URL(`${baseUrl}/twirp/${method.parent.typeName}/${method.name}`);
        urls.set(method as DescMethodUnary, url);
      }
      const request = create(method.input, input);
      // Every call has a deadline: a call's own (PerformRpc waits on a participant) or the configured one.
      const timeout = timeoutMs !== undefined && timeoutMs > 0 ? timeoutMs : defaultTimeoutMs;
      // The fixed headers go last, so a caller's header can never change the encoding the answer is decoded with.
      const headers: Record<string, string> = {
        ...headerRecord(header),
        ...fixedHeaders,
        // LiveKit (xtwirp) turns this into the server-side deadline, so both ends give up together.
        "x-twirp-timeout-ms": String(timeout),
      };

      // Twirp clients don't follow redirects (a 301'd POST turned into a GET would be bad_route); nor does this.
      const exchange = await boundedRequest(
        url,
        {
          method: "POST",
          headers,
          body: binary ? toBinary(method.input, request) : toJsonString(method.input, request),
        },
        { timeoutMs: timeout, maxResponseBytes },
        signal,
      );
      if (exchange.kind !== "answered") {
        throw failureError(exchange, method.name, host, timeout, maxResponseBytes);
      }
      const { response, body: bytes } = exchange;

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
          hint:
            "Something other than LiveKit answered (a login page or a proxy?): check LIVEKIT_URL, and " +
            "LIVEKIT_WIRE_FORMAT if it is set. Whether LiveKit saw the call is unknown: check before repeating a change.",
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

/** What went wrong when no usable answer came, saying whether the request may have acted. */
function failureError(
  exchange: Exclude<Exchange, { kind: "answered" }>,
  name: string,
  host: string,
  timeoutMs: number,
  maxResponseBytes: number,
): UpstreamError {
  switch (exchange.kind) {
    case "canceled":
      // The caller (the MCP client) gave up: not a failure of LiveKit's, nor a bug of ours.
      return new UpstreamError({
        provider: "livekit",
        code: "canceled",
        message:
          exchange.delivery === "not_sent"
            ? `the ${name} call was canceled before it was sent`
            : `the ${name} call was canceled by the client after it was sent to LiveKit at ${host}, before the answer came`,
        details: { canceled_by: "client" },
        outcomeUnknown: exchange.delivery !== "not_sent",
        hint: "The client canceled this call; if it changes anything, check whether it took effect before repeating it.",
      });
    case "timeout": {
      const what =
        exchange.phase === "headers"
          ? `did not answer ${name} within ${timeoutMs} ms`
          : `sent the headers of its ${name} answer but not the whole body within ${timeoutMs} ms`;
      return new UpstreamError({
        provider: "livekit",
        code: "timeout",
        message: `LiveKit at ${host} ${what} (the deadline ${LIVEKIT_LIMIT_VARIABLES.timeout.name} sets, unless the tool sets its own); the operation may still have taken effect on the server`,
        details: { timeout_ms: timeoutMs },
        outcomeUnknown: true,
      });
    }
    case "network":
      if (exchange.delivery === "not_sent") {
        return new UpstreamError({
          provider: "livekit",
          code: "unavailable",
          message: `could not reach LiveKit at ${host} (${exchange.reason}); nothing was sent. Check LIVEKIT_URL and that the server is running`,
          details: { network_error: exchange.reason },
        });
      }
      return new UpstreamError({
        provider: "livekit",
        code: "connection_lost",
        ...(exchange.status === undefined ? {} : { status: exchange.status }),
        message:
          exchange.phase === "headers"
            ? `the connection to LiveKit at ${host} broke after the ${name} request was sent, before any answer (${exchange.reason}); the operation may have taken effect on the server`
            : `the connection to LiveKit at ${host} broke while reading the ${name} answer (${exchange.reason}); the operation may have taken effect on the server`,
        details: { network_error: exchange.reason },
        outcomeUnknown: true,
      });
    case "too_large": {
      const { status } = exchange.response;
      return new UpstreamError({
        provider: "livekit",
        code: "too_large",
        status,
        message:
          `LiveKit at ${host} answered ${name} (HTTP ${status}) with more than ${formatBytes(maxResponseBytes)} ` +
          `(${exchange.bytes} bytes read or announced), the most ${LIVEKIT_LIMIT_VARIABLES.maxResponseBytes.name} lets this server read; the answer was dropped`,
        details: { max_response_bytes: maxResponseBytes },
        // A 200 means the call itself succeeded; an error body that large says nothing we could read.
        outcomeUnknown: status !== 200,
      });
    }
  }
}

/** The call's own headers (connect passes anything `new Headers` takes) as a record, names in lower case. */
function headerRecord(header: ConstructorParameters<typeof Headers>[0]): Record<string, string> {
  if (header === undefined) {
    return {};
  }
  const entries: Iterable<[string, string]> =
    header instanceof Headers
      ? header.entries()
      : Array.isArray(header)
        ? (header as [string, string][])
        : Object.entries(header as Record<string, string>);
  const record: Record<string, string> = {};
  for (const [name, value] of entries) {
    record[name.toLowerCase()] = value;
  }
  return record;
}

function decodeResponse<O extends DescMessage>(schema: O, bytes: Uint8Array, binary: boolean, name: string) {
  try {
    // JSON.parse then fromJson: protobuf-es's fromJsonString also rescans the text, in JavaScript, for
    // duplicate keys (a third of the decode); LiveKit's encoder never writes any, and JSON.parse keeps the
    // last as every JSON reader does.
    return binary
      ? fromBinary(schema, bytes)
      : fromJson(schema, JSON.parse(UTF8.decode(bytes)) as JsonValue, JSON_READ);
  } catch (e) {
    throw new UpstreamError({
      provider: "livekit",
      code: "internal",
      status: 200,
      message: `could not decode LiveKit's ${name} response: ${e instanceof Error ? e.message : String(e)}`,
      // LiveKit answered 200, so the call succeeded; only its answer is unreadable.
      hint:
        "LiveKit answered success with a body this server cannot read: LIVEKIT_URL may point at something that is " +
        "not LiveKit, or LIVEKIT_WIRE_FORMAT may not match what it speaks. A change this call made probably happened: " +
        "check before repeating it.",
      cause: e,
    });
  }
}

/** A non-200 answer as an UpstreamError: Twirp's own JSON error if it is one, else mapped by status. */
function errorFromResponse(
  response: UpstreamResponse,
  responseType: string,
  bytes: Uint8Array,
  host: string,
): UpstreamError {
  const status = response.status;
  if (responseType === "application/json") {
    const body = parseJson(UTF8.decode(bytes));
    if (isRecord(body) && typeof body.code === "string" && typeof body.msg === "string") {
      const message = body.msg.replace(TWIRP_PREFIX, "");
      const details: Record<string, unknown> = {};
      if (body.meta !== undefined) {
        details.meta = body.meta;
      }
      if (message !== body.msg) {
        details.raw_message = body.msg;
      }
      return new UpstreamError({
        provider: "livekit",
        code: body.code,
        status,
        message: `${message}${waitText(response)}`,
        details: { ...details, ...waitDetails(response) },
      });
    }
  }
  const details = { http_error_from_intermediary: true, ...waitDetails(response) };
  if (status >= 300 && status < 400) {
    // Typically http:// → https://. Show where to, minus any query string.
    const location = response.headers.get("Location") ?? "";
    const to = location === "" ? "" : ` to ${location.split("?")[0]}`;
    const message = `LiveKit at ${host} answered with a redirect${to} (HTTP ${status}); set LIVEKIT_URL to the final address`;
    return new UpstreamError({ provider: "livekit", code: "internal", status, message, details });
  }
  const message =
    (excerpt(bytes, responseType) || `HTTP ${status} ${response.statusText}`.trim()) + waitText(response);
  return new UpstreamError({
    provider: "livekit",
    code: INTERMEDIARY_CODES[status] ?? "unknown",
    status,
    message,
    details,
  });
}

/** Retry-After, shown whenever given, so an agent can tell "wait a second" from "wait a day". */
function waitText(response: UpstreamResponse): string {
  const seconds = retryAfterSeconds(response.headers);
  return seconds === undefined ? "" : ` (Retry-After: ${seconds} s)`;
}

function waitDetails(response: UpstreamResponse): Record<string, number> {
  const seconds = retryAfterSeconds(response.headers);
  return seconds === undefined ? {} : { retry_after_seconds: seconds };
}

/** A body as one readable line: HTML reduced to its text, whitespace collapsed, capped. */
function excerpt(bytes: Uint8Array, responseType: string): string {
  let text = UTF8.decode(bytes);
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
