/**
 * Advice for errors met while running on the built-in dev defaults (no LIVEKIT_* variable set): the operator
 * never set the variables a generic hint would tell them to check, so the hint says the defaults were used.
 */
import { isUpstreamError } from "../../errors.js";
import type { LiveKitConfig } from "./client.js";
import { LIVEKIT_DEV_DEFAULTS } from "./config.js";

const ON_DEV_DEFAULTS =
  "LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET are not set, so this server used its built-in dev defaults " +
  `(a local \`livekit-server --dev\` at ${LIVEKIT_DEV_DEFAULTS.url}, key ${LIVEKIT_DEV_DEFAULTS.apiKey}): start one, ` +
  "or set the three variables to your LiveKit server or Cloud project.";

/** A rethrow for a call's failure: unchanged, unless the dev defaults are in use and explain it. */
export function adviseOnDevDefaults(config: LiveKitConfig): (error: unknown) => never {
  const onDefaults =
    config.url === LIVEKIT_DEV_DEFAULTS.url &&
    config.apiKey === LIVEKIT_DEV_DEFAULTS.apiKey &&
    config.apiSecret === LIVEKIT_DEV_DEFAULTS.apiSecret;
  return (error) => {
    if (onDefaults && isUpstreamError(error) && error.hint === undefined) {
      if (
        error.code === "unauthenticated" ||
        error.code === "unavailable" ||
        error.code === "permission_denied"
      ) {
        throw error.withHint(ON_DEV_DEFAULTS);
      }
    }
    throw error;
  };
}
