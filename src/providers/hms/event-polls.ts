/**
 * Waits the 100ms API can answer without webhooks: one look at the room's live session per poll. The room
 * filter must be the room id (the API addresses rooms by id); the identity is a user_id or a peer id.
 */

import { isUpstreamError } from "../../errors.js";
import { type EventFilter, polledEvent } from "../../events/event.js";
import type { EventPoll } from "../provider.js";
import type { HmsClient } from "./client.js";

/** 100ms answers 404 for a room with no live session. */
function noSession(error: unknown): boolean {
  return isUpstreamError(error) && error.status === 404;
}

async function peersOf(client: HmsClient, roomId: string, signal: AbortSignal) {
  try {
    const { peers } = await client.call("listActivePeers", { path: { room_id: roomId } }, { signal });
    return Object.values(peers ?? {});
  } catch (error) {
    if (noSession(error)) {
      return [];
    }
    throw error;
  }
}

async function sessionOf(client: HmsClient, roomId: string, signal: AbortSignal) {
  try {
    return await client.call("getActiveRoom", { path: { room_id: roomId } }, { signal });
  } catch (error) {
    if (noSession(error)) {
      return undefined;
    }
    throw error;
  }
}

const peerMatches = (filter: EventFilter) => (peer: { id: string; user_id?: string }) =>
  (filter.identity === undefined || peer.user_id === filter.identity) &&
  (filter.participant_id === undefined || peer.id === filter.participant_id);

export const HMS_EVENT_POLLS: Readonly<Record<string, EventPoll<HmsClient>>> = {
  "peer.join.success": {
    needs: ["room_id", ["user_id", "peer_id"]],
    checks: "whether a peer with that user_id or peer id is in the room's live session (listActivePeers)",
    async check(client, filter, signal) {
      const peer = (await peersOf(client, filter.room as string, signal)).find(peerMatches(filter));
      return peer === undefined
        ? undefined
        : polledEvent(filter, "peer.join.success", {
            room_id: filter.room as string,
            participant_id: peer.id,
            ...(peer.user_id === undefined ? {} : { identity: peer.user_id }),
            ...(peer.name === undefined ? {} : { name: peer.name }),
            data: { ...peer },
          });
    },
  },
  "peer.leave.success": {
    needs: ["room_id", ["user_id", "peer_id"]],
    checks: "whether no peer with that user_id or peer id is in the room's live session (listActivePeers)",
    async check(client, filter, signal) {
      const peer = (await peersOf(client, filter.room as string, signal)).find(peerMatches(filter));
      return peer === undefined
        ? polledEvent(filter, "peer.leave.success", {
            room_id: filter.room as string,
            ...(filter.identity === undefined ? {} : { identity: filter.identity }),
            ...(filter.participant_id === undefined ? {} : { participant_id: filter.participant_id }),
          })
        : undefined;
    },
  },
  "session.open.success": {
    needs: ["room_id"],
    checks: "whether the room has a live session (getActiveRoom)",
    async check(client, filter, signal) {
      const active = await sessionOf(client, filter.room as string, signal);
      return active === undefined
        ? undefined
        : polledEvent(filter, "session.open.success", {
            room_id: active.id,
            ...(active.name === undefined ? {} : { room_name: active.name }),
            session_id: active.session.id,
            data: { ...active },
          });
    },
  },
  "session.close.success": {
    needs: ["room_id"],
    checks: "whether the room no longer has a live session (getActiveRoom)",
    async check(client, filter, signal) {
      const active = await sessionOf(client, filter.room as string, signal);
      return active === undefined
        ? polledEvent(filter, "session.close.success", { room_id: filter.room as string })
        : undefined;
    },
  },
};
