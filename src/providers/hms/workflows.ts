/**
 * 100ms calls that take more than one request: a session id resolved to its room (sessions.ts), a room
 * name resolved to its id. Manifest entries name these as their `run`; each returns the tool's result.
 */
import { ArgumentError } from "../../errors.js";
import type { HmsClient } from "./client.js";
import { requestFromArguments } from "./request.js";
import { resolveTarget } from "./sessions.js";

type Args = Readonly<Record<string, unknown>>;

/** list_peers: the room's live peers, or a past session's peers from its history. */
export async function listPeers(client: HmsClient, args: Args, signal: AbortSignal) {
  const target = await resolveTarget(client, args, signal);
  const session = target.kind === "room" ? {} : { session_id: target.sessionId };
  if (target.kind === "past") {
    const peers = Object.entries(target.session.peers ?? {}).filter(
      ([, peer]) =>
        (args.role === undefined || peer.role === args.role) &&
        (args.user_id === undefined || peer.user_id === args.user_id),
    );
    return { room_id: target.roomId, ...session, live: false, peers: Object.fromEntries(peers) };
  }
  const { peers } = await client.call(
    "listActivePeers",
    requestFromArguments("listActivePeers", { ...args, room_id: target.roomId }),
    { signal },
  );
  return { room_id: target.roomId, ...session, live: true, peers };
}

/** remove_peer: only ever in the room's live session; a past session is refused with the reason. */
export async function removePeer(client: HmsClient, args: Args, signal: AbortSignal) {
  const target = await resolveTarget(client, args, signal);
  if (target.kind === "past") {
    throw new ArgumentError(
      "session_id",
      `${target.why}, so nobody can be removed from it. To remove someone from the room's live session, pass ` +
        `room_id ${target.roomId} (list_peers with that room_id shows who is connected now)`,
    );
  }
  const accepted = await client.call(
    "removePeers",
    requestFromArguments("removePeers", { ...args, room_id: target.roomId }),
    { signal },
  );
  return {
    ...accepted,
    room_id: target.roomId,
    ...(target.kind === "live" ? { session_id: target.sessionId } : {}),
  };
}

/** list_recordings: a room_name is resolved to its id first; the API has no filter by name. */
export async function listRecordings(client: HmsClient, args: Args, signal: AbortSignal) {
  const { room_name: name, ...rest } = args;
  if (typeof name !== "string") {
    return client.call("listRecordings", requestFromArguments("listRecordings", rest), { signal });
  }
  const room_id = await roomIdByName(client, name, signal);
  return client.call("listRecordings", requestFromArguments("listRecordings", { ...rest, room_id }), {
    signal,
  });
}

/** A room's id from its name (case-insensitive on 100ms; an exact match wins should several come back). */
export async function roomIdByName(client: HmsClient, name: string, signal: AbortSignal): Promise<string> {
  const rooms = await client.call("listRooms", { query: { name } }, { signal });
  const candidates = rooms.data ?? [];
  const room =
    candidates.find((r) => r.name === name) ??
    candidates.find((r) => r.name.toLowerCase() === name.toLowerCase());
  if (room === undefined) {
    throw new ArgumentError(
      "room_name",
      `no room is named "${name}": list_rooms shows the room names. 100ms may leave disabled rooms out of this ` +
        "lookup; pass their room_id instead",
    );
  }
  return room.id;
}
