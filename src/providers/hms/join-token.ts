/**
 * 100ms join tokens ("app tokens"): what a peer's client SDK joins one room with. An HS256 JWT signed with
 * the app secret, with the claims 100ms documents: `access_key`, `room_id`, `user_id`, `role`,
 * `type: "app"`, `version: 2`, a UUID `jti`, `iat` = `nbf` = now and `exp` = now + ttl.
 *
 * Minting makes no network call. It needs the key pair: a management token alone cannot sign for a
 * peer. The operator bounds the lifetime (HMS_JOIN_TOKEN_MAX_TTL), since a token cannot be withdrawn.
 */

import { randomUUID } from "node:crypto";
import { parseDuration } from "../../duration.js";
import { ArgumentError, PolicyError } from "../../errors.js";
import { jose } from "../../jose.js";
import type { Env, EnvVariable } from "../provider.js";
import type { HmsKeyPair } from "./token.js";

/** One hour: long enough to pass a token on and join. */
export const HMS_DEFAULT_JOIN_TTL_SECONDS = 3600;
/** A day, the lifetime of 100ms's own documented samples; an operator may lower or raise it. */
export const HMS_DEFAULT_MAX_JOIN_TTL_SECONDS = 24 * 3600;
/** The longest an operator may allow: a token cannot be revoked before it expires, so keep it bounded. */
const LONGEST_MAX_TTL_SECONDS = 30 * 24 * 3600;

export const HMS_JOIN_TOKEN_MAX_TTL = "HMS_JOIN_TOKEN_MAX_TTL";

export const HMS_JOIN_TOKEN_ENVIRONMENT: readonly EnvVariable[] = [
  {
    name: HMS_JOIN_TOKEN_MAX_TTL,
    description:
      "longest lifetime create_join_token may give a token: seconds, or with s/m/h/d (default 24h; at most 30d)",
    secret: false,
  },
];

export interface HmsJoinTokenSettings {
  readonly maxTtlSeconds: number;
}

/** Join-token settings from the environment, or the problem with them (naming the variable). */
export function hmsJoinTokenSettingsFromEnv(
  env: Env,
): { readonly settings: HmsJoinTokenSettings } | { readonly problem: string } {
  const text = (env[HMS_JOIN_TOKEN_MAX_TTL] ?? "").trim();
  const maxTtlSeconds = text === "" ? HMS_DEFAULT_MAX_JOIN_TTL_SECONDS : parseDuration(text);
  if (maxTtlSeconds === undefined || maxTtlSeconds < 60 || maxTtlSeconds > LONGEST_MAX_TTL_SECONDS) {
    return {
      problem:
        `${HMS_JOIN_TOKEN_MAX_TTL} must be a duration from 60s to 30d (seconds, or a number with s, m, h or d), ` +
        `not ${JSON.stringify(text)}`,
    };
  }
  return { settings: { maxTtlSeconds } };
}

export interface HmsJoinTokenRequest {
  readonly roomId: string;
  readonly userId: string;
  readonly role: string;
  readonly ttlSeconds: number;
}

export interface IssuedHmsJoinToken {
  readonly token: string;
  /** Seconds since the epoch. */
  readonly notBefore: number;
  readonly expiresAt: number;
}

/** Mints join tokens with the app key pair, within the operator's settings. */
export interface HmsJoinTokenIssuer {
  readonly settings: HmsJoinTokenSettings;
  issue(request: HmsJoinTokenRequest): Promise<IssuedHmsJoinToken>;
}

const NO_KEY_PAIR =
  "create_join_token needs the app key pair: this server has only HMS_MANAGEMENT_TOKEN, which cannot sign a " +
  "peer's token. Set HMS_ACCESS_KEY and HMS_SECRET (Developer section of the 100ms dashboard) to mint join tokens.";

export function createHmsJoinTokenIssuer(options: {
  /** Undefined when only a management token is configured: every request is then refused. */
  readonly keys: HmsKeyPair | undefined;
  readonly settings: HmsJoinTokenSettings;
  /** Milliseconds since the epoch (Date.now by default) and the jti; tests pass fixed ones. */
  readonly now?: () => number;
  readonly newId?: () => string;
}): HmsJoinTokenIssuer {
  const { keys, settings } = options;
  const now = options.now ?? Date.now;
  const newId = options.newId ?? randomUUID;
  return {
    settings,
    async issue(request) {
      if (keys === undefined) {
        throw new PolicyError(NO_KEY_PAIR);
      }
      if (request.ttlSeconds > settings.maxTtlSeconds) {
        throw new ArgumentError(
          "ttl_seconds",
          `ttl_seconds is ${request.ttlSeconds}; this server allows join tokens of at most ` +
            `${settings.maxTtlSeconds} seconds (${HMS_JOIN_TOKEN_MAX_TTL})`,
        );
      }
      const issuedAt = Math.floor(now() / 1000);
      const expiresAt = issuedAt + request.ttlSeconds;
      const token = await new (await jose()).SignJWT({
        access_key: keys.accessKey,
        room_id: request.roomId,
        user_id: request.userId,
        role: request.role,
        type: "app",
        version: 2,
      })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setIssuedAt(issuedAt)
        .setNotBefore(issuedAt)
        .setExpirationTime(expiresAt)
        .setJti(newId())
        .sign(new TextEncoder().encode(keys.secret));
      return { token, notBefore: issuedAt, expiresAt };
    },
  };
}
