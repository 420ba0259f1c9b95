/** The LiveKit mappings where a tool differs from its RPC: removal revokes tokens issued before now. */
import { describe, expect, it } from "vitest";
import { revokingRemoval } from "../../src/tools/livekit/mappings.js";

describe("revokingRemoval", () => {
  it("sets revoke_token_ts to now, in whole seconds", () => {
    const request = revokingRemoval({ room: "town-hall", identity: "sam" }, () => 1_790_000_123_999);
    expect(request).toMatchObject({ room: "town-hall", identity: "sam", revokeTokenTs: 1_790_000_123n });
  });

  it("uses the clock by default", () => {
    const before = BigInt(Math.floor(Date.now() / 1000));
    const { revokeTokenTs } = revokingRemoval({ room: "r", identity: "i" });
    expect(revokeTokenTs >= before && revokeTokenTs <= before + 1n).toBe(true);
  });
});
