/**
 * Environment → LiveKit settings. Variable names are LiveKit's own (its CLI and SDKs read LIVEKIT_URL,
 * LIVEKIT_API_KEY, LIVEKIT_API_SECRET), so an operator's existing setup just works.
 */
import { formatBytes, limitsFromEnv, MAX_RESPONSE_BYTES_RANGE, TIMEOUT_RANGE } from "../../http-limits.js";
import { MIN_SUBSTRING_SECRET_LENGTH } from "../../secrets.js";
import type { ConfigResult, Env, EnvVariable } from "../provider.js";
import type { LiveKitConfig } from "./client.js";
import { JOIN_TOKEN_ENVIRONMENT, joinTokenSettingsFromEnv } from "./join-token-settings.js";

/** The environment variables behind the limits, named in errors so an operator knows what to change. */
export const LIVEKIT_LIMIT_VARIABLES = {
  // 10 s, as LiveKit's own SDKs use.
  timeout: { name: "LIVEKIT_TIMEOUT_MS", defaultValue: 10_000 },
  // LiveKit does not paginate: a 5,000-participant room is ~10 MB of JSON, which list_participants pages over.
  maxResponseBytes: { name: "LIVEKIT_MAX_RESPONSE_BYTES", defaultValue: 32 * 1024 * 1024 },
} as const;

const { timeout: TIMEOUT, maxResponseBytes: MAX_BYTES } = LIVEKIT_LIMIT_VARIABLES;

/** What `livekit-server --dev` listens on, with its built-in key pair. */
export const LIVEKIT_DEV_DEFAULTS = {
  url: "http://localhost:7880",
  apiKey: "devkey",
  apiSecret: "secret",
} as const;

const CREDENTIAL_VARS = ["LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET"] as const;

const WIRE_FORMATS = ["json", "protobuf"] as const;

export const LIVEKIT_ENVIRONMENT: readonly EnvVariable[] = [
  {
    name: "LIVEKIT_URL",
    description: "ws(s):// or http(s):// URL of the server or Cloud project",
    secret: false,
  },
  { name: "LIVEKIT_API_KEY", description: "API key", secret: false },
  { name: "LIVEKIT_API_SECRET", description: "API secret (signs every call's token)", secret: true },
  {
    name: "LIVEKIT_WIRE_FORMAT",
    description: `Twirp encoding: ${WIRE_FORMATS.join(" (default) or ")} (binary, smaller answers)`,
    secret: false,
  },
  {
    name: TIMEOUT.name,
    description: `deadline per call for headers and body, ms (default ${TIMEOUT.defaultValue}; ${TIMEOUT_RANGE.min}-${TIMEOUT_RANGE.max})`,
    secret: false,
  },
  {
    name: MAX_BYTES.name,
    description: `most bytes read of one answer (default ${MAX_BYTES.defaultValue} = ${formatBytes(MAX_BYTES.defaultValue)}; ${MAX_RESPONSE_BYTES_RANGE.min}-${MAX_RESPONSE_BYTES_RANGE.max})`,
    secret: false,
  },
  ...JOIN_TOKEN_ENVIRONMENT,
];

/**
 * LiveKit settings from the environment. With none of the three credential variables set, `standalone`
 * decides: `rooms-mcp livekit` falls back to a local dev server (and says so); multi-provider mode skips
 * LiveKit. A partial set is an error that names what is missing (never the values).
 */
export function liveKitConfigFromEnv(
  env: Env,
  mode: { readonly standalone: boolean },
): ConfigResult<LiveKitConfig> {
  const format = env.LIVEKIT_WIRE_FORMAT ?? "";
  if (format !== "" && !(WIRE_FORMATS as readonly string[]).includes(format)) {
    return {
      kind: "invalid",
      problem: `LIVEKIT_WIRE_FORMAT must be ${WIRE_FORMATS.join(" or ")}, not ${JSON.stringify(format)}`,
    };
  }
  const limits = limitsFromEnv(env, LIVEKIT_LIMIT_VARIABLES);
  if ("problem" in limits) {
    return { kind: "invalid", problem: limits.problem };
  }
  const join = joinTokenSettingsFromEnv(env);
  if ("problem" in join) {
    return { kind: "invalid", problem: join.problem };
  }
  const settings = {
    ...(format === "protobuf" ? { binary: true } : {}),
    timeoutMs: limits.limits.timeoutMs,
    maxResponseBytes: limits.limits.maxResponseBytes,
    joinTokens: join.settings,
  };
  const set = CREDENTIAL_VARS.filter((name) => (env[name] ?? "") !== "");
  if (set.length === 0) {
    if (!mode.standalone) {
      return { kind: "absent" };
    }
    return {
      kind: "configured",
      config: { ...LIVEKIT_DEV_DEFAULTS, ...settings },
      notice:
        "LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET are not set: using a local `livekit-server --dev` " +
        `at ${LIVEKIT_DEV_DEFAULTS.url} with its dev key pair.`,
    };
  }
  const missing = CREDENTIAL_VARS.filter((name) => !set.includes(name));
  if (missing.length > 0) {
    return {
      kind: "invalid",
      problem: `set ${missing.join(" and ")} as well (LiveKit needs all three variables)`,
    };
  }
  const apiSecret = env.LIVEKIT_API_SECRET as string;
  return {
    kind: "configured",
    config: { url: env.LIVEKIT_URL as string, apiKey: env.LIVEKIT_API_KEY as string, apiSecret, ...settings },
    // Short secrets cannot be removed from every text without mangling it (src/secrets.ts).
    ...(apiSecret.length < MIN_SUBSTRING_SECRET_LENGTH
      ? {
          notice:
            `LIVEKIT_API_SECRET is shorter than ${MIN_SUBSTRING_SECRET_LENGTH} characters: it is removed from results ` +
            "only where it stands alone (a whole value or word). Use a long secret outside local development.",
        }
      : {}),
  };
}
