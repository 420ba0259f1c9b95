/**
 * 100ms's toolsets: named groups an operator selects with --toolsets. Data only; the manifest gate checks
 * that every tool is in exactly one toolset and that every name here is a tool.
 */
import type { ToolsetDefinition } from "../define.js";

export const HMS_TOOLSETS: readonly ToolsetDefinition[] = [
  {
    name: "rooms",
    description: "list, get, create, update, enable and disable rooms",
    tools: ["list_rooms", "get_room", "create_room", "update_room"],
    byDefault: true,
  },
  {
    name: "access",
    description: "let people into rooms: join tokens, room codes and join links",
    tools: ["create_join_token", "create_room_codes", "list_room_codes", "update_room_code"],
    // Off by default for now: on, the default tools/list of both providers is 53962 bytes, over the 48 KiB budget.
    byDefault: false,
  },
  {
    name: "sessions",
    description: "sessions held in rooms and the peers in them",
    tools: ["list_sessions", "get_session", "list_peers"],
    byDefault: true,
  },
  {
    name: "moderation",
    description: "remove peers and end live sessions",
    tools: ["remove_peer", "end_room"],
    byDefault: true,
  },
  {
    name: "peers",
    description: "a room's live session, one peer and its tracks; change a peer's name, role or metadata",
    tools: ["get_active_room", "get_peer", "update_peer"],
    // Off by default, as every toolset added since: the default tools/list is within 1 KiB of its 48 KiB budget.
    byDefault: false,
  },
  { name: "data", description: "send messages to peers", tools: ["send_message"], byDefault: true },
  {
    name: "recordings",
    description: "recording jobs, their files and download links",
    tools: ["list_recordings", "get_recording", "get_recording_asset_url"],
    byDefault: true,
  },
  {
    name: "recording",
    description: "start, stop, pause and resume recordings (reading them is in recordings)",
    tools: ["start_recording", "stop_recording", "pause_recording", "resume_recording"],
    byDefault: false,
  },
  {
    name: "streaming",
    description: "HLS live streams for viewers and RTMP streams out to other platforms",
    tools: [
      "start_live_stream",
      "stop_live_stream",
      "list_live_streams",
      "get_live_stream",
      "start_external_stream",
      "stop_external_stream",
      "list_external_streams",
      "get_external_stream",
    ],
    byDefault: false,
  },
  {
    name: "analytics",
    description: "a room's events (client errors, tracks, recordings) for troubleshooting",
    tools: ["list_analytics_events"],
    byDefault: false,
  },
  {
    name: "events",
    description: "what happened in rooms (webhooks), and waiting for something to happen",
    tools: ["list_events", "wait_for_event"],
    byDefault: false,
  },
];
