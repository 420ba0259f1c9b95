/**
 * 100ms join tokens ("app tokens"): what a peer's client SDK joins one room with. An HS256 JWT signed with
 * the app secret, with the claims 100ms documents: `access_key`, `room_id`, `user_id`, `role`,
 * `type: "app"`, `version: 2`, a UUID `jti`, `iat` = `nbf` = now and `exp` = now + ttl.
 *
 * Minting makes no network call. It needs the key pair: a management token alone cannot sign for a
 * peer. The operator bounds the lifetime (HMS_JOIN_TOKEN_MAX_TTL), since a token cannot be withdrawn.
 */

import { randomUUID } from "node:crypto";
import { ArgumentError, PolicyError } from "../../errors.js";
import { jose } from "../../jose.js";
import { HMS_JOIN_TOKEN_MAX_TTL, type HmsJoinTokenSettings } from "./join-token-settings.js";
import type { HmsKeyPair } from "./token.js";

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
