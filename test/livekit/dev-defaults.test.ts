/** Errors met on the built-in dev defaults say the defaults were used (the operator set no variable). */
import { describe, expect, it } from "vitest";
import { UpstreamError } from "../../src/errors.js";
import { LIVEKIT_DEV_DEFAULTS } from "../../src/providers/livekit/config.js";
import { adviseOnDevDefaults } from "../../src/providers/livekit/dev-defaults.js";

const refused = () =>
  new UpstreamError({ provider: "livekit", code: "unauthenticated", message: "no", status: 401 });

function caught(rethrow: (error: unknown) => never, error: unknown): UpstreamError {
  try {
    rethrow(error);
  } catch (thrown) {
    return thrown as UpstreamError;
  }
}

describe("adviseOnDevDefaults", () => {
  it("says the dev defaults were used on a 401 or an unreachable server", () => {
    const advise = adviseOnDevDefaults({ ...LIVEKIT_DEV_DEFAULTS });
    expect(caught(advise, refused()).hint).toContain("built-in dev defaults");
    const down = new UpstreamError({ provider: "livekit", code: "unavailable", message: "ECONNREFUSED" });
    expect(caught(advise, down).hint).toContain(
      "LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET are not set",
    );
  });

  it("leaves errors alone when the operator configured a server", () => {
    const advise = adviseOnDevDefaults({
      url: "wss://p.livekit.cloud",
      apiKey: "APIx",
      apiSecret: "s".repeat(32),
    });
    expect(caught(advise, refused()).hint).toBeUndefined();
  });
});
