/** list_events and wait_for_event for 100ms (src/tools/events.ts), from 100ms's event description. */
import type { HmsClient } from "../../providers/hms/client.js";
import { HMS_EVENTS } from "../../providers/hms/events.js";
import { eventTools } from "../events.js";

export const HMS_EVENT_TOOLS = eventTools<HmsClient>({ provider: "hms", displayName: "100ms" }, HMS_EVENTS);
