/**
 * The 100ms tool manifest: one entry per generated REST operation (src/generated/hms/operations.ts), as
 * data. Relations between arguments are declared; tools that take more than one call name their workflow
 * (src/providers/hms/workflows.ts).
 */
import { type HmsOperationId, hmsOperationIds, hmsOperations } from "../../generated/hms/operations.js";
import type { HmsClient } from "../../providers/hms/client.js";
import { stopExternalStreams, stopLiveStreams, stopRecordings } from "../../providers/hms/media-jobs.js";
import { createRoomCodes, listRoomCodes, updateRoomCode } from "../../providers/hms/room-codes.js";
import { removePeer } from "../../providers/hms/workflows.js";
import { ANNOTATIONS, type JsonSchema, type Manifest, type Tool } from "../define.js";
import { atLeastOne, atMostOne, exactlyOne } from "../relations.js";
import { HMS_EVENT_TOOLS } from "./events.js";
import { createHmsJoinToken, HMS_JOIN_TOKEN_OPERATION } from "./join-token.js";
import {
  EVENT_VIEW,
  EXTERNAL_STREAM_VIEW,
  fetchAnalyticsEvents,
  fetchExternalStreams,
  fetchLiveStreams,
  fetchPeers,
  fetchRecordings,
  fetchRooms,
  fetchSessions,
  LIVE_STREAM_VIEW,
  PEER_COUNTS,
  PEER_VIEW,
  RECORDING_VIEW,
  ROOM_VIEW,
  SESSION_VIEW,
} from "./listings.js";
import { operationTool } from "./operation-tool.js";
import { apiPagedTool, tokenPagedTool, wholeListTool } from "./paged-tool.js";

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

/** Starting a recording or stream needs someone in the room; 100ms refuses otherwise. */
const NEEDS_LIVE =
  "Someone must be in the room: 100ms refuses without a live session (list_sessions with active: true shows live ones).";
const MEETING_URL =
  "meeting_url is needed when the template has no 100ms subdomain (e.g. templates made through the API); it may " +
  "carry an auth token, so it is redacted in every result.";
const START_NOT_LIVE =
  "The room may not exist, or nobody is in it now (no live session to record or stream): list_sessions with " +
  "active: true shows live sessions.";
