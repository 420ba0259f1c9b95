/**
 * LiveKit's toolsets: named groups an operator selects with --toolsets. Data only; the manifest gate
 * checks that every tool is in exactly one toolset and that every name here is a tool.
 */
import type { ToolsetDefinition } from "../define.js";

export const LIVEKIT_TOOLSETS: readonly ToolsetDefinition[] = [
  {
    name: "rooms",
    description: "create, list, delete rooms and set their metadata",
    tools: ["create_room", "list_rooms", "delete_room", "update_room_metadata"],
    byDefault: true,
  },
  {
    name: "participants",
    description: "see who is connected, their tracks, metadata and subscriptions",
    tools: ["list_participants", "get_participant", "update_participant_metadata", "update_subscriptions"],
    byDefault: true,
  },
  {
    name: "moderation",
    description: "mute tracks and remove participants",
    tools: ["mute_track", "remove_participant"],
    byDefault: true,
  },
  {
    name: "data",
    description: "send data packets and call methods on participants' apps",
    tools: ["send_data", "perform_rpc"],
    byDefault: true,
  },
  {
    name: "routing",
    description: "forward or move participants between rooms (LiveKit Cloud only)",
    tools: ["forward_participant", "move_participant"],
    byDefault: false,
  },
  {
    name: "tokens",
    description: "mint join tokens (and join links) that let a participant into a room",
    tools: ["create_join_token"],
    byDefault: true,
  },
  {
    name: "agents",
    description: "send agents into rooms, list and remove them",
    tools: ["create_agent_dispatch", "list_agent_dispatches", "delete_agent_dispatch"],
    byDefault: false,
  },
  {
    name: "recording",
    description: "record and live-stream rooms, participants and tracks (egress)",
    tools: [
      "start_room_egress",
      "start_participant_egress",
      "start_track_egress",
      "list_egress",
      "stop_egress",
      "update_egress_layout",
      "update_egress_stream",
    ],
    byDefault: false,
  },
  {
    name: "ingress",
    description: "bring RTMP, WHIP or URL streams into rooms",
    tools: ["create_ingress", "list_ingress", "update_ingress", "delete_ingress"],
    byDefault: false,
  },
  {
    name: "sip",
    description: "phone calls into rooms and transfers out, and the trunks and rules behind them",
    tools: [
      "list_sip_inbound_trunks",
      "list_sip_outbound_trunks",
      "list_sip_dispatch_rules",
      "create_sip_participant",
      "transfer_sip_participant",
    ],
    byDefault: false,
  },
  {
    name: "events",
    description: "what happened in rooms (webhooks), and waiting for something to happen",
    tools: ["list_events", "wait_for_event"],
    byDefault: false,
  },
];
