/** 100ms's events: its webhooks (proved by the secret header) and the waits its API answers by polling. */
import type { ProviderEvents } from "../provider.js";
import type { HmsClient, HmsConfig } from "./client.js";
import { HMS_EVENT_POLLS } from "./event-polls.js";
import {
  HMS_EVENT_TYPES,
  HMS_WEBHOOK_DEFAULT_HEADER,
  HMS_WEBHOOK_ENVIRONMENT,
  hmsWebhookSettingsFromEnv,
  hmsWebhookVerifier,
} from "./webhook.js";

export const HMS_EVENTS: ProviderEvents<HmsConfig, HmsClient> = {
  types: HMS_EVENT_TYPES,
  environment: HMS_WEBHOOK_ENVIRONMENT,
  webhook(env) {
    const settings = hmsWebhookSettingsFromEnv(env);
    return settings.kind === "configured"
      ? { kind: "configured", config: hmsWebhookVerifier(settings.config) }
      : settings;
  },
  setup:
    "On the 100ms dashboard (Developer → Webhooks) set the URL <server>/webhooks/100ms and a secret header " +
    `(HMS_WEBHOOK_SECRET_HEADER, default ${HMS_WEBHOOK_DEFAULT_HEADER}) whose value is HMS_WEBHOOK_SECRET, and serve it ` +
    "with --http or --webhook-port.",
  filters: [
    { name: "room_id", selects: { field: "room" }, description: "Room id (or room name).", names: "roomIds" },
    {
      name: "user_id",
      selects: { field: "identity" },
      description: "The peer's user_id (from its join token).",
    },
    { name: "peer_id", selects: { field: "participant_id" }, description: "Peer id." },
    { name: "session_id", selects: { field: "session_id" }, description: "Session id." },
  ],
  polls: HMS_EVENT_POLLS,
};
