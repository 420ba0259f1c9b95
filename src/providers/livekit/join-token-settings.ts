/**
 * The operator's join-token settings (LIVEKIT_JOIN_TOKEN_MAX_TTL, LIVEKIT_JOIN_URL_TEMPLATE), read at start-up.
 * Apart from the minting (join-token.ts), so that reading the configuration loads no protobuf code.
 */
import { parseDuration } from "../../duration.js";
import type { Env, EnvVariable } from "../provider.js";

/** One hour: long enough to pass a link on and join; LiveKit refreshes the token of a connected participant. */
export const DEFAULT_JOIN_TTL_SECONDS = 3600;
/** Six hours, LiveKit's own SDK default lifetime; an operator may lower or raise it. */
export const DEFAULT_MAX_JOIN_TTL_SECONDS = 6 * 3600;
/** The longest an operator may allow: a token cannot be revoked before it expires, so keep it bounded. */
const LONGEST_MAX_TTL_SECONDS = 30 * 24 * 3600;

export const JOIN_TOKEN_VARIABLES = {
  maxTtl: "LIVEKIT_JOIN_TOKEN_MAX_TTL",
  urlTemplate: "LIVEKIT_JOIN_URL_TEMPLATE",
} as const;

/** What a join-link template may contain. */
export const PLACEHOLDERS = ["url", "token", "room", "identity"] as const;

export const JOIN_TOKEN_ENVIRONMENT: readonly EnvVariable[] = [
  {
    name: JOIN_TOKEN_VARIABLES.maxTtl,
    description: `longest lifetime create_join_token may give a token: seconds, or with s/m/h/d (default 6h; at most 30d)`,
    secret: false,
  },
  {
    name: JOIN_TOKEN_VARIABLES.urlTemplate,
    description:
      "join link create_join_token returns, with {url} {token} {room} {identity}, e.g. " +
      "https://meet.livekit.io/custom?liveKitUrl={url}&token={token}",
    secret: false,
  },
];

/** The operator's join-token settings. */
export interface JoinTokenSettings {
  readonly maxTtlSeconds: number;
  readonly urlTemplate?: string;
}

/** Join-token settings from the environment, or the problem with them (naming the variable, never a secret). */
export function joinTokenSettingsFromEnv(
  env: Env,
): { readonly settings: JoinTokenSettings } | { readonly problem: string } {
  const maxText = (env[JOIN_TOKEN_VARIABLES.maxTtl] ?? "").trim();
  const maxTtlSeconds = maxText === "" ? DEFAULT_MAX_JOIN_TTL_SECONDS : parseDuration(maxText);
  if (maxTtlSeconds === undefined || maxTtlSeconds < 60 || maxTtlSeconds > LONGEST_MAX_TTL_SECONDS) {
    return {
      problem:
        `${JOIN_TOKEN_VARIABLES.maxTtl} must be a duration from 60s to 30d (seconds, or a number with s, m, h ` +
        `or d), not ${JSON.stringify(maxText)}`,
    };
  }
  const template = (env[JOIN_TOKEN_VARIABLES.urlTemplate] ?? "").trim();
  if (template === "") {
    return { settings: { maxTtlSeconds } };
  }
  const problem = templateProblem(template);
  if (problem !== undefined) {
    return { problem: `${JOIN_TOKEN_VARIABLES.urlTemplate} ${problem}` };
  }
  return { settings: { maxTtlSeconds, urlTemplate: template } };
}

function templateProblem(template: string): string | undefined {
  if (!/^https?:\/\//.test(template)) {
    return "must be an http:// or https:// URL";
  }
  const unknown = [...template.matchAll(/\{([^}]*)\}/g)]
    .map((m) => m[1] ?? "")
    .filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    return `has unknown placeholders ${unknown.map((n) => `{${n}}`).join(", ")} (known: ${PLACEHOLDERS.map((n) => `{${n}}`).join(" ")})`;
  }
  const at = template.indexOf("{token}");
  if (at === -1) {
    return "must contain {token}";
  }
  // The token must end where the link's next part begins, or it could not be told apart in the link.
  if (/^[A-Za-z0-9_-]/.test(template.slice(at + "{token}".length))) {
    return "must not have a letter, digit, _ or - right after {token}";
  }
  return undefined;
}
