/**
 * Who is calling: bearer tokens the operator issued (compared in constant time), or OAuth access tokens
 * (oauth.ts). Either way the SDK's `verifyBearerToken` parses the header and `bearerAuthChallengeResponse`
 * builds the 401/403 with its `WWW-Authenticate` challenge, so the wire answers are the SDK's own.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import {
  type AuthInfo,
  bearerAuthChallengeResponse,
  OAuthError,
  OAuthErrorCode,
  type OAuthTokenVerifier,
  verifyBearerToken,
} from "@modelcontextprotocol/server";

/** The authenticated caller of one request, as the rest of the HTTP layer sees it. */
export interface Principal {
  /** A name for logs and for binding confirmations: never a credential. */
  readonly id: string;
  /** The caller may only use read-only tools (an OAuth token with the read scope alone). */
  readonly readOnly: boolean;
  readonly authInfo: AuthInfo | undefined;
}

/** Decides one request's principal, or answers it (401, 403). */
export type AuthGate = (authorization: string | null) => Promise<Principal | Response>;

/** No authentication (loopback only; options.ts refuses anything else): everyone is the same caller. */
export const OPEN_GATE: AuthGate = async () => ({ id: "anonymous", readOnly: false, authInfo: undefined });

/**
 * A gate for operator-issued tokens. Each configured token is kept as its SHA-256 digest and compared with
 * `timingSafeEqual`, so neither the comparison time nor the digests' lengths say anything about a token.
 */
export function staticTokenGate(tokens: readonly string[]): AuthGate {
  const known = tokens.map((token, index) => ({ digest: digestOf(token), index }));
  const verifier: OAuthTokenVerifier = {
    async verifyAccessToken(token) {
      const digest = digestOf(token);
      // Every entry is compared (no early exit), so the time taken does not say which one matched.
      let match: number | undefined;
      for (const entry of known) {
        if (timingSafeEqual(entry.digest, digest) && match === undefined) {
          match = entry.index;
        }
      }
      if (match === undefined) {
        throw new OAuthError(OAuthErrorCode.InvalidToken, "Unknown bearer token");
      }
      return {
        token,
        clientId: `token#${match + 1}`,
        scopes: [],
        // Operator tokens do not expire; the SDK wants an expiry, so each check grants one minute.
        expiresAt: Math.floor(Date.now() / 1000) + 60,
      };
    },
  };
  return async (authorization) => {
    try {
      const authInfo = await verifyBearerToken(authorization, { verifier });
      return { id: authInfo.clientId, readOnly: false, authInfo };
    } catch (error) {
      return bearerAuthChallengeResponse(error);
    }
  };
}

function digestOf(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}
