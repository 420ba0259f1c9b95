/**
 * The LiveKit provider client: one Twirp transport, and a least-grant token for every call (signed once per
 * grant and reused while most of its life is left, token.ts).
 */
import type { DescMessage, DescMethodUnary, MessageShape } from "@bufbuild/protobuf";
import type { Transport } from "@connectrpc/connect";
import { adviseOnDevDefaults } from "./dev-defaults.js";
import { createJoinTokenIssuer, type JoinTokenIssuer } from "./join-token.js";
import { DEFAULT_MAX_JOIN_TTL_SECONDS, type JoinTokenSettings } from "./join-token-settings.js";
import { type ApiGrant, createServerTokenCache } from "./token.js";
import { createTwirpTransport } from "./twirp-transport.js";
import { toHttpBaseUrl } from "./url.js";

/** Connection settings, from LIVEKIT_URL / LIVEKIT_API_KEY / LIVEKIT_API_SECRET (see config.ts). */
export interface LiveKitConfig {
  /** ws://, wss://, http:// or https:// URL of the LiveKit server or Cloud project. */
  readonly url: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Speak binary protobuf (`application/protobuf`) instead of JSON on the wire. */
  readonly binary?: boolean;
  /** One deadline for headers and body, when a call sets none (LIVEKIT_TIMEOUT_MS). */
  readonly timeoutMs?: number;
  /** The most bytes read of one answer (LIVEKIT_MAX_RESPONSE_BYTES). */
  readonly maxResponseBytes?: number;
  /** Join-token lifetime bound and link template (LIVEKIT_JOIN_TOKEN_MAX_TTL, LIVEKIT_JOIN_URL_TEMPLATE). */
  readonly joinTokens?: JoinTokenSettings;
  /** For tests: the clock join tokens are dated by (milliseconds since the epoch). */
  readonly joinTokenClock?: () => number;
}

export interface CallOptions {
  readonly signal: AbortSignal;
  /** Overrides the default timeout for this call (e.g. PerformRpc waits for a participant to answer). */
  readonly timeoutMs?: number | undefined;
}

export interface LiveKitClient {
  /** Calls one RPC of any LiveKit service with a token carrying exactly `grant`. */
  call<I extends DescMessage, O extends DescMessage>(
    method: DescMethodUnary<I, O>,
    request: MessageShape<I>,
    grant: ApiGrant,
    options: CallOptions,
  ): Promise<MessageShape<O>>;
  /** Mints participant join tokens with this server's key pair; no network call. */
  readonly joinTokens: JoinTokenIssuer;
}

export function createLiveKitClient(config: LiveKitConfig): LiveKitClient {
  const transport: Transport = createTwirpTransport({
    baseUrl: toHttpBaseUrl(config.url),
    ...(config.binary !== undefined ? { binary: config.binary } : {}),
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    ...(config.maxResponseBytes !== undefined ? { maxResponseBytes: config.maxResponseBytes } : {}),
  });
  const credentials = { apiKey: config.apiKey, apiSecret: config.apiSecret };
  // This client's key pair only: tokens are reused per grant while most of their life is left.
  const tokens = createServerTokenCache(credentials);
  const advise = adviseOnDevDefaults(config);
  const joinTokens = createJoinTokenIssuer({
    url: config.url,
    ...credentials,
    settings: config.joinTokens ?? { maxTtlSeconds: DEFAULT_MAX_JOIN_TTL_SECONDS },
    ...(config.joinTokenClock === undefined ? {} : { now: config.joinTokenClock }),
  });
  return {
    joinTokens,
    async call(method, request, grant, options) {
      const token = await tokens.tokenFor(grant);
      const response = await transport
        .unary(method, options.signal, options.timeoutMs, { Authorization: `Bearer ${token}` }, request)
        .catch(advise);
      return response.message;
    },
  };
}
