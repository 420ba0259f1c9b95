/**
 * The 100ms provider client: openapi-fetch over the generated `paths`, with an auth middleware and the
 * resilient transport (transport.ts). One method, `call(operationId, request)`, resolves to the operation's
 * 200 body with every `x-sensitive` value already redacted, or throws an {@link UpstreamError}.
 */
import createClient, { type Middleware } from "openapi-fetch";
import { ArgumentError, isUpstreamError, UpstreamError } from "../../errors.js";
import type { operations, paths } from "../../generated/hms/openapi.js";
import { type HmsOperationId, hmsOperations } from "../../generated/hms/operations.js";
import type { UpstreamLimits } from "../../http-limits.js";
import { parseJson } from "../../json.js";
import { redactPaths } from "../../redact.js";
import { schemaProblems } from "../../schema-check.js";
import { PACKAGE_VERSION } from "../../version.js";
import { HMS_LIMIT_VARIABLES } from "./config.js";
import { errorFromResponse } from "./errors.js";
import { createHmsJoinTokenIssuer, type HmsJoinTokenIssuer } from "./join-token.js";
import { HMS_DEFAULT_MAX_JOIN_TTL_SECONDS, type HmsJoinTokenSettings } from "./join-token-settings.js";
import {
  givenTokenSource,
  type HmsKeyPair,
  type MintOptions,
  mintingTokenSource,
  type TokenSource,
} from "./token.js";
import { bearer, createTransport, DEFAULT_RETRY, type RetryPolicy } from "./transport.js";

/** Connection settings, from HMS_MANAGEMENT_TOKEN or HMS_ACCESS_KEY + HMS_SECRET, and HMS_API_URL. */
export interface HmsConfig {
  readonly apiUrl: string;
  readonly auth:
    | { readonly kind: "token"; readonly token: string }
    | ({ readonly kind: "keys" } & HmsKeyPair);
  /** Per attempt: one deadline for headers and body (HMS_TIMEOUT_MS). */
  readonly timeoutMs?: number;
  /** The most bytes read of one answer (HMS_MAX_RESPONSE_BYTES). */
  readonly maxResponseBytes?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Join tokens' bounds (HMS_JOIN_TOKEN_MAX_TTL). */
  readonly joinTokens?: HmsJoinTokenSettings;
  /** The join link made from a room code (HMS_JOIN_URL_TEMPLATE); none without it. */
  readonly joinUrlTemplate?: string;
  /** For tests: the join-token clock (ms since the epoch) and jti, so minted tokens can be pinned. */
  readonly joinTokenClock?: () => number;
  readonly joinTokenId?: () => string;
  /** For tests: minting clock and lifetimes, the fetch, the sleep between retries, jitter. */
  readonly mint?: MintOptions;
  readonly fetch?: typeof globalThis.fetch;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random?: () => number;
}

type Operation<Id extends HmsOperationId> = operations[Id];
type JsonBody<T> = T extends { content: { "application/json": infer B } } ? B : never;

/** Path, query and body of one call, typed from the generated operation. */
export interface HmsRequest<Id extends HmsOperationId> {
  readonly path?: Operation<Id>["parameters"]["path"];
  readonly query?: Operation<Id>["parameters"]["query"];
  readonly body?: JsonBody<Operation<Id>["requestBody"]>;
}

/** The operation's 200 body. */
export type HmsResult<Id extends HmsOperationId> = JsonBody<Operation<Id>["responses"][200]>;

export interface HmsClient {
  call<Id extends HmsOperationId>(
    operation: Id,
    request: HmsRequest<Id>,
    options: { readonly signal: AbortSignal },
  ): Promise<HmsResult<Id>>;
  /** Signs peers' join tokens locally (no API call); refuses when there is no key pair. */
  readonly joinTokens: HmsJoinTokenIssuer;
  /** The operator's join-link template for room codes, when one is set. */
  readonly joinUrlTemplate: string | undefined;
}

const GIVEN_TOKEN_REFUSED =
  "100ms refused HMS_MANAGEMENT_TOKEN: it may have expired or been revoked. Issue a new one in the 100ms " +
  "dashboard, or set HMS_ACCESS_KEY and HMS_SECRET so that tokens are minted and renewed automatically.";
