/**
 * The LiveKit provider client: one Twirp transport, and a fresh least-grant token for every call.
 */
import type { DescMessage, DescMethodUnary, MessageShape } from "@bufbuild/protobuf";
import type { Transport } from "@connectrpc/connect";
import { type ApiGrant, mintServerToken } from "./token.js";
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
  /** Default per-call timeout. */
  readonly timeoutMs?: number;
  /** For tests: the fetch implementation the transport uses. */
  readonly fetch?: typeof globalThis.fetch;
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
}

export function createLiveKitClient(config: LiveKitConfig): LiveKitClient {
  const transport: Transport = createTwirpTransport({
    baseUrl: toHttpBaseUrl(config.url),
    ...(config.binary !== undefined ? { binary: config.binary } : {}),
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    ...(config.fetch !== undefined ? { fetch: config.fetch } : {}),
  });
  const credentials = { apiKey: config.apiKey, apiSecret: config.apiSecret };
  return {
    async call(method, request, grant, options) {
      const token = await mintServerToken(credentials, grant);
      const response = await transport.unary(
        method,
        options.signal,
        options.timeoutMs,
        { Authorization: `Bearer ${token}` },
        request,
      );
      return response.message;
    },
  };
}
