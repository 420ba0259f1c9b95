/**
 * The RoomService part of the LiveKit manifest: one entry per RPC, as data. Where a tool's contract differs
 * from the RPC's, the entry names a mapping from mappings.ts.
 */
import { RoomService } from "../../generated/livekit/livekit_room_pb.js";
import { ANNOTATIONS } from "../define.js";
import type { ServiceManifest } from "./index.js";
import { listTool } from "./list-tool.js";
import { PARTICIPANTS, ROOMS } from "./listings.js";
import { REMOVAL_NOTE, requireMutedTrack, revokingRemoval, sendDataRequest } from "./mappings.js";
import { rpcTool } from "./rpc-tool.js";

const { method } = RoomService;

const { read: READ, writeIdempotent: WRITE_IDEMPOTENT, write: WRITE, destructive: DESTRUCTIVE } = ANNOTATIONS;

const ROOM_NOT_FOUND = "No open room has that name: list_rooms shows the rooms that exist now.";
/** LiveKit answers a list in one piece; a very large room's JSON answer can pass the read limit. */
const TOO_LARGE =
  "LiveKit's answer is larger than this server reads (LIVEKIT_MAX_RESPONSE_BYTES): raise that limit, or set " +
  "LIVEKIT_WIRE_FORMAT=protobuf, whose answers are about a ninth of the size.";
const PARTICIPANT_NOT_FOUND =
  "No participant with that identity is connected to the room: list_participants shows who is there (identity, not sid).";

