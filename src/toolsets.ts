/**
 * Which tools a run serves: each provider's manifest bound to a client built from the environment.
 */
import { type Env, hmsConfigFromEnv, liveKitConfigFromEnv } from "./config.js";
import { createHmsClient } from "./providers/hms/client.js";
import { createLiveKitClient } from "./providers/livekit/client.js";
import { type BoundTool, bindTools } from "./tools/define.js";
import { hmsToolset } from "./tools/hms.js";
import { livekitToolset } from "./tools/livekit.js";

export const PROVIDER_NAMES = ["livekit", "100ms"] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export interface AssembledTools {
  readonly tools: BoundTool[];
  /** Credential values to scrub from every result. */
  readonly secrets: string[];
  /** Things the operator should know, for stderr. */
  readonly notices: string[];
}

/**
 * `only` set: that provider's tools under their plain names (LiveKit falls back to a local dev server;
 * 100ms has no such default, so its credentials are required).
 * `only` unset: every provider with credentials, names prefixed; none configured still starts, and says
 * what to set. A half-configured provider throws, naming the missing variables.
 */
export function assembleTools(env: Env, only?: ProviderName): AssembledTools {
  const assembled: AssembledTools = { tools: [], secrets: [], notices: [] };
  const prefixed = only === undefined;

  if (only === undefined || only === "livekit") {
    const livekit = liveKitConfigFromEnv(env, { devDefaults: only === "livekit" });
    if (livekit.kind === "invalid") {
      throw new Error(`LiveKit: ${livekit.problem}`);
    }
    if (livekit.kind === "configured") {
      if (livekit.notice !== undefined) {
        assembled.notices.push(livekit.notice);
      }
      assembled.tools.push(
        ...bindTools(livekitToolset.tools, createLiveKitClient(livekit.config), prefixed ? "livekit_" : ""),
      );
      assembled.secrets.push(livekit.config.apiSecret);
    }
  }

  if (only === undefined || only === "100ms") {
    const hms = hmsConfigFromEnv(env);
    if (hms.kind === "invalid") {
      throw new Error(`100ms: ${hms.problem}`);
    }
    if (hms.kind === "absent" && only === "100ms") {
      throw new Error("100ms: set HMS_MANAGEMENT_TOKEN, or HMS_ACCESS_KEY and HMS_SECRET");
    }
    if (hms.kind === "configured") {
      if (hms.notice !== undefined) {
        assembled.notices.push(hms.notice);
      }
      assembled.tools.push(
        ...bindTools(hmsToolset.tools, createHmsClient(hms.config), prefixed ? "hms_" : ""),
      );
      const { auth } = hms.config;
      assembled.secrets.push(auth.kind === "token" ? auth.token : auth.secret);
    }
  }

  if (prefixed && assembled.tools.length === 0) {
    assembled.notices.push(
      "No provider credentials are set, so no tools are served. Set LIVEKIT_URL, LIVEKIT_API_KEY and " +
        "LIVEKIT_API_SECRET for LiveKit, or HMS_MANAGEMENT_TOKEN (or HMS_ACCESS_KEY and HMS_SECRET) for 100ms.",
    );
  }
  return assembled;
}
