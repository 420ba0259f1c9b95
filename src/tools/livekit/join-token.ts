/**
 * create_join_token: a participant's credential for one room, signed here with the API secret (no RPC).
 * The token is the result's purpose: it is shown to the agent (the server lets exactly this token through
 * its scrubbing of tokens, see `handsOut`) and never written to a log line.
 */
import { fromJson, type JsonValue, type MessageShape } from "@bufbuild/protobuf";
import { ArgumentError } from "../../errors.js";
import { RoomAgentDispatchSchema } from "../../generated/livekit/livekit_agent_dispatch_pb.js";
import { CreateRoomRequestSchema } from "../../generated/livekit/livekit_room_pb.js";
import type { LiveKitClient } from "../../providers/livekit/client.js";
import { type IssuedJoinToken, PUBLISH_SOURCES } from "../../providers/livekit/join-token.js";
import {
  DEFAULT_JOIN_TTL_SECONDS,
  DEFAULT_MAX_JOIN_TTL_SECONDS,
  JOIN_TOKEN_VARIABLES,
} from "../../providers/livekit/join-token-settings.js";
import { jsonSchemaOf } from "../../providers/livekit/services.js";
import { ANNOTATIONS, type JsonSchema, type Tool } from "../define.js";

/** How the coverage gate and the README name a tool that calls no RPC: a `local/` operation. */
export const JOIN_TOKEN_OPERATION = "local/CreateJoinToken";

const agentSchema = (
  (jsonSchemaOf(CreateRoomRequestSchema).properties as Record<string, JsonSchema>).agents as JsonSchema
).items as JsonSchema;

const INPUT: JsonSchema = {
  type: "object",
  properties: {
    room: {
      type: "string",
      minLength: 1,
      description:
        "Room the token admits to, by name; it need not be open (joining creates it, unless the server's room " +
        "auto-creation is off).",
    },
    identity: {
      type: "string",
      minLength: 1,
      description:
        "Identity of the participant, unique in the room: a second connection with the same identity disconnects the first.",
    },
    name: { type: "string", description: "Display name others see." },
    metadata: {
      type: "string",
      description: "Participant metadata (often JSON), visible to everyone in the room.",
    },
    attributes: {
      type: "object",
      additionalProperties: { type: "string" },
      description: "Participant attributes (key-value strings), visible to everyone in the room.",
    },
    can_subscribe: {
      type: "boolean",
      default: true,
      description: "May see and hear the others' tracks (default true).",
    },
    can_publish: {
      type: "boolean",
      default: false,
      description: "May publish camera, microphone or screen (default false: a listener).",
    },
    can_publish_sources: {
      type: "array",
      items: { type: "string", enum: [...PUBLISH_SOURCES] },
      uniqueItems: true,
      description: "Only these sources may be published (needs can_publish: true); absent: any source.",
    },
    can_publish_data: {
      type: "boolean",
      default: false,
      description: "May send data messages and chat (default false).",
    },
    hidden: {
      type: "boolean",
      default: false,
      description: "Invisible to the other participants (default false), e.g. for a silent observer.",
    },
    agents: {
      type: "array",
      items: agentSchema,
      description:
        "Agents LiveKit dispatches when this participant's joining creates the room. A room that is already open " +
        "is not changed by a token: send an agent there with create_agent_dispatch.",
    },
    ttl_seconds: {
      type: "integer",
      minimum: 1,
      default: DEFAULT_JOIN_TTL_SECONDS,
      description:
        `Seconds the token can be used to join (at most the server's ${JOIN_TOKEN_VARIABLES.maxTtl}, ` +
        `${DEFAULT_MAX_JOIN_TTL_SECONDS} unless the operator set another).`,
    },
  },
  required: ["room", "identity"],
  additionalProperties: false,
};

const BOOLEAN = { type: "boolean" } as const;

