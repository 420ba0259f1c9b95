/**
 * Participant join tokens: what a person (or a device) uses to join one LiveKit room. An HS256 JWT signed
 * with the API secret, like LiveKit's own AccessToken: `iss` = API key, `sub` = identity, `nbf` = `iat` =
 * now, `exp` = now + ttl, a `video` grant for the one room, and optionally `name`, `metadata`,
 * `attributes` and a `roomConfig` with agents to dispatch.
 *
 * Least privilege is spelt out in the claim: LiveKit treats a missing canPublish, canSubscribe or
 * canPublishData as allowed, so every permission is written, true or false.
 *
 * Minting makes no network call. The operator bounds the lifetime (LIVEKIT_JOIN_TOKEN_MAX_TTL) and may
 * give a join-link template (LIVEKIT_JOIN_URL_TEMPLATE), e.g. LiveKit Meet's custom-server page.
 */

import { create, type MessageShape, toJson } from "@bufbuild/protobuf";
import { parseDuration } from "../../duration.js";
import { ArgumentError } from "../../errors.js";
import type { RoomAgentDispatchSchema } from "../../generated/livekit/livekit_agent_dispatch_pb.js";
import { TrackSource } from "../../generated/livekit/livekit_models_pb.js";
import { RoomConfigurationSchema } from "../../generated/livekit/livekit_room_pb.js";
import { jose } from "../../jose.js";
import { JOIN_TOKEN_VARIABLES, type JoinTokenSettings, type PLACEHOLDERS } from "./join-token-settings.js";
import { toHttpBaseUrl } from "./url.js";

// Shared with 100ms's join tokens; re-exported where LiveKit's callers and tests have always found it.
export { parseDuration };

/** The track sources a join grant can name, as LiveKit's token claim spells them (`camera`, …). */
export const PUBLISH_SOURCES: readonly string[] = Object.entries(TrackSource)
  .filter(
    (entry): entry is [string, number] => typeof entry[1] === "number" && entry[1] !== TrackSource.UNKNOWN,
  )
  .map(([name]) => name.toLowerCase());

/** What a participant may do in the room, each permission stated. */
export interface JoinPermissions {
  readonly canPublish: boolean;
  readonly canPublishData: boolean;
  readonly canSubscribe: boolean;
  /** Track sources the participant may publish (`camera`, `microphone`, …); absent: any source. */
  readonly canPublishSources?: readonly string[];
  readonly hidden: boolean;
}

export interface JoinTokenRequest {
  readonly room: string;
  readonly identity: string;
  readonly name?: string;
  readonly metadata?: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly permissions: JoinPermissions;
  /** Agents LiveKit dispatches when this participant's join creates the room. */
  readonly agents?: readonly MessageShape<typeof RoomAgentDispatchSchema>[];
  readonly ttlSeconds: number;
}

/** The `video` claim of a join token, as LiveKit names its keys. */
export interface JoinVideoGrant {
  readonly roomJoin: true;
  readonly room: string;
  readonly canPublish: boolean;
  readonly canPublishData: boolean;
  readonly canSubscribe: boolean;
  readonly canPublishSources?: readonly string[];
  readonly canUpdateOwnMetadata: false;
  readonly hidden: boolean;
}

export interface IssuedJoinToken {
  readonly token: string;
  readonly grant: JoinVideoGrant;
  /** The `roomConfig` claim, when agents are dispatched. */
  readonly roomConfig?: Record<string, unknown>;
  /** Seconds since the epoch. */
  readonly notBefore: number;
  readonly expiresAt: number;
  /** The ws(s):// URL clients connect to with the token. */
  readonly serverUrl: string;
  /** The operator's join link with this token, when a template is set. */
  readonly joinUrl?: string;
}

/** Mints join tokens with one server's key pair, within the operator's settings. */
export interface JoinTokenIssuer {
  readonly settings: JoinTokenSettings;
  issue(request: JoinTokenRequest): Promise<IssuedJoinToken>;
}

