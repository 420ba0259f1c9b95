/**
 * 100ms as a start-up sees it (provider.ts, ProviderDescriptor): its settings, its generated tool listing
 * and its webhook settings. The provider module (index.ts: the generated client, the manifest) loads on the
 * first call.
 */
import { lazyVerifier } from "../../events/webhook.js";
import { toolListing } from "../../generated/hms/tool_listing.js";
import { HMS_TOOLSETS } from "../../tools/hms/toolsets.js";
import type { ProviderDescriptor } from "../provider.js";
import type { HmsConfig } from "./client.js";
import { HMS_ENVIRONMENT, hmsConfigFromEnv } from "./config.js";
import {
  HMS_WEBHOOK_DEFAULT_HEADER,
  HMS_WEBHOOK_ENVIRONMENT,
  hmsWebhookSettingsFromEnv,
} from "./webhook-settings.js";

export const hmsDescriptor: ProviderDescriptor<HmsConfig> = {
  id: "hms",
  displayName: "100ms",
  command: "100ms",
  toolPrefix: "hms_",
  environment: HMS_ENVIRONMENT,
  credentials: "HMS_MANAGEMENT_TOKEN, or HMS_ACCESS_KEY and HMS_SECRET",
  configFromEnv: (env) => hmsConfigFromEnv(env),
  secretsOf: ({ auth }) => [auth.kind === "token" ? auth.token : auth.secret],
  toolsets: HMS_TOOLSETS,
  events: {
    environment: HMS_WEBHOOK_ENVIRONMENT,
    webhook(env) {
      const settings = hmsWebhookSettingsFromEnv(env);
      if (settings.kind !== "configured") {
        return settings;
      }
      const verifier = async () => (await import("./webhook.js")).hmsWebhookVerifier(settings.config);
      return { kind: "configured", config: lazyVerifier(verifier) };
    },
    setup:
      "On the 100ms dashboard (Developer → Webhooks) set the URL <server>/webhooks/100ms and a secret header " +
      `(HMS_WEBHOOK_SECRET_HEADER, default ${HMS_WEBHOOK_DEFAULT_HEADER}) whose value is HMS_WEBHOOK_SECRET, and serve it ` +
      "with --http or --webhook-port.",
  },
  listing: toolListing,
  load: async () => (await import("./index.js")).hmsProvider,
};
