/**
 * Server API tokens for LiveKit: an HS256 JWT signed with the API secret, carrying the least grant one call
 * needs, valid for a few minutes. A client reuses a token for the same grant while it has most of its life
 * left ({@link ServerTokenCache}), so a burst of calls signs once.
 *
 * Signed with jose; LiveKit's own TokenVerifier checks these tokens in the tests.
 */

import { randomUUID } from "node:crypto";
import { ArgumentError } from "../../errors.js";
import { jose } from "../../jose.js";

/**
 * The server-API part of LiveKit's `video` claim (JSON claim names as LiveKit spells them). Join-token
 * grants (roomJoin, canPublish, …) are not here: those are a participant's, never a server call's.
 */
export interface VideoGrant {
  roomCreate?: boolean;
  roomList?: boolean;
  roomAdmin?: boolean;
  roomRecord?: boolean;
  ingressAdmin?: boolean;
  room?: string;
  destinationRoom?: string;
}

/** LiveKit's separate `sip` claim: trunks and dispatch rules (admin), and phone calls (call). */
export interface SipGrant {
  admin?: boolean;
  call?: boolean;
}

/** Every claim a server call's token may carry. */
export interface ApiGrant {
  video?: VideoGrant;
  sip?: SipGrant;
}

/**
 * Which grant an RPC needs; each tool's manifest entry names one. `roomAdmin` is scoped to the rooms the
 * request names (AgentDispatchService needs it too); the others are project-wide in LiveKit.
 */
export type GrantKind =
  | "roomList"
  | "roomCreate"
  | "roomAdmin"
  | "roomRecord"
  | "ingressAdmin"
  | "sipAdmin"
  | "sipCall"
  | "sipTransfer";

/** The rooms a request addresses, found by field name whatever the service calls them. */
export interface TargetRooms {
  readonly room?: string;
  readonly destinationRoom?: string;
}

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
  grant: ApiGrant,
  options: { ttlSeconds?: number; now?: () => number } = {},
): Promise<string> {
  return (await signServerToken(credentials, grant, options)).token;
}

/** A signed token and when it expires (seconds since the epoch). */
interface SignedToken {
  readonly token: string;
  readonly exp: number;
}

async function signServerToken(
  credentials: { apiKey: string; apiSecret: string },
  grant: ApiGrant,
  options: { ttlSeconds?: number; now?: () => number },
): Promise<SignedToken> {
  const { apiKey, apiSecret } = credentials;
  checkCredentials(apiKey, apiSecret);
  const ttl = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0) {
    throw new RangeError(`token ttlSeconds must be a positive integer, got ${ttl}`);
  }
  const now = Math.floor((options.now ?? Date.now)() / 1000);
  const exp = now + ttl;
  const token = await new (await jose()).SignJWT(leastClaims(grant))
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(apiKey)
    .setNotBefore(now)
    .setIssuedAt(now)
    .setExpirationTime(exp)
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(apiSecret));
  return { token, exp };
}

function checkCredentials(apiKey: string, apiSecret: string): void {
  if (apiKey === "" || apiSecret === "") {
    // Names only, never values: this message may reach the agent.
    throw new Error(
      "LiveKit API key and secret must both be non-empty (LIVEKIT_API_KEY, LIVEKIT_API_SECRET)",
    );
  }
}

/** LiveKit omits false/empty grant keys (and empty claims); doing the same keeps the token the least grant. */
function leastClaims(grant: ApiGrant): Record<string, Record<string, boolean | string>> {
  const claims: Record<string, Record<string, boolean | string>> = {};
  for (const [claim, keys] of Object.entries(grant) as [string, Record<string, unknown> | undefined][]) {
    const kept = Object.entries(keys ?? {}).filter(
      (entry): entry is [string, boolean | string] =>
        entry[1] === true || (typeof entry[1] === "string" && entry[1] !== ""),
    );
    if (kept.length > 0) {
      claims[claim] = Object.fromEntries(kept);
    }
  }
  return claims;
}

/**
 * How long before its expiry a cached token stops being handed out: room for the request to reach LiveKit
 * and for clock skew. A 300 s token is reused for its first 180 s, then a new one is signed.
 */
