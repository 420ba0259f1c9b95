/**
 * The Egress part of the LiveKit manifest: recording and streaming rooms, participants and tracks.
 *
 * Results leave out the start request LiveKit echoes back in every EgressInfo (outputs, storage, encoding):
 * the caller sent it, and its inlined schema alone would be larger than everything else the tools show.
 * Storage credentials and stream URLs (which carry stream keys) are redacted by the contract's marks.
 */
import {
  Egress,
  type EgressInfo,
  EgressInfoSchema,
  EgressStatusSchema,
  type ListEgressResponseSchema,
} from "../../generated/livekit/livekit_egress_pb.js";
import type { LiveKitErrorHints } from "../../providers/livekit/errors.js";
import { ANNOTATIONS } from "../define.js";
import { atLeastOne, atMostOne, exactlyOne } from "../relations.js";
import type { ServiceManifest } from "./index.js";
import { listTool } from "./list-tool.js";
import { countsByEnum, wholeListing } from "./listings.js";
import { rpcTool } from "./rpc-tool.js";

const { method } = Egress;

const { read: READ, writeIdempotent: WRITE_IDEMPOTENT, write: WRITE, destructive: DESTRUCTIVE } = ANNOTATIONS;

/** The start request an EgressInfo repeats, in every form (and the deprecated single-output results). */
const ECHO = [
  "egress",
  "replay",
  "room_composite",
  "web",
  "participant",
  "track_composite",
  "track",
  "stream",
  "file",
  "segments",
] as const;
const EGRESS_RESULT = { omit: ECHO };

/**
 * Left out of every start tool: extra webhook endpoints would let a call send room events to any URL. The
 * server's own webhooks still fire.
 */
const NOT_FOR_AGENTS = ["webhooks"];

const OUTPUTS = ["file_outputs", "segment_outputs", "stream_outputs", "image_outputs"];

const STARTED =
  "Returns the egress as it starts (status EGRESS_STARTING); its egress_id is what stop_egress and list_egress take.";

const NEEDS_EGRESS =
  "Needs an egress service: LiveKit Cloud has one; a self-hosted server needs the separate egress process and Redis.";

/**
 * A start that times out may still have started (LiveKit waits for an egress worker to accept it, within the
 * deadline LiveKit's own SDK also uses): look before starting another, which would record twice.
 */
const START_TIMED_OUT: LiveKitErrorHints = {
  timeout:
    "The egress may have started anyway: list_egress with room_name and active: true shows it. Check before " +
    "starting another, which would record twice (LIVEKIT_TIMEOUT_MS sets the deadline).",
};

const NO_EGRESS_SERVICE: LiveKitErrorHints = {
  internal:
    'If the message says "egress not connected (redis required)", this server has no egress service: self-hosted ' +
    "LiveKit records only with Redis and the separate egress process (livekit/egress) running; LiveKit Cloud has it " +
    "built in. Otherwise check the server's logs.",
  unavailable:
    'If LiveKit answered "no response from servers", no egress worker took the job: on a self-hosted server start ' +
    "the egress process (sharing the server's Redis), or add workers if all are busy. If LiveKit could not be " +
    "reached at all, check LIVEKIT_URL.",
};

const EGRESS_NOT_FOUND =
  "No egress has that id: list_egress (with room_name, or active: true) shows the ones there are.";

