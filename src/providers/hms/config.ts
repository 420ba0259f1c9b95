/**
 * Environment → 100ms settings: a management token as is, or the app key pair to mint them from.
 */
import type { ConfigResult, Env, EnvVariable } from "../provider.js";
import { HMS_DEFAULT_API_URL, type HmsConfig } from "./client.js";

export const HMS_ENVIRONMENT: readonly EnvVariable[] = [
  { name: "HMS_MANAGEMENT_TOKEN", description: "a management token, used as is", secret: true },
  {
    name: "HMS_ACCESS_KEY",
    description: "app access key (with HMS_SECRET: tokens minted and renewed)",
    secret: false,
  },
  { name: "HMS_SECRET", description: "app secret", secret: true },
  { name: "HMS_API_URL", description: `API base URL (default ${HMS_DEFAULT_API_URL})`, secret: false },
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