export const TOKEN_REUSE_MARGIN_SECONDS = 120;

/** The most grants a cache keeps tokens for (one per room for room-scoped grants); the oldest go first. */
export const TOKEN_CACHE_ENTRIES = 256;

/**
 * Signed tokens of one key pair, by grant. One cache belongs to one client, which has one key pair, so
 * tokens of different credentials are never in the same cache; the grant (with its room) is the key, so a
 * token is only ever reused for exactly the grant it carries. A token is handed out only while more than
 * {@link TOKEN_REUSE_MARGIN_SECONDS} of its life is left, so never past its expiry.
 */
export interface ServerTokenCache {
  tokenFor(grant: ApiGrant): Promise<string>;
}

export function createServerTokenCache(
  credentials: { readonly apiKey: string; readonly apiSecret: string },
  options: { readonly ttlSeconds?: number; readonly now?: () => number; readonly entries?: number } = {},
): ServerTokenCache {
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  const now = options.now ?? Date.now;
  const limit = options.entries ?? TOKEN_CACHE_ENTRIES;
  // Shorter-lived tokens are reused for the part of their life the margin leaves (none if it leaves none).
  const margin = Math.min(TOKEN_REUSE_MARGIN_SECONDS, ttlSeconds);
  const cached = new Map<string, SignedToken>();
  const { apiKey, apiSecret } = credentials;
  return {
    async tokenFor(grant) {
      const key = JSON.stringify(canonicalClaims(leastClaims(grant)));
      const seconds = now() / 1000;
      const hit = cached.get(key);
      if (hit !== undefined && hit.exp - margin > seconds) {
        return hit.token;
      }
      cached.delete(key);
      const signed = await signServerToken({ apiKey, apiSecret }, grant, { ttlSeconds, now });
      if (margin < ttlSeconds) {
        if (cached.size >= limit) {
          // Maps iterate in insertion order: the first key is the oldest token.
          const oldest = cached.keys().next().value;
          if (oldest !== undefined) {
            cached.delete(oldest);
          }
        }
        cached.set(key, signed);
      }
      return signed.token;
    },
  };
}

/** Claims with their keys sorted, so the same grant is one key whatever order it was written in. */
function canonicalClaims(claims: Record<string, Record<string, boolean | string>>): [string, unknown][] {
  return Object.keys(claims)
    .sort()
    .map((claim) => [claim, Object.entries(claims[claim] ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))]);
}

/**
 * The least grant for one call of a method needing `kind`, given the rooms that call's request names.
 *
 * roomAdmin is only valid for the room the request names (and, for ForwardParticipant / MoveParticipant,
 * the destination room too), so a token that leaks from one call can't administer any other room.
 * The other grants are project-wide in LiveKit and can't be narrowed.
 */
export function grantFor(kind: GrantKind, rooms: TargetRooms): ApiGrant {
  switch (kind) {
    case "roomList":
      return { video: { roomList: true } };
    case "roomCreate":
      return { video: { roomCreate: true } };
    case "roomRecord":
      return { video: { roomRecord: true } };
    case "ingressAdmin":
      return { video: { ingressAdmin: true } };
    case "sipAdmin":
      return { sip: { admin: true } };
    case "sipCall":
      return { sip: { call: true } };
    case "sipTransfer":
      // Transferring a call acts on one room's participant: the call grant and admin of that room, as
      // LiveKit's own SipClient asks for.
      return { ...roomAdmin(rooms), sip: { call: true } };
    case "roomAdmin":
      return roomAdmin(rooms);
  }
}

function roomAdmin(rooms: TargetRooms): { video: VideoGrant } {
  // An admin grant with an empty room would not match any real room; say what is missing instead.
  if (rooms.room === undefined || rooms.room === "") {
    throw new ArgumentError("room", "room is required: the room name this call acts on");
  }
  const video: VideoGrant = { roomAdmin: true, room: rooms.room };
  if (rooms.destinationRoom !== undefined && rooms.destinationRoom !== "") {
    video.destinationRoom = rooms.destinationRoom;
  }
  return { video };
}
