/** list_events and wait_for_event for LiveKit (src/tools/events.ts), from LiveKit's event description. */
import type { LiveKitClient } from "../../providers/livekit/client.js";
import { LIVEKIT_EVENTS } from "../../providers/livekit/events.js";
import { eventTools } from "../events.js";

export const LIVEKIT_EVENT_TOOLS = eventTools<LiveKitClient>(
  { provider: "livekit", displayName: "LiveKit" },
  LIVEKIT_EVENTS,
);