const OUTPUT: JsonSchema = {
  type: "object",
  properties: {
    token: {
      type: "string",
      description:
        "The access token (a JWT) to hand to the participant. Whoever holds it can join as this identity until expires_at.",
    },
    server_url: {
      type: "string",
      description: "The ws(s):// URL a LiveKit client connects to with the token.",
    },
    join_url: {
      type: "string",
      description:
        "A link that joins with the token, from the operator's LIVEKIT_JOIN_URL_TEMPLATE (absent without one).",
    },
    room: { type: "string", description: "Room the token admits to." },
    identity: { type: "string", description: "Identity the participant joins as." },
    grant: {
      type: "object",
      description: "The token's video grant, exactly as signed (LiveKit's claim names).",
      properties: {
        roomJoin: BOOLEAN,
        room: { type: "string" },
        canPublish: BOOLEAN,
        canPublishData: BOOLEAN,
        canSubscribe: BOOLEAN,
        canPublishSources: { type: "array", items: { type: "string" } },
        canUpdateOwnMetadata: BOOLEAN,
        hidden: BOOLEAN,
      },
      additionalProperties: false,
    },
    room_config: {
      type: "object",
      description:
        "The token's room configuration claim (agents to dispatch), exactly as signed; absent without agents.",
    },
    not_before: {
      type: "string",
      description: "When the token becomes valid (when it was made), RFC 3339 UTC.",
    },
    expires_at: { type: "string", description: "When the token stops admitting anyone, RFC 3339 UTC." },
    ttl_seconds: { type: "integer", description: "Lifetime of the token in seconds." },
    note: { type: "string", description: "What the token can and cannot do once handed out." },
  },
  required: [
    "token",
    "server_url",
    "room",
    "identity",
    "grant",
    "not_before",
    "expires_at",
    "ttl_seconds",
    "note",
  ],
  additionalProperties: false,
};

const NOTE =
  "Anyone holding this token can join as this identity until expires_at; LiveKit renews it for a participant who " +
  "stays connected. It cannot be withdrawn before it expires: remove_participant disconnects them, and LiveKit Cloud " +
  "then rejects tokens issued before the removal (self-hosted servers do not).";

export const createJoinToken: Tool<LiveKitClient> = {
  name: "create_join_token",
  title: "Create a join token for a room",
  description:
    "Mint an access token that lets one participant (a guest, a device, a bot) join a room, and return it with its " +
    "grants, expiry and, when the operator configured one, a join link. Least privilege by default: the participant " +
    "can subscribe but not publish media or data; every permission is written into the token explicitly, since " +
    "LiveKit treats a missing one as allowed. Signed locally with the API secret: no call reaches LiveKit, and a " +
    "token cannot be withdrawn before it expires (ttl_seconds).",
  annotations: ANNOTATIONS.mintsCredential,
  inputSchema: INPUT,
  outputSchema: OUTPUT,
  operation: JOIN_TOKEN_OPERATION,
  relations: [],
  handsOut: "token",
  async call(client, args) {
    const settings = client.joinTokens.settings;
    const ttlSeconds =
      typeof args.ttl_seconds === "number" ? args.ttl_seconds : defaultTtl(settings.maxTtlSeconds);
    const issued = await client.joinTokens.issue({
      room: String(args.room),
      identity: String(args.identity),
      ...(typeof args.name === "string" ? { name: args.name } : {}),
      ...(typeof args.metadata === "string" ? { metadata: args.metadata } : {}),
      ...(args.attributes === undefined ? {} : { attributes: args.attributes as Record<string, string> }),
      permissions: {
        canSubscribe: args.can_subscribe !== false,
        canPublish: args.can_publish === true,
        canPublishData: args.can_publish_data === true,
        ...(Array.isArray(args.can_publish_sources)
          ? { canPublishSources: args.can_publish_sources as string[] }
          : {}),
        hidden: args.hidden === true,
      },
      ...(Array.isArray(args.agents) ? { agents: agentsFrom(args.agents) } : {}),
      ttlSeconds,
    });
    return resultOf(issued, String(args.room), String(args.identity), ttlSeconds);
  },
};

/** The default lifetime, unless the operator allows less. */
function defaultTtl(maxTtlSeconds: number): number {
  return Math.min(DEFAULT_JOIN_TTL_SECONDS, maxTtlSeconds);
}

function agentsFrom(items: readonly unknown[]): MessageShape<typeof RoomAgentDispatchSchema>[] {
  return items.map((item, i) => {
    try {
      return fromJson(RoomAgentDispatchSchema, item as JsonValue);
    } catch (error) {
      throw new ArgumentError(`agents[${i}]`, error instanceof Error ? error.message : String(error));
    }
  });
}

function resultOf(issued: IssuedJoinToken, room: string, identity: string, ttlSeconds: number) {
  return {
    token: issued.token,
    server_url: issued.serverUrl,
    ...(issued.joinUrl === undefined ? {} : { join_url: issued.joinUrl }),
    room,
    identity,
    grant: issued.grant,
    ...(issued.roomConfig === undefined ? {} : { room_config: issued.roomConfig }),
    not_before: new Date(issued.notBefore * 1000).toISOString(),
    expires_at: new Date(issued.expiresAt * 1000).toISOString(),
    ttl_seconds: ttlSeconds,
    note: NOTE,
  };
}
