/**
 * The server-token cache: one signed token per grant while most of its life is left, never past its
 * expiry, bounded, and never shared between key pairs.
 */
import { decodeJwt } from "jose";
import { TokenVerifier } from "livekit-server-sdk";
import { describe, expect, it } from "vitest";
import { createServerTokenCache, TOKEN_REUSE_MARGIN_SECONDS } from "../../src/providers/livekit/token.js";

const credentials = { apiKey: "APIcacheTestKey", apiSecret: "cache-test-secret-that-is-long-enough-1" };
const other = { apiKey: "APIcacheTestKey", apiSecret: "cache-test-secret-that-is-long-enough-2" };

function clock(startMs: number) {
  let ms = startMs;
  return { now: () => ms, advance: (seconds: number) => (ms += seconds * 1000) };
}

describe("createServerTokenCache", () => {
  it("reuses a token for the same grant, in any key order, and signs another for another grant or room", async () => {
    const tokens = createServerTokenCache(credentials);
    const a = await tokens.tokenFor({ video: { roomAdmin: true, room: "r1" } });
    expect(await tokens.tokenFor({ video: { room: "r1", roomAdmin: true } })).toBe(a);
    const b = await tokens.tokenFor({ video: { roomAdmin: true, room: "r2" } });
    const c = await tokens.tokenFor({ video: { roomList: true } });
    expect(new Set([a, b, c]).size).toBe(3);
    const verifier = new TokenVerifier(credentials.apiKey, credentials.apiSecret);
    expect((await verifier.verify(a)).video).toStrictEqual({ roomAdmin: true, room: "r1" });
    expect((await verifier.verify(b)).video).toStrictEqual({ roomAdmin: true, room: "r2" });
    expect((await verifier.verify(c)).video).toStrictEqual({ roomList: true });
  });

  it("hands a token out only while more than the margin of its life is left, then signs a new one", async () => {
    const time = clock(1_790_000_000_000);
    const tokens = createServerTokenCache(credentials, { now: time.now, ttlSeconds: 300 });
    const first = await tokens.tokenFor({ video: { roomList: true } });
    const exp = decodeJwt(first).exp ?? 0;
    time.advance(300 - TOKEN_REUSE_MARGIN_SECONDS - 1);
    expect(await tokens.tokenFor({ video: { roomList: true } })).toBe(first);
    time.advance(1);
    const second = await tokens.tokenFor({ video: { roomList: true } });
    expect(second).not.toBe(first);
    // Whatever the clock, every token handed out has more than the margin left before it expires.
    for (let step = 0; step < 40; step++) {
      time.advance(17);
      const token = await tokens.tokenFor({ video: { roomList: true } });
      const left = (decodeJwt(token).exp ?? 0) - time.now() / 1000;
      expect(left).toBeGreaterThan(TOKEN_REUSE_MARGIN_SECONDS);
    }
    expect(decodeJwt(second).exp).toBeGreaterThan(exp);
  });

  it("does not cache tokens too short-lived to outlast the margin", async () => {
    const tokens = createServerTokenCache(credentials, { ttlSeconds: TOKEN_REUSE_MARGIN_SECONDS });
    const grant = { video: { roomList: true } };
    expect(await tokens.tokenFor(grant)).not.toBe(await tokens.tokenFor(grant));
  });

  it("keeps at most `entries` grants, dropping the oldest", async () => {
    const tokens = createServerTokenCache(credentials, { entries: 2 });
    const r1 = await tokens.tokenFor({ video: { roomAdmin: true, room: "r1" } });
    await tokens.tokenFor({ video: { roomAdmin: true, room: "r2" } });
    await tokens.tokenFor({ video: { roomAdmin: true, room: "r3" } });
    expect(await tokens.tokenFor({ video: { roomAdmin: true, room: "r1" } })).not.toBe(r1);
  });

  it("never shares a token between key pairs: each cache signs with its own secret", async () => {
    const mine = await createServerTokenCache(credentials).tokenFor({ video: { roomList: true } });
    const theirs = await createServerTokenCache(other).tokenFor({ video: { roomList: true } });
    expect(mine).not.toBe(theirs);
    await expect(new TokenVerifier(other.apiKey, other.apiSecret).verify(mine)).rejects.toThrow();
    await expect(new TokenVerifier(other.apiKey, other.apiSecret).verify(theirs)).resolves.toBeDefined();
  });

  it("refuses empty credentials, naming the variables only", async () => {
    await expect(
      createServerTokenCache({ apiKey: "", apiSecret: "s3cr3t" }).tokenFor({ video: { roomList: true } }),
    ).rejects.toThrow(/LIVEKIT_API_KEY, LIVEKIT_API_SECRET/);
  });
});
