/**
 * Recording and stream jobs (recordings, HLS live streams, RTMP external streams). A stop always names the
 * room: with a job id the job is read first and checked to belong to that room (so room scope holds for a
 * call that 100ms addresses by id alone), then stopped by id; without one, every job of its kind in the
 * room is stopped. Either way the result lists the jobs stopped, in `data`.
 */
import { ArgumentError } from "../../errors.js";
import type { HmsClient } from "./client.js";
import { hinted } from "./sessions.js";

type Args = Readonly<Record<string, unknown>>;
type Job = { readonly id: string; readonly room_id: string };

interface JobKind<J extends Job> {
  /** The argument holding one job's id. */
  readonly idArgument: string;
  /** "recording", "live stream", … */
  readonly noun: string;
  /** The tool that lists these jobs, for messages. */
  readonly listTool: string;
  readonly get: (client: HmsClient, id: string, signal: AbortSignal) => Promise<J>;
  readonly stopOne: (client: HmsClient, id: string, signal: AbortSignal) => Promise<J>;
  readonly stopRoom: (
    client: HmsClient,
    roomId: string,
    signal: AbortSignal,
  ) => Promise<{ readonly data?: readonly J[] | null; readonly error?: string }>;
}

async function stopJobs<J extends Job>(kind: JobKind<J>, client: HmsClient, args: Args, signal: AbortSignal) {
  const roomId = String(args.room_id);
  const id = args[kind.idArgument];
  if (typeof id !== "string") {
    const { data, error } = await kind.stopRoom(client, roomId, signal);
    return { data: [...(data ?? [])], ...(typeof error === "string" && error !== "" ? { error } : {}) };
  }
  const job = await kind
    .get(client, id, signal)
    .catch(hinted("404", `No ${kind.noun} has this id: ${kind.listTool} with room_id ${roomId} shows them.`));
  if (job.room_id !== roomId) {
    throw new ArgumentError(
      kind.idArgument,
      `${kind.noun} ${id} belongs to room ${job.room_id}, not to room_id ${roomId}; nothing was stopped. ` +
        `${kind.listTool} with room_id ${roomId} shows this room's ${kind.noun}s`,
    );
  }
  return { data: [await kind.stopOne(client, id, signal)] };
}

const RECORDINGS: JobKind<Job> = {
  idArgument: "recording_id",
  noun: "recording",
  listTool: "list_recordings",
  get: (client, id, signal) => client.call("getRecording", { path: { recording_id: id } }, { signal }),
  stopOne: (client, id, signal) =>
    client.call("stopRecording", { path: { recording_id: id }, body: {} }, { signal }),
  stopRoom: (client, roomId, signal) =>
    client.call("stopRoomRecordings", { path: { room_id: roomId }, body: {} }, { signal }),
};

const LIVE_STREAMS: JobKind<Job> = {
  idArgument: "stream_id",
  noun: "live stream",
  listTool: "list_live_streams",
  get: (client, id, signal) => client.call("getLiveStream", { path: { stream_id: id } }, { signal }),
  stopOne: (client, id, signal) =>
    client.call("stopLiveStream", { path: { stream_id: id }, body: {} }, { signal }),
  stopRoom: (client, roomId, signal) =>
    client.call("stopRoomLiveStreams", { path: { room_id: roomId }, body: {} }, { signal }),
};

const EXTERNAL_STREAMS: JobKind<Job> = {
  idArgument: "stream_id",
  noun: "external stream",
  listTool: "list_external_streams",
  get: (client, id, signal) => client.call("getExternalStream", { path: { stream_id: id } }, { signal }),
  stopOne: (client, id, signal) =>
    client.call("stopExternalStream", { path: { stream_id: id }, body: {} }, { signal }),
  stopRoom: (client, roomId, signal) =>
    client.call("stopRoomExternalStreams", { path: { room_id: roomId }, body: {} }, { signal }),
};

/** stop_recording: one recording of the room (recording_id, checked), or every recording of the room. */
export const stopRecordings = (client: HmsClient, args: Args, signal: AbortSignal) =>
  stopJobs(RECORDINGS, client, args, signal);

/** stop_live_stream: one HLS stream of the room (stream_id, checked), or every HLS stream of the room. */
export const stopLiveStreams = (client: HmsClient, args: Args, signal: AbortSignal) =>
  stopJobs(LIVE_STREAMS, client, args, signal);

/** stop_external_stream: one RTMP stream of the room (stream_id, checked), or every one of the room. */
export const stopExternalStreams = (client: HmsClient, args: Args, signal: AbortSignal) =>
  stopJobs(EXTERNAL_STREAMS, client, args, signal);
