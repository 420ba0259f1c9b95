/**
 * The 100ms provider client: openapi-fetch over the generated `paths`, with an auth middleware and the
 * resilient transport (transport.ts). One method, `call(operationId, request)`, resolves to the operation's
 * 200 body with every `x-sensitive` value already redacted, or throws an {@link UpstreamError}.
 */
import createClient, { type Middleware } from "openapi-fetch";
import { isUpstreamError, UpstreamError } from "../../errors.js";
import type { operations, paths } from "../../generated/hms/openapi.js";
import { type HmsOperationId, hmsOperations } from "../../generated/hms/operations.js";
import { PACKAGE_VERSION } from "../../version.js";
import { errorFromResponse } from "./errors.js";
import { redactPaths } from "./redact.js";
import {
  givenTokenSource,
  type HmsKeyPair,
  type MintOptions,
  mintingTokenSource,
  type TokenSource,
} from "./token.js";
import { bearer, createTransport, DEFAULT_RETRY, type RetryPolicy } from "./transport.js";

export const HMS_DEFAULT_API_URL = "https://api.100ms.live/v2";

/** Connection settings, from HMS_MANAGEMENT_TOKEN or HMS_ACCESS_KEY + HMS_SECRET, and HMS_API_URL. */
export interface HmsConfig {
  readonly apiUrl: string;
  readonly auth:
    | { readonly kind: "token"; readonly token: string }
    | ({ readonly kind: "keys" } & HmsKeyPair);
  /** Per-attempt timeout. */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
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
}

const DEFAULT_TIMEOUT_MS = 15_000;

const GIVEN_TOKEN_REFUSED =
  "100ms refused HMS_MANAGEMENT_TOKEN: it may have expired or been revoked. Issue a new one in the 100ms " +
  "dashboard, or set HMS_ACCESS_KEY and HMS_SECRET so that tokens are minted and renewed automatically.";
const MINTED_TOKEN_REFUSED =
  "100ms refused a freshly minted management token: check that HMS_ACCESS_KEY and HMS_SECRET are the app " +
  "access key and secret from the Developer section of the 100ms dashboard, of the same workspace.";
const READ_FAILED =
  "100ms failed to answer this read, also when it was retried; try again in a little while.";
const ACTION_FAILED =
  "This action was not repeated automatically, since it may have taken effect: check (e.g. with a list or get " +
  "tool) before trying again.";

/** openapi-fetch's `request`, untyped: the operation table picks method and path at run time. */
type UntypedRequest = (
  method: string,
  path: string,
  init: { params: { path?: unknown; query?: unknown }; body?: unknown; signal: AbortSignal },
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
      timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
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
    const failed = (error.status !== undefined && error.status >= 500) || error.code === "timeout";
    if (!failed) {
      return error;
    }
    return error.withHint(method === "GET" ? READ_FAILED : ACTION_FAILED);
  };

  return {
    async call(operation, { path, query, body }, { signal }) {
      const { method, path: template, sensitivePaths } = hmsOperations[operation];
      let result: Awaited<ReturnType<UntypedRequest>>;
      try {
        result = await request(method, template, {
          params: { path, query },
          ...(body !== undefined ? { body } : {}),
          signal,
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
            cause: error,
          });
        }
        // openapi-fetch parses a 2xx body as JSON and throws when it is not.
        throw new UpstreamError({
          provider: "hms",
          code: "bad_response",
          message: `the 100ms API answered ${operation} with a body that is not JSON`,
          cause: error,
        });
      }
      if (!result.response.ok) {
        throw advise(errorFromResponse(result.response, result.error), method);
      }
      if (typeof result.data !== "object" || result.data === null || Array.isArray(result.data)) {
        throw new UpstreamError({
          provider: "hms",
          code: "bad_response",
          status: result.response.status,
          message: `the 100ms API answered ${operation} without the JSON object it documents`,
        });
      }
      return redactPaths(result.data, sensitivePaths) as HmsResult<typeof operation>;
    },
  };
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
