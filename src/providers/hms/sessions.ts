/**
 * Which session a 100ms tool acts on. Active-room calls are keyed by room id and only ever reach the room's
 * live session, so a session id is resolved to its room (GET /sessions/{id}) and checked to be that room's
 * live session (GET /active-rooms/{room_id}) before anything is done in its name.
 */
import { isUpstreamError } from "../../errors.js";
import type { HmsClient, HmsResult } from "./client.js";

type Session = HmsResult<"getSession">;

export type SessionTarget =
  /** Only a room id was given: act on whatever session is live in it. */
  | { readonly kind: "room"; readonly roomId: string }
  /** A session id that is its room's live session. */
  | { readonly kind: "live"; readonly roomId: string; readonly sessionId: string }
  /** A session id that is not live (ended, or superseded by a newer session in the same room). */
  | {
      readonly kind: "past";
      readonly roomId: string;
      readonly sessionId: string;
      readonly session: Session;
      /** Why it is not live, as a sentence an agent can act on. */
      readonly why: string;
    };

/**
 * The session a call names: `room_id` (whatever is live in it) or `session_id` (resolved and checked).
 * The tools' argument relations already make sure exactly one of the two is given.
 */
export async function resolveTarget(
  client: HmsClient,
  args: Readonly<Record<string, unknown>>,
  signal: AbortSignal,
): Promise<SessionTarget> {
  if (typeof args.room_id === "string") {
    return { kind: "room", roomId: args.room_id };
  }
  const sessionId = String(args.session_id);
  const session = await client
    .call("getSession", { path: { session_id: sessionId } }, { signal })
    .catch(hinted("404", "No session has this id: list_sessions shows the sessions of a room."));
  const roomId = session.room_id;
  if (!session.active) {
    return { kind: "past", roomId, sessionId, session, why: `session ${sessionId} has ended` };
  }
  let liveSessionId: string | undefined;
  try {
    const active = await client.call("getActiveRoom", { path: { room_id: roomId } }, { signal });
    liveSessionId = active.session.id;
  } catch (error) {
    // 404: the room has no live session any more; the session just ended and its record lags.
    if (!(isUpstreamError(error) && error.code === "404")) {
      throw error;
    }
  }
  if (liveSessionId === sessionId) {
    return { kind: "live", roomId, sessionId };
  }
  const why =
    liveSessionId === undefined
      ? `session ${sessionId} is no longer live (room ${roomId} has no live session now)`
      : `session ${sessionId} is no longer live: room ${roomId}'s live session is now ${liveSessionId}`;
  return { kind: "past", roomId, sessionId, session, why };
}

/** A catch handler that adds a hint to upstream errors of one code. */
export function hinted(code: string, hint: string): (error: unknown) => never {
  return (error) => {
    if (isUpstreamError(error) && error.code === code && error.hint === undefined) {
      throw error.withHint(hint);
    }
    throw error;
  };
}
