/**
 * LiveKit as a start-up sees it (provider.ts, ProviderDescriptor): its settings, its generated tool listing
 * and its webhook settings. Nothing here loads protobuf code; the provider module (index.ts) does, on the
 * first call.
 */
import { lazyVerifier } from "../../events/webhook.js";
import { toolListing } from "../../generated/livekit/tool_listing.js";
import { LIVEKIT_TOOLSETS } from "../../tools/livekit/toolsets.js";
import type { ProviderDescriptor } from "../provider.js";
import type { LiveKitConfig } from "./client.js";
import { LIVEKIT_ENVIRONMENT, liveKitConfigFromEnv } from "./config.js";

export const livekitDescriptor: ProviderDescriptor<LiveKitConfig> = {
  id: "livekit",
  displayName: "LiveKit",
  command: "livekit",
  toolPrefix: "livekit_",
  environment: LIVEKIT_ENVIRONMENT,
  credentials: "LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET",
  configFromEnv: liveKitConfigFromEnv,
  secretsOf: (config) => [config.apiSecret],
  toolsets: LIVEKIT_TOOLSETS,
  events: {
    environment: [],
    // Signed with the API key pair the server already has: nothing more to configure here.
    webhook: (_env, config) => ({
      kind: "configured",
      config: lazyVerifier(async () => (await import("./webhook.js")).livekitWebhookVerifier(config)),
    }),
    setup:
      "Point LiveKit at <server>/webhooks/livekit (livekit.yaml `webhook: {api_key: <LIVEKIT_API_KEY>, urls: [...]}`, " +
      "or the Cloud dashboard's Webhooks settings) and serve it with --http or --webhook-port.",
  },
  listing: toolListing,
  load: async () => (await import("./index.js")).livekitProvider,
};