export const roomService: ServiceManifest = {
  service: RoomService,
  tools: [
    rpcTool({
      name: "create_room",
      title: "Create or update a room",
      description:
        "Create a LiveKit room ahead of time with its limits and metadata, and return it. " +
        "If a room with this name is already open it is NOT rejected: it is updated (timeouts and max_participants " +
        "only when > 0, metadata only when non-empty) and returned with its existing sid. Creating rooms is optional: " +
        "LiveKit also creates a room when the first participant joins.",
      annotations: WRITE_IDEMPOTENT,
      rpc: method.createRoom,
      grant: "roomCreate",
      // No client-side length limit: the server's is configurable (max_room_name_length, 256 bytes by default).
      input: { omit: ["node_id"], required: ["name"] },
    }),
    listTool({
      name: "list_rooms",
      title: "List open rooms",
      description:
        "List the open rooms by name, 50 a page (next_cursor continues): participant and publisher counts, limits, " +
        'creation time, metadata cut to 100 characters (detail: "full" for whole rooms). total, matching and counts ' +
        "cover every open room.",
      annotations: READ,
      rpc: method.listRooms,
      grant: "roomList",
      listing: ROOMS,
      errorHints: { too_large: TOO_LARGE },
    }),
    rpcTool({
      name: "delete_room",
      title: "Delete a room",
      description:
        "Close a room by name: every participant is disconnected at once (reason ROOM_DELETED) and its state is removed. " +
        "Anyone still holding a valid join token can re-create the room by joining again.",
      annotations: DESTRUCTIVE,
      rpc: method.deleteRoom,
      grant: "roomCreate",
      input: { required: ["room"] },
      errorHints: { not_found: ROOM_NOT_FOUND },
    }),
    listTool({
      name: "list_participants",
      title: "List participants in a room",
      description:
        "List who is in a room by identity, 50 a page (next_cursor continues), agents, egress, SIP and hidden " +
        "participants included (see kind): state, metadata cut to 100 characters, and tracks with the sids " +
        'mute_track needs (detail: "full" or get_participant for everything). total, matching and counts (by kind, ' +
        "publishers) cover the whole room.",
      annotations: READ,
      rpc: method.listParticipants,
      grant: "roomAdmin",
      input: { required: ["room"] },
      listing: PARTICIPANTS,
      // Only servers that ask the live room (api.enable_psrpc_for_get_list_participants) answer not_found.
      errorHints: { not_found: ROOM_NOT_FOUND, too_large: TOO_LARGE },
    }),
    rpcTool({
      name: "get_participant",
      title: "Get one participant",
      description:
        "Get one connected participant by identity: state, tracks (with track sids), metadata, attributes, permissions.",
      annotations: READ,
      rpc: method.getParticipant,
      grant: "roomAdmin",
      input: { omit: ["revoke_token_ts"], required: ["room", "identity"] },
      errorHints: { not_found: PARTICIPANT_NOT_FOUND },
    }),
    rpcTool({
      name: "remove_participant",
      title: "Remove a participant",
      description:
        "Disconnect a participant from a room now (they see reason PARTICIPANT_REMOVED) and revoke the tokens they " +
        "hold (revoke_token_ts = now). LiveKit Cloud rejects those tokens from then on; self-hosted servers ignore " +
        "the revocation, so there the participant can rejoin until their token expires: stop issuing them tokens too.",
      annotations: DESTRUCTIVE,
      rpc: method.removeParticipant,
      grant: "roomAdmin",
      input: { omit: ["revoke_token_ts"], required: ["room", "identity"] },
      toRequest: revokingRemoval,
      note: REMOVAL_NOTE,
      errorHints: { not_found: PARTICIPANT_NOT_FOUND },
    }),
    rpcTool({
      name: "update_participant_metadata",
      title: "Update a participant's metadata",
      description:
        "Set a participant's metadata, and optionally their display name and attributes; everyone in the room is told. " +
        "An empty metadata or name means 'leave unchanged' (this API cannot clear them); attributes are merged, and an " +
        'attribute set to "" is deleted. Never changes the participant\'s permissions.',
      annotations: WRITE_IDEMPOTENT,
      rpc: method.updateParticipant,
      grant: "roomAdmin",
      // permission is left out on purpose: UpdateParticipant replaces the whole permission set when it is sent.
      input: { omit: ["permission"], required: ["room", "identity", "metadata"] },
      errorHints: {
        not_found: PARTICIPANT_NOT_FOUND,
        invalid_argument:
          "A size limit was exceeded (server defaults: metadata 512 KiB, name 256 bytes, attributes 64 KiB).",
      },
    }),
    rpcTool({
      name: "mute_track",
      title: "Mute or unmute a published track",
      description:
        "Mute (muted: true) or unmute (muted: false) one track a participant publishes, by its track sid (TR_…) from " +
        "get_participant or list_participants. Muting always works: the publisher stops sending and others see it muted. " +
        "Unmuting is refused unless the server allows remote unmute. Returns the track as it now is.",
      annotations: WRITE_IDEMPOTENT,
      rpc: method.mutePublishedTrack,
      grant: "roomAdmin",
      input: { required: ["room", "identity", "track_sid", "muted"] },
      checkResponse: requireMutedTrack,
      errorHints: {
        not_found: PARTICIPANT_NOT_FOUND,
        failed_precondition:
          "This server does not allow remote unmute. Self-hosted: set room.enable_remote_unmute: true in the server " +
          "config; LiveKit Cloud: enable 'Admins can remotely unmute tracks' in the project settings. Or ask the " +
          "participant to unmute themselves.",
      },
    }),
    rpcTool({
      name: "send_data",
      title: "Send a data message to participants",
      description:
        "Send one data packet from the server to everyone in a room, or only to destination_identities. data is UTF-8 " +
        'text by default (set encoding: "base64" for binary). kind reliable (default) is ordered and retransmitted; ' +
        "lossy is faster but may drop (keep it under 1300 bytes). At most 15 KiB. Only participants connected now " +
        "receive it: nothing is stored for late joiners.",
      annotations: WRITE,
      rpc: method.sendData,
      grant: "roomAdmin",
      input: {
        omit: ["data", "kind", "nonce"],
        required: ["room", "data"],
        override: {
          data: {
            type: "string",
            description: 'The payload: UTF-8 text, or base64 when encoding is "base64".',
          },
          encoding: {
            type: "string",
            enum: ["utf8", "base64"],
            default: "utf8",
            description: "How data is written: utf8 text (default) or base64 for binary payloads.",
          },
          kind: {
            type: "string",
            enum: ["reliable", "lossy"],
            default: "reliable",
            description:
              "reliable: ordered and retransmitted (default). lossy: unordered, may drop, lower latency.",
          },
        },
      },
      toRequest: sendDataRequest,
      errorHints: { not_found: ROOM_NOT_FOUND },
    }),
    rpcTool({
      name: "update_room_metadata",
      title: "Update a room's metadata",
      description:
        "Replace a room's metadata (often a JSON string) and tell every participant. On self-hosted servers an empty " +
        "string clears it. Returns the room after the update.",
      annotations: WRITE_IDEMPOTENT,
      rpc: method.updateRoomMetadata,
      grant: "roomAdmin",
      input: { required: ["room", "metadata"] },
      errorHints: {
        not_found: ROOM_NOT_FOUND,
        invalid_argument:
          "The metadata is over the server's size limit (512 KiB by default; 64 KiB on LiveKit Cloud).",
      },
    }),
    rpcTool({
      name: "update_subscriptions",
      title: "Subscribe or unsubscribe a participant to tracks",
      description:
        "Make a participant subscribe (subscribe: true) or unsubscribe (false) to tracks, by track sid or per publisher " +
        "in participant_tracks. Works even if the participant lacks the subscribe permission.",
      annotations: WRITE_IDEMPOTENT,
      rpc: method.updateSubscriptions,
      grant: "roomAdmin",
      input: { required: ["room", "identity", "subscribe"] },
      errorHints: { not_found: PARTICIPANT_NOT_FOUND },
    }),
    rpcTool({
      name: "perform_rpc",
      title: "Call a method on a participant's app",
      description:
        "Call an RPC method that destination_identity's client app registered, with a string payload (≤ 15 KiB), and " +
        "return its reply. Waits up to response_timeout_ms (default 10000, at most 55000). Fails if the participant is " +
        "gone, has no such method, or does not answer in time.",
      annotations: WRITE,
      rpc: method.performRpc,
      grant: "roomAdmin",
      input: {
        required: ["room", "destination_identity", "method"],
        override: {
          // uint32 allows 49 days (beyond Node's timers); with LiveKit's ~2 s acknowledgement and our 5 s
          // margin, 55 s keeps the whole call within the minute MCP clients wait by default.
          response_timeout_ms: { maximum: 55_000 },
        },
      },
      // The server waits response_timeout_ms for the participant, plus ~2 s for its acknowledgement.
      timeoutMs: (request) => (request.responseTimeoutMs || 10_000) + 5_000,
      errorHints: {
        not_found: PARTICIPANT_NOT_FOUND,
        canceled: "The participant did not acknowledge or answer in time; try a longer response_timeout_ms.",
        invalid_argument: "The participant's app may not register this method name.",
        timeout:
          "No answer came within response_timeout_ms plus 5 s; whether the participant's app ran the method is " +
          "unknown, so check before calling it again.",
      },
    }),
    rpcTool({
      name: "forward_participant",
      title: "Forward a participant into another room (LiveKit Cloud only)",
      description:
        "LiveKit Cloud only. Make a participant's tracks also appear in destination_room, as a forwarded participant, " +
        "while they stay in their room. Self-hosted servers answer that this is not implemented.",
      annotations: WRITE,
      rpc: method.forwardParticipant,
      grant: "roomAdmin",
      input: { required: ["room", "identity", "destination_room"] },
      errorHints: { not_found: PARTICIPANT_NOT_FOUND },
    }),
    rpcTool({
      name: "move_participant",
      title: "Move a participant to another room (LiveKit Cloud only)",
      description:
        "LiveKit Cloud only. Move a participant from room to destination_room without reconnecting: others see them " +
        "leave one room and join the other. Self-hosted servers answer that this is not implemented.",
      annotations: DESTRUCTIVE,
      rpc: method.moveParticipant,
      grant: "roomAdmin",
      input: { required: ["room", "identity", "destination_room"] },
      errorHints: { not_found: PARTICIPANT_NOT_FOUND },
    }),
  ],
  // RoomService RPCs with no tool, each with its reason. Every RPC has a tool today.
  excluded: [],
};