export const egressService: ServiceManifest = {
  service: Egress,
  tools: [
    rpcTool({
      name: "start_room_egress",
      title: "Record or stream a whole room",
      description:
        "Record and/or live-stream a room as one composed video: a headless browser renders everyone in a layout " +
        "(grid, speaker or single-speaker; audio_only records sound only). Give at least one output, at " +
        "most one of each kind: file_outputs (an MP4, or OGG when audio only), segment_outputs (HLS), stream_outputs " +
        "(RTMP/SRT URLs) or image_outputs (thumbnails). An output without s3, gcp, azure or aliOSS is uploaded to the " +
        `egress service's own storage. The room must be open. ${STARTED} ${NEEDS_EGRESS} Every call starts another ` +
        "egress, and LiveKit charges egress minutes on Cloud.",
      annotations: WRITE,
      rpc: method.startRoomCompositeEgress,
      grant: "roomRecord",
      // custom_base_url would hand the recorder's room token to any page; the default template is used.
      input: { omit: [...NOT_FOR_AGENTS, "custom_base_url"], required: ["room_name"] },
      relations: [atLeastOne(OUTPUTS, "where the recording goes"), atMostOne(["preset", "advanced"])],
      result: EGRESS_RESULT,
      errorHints: {
        ...NO_EGRESS_SERVICE,
        ...START_TIMED_OUT,
        not_found: "No open room has that name: list_rooms shows the rooms that exist now.",
      },
    }),
    rpcTool({
      name: "start_participant_egress",
      title: "Record or stream one participant",
      description:
        "Record and/or live-stream one participant: their camera (or screen share, with screen_share: true) and " +
        "microphone together, transcoded. Outputs as for start_room_egress (at least one, at most one of each kind). " +
        `The participant must be connected. ${STARTED} ${NEEDS_EGRESS}`,
      annotations: WRITE,
      rpc: method.startParticipantEgress,
      grant: "roomRecord",
      input: { omit: NOT_FOR_AGENTS, required: ["room_name", "identity"] },
      relations: [atLeastOne(OUTPUTS, "where the recording goes"), atMostOne(["preset", "advanced"])],
      result: EGRESS_RESULT,
      errorHints: {
        ...NO_EGRESS_SERVICE,
        ...START_TIMED_OUT,
        not_found:
          "The room is not open or nobody with that identity is connected: list_participants shows who is there.",
      },
    }),
    rpcTool({
      name: "start_track_egress",
      title: "Export one track as it is",
      description:
        "Export one published track without transcoding: to a file in its own codec (e.g. OGG for an Opus " +
        "microphone track), or, for an audio track, as raw PCM frames to a WebSocket URL (e.g. a transcription " +
        "service). Give exactly one of file and websocket_url; track ids (TR_...) come from get_participant. " +
        `${STARTED} ${NEEDS_EGRESS}`,
      annotations: WRITE,
      rpc: method.startTrackEgress,
      grant: "roomRecord",
      input: { omit: NOT_FOR_AGENTS, required: ["room_name", "track_id"] },
      relations: [exactlyOne(["file", "websocket_url"], "where the track goes")],
      result: EGRESS_RESULT,
      errorHints: {
        ...NO_EGRESS_SERVICE,
        ...START_TIMED_OUT,
        not_found:
          "The room is not open or no track has that id: get_participant lists a participant's track ids.",
      },
    }),
    listTool({
      name: "list_egress",
      title: "List recordings and streams",
      description:
        "List egresses (recordings and streams) by egress_id, 20 a page (next_cursor continues), with their status, " +
        "files, playlists and stream states: those of one room (room_name), one egress (egress_id), or only the " +
        "running ones (active: true). Ended egresses stay listed for a while. total and counts (by status) cover " +
        "everything listed. Stream URLs show as [redacted] (they carry stream keys).",
      annotations: READ,
      rpc: method.listEgress,
      grant: "roomRecord",
      // LiveKit's own page token is followed here: the tool pages with limit and cursor like every list.
      input: { omit: ["page_token"] },
      listing: wholeListing<typeof ListEgressResponseSchema, EgressInfo>({
        items: (response) => response.items,
        roomOf: (egress) => egress.roomName,
        item: EgressInfoSchema,
        property: "items",
        noun: "egresses",
        key: (egress) => egress.egressId,
        omit: ECHO,
        counts: countsByEnum("by_status", EgressStatusSchema.values, (egress) => egress.status),
        upstreamPages: { requestField: "pageToken", next: (response) => response.nextPageToken?.token ?? "" },
      }),
      errorHints: { ...NO_EGRESS_SERVICE, not_found: EGRESS_NOT_FOUND },
    }),
    rpcTool({
      name: "stop_egress",
      title: "Stop a recording or stream",
      description:
        "Stop a running egress: recording ends, files are finalised and uploaded (the result turns EGRESS_ENDING, " +
        "then EGRESS_COMPLETE in list_egress), streams end. It cannot be resumed; a new start makes a new egress. An " +
        "egress that already ended is refused with failed_precondition.",
      annotations: DESTRUCTIVE,
      rpc: method.stopEgress,
      grant: "roomRecord",
      input: { required: ["egress_id"] },
      result: EGRESS_RESULT,
      errorHints: {
        ...NO_EGRESS_SERVICE,
        not_found: EGRESS_NOT_FOUND,
        failed_precondition:
          "The egress has already ended (the message says its status); there is nothing to stop.",
      },
    }),
    rpcTool({
      name: "update_egress_layout",
      title: "Change the layout of a room recording",
      description:
        "Switch a running room egress (start_room_egress) to another layout of the default template: grid, speaker " +
        "or single-speaker (each also with a -light suffix). The recording goes on; only what it shows changes.",
      annotations: WRITE_IDEMPOTENT,
      rpc: method.updateLayout,
      grant: "roomRecord",
      input: { required: ["egress_id", "layout"] },
      result: EGRESS_RESULT,
      errorHints: { ...NO_EGRESS_SERVICE, not_found: EGRESS_NOT_FOUND },
    }),
    rpcTool({
      name: "update_egress_stream",
      title: "Add or remove stream destinations",
      description:
        "Start sending a running streaming egress to more RTMP/SRT URLs (add_output_urls), or stop sending it to some " +
        "(remove_output_urls, exactly as they were added). Results show stream URLs as [redacted].",
      annotations: WRITE_IDEMPOTENT,
      rpc: method.updateStream,
      grant: "roomRecord",
      input: { required: ["egress_id"] },
      relations: [atLeastOne(["add_output_urls", "remove_output_urls"], "what to change")],
      result: EGRESS_RESULT,
      errorHints: {
        ...NO_EGRESS_SERVICE,
        not_found: EGRESS_NOT_FOUND,
        failed_precondition:
          "The egress has already ended (the message says its status); start a new one to stream.",
      },
    }),
  ],
  excluded: [
    {
      operation: "livekit.Egress/StartEgress",
      reason:
        "The unified start request exists only on newer servers; start_room_egress, start_participant_egress and " +
        "start_track_egress use the requests every egress service accepts.",
    },
    {
      operation: "livekit.Egress/StartWebEgress",
      reason:
        "Records an arbitrary web page, not a room: it would let a call make the egress service fetch any URL from " +
        "its network. Not offered.",
    },
    {
      operation: "livekit.Egress/StartTrackCompositeEgress",
      reason:
        "Pairs an audio and a video track by id; start_participant_egress records a participant's audio and video " +
        "together, and start_track_egress exports single tracks.",
    },
  ],
};
