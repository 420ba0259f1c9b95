/**
 * Environment → 100ms settings: a management token as is, or the app key pair to mint them from.
 */
import { formatBytes, limitsFromEnv, MAX_RESPONSE_BYTES_RANGE, TIMEOUT_RANGE } from "../../http-limits.js";
import type { ConfigResult, Env, EnvVariable } from "../provider.js";
import type { HmsConfig } from "./client.js";
import { HMS_JOIN_LINK_ENVIRONMENT, hmsJoinUrlTemplateFromEnv } from "./join-link.js";
import { HMS_JOIN_TOKEN_ENVIRONMENT, hmsJoinTokenSettingsFromEnv } from "./join-token-settings.js";

/** The environment variables behind the limits, named in errors so an operator knows what to change. */
export const HMS_LIMIT_VARIABLES = {
  timeout: { name: "HMS_TIMEOUT_MS", defaultValue: 15_000 },
  maxResponseBytes: { name: "HMS_MAX_RESPONSE_BYTES", defaultValue: 2 * 1024 * 1024 },
} as const;

export const HMS_DEFAULT_API_URL = "https://api.100ms.live/v2";

const { timeout: TIMEOUT, maxResponseBytes: MAX_BYTES } = HMS_LIMIT_VARIABLES;

export const HMS_ENVIRONMENT: readonly EnvVariable[] = [
  { name: "HMS_MANAGEMENT_TOKEN", description: "a management token, used as is", secret: true },
  {
    name: "HMS_ACCESS_KEY",
    description: "app access key (with HMS_SECRET: tokens minted and renewed)",
    secret: false,
  },
  { name: "HMS_SECRET", description: "app secret", secret: true },
  { name: "HMS_API_URL", description: `API base URL (default ${HMS_DEFAULT_API_URL})`, secret: false },
  {
    name: TIMEOUT.name,
    description: `deadline per attempt for headers and body, ms (default ${TIMEOUT.defaultValue}; ${TIMEOUT_RANGE.min}-${TIMEOUT_RANGE.max})`,
    secret: false,
  },
  {
    name: MAX_BYTES.name,
    description: `most bytes read of one answer (default ${MAX_BYTES.defaultValue} = ${formatBytes(MAX_BYTES.defaultValue)}; ${MAX_RESPONSE_BYTES_RANGE.min}-${MAX_RESPONSE_BYTES_RANGE.max})`,
    secret: false,
  },
  ...HMS_JOIN_TOKEN_ENVIRONMENT,
  ...HMS_JOIN_LINK_ENVIRONMENT,
];

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
  // Every call appends its path to this URL: a query or fragment would swallow it, and user info would be
  // sent to the API (and shown in errors). The value is not echoed: it may hold a password.
  if (url.username !== "" || url.password !== "") {
    return {
      kind: "invalid",
      problem:
        "HMS_API_URL must not contain user info (user:password@); credentials go in HMS_ACCESS_KEY / HMS_SECRET",
    };
  }
  if (url.search !== "" || url.hash !== "" || /[?#]/.test(apiUrl)) {
    return {
      kind: "invalid",
      problem: "HMS_API_URL must not contain a query (?…) or fragment (#…), e.g. https://api.100ms.live/v2",
    };
  }
  const limits = limitsFromEnv(env, HMS_LIMIT_VARIABLES);
  if ("problem" in limits) {
    return { kind: "invalid", problem: limits.problem };
  }
  const join = hmsJoinTokenSettingsFromEnv(env);
  if ("problem" in join) {
    return { kind: "invalid", problem: join.problem };
  }
  const link = hmsJoinUrlTemplateFromEnv(env);
  if ("problem" in link) {
    return { kind: "invalid", problem: link.problem };
  }
  const auth: HmsConfig["auth"] =
    accessKey !== "" ? { kind: "keys", accessKey, secret } : { kind: "token", token };
  return {
    kind: "configured",
    config: {
      apiUrl: apiUrl.replace(/\/+$/, ""),
      auth,
      timeoutMs: limits.limits.timeoutMs,
      maxResponseBytes: limits.limits.maxResponseBytes,
      joinTokens: join.settings,
      ...(link.template === undefined ? {} : { joinUrlTemplate: link.template }),
    },
    ...(accessKey !== "" && token !== ""
      ? {
          notice:
            "Both HMS_ACCESS_KEY/HMS_SECRET and HMS_MANAGEMENT_TOKEN are set: minting tokens from the key pair.",
        }
      : {}),
  };
}
