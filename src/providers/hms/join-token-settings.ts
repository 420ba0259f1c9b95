/**
 * The operator's 100ms join-token settings (HMS_JOIN_TOKEN_MAX_TTL), read at start-up; the minting
 * (join-token.ts) loads with the provider's first call.
 */
import { parseDuration } from "../../duration.js";
import type { Env, EnvVariable } from "../provider.js";

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
