/**
 * What each 100ms tool acts on: the rooms and sessions its arguments name (room scope), who in the room
 * (audit), and what the person is asked before a destructive call. Data only; the manifest gate checks
 * every tool has an entry and every destructive one asks.
 */
import type { ToolTargets } from "../define.js";
import { HMS_EVENT_TOOLS } from "./events.js";

const ROOM: ToolTargets = { roomIds: ["room_id"] };
const ROOM_OR_SESSION: ToolTargets = { roomIds: ["room_id"], belongsTo: { session_id: "session" } };

export const HMS_TARGETS: Readonly<Record<string, ToolTargets>> = {
  list_rooms: { roomNames: ["name"], listsRooms: { property: "data", name: "name", id: "id" } },
  get_room: ROOM,
  create_room: { roomNames: ["name"] },
  update_room: {
    ...ROOM,
    confirm: {
      message: "Disable room {room_id}: nobody new can join until it is enabled again.",
      when: { argument: "enabled", equals: false },
    },
  },
  create_join_token: { ...ROOM, subjects: ["user_id", "role"] },
  create_room_codes: { ...ROOM, subjects: ["role"] },
  list_room_codes: { ...ROOM, subjects: ["role"] },
  update_room_code: {
    ...ROOM,
    subjects: ["code"],
    confirm: {
      message:
        "Disable room code {code} of room {room_id}: nobody new can join with it until it is enabled again.",
      when: { argument: "enabled", equals: false },
    },
  },
  list_sessions: ROOM,
  get_session: { belongsTo: { session_id: "session" } },
  list_peers: { ...ROOM_OR_SESSION, subjects: ["role", "user_id"] },
  remove_peer: {
    ...ROOM_OR_SESSION,
    subjects: ["peer_id", "role"],
    confirm: {
      message:
        "Remove[ peer '{peer_id}'][ every peer with role '{role}'] from the live session of[ room {room_id}]" +
        "[ session {session_id}]; they are disconnected now.",
    },
  },
  end_room: {
    ...ROOM,
    confirm: { message: "End the live session of room {room_id} for everyone in it." },
  },
  send_message: { ...ROOM, subjects: ["peer_id", "role"] },
  list_recordings: { roomIds: ["room_id"], roomNames: ["room_name"], belongsTo: { session_id: "session" } },
  get_recording: { resultRoomId: "room_id" },
  get_recording_asset_url: {},
  get_active_room: ROOM,
  get_peer: { ...ROOM, subjects: ["peer_id"] },
  update_peer: { ...ROOM, subjects: ["peer_id", "role"] },
  start_recording: ROOM,
  stop_recording: {
    ...ROOM,
    subjects: ["recording_id"],
    confirm: {
      message:
        "Stop recording room {room_id}[ (recording {recording_id} only)]: capture ends now and cannot be resumed.",
    },
  },
  pause_recording: ROOM,
  resume_recording: ROOM,
  start_live_stream: ROOM,
  stop_live_stream: {
    ...ROOM,
    subjects: ["stream_id"],
    confirm: {
      message:
        "Stop the HLS live stream of room {room_id}[ (stream {stream_id} only)]: viewers lose it now and it cannot be restarted.",
    },
  },
  list_live_streams: { roomIds: ["room_id"], belongsTo: { session_id: "session" } },
  get_live_stream: { resultRoomId: "room_id" },
  start_external_stream: ROOM,
  stop_external_stream: {
    ...ROOM,
    subjects: ["stream_id"],
    confirm: {
      message:
        "Stop streaming room {room_id} to RTMP[ (stream {stream_id} only)]: the destinations lose it now and it cannot be restarted.",
    },
  },
  list_external_streams: { roomIds: ["room_id"], belongsTo: { session_id: "session" } },
  get_external_stream: { resultRoomId: "room_id" },
  list_analytics_events: { ...ROOM, belongsTo: { session_id: "session" }, subjects: ["peer_id", "user_id"] },
  ...HMS_EVENT_TOOLS.targets,
};
