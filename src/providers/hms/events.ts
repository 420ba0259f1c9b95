/** 100ms's events: its webhooks (proved by the secret header) and the waits its API answers by polling. */
import type { ProviderEvents } from "../provider.js";
import type { HmsClient, HmsConfig } from "./client.js";
import { hmsDescriptor } from "./descriptor.js";
import { HMS_EVENT_POLLS } from "./event-polls.js";
import { HMS_EVENT_TYPES } from "./webhook.js";

export const HMS_EVENTS: ProviderEvents<HmsConfig, HmsClient> = {
  types: HMS_EVENT_TYPES,
  ...hmsDescriptor.events,
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