/** A stop always names the room; a job id narrows it to that job, checked to be the room's. */
const STOP_ROOM_ARGUMENT = (jobs: string) => ({
  ...roomIdArgument,
  description: `Id of the room whose ${jobs} to stop; with no id given, every one of them stops.`,
});
const NOTHING_TO_STOP = (noun: string) =>
  `Nothing to stop: no ${noun} of this room is running, or the room or id does not exist.`;

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
      "template_id. Check with list_rooms (name) first if an existing room must stay as it is. name is required, " +
      "so a repeated call never makes a second room. Without recording_info the room follows its template's " +
      "recording settings. Storage credentials in the result are redacted.",
    annotations: WRITE_IDEMPOTENT,
    operation: "createRoom",
    input: {
      required: ["name"],
      // The API's own words say a name is generated when omitted; here it is required (see above).
      override: {
        name: {
          description:
            "Room name: letters, digits and `.` `-` `:` `_`; case-insensitive, unique in the workspace.",
        },
      },
    },
  }),
  operationTool({
    name: "update_room",
    title: "Update, disable or enable a room",
    description:
      "Change a room's settings by room_id; only the fields sent change, at least one is needed. enabled: false " +
      "disables the room: a live session keeps running, but nobody new can join until enabled: true (also how to " +
      "reopen a room end_room locked). Destructive: disabling locks everyone out. Returns the room " +
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
      "Disconnect one peer (peer_id) or every peer with a role (role) from a room's live session. A session_id " +
      "must be its room's live session: an ended session is refused, since nobody is connected to it. reason is shown to the peers who stay. 100ms accepts the " +
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
      "name. Only peers connected now receive it; each call sends again.",
    annotations: WRITE,
    operation: "sendMessage",
    relations: [atMostOne(["peer_id", "role"], "or neither, to send to everyone")],
    errorHints: { "404": NOT_LIVE },
  }),
  operationTool({
    name: "get_active_room",
    title: "Get a room's live session",
    description:
      "Get the session live in a room now: its session id, when it started, and the ids of the peers connected " +
      "(get_peer shows one; list_peers shows all). Expect a 404 when nobody is in the room. A session id from " +
      "elsewhere is live exactly when it equals session.id here.",
    annotations: READ,
    operation: "getActiveRoom",
    errorHints: { "404": NOT_LIVE },
  }),
  operationTool({
    name: "get_peer",
    title: "Get a peer of a room's live session",
    description:
      "Get one peer connected to a room's live session (peer_id from list_peers): name, role, user_id, metadata, " +
      "joined_at, and its published tracks (audio, video, screen) keyed by track id, with their mute state. A peer " +
      "who left is not found: get_session shows who was in a session.",
    annotations: READ,
    operation: "getActivePeer",
    errorHints: {
      "404":
        "The peer is not connected to this room's live session now, or the room has none: list_peers shows who is.",
    },
  }),
  operationTool({
    name: "update_peer",
    title: "Change a connected peer's name, role or metadata",
    description:
      "Change a peer connected to a room's live session: name, role and/or metadata; only the fields sent change, " +
      "at least one is needed. A new role takes effect at once, without asking the peer: they get the new role's " +
      "publish and subscribe permissions. metadata replaces the old string whole. Returns the peer after the " +
      "change, with its tracks.",
    annotations: WRITE_IDEMPOTENT,
    operation: "updateActivePeer",
    relations: [atLeastOne(hmsOperations.updateActivePeer.bodyParams, "the fields to change")],
    errorHints: {
      "404":
        "The peer is not connected to this room's live session now, or (with role) the room's template has no such " +
        "role: list_peers shows who is connected, get_room the room's template_id.",
    },
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
  operationTool({
    name: "start_recording",
    title: "Start recording a room",
    description:
      `Start recording a room's live session. ${NEEDS_LIVE} 100ms's recorder joins the session and captures the ` +
      "composite view (audio_only: sound only); the answer is the new recording with its id (what stop_recording " +
      "and get_recording take) and status starting, running a few seconds later. transcription adds transcripts " +
      `(txt, srt, json) and an AI summary. ${MEETING_URL} Not idempotent: each call asks for another recording.`,
    annotations: WRITE,
    operation: "startRecording",
    errorHints: {
      "404": START_NOT_LIVE,
      "400":
        "100ms refused the start (the message and details say why): a recording may already be running in this " +
        "room (list_recordings with room_id and status running shows it), or an option is wrong.",
    },
  }),
  operationTool({
    name: "stop_recording",
    title: "Stop a room's recording",
    description:
      "Stop recording in a room: with recording_id, that recording only (checked to belong to room_id first); " +
      "without, every recording running in the room. Capture ends now and cannot be resumed (pause_recording " +
      "pauses instead); each stopped recording goes stopping, post_processing, then completed or failed, and " +
      "get_recording then lists its files. Returns the recordings stopped (data).",
    annotations: DESTRUCTIVE,
    operation: "stopRoomRecordings",
    input: {
      override: {
        room_id: STOP_ROOM_ARGUMENT("recordings"),
        recording_id: {
          ...schemaAt(hmsOperations.stopRecording.inputSchema, "properties", "recording_id"),
          description: "Stop only this recording (from list_recordings); it must be one of room_id's.",
        },
      },
    },
    run: stopRecordings,
    errorHints: { "404": NOTHING_TO_STOP("recording") },
  }),
  operationTool({
    name: "pause_recording",
    title: "Pause a room's recording",
    description:
      "Pause the recording running in a room: nothing is captured until resume_recording. Returns the recording; " +
      "100ms documents no paused status, so status may still read running.",
    annotations: WRITE_IDEMPOTENT,
    operation: "pauseRecording",
    errorHints: { "404": "No recording is running in this room, or the room does not exist." },
  }),
  operationTool({
    name: "resume_recording",
    title: "Resume a room's paused recording",
    description:
      "Resume the recording paused with pause_recording in a room, in the same recording job. Returns the recording.",
    annotations: WRITE_IDEMPOTENT,
    operation: "resumeRecording",
    errorHints: { "404": "No recording of this room is paused or running, or the room does not exist." },
  }),
  operationTool({
    name: "start_live_stream",
    title: "Start an HLS live stream of a room",
    description:
      `Start an HLS live stream of a room's live session, for viewers who watch without joining. ${NEEDS_LIVE} ` +
      "The answer is the stream with its id, status starting and playback.url, the HLS playlist (m3u8) viewers " +
      "load once it is running: anyone with that URL can watch. recording.hls_vod also records it; transcription " +
      `adds live captions and/or a transcript. ${MEETING_URL} Not idempotent.`,
    annotations: WRITE,
    operation: "startLiveStream",
    errorHints: {
      "404": START_NOT_LIVE,
      "400":
        "100ms refused the start (the message and details say why): a live stream may already be running in this " +
        "room (list_live_streams with room_id and status running shows it), or an option is wrong.",
    },
  }),
  operationTool({
    name: "stop_live_stream",
    title: "Stop a room's HLS live stream",
    description:
      "Stop HLS live streaming in a room: with stream_id, that stream only (checked to belong to room_id first); " +
      "without, every live stream of the room. Viewers' players stop at the end of the playlist; a stopped stream " +
      "cannot be restarted (starting again gives a new playback URL). Returns the streams stopped (data).",
    annotations: DESTRUCTIVE,
    operation: "stopRoomLiveStreams",
    input: {
      override: {
        room_id: STOP_ROOM_ARGUMENT("live streams"),
        stream_id: {
          ...schemaAt(hmsOperations.stopLiveStream.inputSchema, "properties", "stream_id"),
          description: "Stop only this live stream (from list_live_streams); it must be one of room_id's.",
        },
      },
    },
    run: stopLiveStreams,
    errorHints: { "404": NOTHING_TO_STOP("live stream") },
  }),
  apiPagedTool({
    name: "list_live_streams",
    title: "List HLS live streams",
    description:
      `List HLS live streams, ${PAGE}, by room_id, session_id or status (starting, running, stopping, ` +
      "post_processing, completed, failed), each with its playback URL. get_live_stream adds the files.",
    annotations: READ,
    operation: "listLiveStreams",
    noun: "live streams",
    view: LIVE_STREAM_VIEW,
    fetch: fetchLiveStreams,
    errorHints: { too_large: PAGE_TOO_LARGE },
  }),
  operationTool({
    name: "get_live_stream",
    title: "Get an HLS live stream",
    description:
      "Get one HLS live stream by stream_id: status, playback URL, recording options, timing, and the files it " +
      "produced (recording_assets, with recording.hls_vod).",
    annotations: READ,
    operation: "getLiveStream",
    errorHints: { "404": "No live stream has this id: list_live_streams shows them." },
  }),
  operationTool({
    name: "start_external_stream",
    title: "Stream a room to RTMP destinations",
    description:
      "Stream a room's live session out to RTMP(S) destinations (YouTube, Twitch, a media server): rtmp_urls, 1 " +
      `to 5, each usually ending in the destination's stream key. ${NEEDS_LIVE} The answer is the stream with its ` +
      "id and status starting; recording: true records it too. rtmp_urls are redacted in every result, since they " +
      `carry stream keys. ${MEETING_URL} Not idempotent.`,
    annotations: WRITE,
    operation: "startExternalStream",
    errorHints: {
      "404": START_NOT_LIVE,
      "400":
        "100ms refused the start (the message and details say why): check rtmp_urls (rtmp:// or rtmps://) and " +
        "resolution (landscape, 500×480 to 1920×1080); a stream may already be running (list_external_streams).",
    },
  }),
  operationTool({
    name: "stop_external_stream",
    title: "Stop a room's RTMP stream",
    description:
      "Stop streaming a room to RTMP destinations: with stream_id, that stream only (checked to belong to room_id " +
      "first); without, every external stream of the room. The destinations stop receiving video now; a stopped " +
      "stream cannot be restarted. Returns the streams stopped (data), RTMP URLs redacted.",
    annotations: DESTRUCTIVE,
    operation: "stopRoomExternalStreams",
    input: {
      override: {
        room_id: STOP_ROOM_ARGUMENT("external streams"),
        stream_id: {
          ...schemaAt(hmsOperations.stopExternalStream.inputSchema, "properties", "stream_id"),
          description:
            "Stop only this external stream (from list_external_streams); it must be one of room_id's.",
        },
      },
    },
    run: stopExternalStreams,
    errorHints: { "404": NOTHING_TO_STOP("external stream") },
  }),
  apiPagedTool({
    name: "list_external_streams",
    title: "List RTMP external streams",
    description:
      `List external (RTMP out) streams, ${PAGE}, by room_id, session_id or status (starting, running, stopping, ` +
      "post_processing, completed, failed). RTMP URLs are left out (get_external_stream shows them redacted).",
    annotations: READ,
    operation: "listExternalStreams",
    noun: "external streams",
    view: EXTERNAL_STREAM_VIEW,
    fetch: fetchExternalStreams,
    errorHints: { too_large: PAGE_TOO_LARGE },
  }),
  operationTool({
    name: "get_external_stream",
    title: "Get an RTMP external stream",
    description:
      "Get one external (RTMP out) stream by stream_id: status, resolution, whether it is recorded, timing, and the " +
      "files it produced (recording_assets). Its RTMP URLs and meeting_url are redacted.",
    annotations: READ,
    operation: "getExternalStream",
    errorHints: { "404": "No external stream has this id: list_external_streams shows them." },
  }),
  tokenPagedTool({
    name: "list_analytics_events",
    title: "List a room's analytics events (troubleshooting)",
    description:
      "List a room's events of the last 30 days by type, to find out what went wrong: client errors " +
      "(client.join.failed, client.connect.failed, client.disconnected, client.publish.failed, " +
      "client.subscribe.failed) with who, when, error code, name and message (is_terminal: false means the SDK " +
      "retried); track events (track.add.success, track.update.success for mute changes, track.remove.success); " +
      "beam.recording.success. A failed recording is no event: list_recordings with status failed shows it. No " +
      "time filter: narrow by session_id (list_sessions with after/before finds them), peer_id or user_id. 10 a " +
      'page, up to 100; total counts every page; error_description is cut to 100 characters (detail: "full" for ' +
      "whole events). Results are a snapshot of the first page; next_cursor expires after 24 hours.",
    annotations: READ,
    operation: "listAnalyticsEvents",
    noun: "events",
    limits: { defaultLimit: 10, maxLimit: 100 },
    property: "events",
    view: EVENT_VIEW,
    fetch: fetchAnalyticsEvents,
    errorHints: {
      "403":
        "These credentials may not read analytics ('insufficient permissions'): use an app with access to them.",
      too_large:
        "100ms's page is larger than this server reads (HMS_MAX_RESPONSE_BYTES): pass a smaller limit.",
    },
  }),
];

export const hmsManifest: Manifest<HmsClient> = {
  // The generated operations, and the one tool that calls no API (a join token is signed here).
  operations: [
    ...hmsOperationIds.map((id) => `hms/${id}`),
    HMS_JOIN_TOKEN_OPERATION,
    ...HMS_EVENT_TOOLS.tools.map((t) => t.operation),
  ],
  tools: [...tools, ...HMS_EVENT_TOOLS.tools],
  // Generated operations with no tool of their own, each with its reason.
  excluded: (
    [
      ["stopRecording", "stop_recording calls it when recording_id is given (one tool stops one or all)"],
      ["stopLiveStream", "stop_live_stream calls it when stream_id is given (one tool stops one or all)"],
      [
        "stopExternalStream",
        "stop_external_stream calls it when stream_id is given (one tool stops one or all)",
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
