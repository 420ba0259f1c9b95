/**
 * create_join_token for 100ms: a peer's app token for one room and role, signed here with the app secret
 * (no API call). The token is the result's purpose: the server lets exactly this token through its token
 * scrubbing (`handsOut`) and never writes it to a log line.
 */
import { hmsOperations } from "../../generated/hms/operations.js";
import type { HmsClient } from "../../providers/hms/client.js";
import {
  HMS_DEFAULT_JOIN_TTL_SECONDS,
  HMS_JOIN_TOKEN_MAX_TTL,
} from "../../providers/hms/join-token-settings.js";
import { ANNOTATIONS, type JsonSchema, type Tool } from "../define.js";

/** How the coverage gate and the README name a tool that calls no API: a `local/` operation. */
export const HMS_JOIN_TOKEN_OPERATION = "local/CreateJoinToken";

// The room id as the API's operations take it (its pattern included), so a token names a real-looking room.
const roomIdSchema = (hmsOperations.getRoom.inputSchema.properties as Record<string, JsonSchema>)
  .room_id as JsonSchema;

const INPUT: JsonSchema = {
  type: "object",
  properties: {
    room_id: { ...roomIdSchema, description: "Id of the room the token admits to (list_rooms shows ids)." },
    user_id: {
      type: "string",
      minLength: 1,
      description: "Your id for the peer (shown as user_id in sessions and webhooks); need not be unique.",
    },
    role: {
      type: "string",
      minLength: 1,
      description:
        "Role the peer joins with, one of the room template's roles (e.g. guest, host); it sets what the peer may " +
        "publish and do. 100ms checks it only when the peer joins.",
    },
    ttl_seconds: {
      type: "integer",
      minimum: 60,
      description: `Lifetime in seconds (default ${HMS_DEFAULT_JOIN_TTL_SECONDS}, at most this server's ${HMS_JOIN_TOKEN_MAX_TTL}).`,
    },
  },
  required: ["room_id", "user_id", "role"],
  additionalProperties: false,
};

const OUTPUT: JsonSchema = {
  type: "object",
  properties: {
    token: { type: "string", description: "The app token the peer's client SDK joins with." },
    room_id: { type: "string" },
    user_id: { type: "string" },
    role: { type: "string" },
    not_before: { type: "string", format: "date-time" },
    expires_at: { type: "string", format: "date-time" },
    ttl_seconds: { type: "integer" },
    note: { type: "string", description: "What the token can and cannot do once handed out." },
  },
  required: ["token", "room_id", "user_id", "role", "not_before", "expires_at", "ttl_seconds", "note"],
  additionalProperties: false,
};

const NOTE =
  "Anyone holding this token can join this room with this role until expires_at. It cannot be withdrawn before " +
  "it expires: remove_peer disconnects a peer, and update_room enabled: false keeps everyone out.";

export const createHmsJoinToken: Tool<HmsClient> = {
  name: "create_join_token",
  title: "Create a join token for a room",
  description:
    "Mint an app token that lets one peer (a guest, a device, a bot) join a room with a role, for a client SDK. " +
    `Valid from now for ttl_seconds (default 1 hour, capped by the server's ${HMS_JOIN_TOKEN_MAX_TTL}). Signed ` +
    "locally with the app secret: no call reaches 100ms, so an unknown room or role shows only when the peer " +
    "joins; needs HMS_ACCESS_KEY and HMS_SECRET (a management token alone cannot sign it). A token cannot be " +
    "withdrawn before it expires.",
  annotations: ANNOTATIONS.mintsCredential,
  inputSchema: INPUT,
  outputSchema: OUTPUT,
  operation: HMS_JOIN_TOKEN_OPERATION,
  relations: [],
  handsOut: "token",
  async call(client, args) {
    const { settings } = client.joinTokens;
    const ttlSeconds =
      typeof args.ttl_seconds === "number"
        ? args.ttl_seconds
        : Math.min(HMS_DEFAULT_JOIN_TTL_SECONDS, settings.maxTtlSeconds);
    const request = {
      roomId: String(args.room_id),
      userId: String(args.user_id),
      role: String(args.role),
      ttlSeconds,
    };
    const issued = await client.joinTokens.issue(request);
    return {
      token: issued.token,
      room_id: request.roomId,
      user_id: request.userId,
      role: request.role,
      not_before: new Date(issued.notBefore * 1000).toISOString(),
      expires_at: new Date(issued.expiresAt * 1000).toISOString(),
      ttl_seconds: ttlSeconds,
      note: NOTE,
    };
  },
};
