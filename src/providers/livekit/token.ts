/**
 * Per-call server API tokens for LiveKit: an HS256 JWT signed with the API secret, carrying the least
 * `video` grant the one call needs, valid for a few minutes.
 */
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { ArgumentError } from "../../errors.js";

/**
 * The subset of LiveKit's VideoGrant that RoomService calls need (JSON claim names as LiveKit spells them).
 * Join-token grants (roomJoin, canPublish, …) are deliberately absent: this server never mints those.
 */
export interface VideoGrant {
  roomCreate?: boolean;
  roomList?: boolean;
  roomAdmin?: boolean;
  room?: string;
  destinationRoom?: string;
}

/** Which grant a RoomService method needs; each tool's manifest entry names one. */
export type GrantKind = "roomList" | "roomCreate" | "roomAdmin";

/** Default token lifetime: long enough for one call plus clock skew, short enough that a leak ages out fast. */
const DEFAULT_TTL_SECONDS = 300;

/**
 * Sign a server API token: `iss` = API key, `nbf`/`iat` = now, `exp` = now + ttl, a random `jti`, and the
 * `video` claim holding only the grant keys that are set. No `sub`: server tokens act for no participant.
 *
 * `now` returns milliseconds since the epoch (like `Date.now`, the default); tests pass a fixed clock.
 */
export async function mintServerToken(
  credentials: { apiKey: string; apiSecret: string },
  grant: VideoGrant,
  options: { ttlSeconds?: number; now?: () => number } = {},
): Promise<string> {
  const { apiKey, apiSecret } = credentials;
  if (apiKey === "" || apiSecret === "") {
    // Names only, never values: this message may reach the agent.
    throw new Error(
      "LiveKit API key and secret must both be non-empty (LIVEKIT_API_KEY, LIVEKIT_API_SECRET)",
    );
  }
  const ttl = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0) {
    throw new RangeError(`token ttlSeconds must be a positive integer, got ${ttl}`);
  }
  const now = Math.floor((options.now ?? Date.now)() / 1000);

  // LiveKit omits false/empty grant keys; doing the same keeps the token exactly the least grant.
  const video: Record<string, boolean | string> = {};
  for (const [key, value] of Object.entries(grant) as [string, boolean | string | undefined][]) {
    if (value !== undefined && value !== false && value !== "") {
      video[key] = value;
    }
  }

  return new SignJWT({ video })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(apiKey)
    .setNotBefore(now)
    .setIssuedAt(now)
    .setExpirationTime(now + ttl)
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(apiSecret));
}

/**
 * The least grant for one call of a method needing `kind`, given that call's request (proto field names).
 *
 * roomAdmin is only valid for the room the request names (and, for ForwardParticipant / MoveParticipant,
 * the destination room too), so a token that leaks from one call can't administer any other room.
 * roomList and roomCreate are project-wide in LiveKit and can't be narrowed.
 */
export function grantFor(kind: GrantKind, request: { room?: string; destination_room?: string }): VideoGrant {
  switch (kind) {
    case "roomList":
      return { roomList: true };
    case "roomCreate":
      return { roomCreate: true };
    case "roomAdmin": {
      // An admin grant with an empty room would not match any real room; say what is missing instead.
      if (request.room === undefined || request.room === "") {
        throw new ArgumentError("room", "room is required: the room name this call acts on");
      }
      const grant: VideoGrant = { roomAdmin: true, room: request.room };
      if (request.destination_room !== undefined && request.destination_room !== "") {
        grant.destinationRoom = request.destination_room;
      }
      return grant;
    }
  }
}
