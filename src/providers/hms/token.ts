/**
 * 100ms management tokens: either one the operator gives (HMS_MANAGEMENT_TOKEN, used as is), or HS256 JWTs
 * minted from the app access key and secret, cached, and minted afresh before they expire.
 */

import { randomUUID } from "node:crypto";
import { jose } from "../../jose.js";

export interface HmsKeyPair {
  readonly accessKey: string;
  readonly secret: string;
}

/** Where the client gets the bearer token for each request. */
export interface TokenSource {
  /** The token to send now. */
  get(): Promise<string>;
  /**
   * Called when 100ms answered 401 to `rejected`: a token worth one retry, or undefined when there is none
   * (a given token cannot be replaced).
   */
  renew(rejected: string): Promise<string | undefined>;
}

export interface MintOptions {
  /** Milliseconds since the epoch, like `Date.now` (the default); tests pass a fixed clock. */
  readonly now?: () => number;
  /** Token lifetime. One hour: long enough to be reused across calls, short enough that a leak ages out. */
  readonly lifetimeSeconds?: number;
  /** Mint a new token this long before the cached one expires, so no request carries a token about to lapse. */
  readonly refreshMarginSeconds?: number;
}

const DEFAULT_LIFETIME_SECONDS = 3600;
const DEFAULT_REFRESH_MARGIN_SECONDS = 300;
/** Backdating `iat`/`nbf` absorbs a 100ms clock slightly behind ours (the official SDK does the same). */
const CLOCK_SKEW_SECONDS = 10;

/**
 * One management token: `access_key`, `type: "management"`, `version: 2`, `iat`, `nbf`, `exp` and a UUID
 * `jti`, signed HS256 with the app secret (the claims 100ms documents).
 */
export async function mintManagementToken(
  keys: HmsKeyPair,
  options: { now?: () => number; lifetimeSeconds?: number } = {},
): Promise<{ token: string; expiresAt: number }> {
  const lifetime = options.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS;
  if (!Number.isInteger(lifetime) || lifetime <= CLOCK_SKEW_SECONDS) {
    throw new RangeError(`token lifetime must be an integer above ${CLOCK_SKEW_SECONDS}s, got ${lifetime}`);
  }
  const issuedAt = Math.floor((options.now ?? Date.now)() / 1000) - CLOCK_SKEW_SECONDS;
  const expiresAt = issuedAt + lifetime;
  const token = await new (await jose()).SignJWT({
    access_key: keys.accessKey,
    type: "management",
    version: 2,
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(expiresAt)
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(keys.secret));
  return { token, expiresAt };
}

/** A token given by the operator: sent as is; a 401 cannot be fixed by retrying. */
export function givenTokenSource(token: string): TokenSource {
  return {
    get: async () => token,
    renew: async () => undefined,
  };
}

/**
 * Minted tokens, cached until `refreshMarginSeconds` before expiry. Concurrent callers share one minting;
 * after a 401 the token is minted afresh unless another caller already replaced the rejected one.
 */
export function mintingTokenSource(keys: HmsKeyPair, options: MintOptions = {}): TokenSource {
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginSeconds ?? DEFAULT_REFRESH_MARGIN_SECONDS;
  type Minted = { token: string; expiresAt: number };
  let current: Promise<Minted> | undefined;

  const mint = (): Promise<Minted> => {
    const minted = mintManagementToken(keys, {
      now,
      ...(options.lifetimeSeconds !== undefined ? { lifetimeSeconds: options.lifetimeSeconds } : {}),
    });
    current = minted;
    // A failed minting must not stay cached.
    minted.catch(() => {
      if (current === minted) {
        current = undefined;
      }
    });
    return minted;
  };

  /** The cached token if it is fresh; otherwise whichever new one this or another caller mints first. */
  const fresh = async (): Promise<Minted> => {
    for (;;) {
      const seen = current;
      if (seen === undefined) {
        return mint();
      }
      const minted = await seen;
      if (minted.expiresAt - margin > now() / 1000) {
        return minted;
      }
      if (current === seen) {
        return mint();
      }
    }
  };

  return {
    get: async () => (await fresh()).token,
    async renew(rejected) {
      const seen = current;
      const minted = seen === undefined ? undefined : await seen.catch(() => undefined);
      if (minted !== undefined && minted.token !== rejected) {
        return (await fresh()).token;
      }
      return (current === seen ? await mint() : await fresh()).token;
    },
  };
}
