/** LiveKit's events: its webhooks (verified with the API key pair) and the waits its API answers by polling. */
import type { ProviderEvents } from "../provider.js";
import type { LiveKitClient, LiveKitConfig } from "./client.js";
import { livekitDescriptor } from "./descriptor.js";
import { LIVEKIT_EVENT_POLLS } from "./event-polls.js";
import { LIVEKIT_EVENT_TYPES } from "./webhook.js";

export const LIVEKIT_EVENTS: ProviderEvents<LiveKitConfig, LiveKitClient> = {
  types: LIVEKIT_EVENT_TYPES,
  ...livekitDescriptor.events,
  filters: [
    { name: "room", selects: { field: "room" }, description: "Room name.", names: "roomNames" },
    { name: "identity", selects: { field: "identity" }, description: "Participant identity." },
    { name: "egress_id", selects: { fact: "egress_id" }, description: "Egress (recording or stream) id." },
  ],
  polls: LIVEKIT_EVENT_POLLS,
};
