/**
 * What each LiveKit tool acts on: the rooms its arguments name (room scope), who in the room (audit), and
 * what the person is asked before a destructive call. Data only; the manifest gate checks every tool has an
 * entry and every destructive one asks.
 */
import type { ToolTargets } from "../define.js";
import { LIVEKIT_EVENT_TOOLS } from "./events.js";

const ROOM: ToolTargets = { roomNames: ["room"] };
const PARTICIPANT: ToolTargets = { roomNames: ["room"], subjects: ["identity"] };

export const LIVEKIT_TARGETS: Readonly<Record<string, ToolTargets>> = {
  create_room: { roomNames: ["name"] },
  list_rooms: { roomNames: ["names"], listsRooms: { property: "rooms", name: "name" } },
  delete_room: {
    ...ROOM,
    confirm: { message: "Delete room '{room}' and disconnect everyone in it." },
  },
  list_participants: ROOM,
  get_participant: PARTICIPANT,
  remove_participant: {
    ...PARTICIPANT,
    confirm: {
      message:
        "Remove '{identity}' from room '{room}': they are disconnected now and their current tokens are revoked " +
        "(on LiveKit Cloud; a self-hosted server lets them rejoin until their token expires).",
    },
  },
  update_participant_metadata: PARTICIPANT,
  mute_track: { ...PARTICIPANT, subjects: ["identity", "track_sid"] },
  send_data: { roomNames: ["room"], subjects: ["destination_identities"] },
  update_room_metadata: ROOM,
  update_subscriptions: PARTICIPANT,
  perform_rpc: { roomNames: ["room"], subjects: ["destination_identity"] },
  forward_participant: { roomNames: ["room", "destination_room"], subjects: ["identity"] },
  move_participant: {
    roomNames: ["room", "destination_room"],
    subjects: ["identity"],
    confirm: { message: "Move '{identity}' from room '{room}' to room '{destination_room}'." },
  },
  create_join_token: { roomNames: ["room"], subjects: ["identity"] },
  create_agent_dispatch: { roomNames: ["room"], subjects: ["agent_name"] },
  list_agent_dispatches: ROOM,
  delete_agent_dispatch: {
    roomNames: ["room"],
    subjects: ["dispatch_id"],
    confirm: {
      message:
        "Remove the agent of dispatch '{dispatch_id}' from room '{room}': its jobs end and the agent leaves.",
    },
  },
  start_room_egress: { roomNames: ["room_name"] },
  start_participant_egress: { roomNames: ["room_name"], subjects: ["identity"] },
  start_track_egress: { roomNames: ["room_name"], subjects: ["track_id"] },
  list_egress: { roomNames: ["room_name"], listsRooms: { property: "items", name: "room_name" } },
  // An egress id names no room: under --rooms its room is read first (ListEgress by id).
  stop_egress: {
    belongsTo: { egress_id: "egress" },
    confirm: {
      message: "Stop egress '{egress_id}': the recording or stream ends now and cannot be resumed.",
    },
  },
  update_egress_layout: { belongsTo: { egress_id: "egress" }, subjects: ["layout"] },
  update_egress_stream: { belongsTo: { egress_id: "egress" } },
  create_ingress: { roomNames: ["room_name"], subjects: ["participant_identity"] },
  list_ingress: { roomNames: ["room_name"], listsRooms: { property: "items", name: "room_name" } },
  // Where the ingress is (read by id) and room_name, where it is moved to: both must be in scope.
  update_ingress: {
    belongsTo: { ingress_id: "ingress" },
    roomNames: ["room_name"],
    subjects: ["participant_identity"],
  },
  delete_ingress: {
    belongsTo: { ingress_id: "ingress" },
    confirm: {
      message:
        "Delete ingress '{ingress_id}': a stream it receives stops, and its URL and stream key stop working for good.",
    },
  },
  // Trunks and dispatch rules belong to no room: under --rooms they are not served.
  list_sip_inbound_trunks: {},
  list_sip_outbound_trunks: {},
  list_sip_dispatch_rules: {},
  create_sip_participant: {
    roomNames: ["room_name"],
    subjects: ["sip_call_to", "participant_identity", "sip_trunk_id"],
  },
  transfer_sip_participant: {
    roomNames: ["room_name"],
    subjects: ["participant_identity", "transfer_to"],
    confirm: {
      message:
        "Transfer the call '{participant_identity}' in room '{room_name}' to {transfer_to}: the caller leaves the room.",
    },
  },
  ...LIVEKIT_EVENT_TOOLS.targets,
};
