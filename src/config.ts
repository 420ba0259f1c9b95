/**
 * Environment → provider configuration. Variable names are the vendors' own (LiveKit's CLI and SDKs read
 * LIVEKIT_URL / LIVEKIT_API_KEY / LIVEKIT_API_SECRET) so an operator's existing setup just works.
 */
import type { LiveKitConfig } from "./providers/livekit/client.js";

export type Env = Readonly<Record<string, string | undefined>>;

/** What `livekit-server --dev` listens on, with its built-in key pair. */
export const LIVEKIT_DEV_DEFAULTS = {
  url: "http://localhost:7880",
  apiKey: "devkey",
  apiSecret: "secret",
} as const;

const LIVEKIT_VARS = ["LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET"] as const;

export type ConfigResult<T> =
  | { readonly kind: "configured"; readonly config: T; readonly notice?: string }
  | { readonly kind: "absent" }
  | { readonly kind: "invalid"; readonly problem: string };

/**
 * LiveKit settings from the environment. With none of the three variables set, `devDefaults` decides:
 * `rooms-mcp livekit` falls back to a local dev server (and says so); multi-provider mode skips LiveKit.
 * A partial set is an error that names what is missing (never the values).
 */
export function liveKitConfigFromEnv(
  env: Env,
  options: { devDefaults: boolean },
): ConfigResult<LiveKitConfig> {
  const set = LIVEKIT_VARS.filter((name) => (env[name] ?? "") !== "");
  if (set.length === 0) {
    if (!options.devDefaults) return { kind: "absent" };
    return {
      kind: "configured",
      config: { ...LIVEKIT_DEV_DEFAULTS },
      notice:
        "LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET are not set: using a local `livekit-server --dev` " +
        `at ${LIVEKIT_DEV_DEFAULTS.url} with its dev key pair.`,
    };
  }
  const missing = LIVEKIT_VARS.filter((name) => !set.includes(name));
  if (missing.length > 0) {
    return {
      kind: "invalid",
      problem: `set ${missing.join(" and ")} as well (LiveKit needs all three variables)`,
    };
  }
  return {
    kind: "configured",
    config: {
      url: env.LIVEKIT_URL as string,
      apiKey: env.LIVEKIT_API_KEY as string,
      apiSecret: env.LIVEKIT_API_SECRET as string,
      ...(env.LIVEKIT_WIRE_FORMAT === "protobuf" ? { binary: true } : {}),
    },
  };
}
