/**
 * Environment → provider configuration. Variable names are the vendors' own (LiveKit's CLI and SDKs read
 * LIVEKIT_URL / LIVEKIT_API_KEY / LIVEKIT_API_SECRET) so an operator's existing setup just works.
 */
import { HMS_DEFAULT_API_URL, type HmsConfig } from "./providers/hms/client.js";
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
    if (!options.devDefaults) {
      return { kind: "absent" };
    }
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

/**
 * 100ms settings from the environment: HMS_MANAGEMENT_TOKEN (used as is), or HMS_ACCESS_KEY + HMS_SECRET
 * (management tokens minted and refreshed here; preferred when both are set, since they never expire on us).
 * HMS_API_URL overrides the base URL. A key without its secret, or a base URL that is not http(s), is an
 * error naming the variable (never its value).
 */
export function hmsConfigFromEnv(env: Env): ConfigResult<HmsConfig> {
  const value = (name: string) => (env[name] ?? "").trim();
  const token = value("HMS_MANAGEMENT_TOKEN");
  const accessKey = value("HMS_ACCESS_KEY");
  const secret = value("HMS_SECRET");
  if (accessKey !== "" && secret === "") {
    return {
      kind: "invalid",
      problem: "set HMS_SECRET as well (HMS_ACCESS_KEY needs the app secret it belongs to)",
    };
  }
  if (secret !== "" && accessKey === "") {
    return {
      kind: "invalid",
      problem: "set HMS_ACCESS_KEY as well (HMS_SECRET needs the app access key it belongs to)",
    };
  }
  if (token === "" && accessKey === "") {
    return { kind: "absent" };
  }

  const apiUrl = value("HMS_API_URL") || HMS_DEFAULT_API_URL;
  let url: URL | undefined;
  try {
    url = new URL(apiUrl);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    return {
      kind: "invalid",
      problem: "HMS_API_URL must be an http:// or https:// URL, e.g. https://api.100ms.live/v2",
    };
  }
  const auth: HmsConfig["auth"] =
    accessKey !== "" ? { kind: "keys", accessKey, secret } : { kind: "token", token };
  return {
    kind: "configured",
    config: { apiUrl: apiUrl.replace(/\/+$/, ""), auth },
    ...(accessKey !== "" && token !== ""
      ? {
          notice:
            "Both HMS_ACCESS_KEY/HMS_SECRET and HMS_MANAGEMENT_TOKEN are set: minting tokens from the key pair.",
        }
      : {}),
  };
}