const MINTED_TOKEN_REFUSED =
  "100ms refused a freshly minted management token: check that HMS_ACCESS_KEY and HMS_SECRET are the app " +
  "access key and secret from the Developer section of the 100ms dashboard, of the same workspace.";
const READ_FAILED =
  "100ms failed to answer this read, also when it was retried; try again in a little while.";
const READ_TIMED_OUT =
  "This call only reads, so calling it again is safe; if 100ms is often this slow, raise HMS_TIMEOUT_MS.";
const ACTION_FAILED =
  "This action was not repeated automatically, since it may have taken effect: check (e.g. with a list or get " +
  "tool) before trying again.";
const OFF_CONTRACT =
  "The answer is not what the 100ms API documents for this call: check that HMS_API_URL points at the 100ms API " +
  "(https://api.100ms.live/v2, with /v2), not at a proxy or login page.";
const OFF_CONTRACT_ACTION = `${OFF_CONTRACT} The API said the call succeeded, so the action probably took effect: check before repeating it.`;

/** openapi-fetch's `request`, untyped: the operation table picks method and path at run time. */
type UntypedRequest = (
  method: string,
  path: string,
  init: {
    params: { path?: unknown; query?: unknown };
    body?: unknown;
    signal: AbortSignal;
    parseAs: "text";
  },
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

export function createHmsClient(config: HmsConfig): HmsClient {
  const tokens: TokenSource =
    config.auth.kind === "token"
      ? givenTokenSource(config.auth.token)
      : mintingTokenSource(config.auth, config.mint);
  const http = createClient<paths>({
    baseUrl: config.apiUrl,
    headers: { Accept: "application/json", "User-Agent": `rooms-mcp/${PACKAGE_VERSION}` },
    fetch: createTransport({
      tokens,
      limits: {
        timeoutMs: config.timeoutMs ?? HMS_LIMIT_VARIABLES.timeout.defaultValue,
        maxResponseBytes: config.maxResponseBytes ?? HMS_LIMIT_VARIABLES.maxResponseBytes.defaultValue,
      } satisfies UpstreamLimits,
      retry: { ...DEFAULT_RETRY, ...config.retry },
      ...(config.fetch !== undefined ? { fetch: config.fetch } : {}),
      ...(config.sleep !== undefined ? { sleep: config.sleep } : {}),
      ...(config.random !== undefined ? { random: config.random } : {}),
    }),
  });
  http.use(authMiddleware(tokens));
  const request = http.request as unknown as UntypedRequest;
  const authHint = config.auth.kind === "token" ? GIVEN_TOKEN_REFUSED : MINTED_TOKEN_REFUSED;

  /** Advice only the client can give: it knows the auth mode and whether the call was retried. */
  const advise = (error: UpstreamError, method: string): UpstreamError => {
    if (error.hint !== undefined) {
      return error;
    }
    if (error.status === 401) {
      return error.withHint(authHint);
    }
    if (error.code === "too_large") {
      return error; // the tool knows which narrower call to suggest
    }
    if (method === "GET" && error.code === "timeout") {
      return error.withHint(READ_TIMED_OUT);
    }
    const failed = (error.status !== undefined && error.status >= 500) || error.outcomeUnknown;
    if (!failed) {
      return error;
    }
    return error.withHint(method === "GET" ? READ_FAILED : ACTION_FAILED);
  };

  const joinTokens = createHmsJoinTokenIssuer({
    keys: config.auth.kind === "keys" ? config.auth : undefined,
    settings: config.joinTokens ?? { maxTtlSeconds: HMS_DEFAULT_MAX_JOIN_TTL_SECONDS },
    ...(config.joinTokenClock === undefined ? {} : { now: config.joinTokenClock }),
    ...(config.joinTokenId === undefined ? {} : { newId: config.joinTokenId }),
  });

  return {
    joinTokens,
    joinUrlTemplate: config.joinUrlTemplate,
    async call(operation, { path, query, body }, { signal }) {
      const { method, path: template, sensitivePaths } = hmsOperations[operation];
      checkPathValues(template, path);
      checkQueryValues(query);
      let result: Awaited<ReturnType<UntypedRequest>>;
      try {
        result = await request(method, template, {
          params: { path, query },
          ...(body !== undefined ? { body } : {}),
          signal,
          // The transport has read the body already; it is parsed here, where a bad one can be named.
          parseAs: "text",
        });
      } catch (error) {
        if (isUpstreamError(error)) {
          throw advise(error, method);
        }
        if (signal.aborted) {
          throw new UpstreamError({
            provider: "hms",
            code: "canceled",
            message: "the call was canceled",
            outcomeUnknown: method !== "GET",
            cause: error,
          });
        }
        // Anything else failed while building the request: nothing was sent, and it is a bug of ours.
        throw error;
      }
      const { response } = result;
      if (!response.ok) {
        throw advise(errorFromResponse(response, result.error), method);
      }
      const data = typeof result.data === "string" ? parseJson(result.data) : undefined;
      if (typeof data !== "object" || data === null || Array.isArray(data)) {
        const what =
          result.data === undefined || result.data === ""
            ? "an empty body"
            : data === undefined
              ? "a body that is not JSON"
              : "JSON that is not the object it documents";
        throw new UpstreamError({
          provider: "hms",
          code: "bad_response",
          status: response.status,
          message: `the 100ms API answered ${operation} (HTTP ${response.status}) with ${what}`,
          hint: method === "GET" ? OFF_CONTRACT : OFF_CONTRACT_ACTION,
        });
      }
      checkDocumented(operation, response.status, data, method);
      return redactPaths(data, sensitivePaths) as HmsResult<typeof operation>;
    },
  };
}

/**
 * A 200 body must be what the spec documents: workflows read fields of it (a session's room_id, an active
 * room's session) and must not fail on one that is missing, nor act on a value of another type.
 */
function checkDocumented(operation: HmsOperationId, status: number, data: unknown, method: string): void {
  const problem = schemaProblems(hmsOperations[operation].outputSchema, data);
  if (problem === undefined) {
    return;
  }
  throw new UpstreamError({
    provider: "hms",
    code: "bad_response",
    status,
    message: `the 100ms API answered ${operation} with a body that does not match its documented schema: ${problem}`,
    hint: method === "GET" ? OFF_CONTRACT : OFF_CONTRACT_ACTION,
  });
}

/** Unpaired UTF-16 surrogates: no URL encoding exists for them (encodeURIComponent throws). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The second line of defence behind the spec's id patterns (workflows also put ids 100ms returned into
 * paths): a path value must be one non-empty segment that URL parsing cannot collapse or split.
 */
function checkPathValues(template: string, values: unknown): void {
  const given = (values ?? {}) as Record<string, unknown>;
  for (const [, name] of template.matchAll(/\{([^}]+)\}/g)) {
    const value = given[name as string];
    const problem =
      typeof value !== "string" || value === ""
        ? "is missing: the request path needs it"
        : value === "." || value === ".."
          ? `is "${value}", which URL parsing removes from the path (it would address another endpoint)`
          : /[/\\]/.test(value)
            ? "contains a slash, which would change the request path"
            : CONTROL.test(value)
              ? "contains a control character"
              : LONE_SURROGATE.test(value)
                ? "contains an unpaired UTF-16 surrogate, which cannot be sent"
                : undefined;
    if (problem !== undefined) {
      throw new ArgumentError(name as string, `${name} ${problem}; ids are letters, digits, - and _`);
    }
  }
}

/** Query values are percent-encoded, which cannot represent an unpaired surrogate: refuse before sending. */
function checkQueryValues(values: unknown): void {
  for (const [name, value] of Object.entries((values ?? {}) as Record<string, unknown>)) {
    if (typeof value === "string" && LONE_SURROGATE.test(value)) {
      throw new ArgumentError(name, `${name} contains an unpaired UTF-16 surrogate, which cannot be sent`);
    }
  }
}

/** Puts the current management token on every request. */
function authMiddleware(tokens: TokenSource): Middleware {
  return {
    async onRequest({ request }) {
      request.headers.set("Authorization", bearer(await tokens.get()));
      return request;
    },
  };
}
