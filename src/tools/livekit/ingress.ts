/**
 * The Ingress part of the LiveKit manifest: endpoints that bring an outside stream (OBS over RTMP, WHIP, a
 * media URL) into a room as a participant.
 *
 * The stream key is marked `@sensitive`: create_ingress keeps it in its result, because handing it to the
 * streamer is what the call is for; list, update and delete redact it like every other mark.
 */
import {
  Ingress,
  type IngressInfo,
  IngressInfoSchema,
  IngressState_Status,
  IngressState_StatusSchema,
  type ListIngressResponseSchema,
} from "../../generated/livekit/livekit_ingress_pb.js";
import type { LiveKitErrorHints } from "../../providers/livekit/errors.js";
import { ANNOTATIONS } from "../define.js";
import type { ServiceManifest } from "./index.js";
import { listTool } from "./list-tool.js";
import { countsByEnum, wholeListing } from "./listings.js";
import { rpcTool } from "./rpc-tool.js";

const { method } = Ingress;

const { read: READ, writeIdempotent: WRITE_IDEMPOTENT, write: WRITE, destructive: DESTRUCTIVE } = ANNOTATIONS;

/** The tracks an ingress publishes are what list_participants shows of its participant; left out here. */
const INGRESS_RESULT = { omit: ["state.tracks"] };

const NO_INGRESS_SERVICE: LiveKitErrorHints = {
  internal:
    'If the message says "ingress not connected (redis required)", this server has no ingress service: ' +
    "self-hosted LiveKit needs Redis and the separate ingress process (livekit/ingress); LiveKit Cloud has it " +
    "built in. Otherwise check the server's logs.",
  unavailable:
    'If LiveKit answered "no response from servers", no ingress worker took the request (URL pulls start one at ' +
    "once): on a self-hosted server start the ingress process. If LiveKit could not be reached, check LIVEKIT_URL.",
};

const INGRESS_NOT_FOUND = "No ingress has that id: list_ingress shows the ones there are.";

export const ingressService: ServiceManifest = {
  service: Ingress,
  tools: [
    rpcTool({
      name: "create_ingress",
      title: "Create a stream input for a room",
      description:
        "Create an ingress that publishes an outside stream into a room as participant_identity. RTMP_INPUT: give " +
        "the streamer url and stream_key (in OBS: Server and Stream Key). WHIP_INPUT: a WebRTC-HTTP endpoint; the " +
        "stream key is its bearer token. URL_INPUT: the server pulls url (a media file or HLS stream over HTTP(S), or " +
        "SRT) at once. The result carries the stream key, which only this call shows: list_ingress redacts it. RTMP " +
        "and WHIP endpoints can be reused until deleted. Needs an ingress service: LiveKit Cloud has one; a " +
        "self-hosted server needs Redis and the separate ingress process (its URLs come from the server's ingress " +
        "settings and are empty without them).",
      annotations: WRITE,
      rpc: method.createIngress,
      grant: "ingressAdmin",
      input: { required: ["input_type", "room_name", "participant_identity"] },
      result: { ...INGRESS_RESULT, reveal: ["stream_key"] },
      errorHints: {
        ...NO_INGRESS_SERVICE,
        invalid_argument:
          "LiveKit refused the ingress (the message says why): URL_INPUT needs url with http, https or srt; RTMP and " +
          "WHIP need no url.",
      },
    }),
    listTool({
      name: "list_ingress",
      title: "List stream inputs",
      description:
        "List ingresses by ingress_id, 20 a page (next_cursor continues), with their URL, input type, room, " +
        "participant and state (ENDPOINT_INACTIVE while waiting for a stream, ENDPOINT_PUBLISHING while live, " +
        "ENDPOINT_ERROR with the reason): those of one room (room_name), one ingress (ingress_id), or all. total " +
        "and counts (by state) cover everything listed. Stream keys show as [redacted]; create_ingress is the only " +
        "call that returns one.",
      annotations: READ,
      rpc: method.listIngress,
      grant: "ingressAdmin",
      // LiveKit Cloud's own page token is followed here: the tool pages with limit and cursor like every list.
      input: { omit: ["page_token"] },
      listing: wholeListing<typeof ListIngressResponseSchema, IngressInfo>({
        items: (response) => response.items,
        roomOf: (ingress) => ingress.roomName,
        item: IngressInfoSchema,
        property: "items",
        noun: "ingresses",
        key: (ingress) => ingress.ingressId,
        omit: INGRESS_RESULT.omit,
        counts: countsByEnum(
          "by_state",
          IngressState_StatusSchema.values,
          (ingress) => ingress.state?.status ?? IngressState_Status.ENDPOINT_INACTIVE,
        ),
        upstreamPages: { requestField: "pageToken", next: (response) => response.nextPageToken?.token ?? "" },
      }),
      errorHints: { ...NO_INGRESS_SERVICE, not_found: INGRESS_NOT_FOUND },
    }),
    rpcTool({
      name: "update_ingress",
      title: "Change a stream input",
      description:
        "Change an RTMP or WHIP ingress: its name, the room and participant it publishes as, transcoding, audio and " +
        "video options, or enabled (false refuses new connections). Empty or absent fields stay as they are. A stream " +
        "being received is updated too. URL pulls cannot be changed (invalid_argument). The stream key stays the same " +
        "and is redacted in the result.",
      annotations: WRITE_IDEMPOTENT,
      rpc: method.updateIngress,
      grant: "ingressAdmin",
      input: { required: ["ingress_id"] },
      result: INGRESS_RESULT,
      errorHints: {
        ...NO_INGRESS_SERVICE,
        not_found: INGRESS_NOT_FOUND,
        invalid_argument:
          "LiveKit refused the change (the message says why): a URL ingress cannot be updated; delete it and create another.",
      },
    }),
    rpcTool({
      name: "delete_ingress",
      title: "Delete a stream input",
      description:
        "Delete an ingress: a stream it is receiving stops and its participant leaves the room; its URL and stream key " +
        "stop working for good.",
      annotations: DESTRUCTIVE,
      rpc: method.deleteIngress,
      grant: "ingressAdmin",
      input: { required: ["ingress_id"] },
      result: INGRESS_RESULT,
      errorHints: { ...NO_INGRESS_SERVICE, not_found: INGRESS_NOT_FOUND },
    }),
  ],
  excluded: [],
};
