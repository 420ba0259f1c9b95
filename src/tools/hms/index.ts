/**
 * The 100ms tool manifest: one entry per generated REST operation (src/generated/hms/operations.ts), as
 * data. Relations between arguments are declared; tools that take more than one call name their workflow
 * (src/providers/hms/workflows.ts).
 */
import { type HmsOperationId, hmsOperationIds, hmsOperations } from "../../generated/hms/operations.js";
import type { HmsClient } from "../../providers/hms/client.js";
import { createRoomCodes, listRoomCodes, updateRoomCode } from "../../providers/hms/room-codes.js";
import { removePeer } from "../../providers/hms/workflows.js";
import { ANNOTATIONS, type JsonSchema, type Manifest, type Tool } from "../define.js";
import { atLeastOne, atMostOne, exactlyOne } from "../relations.js";
import { createHmsJoinToken, HMS_JOIN_TOKEN_OPERATION } from "./join-token.js";
import {
  fetchPeers,
  fetchRecordings,
  fetchRooms,
  fetchSessions,
  PEER_COUNTS,
  PEER_VIEW,
  RECORDING_VIEW,
  ROOM_VIEW,
  SESSION_VIEW,
} from "./listings.js";
import { operationTool } from "./operation-tool.js";
import { apiPagedTool, wholeListTool } from "./paged-tool.js";

const { read: READ, writeIdempotent: WRITE_IDEMPOTENT, write: WRITE, destructive: DESTRUCTIVE } = ANNOTATIONS;

const ROOM_NOT_FOUND = "No room has this id: list_rooms shows the rooms of the workspace.";
const NOT_LIVE =
  "The room may not exist, or nobody is in it now (no live session): list_sessions with active: true shows live sessions.";
const PAGE = "10 a page (next_cursor continues; 100ms gives no totals)";
/** A page too large to read: the page arguments, not `start`/`last` (which the tools no longer take). */
const PAGE_TOO_LARGE =
  "100ms's page is larger than this server reads (HMS_MAX_RESPONSE_BYTES): narrow the filters or pass a smaller " +
  "limit (a page of 10 is the least 100ms sends), or raise that limit.";
const PEERS_TOO_LARGE =
  "100ms's answer is larger than this server reads (HMS_MAX_RESPONSE_BYTES): narrow it with role or user_id, " +
  "or raise that limit.";
const EITHER_ROOM_OR_SESSION = "Give exactly one of room_id or session_id.";
const ROOM_OR_SESSION = exactlyOne(["room_id", "session_id"], "a session id already names its room");

/** Schema pieces the tools reuse, read from the generated operations (a spec change shows up here). */
const schemaAt = (schema: JsonSchema, ...path: string[]): JsonSchema =>
  path.reduce((node, key) => {
    const next = node[key];
    if (typeof next !== "object" || next === null) {
      throw new Error(`hms manifest: no schema at ${path.join(".")}`);
    }
    return next as JsonSchema;
  }, schema);
const sessionIdArgument = schemaAt(hmsOperations.getSession.inputSchema, "properties", "session_id");
const roomIdArgument = schemaAt(hmsOperations.getRoom.inputSchema, "properties", "room_id");
const roleArgument = schemaAt(hmsOperations.createRoomCodeForRole.inputSchema, "properties", "role");

/** A room code as the code tools return it: with its join link when the operator set a template. */
const ROOM_CODE: JsonSchema = (() => {
  const code = schemaAt(hmsOperations.createRoomCodes.outputSchema, "properties", "data", "items");
  return {
    ...code,
    properties: {
      ...(code.properties as object),
      join_url: {
        type: "string",
        description:
          "Link that joins the room with this code (HMS_JOIN_URL_TEMPLATE); absent without a template.",
      },
    },
  };
})();
const ROOM_CODE_JOIN_URL = (ROOM_CODE.properties as Record<string, JsonSchema>).join_url as JsonSchema;
const ROOM_CODES: Readonly<Record<string, JsonSchema>> = { data: { type: "array", items: ROOM_CODE } };
const CODE_SHARING =
  "Anyone holding an enabled code (or its join_url) can join with its role; codes never expire, so disable one " +
  "with update_room_code when it must stop working.";