export function createJoinTokenIssuer(options: {
  readonly url: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly settings: JoinTokenSettings;
  /** Milliseconds since the epoch (Date.now by default); tests pass a fixed clock. */
  readonly now?: () => number;
}): JoinTokenIssuer {
  const { apiKey, apiSecret, settings } = options;
  const now = options.now ?? Date.now;
  return {
    settings,
    async issue(request) {
      if (request.ttlSeconds > settings.maxTtlSeconds) {
        throw new ArgumentError(
          "ttl_seconds",
          `ttl_seconds is ${request.ttlSeconds}; this server allows join tokens of at most ` +
            `${settings.maxTtlSeconds} seconds (${JOIN_TOKEN_VARIABLES.maxTtl})`,
        );
      }
      if (apiKey === "" || apiSecret === "") {
        throw new Error(
          "LiveKit API key and secret must both be non-empty (LIVEKIT_API_KEY, LIVEKIT_API_SECRET)",
        );
      }
      const issuedAt = Math.floor(now() / 1000);
      const expiresAt = issuedAt + request.ttlSeconds;
      const grant = videoGrant(request);
      const roomConfig =
        request.agents === undefined || request.agents.length === 0
          ? undefined
          : (toJson(
              RoomConfigurationSchema,
              create(RoomConfigurationSchema, { agents: [...request.agents] }),
            ) as Record<string, unknown>);
      const claims: Record<string, unknown> = {
        video: grant,
        ...(request.name === undefined ? {} : { name: request.name }),
        ...(request.metadata === undefined ? {} : { metadata: request.metadata }),
        ...(request.attributes === undefined ? {} : { attributes: request.attributes }),
        ...(roomConfig === undefined ? {} : { roomConfig }),
      };
      const token = await new (await jose()).SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setIssuer(apiKey)
        .setSubject(request.identity)
        .setNotBefore(issuedAt)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(new TextEncoder().encode(apiSecret));
      const serverUrl = toWebSocketUrl(options.url);
      const joinUrl =
        settings.urlTemplate === undefined
          ? undefined
          : fillTemplate(settings.urlTemplate, {
              url: serverUrl,
              token,
              room: request.room,
              identity: request.identity,
            });
      return {
        token,
        grant,
        ...(roomConfig === undefined ? {} : { roomConfig }),
        notBefore: issuedAt,
        expiresAt,
        serverUrl,
        ...(joinUrl === undefined ? {} : { joinUrl }),
      };
    },
  };
}

function videoGrant(request: JoinTokenRequest): JoinVideoGrant {
  const { permissions } = request;
  if (permissions.canPublishSources !== undefined && !permissions.canPublish) {
    throw new ArgumentError(
      "can_publish_sources",
      "can_publish_sources narrows what can_publish allows: set can_publish: true as well, or leave the sources out",
    );
  }
  return {
    roomJoin: true,
    room: request.room,
    canPublish: permissions.canPublish,
    canPublishData: permissions.canPublishData,
    canSubscribe: permissions.canSubscribe,
    ...(permissions.canPublishSources === undefined
      ? {}
      : { canPublishSources: [...new Set(permissions.canPublishSources)] }),
    canUpdateOwnMetadata: false,
    hidden: permissions.hidden,
  };
}

/** The URL clients connect to: LIVEKIT_URL with http(s) turned into ws(s). */
export function toWebSocketUrl(url: string): string {
  return toHttpBaseUrl(url).replace(/^http/, "ws");
}

function fillTemplate(
  template: string,
  values: Readonly<Record<(typeof PLACEHOLDERS)[number], string>>,
): string {
  return template.replace(/\{(url|token|room|identity)\}/g, (_, name: (typeof PLACEHOLDERS)[number]) =>
    encodeURIComponent(values[name]),
  );
}