/** The tool-level facts list_peers and remove_peer add to their results. */
const TARGET_PROPERTIES: Readonly<Record<string, JsonSchema>> = {
  room_id: {
    type: "string",
    description: "The room acted on (resolved from session_id when one was given).",
  },
  session_id: { type: "string", description: "The session given, when one was." },
};

const tools: readonly Tool<HmsClient>[] = [
  apiPagedTool({
    name: "list_rooms",
    title: "List rooms",
    description:
      `List the workspace's rooms, newest first, ${PAGE}; descriptions cut to 100 characters (detail: "full" ` +
      "for whole rooms, secrets redacted).",
    annotations: READ,
    operation: "listRooms",
    noun: "rooms",
    view: ROOM_VIEW,
    fetch: fetchRooms,
    errorHints: { too_large: PAGE_TOO_LARGE },
  }),
  operationTool({
    name: "get_room",
    title: "Get a room",
    description:
      "Get one room's configuration by room_id: name, enabled, template, region, size limits, recording settings, " +
      "webhook. Whether anyone is in it now is not part of a room: use list_peers, or list_sessions with " +
      "active: true. Storage credentials and webhook headers are redacted.",
    annotations: READ,
    operation: "getRoom",
    errorHints: { "404": ROOM_NOT_FOUND },
  }),
  operationTool({
    name: "create_room",
    title: "Create or reconfigure a room by name",
    description:
      "Create a room and return it with its id. If a room with this name already exists, 100ms does NOT reject the " +
      "call: it returns that room (same id) reconfigured with the fields sent here, e.g. switched to another " +
      "template_id. Check with list_rooms (name) first if an existing room must stay as it is. name is required " +
      "here so that repeating a call never creates a second room. Without recording_info the room follows its " +
      "template's recording settings. Storage credentials in the result are redacted.",
    annotations: WRITE_IDEMPOTENT,
    operation: "createRoom",
    input: { required: ["name"] },
  }),
  operationTool({
    name: "update_room",
    title: "Update, disable or enable a room",
    description:
      "Change a room's settings by room_id; only the fields sent change, at least one is needed. enabled: false " +
      "disables the room: a live session keeps running, but nobody new can join until enabled: true (also how to " +
      "reopen a room end_room locked). Marked destructive because disabling locks everyone out. Returns the room " +
      "after the change, storage credentials redacted.",
    annotations: DESTRUCTIVE,
    operation: "updateRoom",
    relations: [atLeastOne(hmsOperations.updateRoom.bodyParams, "the fields to change")],
    errorHints: { "404": ROOM_NOT_FOUND },
  }),
  // Right after the room tools: making a room and letting someone in go together.
  createHmsJoinToken,
  operationTool({
    name: "create_room_codes",
    title: "Create room codes (join links) for a room",
    description:
      "Create room codes for a room: one for the role given, or, without role, one for every role of its " +
      "template (codes of roles the template no longer has are disabled). A room code lets people join through " +
      "100ms's prebuilt app; each code comes with join_url when the operator set HMS_JOIN_URL_TEMPLATE. " +
      `${CODE_SHARING} Not idempotent: each call creates new codes (at most 100 a room). A disabled room is ` +
      "refused (403).",
    annotations: WRITE,
    operation: "createRoomCodes",
    input: {
      override: {
        role: {
          ...roleArgument,
          description: "Create a code for this role only (a role of the room's template, e.g. guest).",
        },
      },
    },
    outputProperties: ROOM_CODES,
    run: createRoomCodes,
    errorHints: { "404": `${ROOM_NOT_FOUND} With role: the room's template may have no such role.` },
  }),
  operationTool({
    name: "list_room_codes",
    title: "List a room's room codes",
    description:
      "List every room code of a room (at most 100), with its role, whether it is enabled, and join_url when the " +
      `operator set HMS_JOIN_URL_TEMPLATE; role and enabled filter. ${CODE_SHARING}`,
    annotations: READ,
    operation: "listRoomCodes",
    input: { omit: ["limit", "start"] },
    outputProperties: ROOM_CODES,
    run: listRoomCodes,
    errorHints: { "404": ROOM_NOT_FOUND },
  }),
  operationTool({
    name: "update_room_code",
    title: "Enable or disable a room code",
    description:
      "Enable or disable one room code of a room (room_id and code, from list_room_codes). enabled: false stops " +
      "the code (and its join link) admitting anyone new; peers already in stay. The code is checked to belong to " +
      "room_id first. Marked destructive because disabling locks people out. Returns the code after the change.",
    annotations: DESTRUCTIVE,
    operation: "updateRoomCode",
    input: {
      required: ["room_id", "code", "enabled"],
      override: {
        room_id: { ...roomIdArgument, description: "Id of the room the code belongs to (checked)." },
      },
    },
    outputProperties: { join_url: ROOM_CODE_JOIN_URL },
    run: updateRoomCode,
    errorHints: {
      "404": "No room code has this value: list_room_codes shows a room's codes.",
      "403": "The code cannot be enabled: its room is disabled, or its role or room no longer exists.",
    },
  }),
  apiPagedTool({
    name: "list_sessions",
    title: "List sessions",
    description:
      `List sessions (the meetings held in rooms), newest first, ${PAGE}, each with its peer_count (detail: ` +
      '"full" adds every peer that joined; list_peers with session_id pages through them). Send active ' +
      "explicitly: 100ms documents a default of true, yet lists finished sessions without it.",
    annotations: READ,
    operation: "listSessions",
    noun: "sessions",
    view: SESSION_VIEW,
    fetch: fetchSessions,
    errorHints: { too_large: PAGE_TOO_LARGE },
  }),
  operationTool({
    name: "get_session",
    title: "Get a session",
    description:
      "Get one session by session_id: its room_id, whether it is still live (active), when it started, and every " +
      "peer that joined it (keyed by peer id, with joined_at and left_at), for attendance and durations.",
    annotations: READ,
    operation: "getSession",
    errorHints: { "404": "No session has this id: list_sessions shows the sessions of a room." },
  }),
  wholeListTool({
    name: "list_peers",
    title: "List the peers of a room's session",
    description:
      "List a session's peers by peer id, 50 a page (next_cursor continues). Give room_id (who is in its live " +
      "session now) or session_id (live: who is connected, live: true; ended or superseded: who was in it, with " +
      "left_at, live: false). A peer's id is the peer_id remove_peer and send_message take; metadata is cut to " +
      '100 characters (detail: "full" for whole peers). total and counts (by role) cover every peer.',
    annotations: READ,
    operation: "listActivePeers",
    noun: "peers",
    limits: { defaultLimit: 50, maxLimit: 200 },
    input: {
      required: [],
      override: {
        room_id: { description: "Id of the room whose live session to list." },
        session_id: {
          ...sessionIdArgument,
          description: "Id of a session, live or ended, whose peers to list.",
        },
      },
    },
    outputProperties: {
      ...TARGET_PROPERTIES,
      live: { type: "boolean" },
    },
    property: "peers",
    view: PEER_VIEW,
    counts: PEER_COUNTS,
    fetch: fetchPeers,
    relations: [ROOM_OR_SESSION],
    errorHints: { "404": NOT_LIVE, too_large: PEERS_TOO_LARGE },
  }),
  operationTool({
    name: "remove_peer",
    title: "Remove peers from a room's live session",
    description:
      "Disconnect one peer (peer_id) or every peer with a role (role) from a room's live session; give exactly " +
      `one of the two. ${EITHER_ROOM_OR_SESSION} A session_id must be its room's live session: an ended session ` +
      "is refused, since nobody is connected to it. reason is shown to the peers who stay. 100ms accepts the " +
      "request and removes shortly after. This does not ban anyone: a removed peer can join again while the " +
      "room is enabled (update_room enabled: false, or end_room lock: true, keeps everyone out).",
    annotations: DESTRUCTIVE,
    operation: "removePeers",
    input: {
      required: [],
      override: {
        room_id: {
          description: `Id of the room whose live session to remove peers from. ${EITHER_ROOM_OR_SESSION}`,
        },
        session_id: {
          ...sessionIdArgument,
          description: `Id of the room's live session (checked to be live). ${EITHER_ROOM_OR_SESSION}`,
        },
        peer_id: { description: "Id of the one peer to remove (from list_peers). Give peer_id or role." },
        role: { description: "Remove every connected peer that has this role. Give peer_id or role." },
      },
    },
    outputProperties: TARGET_PROPERTIES,
    relations: [ROOM_OR_SESSION, exactlyOne(["peer_id", "role"], "whom to remove")],
    run: removePeer,
    errorHints: { "404": NOT_LIVE },
  }),
  operationTool({
    name: "end_room",
    title: "End a room's live session",
    description:
      "End the room's live session for everyone: every peer is disconnected and shown reason. With lock: true the " +
      "room is also disabled, so no new session can start until update_room sets enabled: true; without it, " +
      "anyone can join again at once, starting a new session. 100ms answers 'session is ending' and ends it " +
      "shortly after.",
    annotations: DESTRUCTIVE,
    operation: "endRoom",
    errorHints: { "404": NOT_LIVE },
  }),
  operationTool({
    name: "send_message",
    title: "Send a message to peers in a room",
    description:
      "Send a message to peers connected to a room's live session: one peer (peer_id), every peer with a role " +
      "(role), or everyone (neither). type tells the client apps what it is, e.g. chat, or an app-defined event " +
      "name. Only peers connected now receive it. Not idempotent: each call sends again.",
    annotations: WRITE,
    operation: "sendMessage",
    relations: [atMostOne(["peer_id", "role"], "or neither, to send to everyone")],
    errorHints: { "404": NOT_LIVE },
  }),
  apiPagedTool({
    name: "list_recordings",
    title: "List recordings",
    description:
      `List recording jobs, newest first, ${PAGE}, with status starting, running, stopping, post_processing, ` +
      "completed or failed (there is no 'processing': files being prepared are post_processing). A room_name is " +
      "resolved with list_rooms (an unknown name is an error). Items carry no files: get_recording lists a " +
      "recording's assets.",
    annotations: READ,
    operation: "listRecordings",
    noun: "recordings",
    view: RECORDING_VIEW,
    input: {
      override: {
        room_name: {
          type: "string",
          minLength: 1,
          description: "Name of the room whose recordings to list (instead of room_id; resolved to its id).",
        },
      },
    },
    relations: [atMostOne(["room_id", "room_name"])],
    fetch: fetchRecordings,
    errorHints: { too_large: PAGE_TOO_LARGE },
  }),
  operationTool({
    name: "get_recording",
    title: "Get a recording and its files",
    description:
      "Get one recording job by recording_id: status, timing, and the files it produced (recording_assets: " +
      "composite video, chat, transcript, summary, …), each with the asset id get_recording_asset_url takes. " +
      "While the job is starting or running, recording_assets is null or empty.",
    annotations: READ,
    operation: "getRecording",
    errorHints: { "404": "No recording has this id: list_recordings shows them." },
  }),
  operationTool({
    name: "get_recording_asset_url",
    title: "Get a download link for a recording file",
    description:
      "Get a temporary pre-signed download URL for one recording asset (asset_id from get_recording). Anyone " +
      "holding the URL can download the file until it expires (expiry, in seconds); presign_duration sets how " +
      "long it stays valid (100ms's default: 3 days for S3/GCS storage, 9 hours for OSS). Share it with care.",
    annotations: READ,
    operation: "getRecordingAssetPresignedUrl",
    errorHints: { "404": "No recording asset has this id: get_recording lists a recording's assets." },
  }),
];

export const hmsManifest: Manifest<HmsClient> = {
  // The generated operations, and the one tool that calls no API (a join token is signed here).
  operations: [...hmsOperationIds.map((id) => `hms/${id}`), HMS_JOIN_TOKEN_OPERATION],
  tools,
  // Generated operations with no tool of their own, each with its reason.
  excluded: (
    [
      [
        "getActiveRoom",
        "used by list_peers and remove_peer to check that a session id is its room's live session",
      ],
      [
        "createRoomCodeForRole",
        "create_room_codes calls it when a role is given (one tool creates codes for one role or for all)",
      ],
      [
        "getRecordingAsset",
        "get_recording already returns every asset of a recording (type, path, size, duration, status), and " +
          "get_recording_asset_url gives the download link",
      ],
    ] as const satisfies readonly (readonly [HmsOperationId, string])[]
  ).map(([id, reason]) => ({ operation: `hms/${id}`, reason })),
};
