/** 100ms management tokens: the claims 100ms documents, caching, refresh before expiry, renewal after a 401. */
import { decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { givenTokenSource, mintingTokenSource, mintManagementToken } from "../../src/providers/hms/token.js";

const KEYS = { accessKey: "6750aa01bb02cc03dd04ee05", secret: "token-test-app-secret-0123456789" };
const NOW_MS = Date.UTC(2026, 10, 21, 9, 0, 0);
const NOW = NOW_MS / 1000;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A clock tests move by hand. */
function clock(startMs = NOW_MS) {
  let now = startMs;
  return { now: () => now, advance: (seconds: number) => (now += seconds * 1000) };
}

describe("mintManagementToken", () => {
  it("signs HS256 with the app secret and carries exactly 100ms's management claims", async () => {
    const { token, expiresAt } = await mintManagementToken(KEYS, { now: () => NOW_MS });
    expect(decodeProtectedHeader(token)).toEqual({ alg: "HS256", typ: "JWT" });
    const { payload } = await jwtVerify(token, new TextEncoder().encode(KEYS.secret), {
      algorithms: ["HS256"],
      currentDate: new Date(NOW_MS),
    });
    expect(Object.keys(payload).sort()).toEqual([
      "access_key",
      "exp",
      "iat",
      "jti",
      "nbf",
      "type",
      "version",
    ]);
    expect(payload).toMatchObject({ access_key: KEYS.accessKey, type: "management", version: 2 });
    // Backdated 10 s for clock skew; valid one hour.
    expect(payload.iat).toBe(NOW - 10);
    expect(payload.nbf).toBe(NOW - 10);
    expect(payload.exp).toBe(NOW - 10 + 3600);
    expect(expiresAt).toBe(payload.exp);
    expect(payload.jti).toMatch(UUID_V4);
  });

  it("gives every token its own jti", async () => {
    const a = decodeJwt((await mintManagementToken(KEYS)).token);
    const b = decodeJwt((await mintManagementToken(KEYS)).token);
    expect(a.jti).not.toBe(b.jti);
  });

  it("does not verify with another secret", async () => {
    const { token } = await mintManagementToken(KEYS);
    await expect(
      jwtVerify(token, new TextEncoder().encode("some-other-secret-0123456789")),
    ).rejects.toThrow();
  });

  it("refuses a lifetime that cannot cover the clock-skew backdating", async () => {
    await expect(mintManagementToken(KEYS, { lifetimeSeconds: 5 })).rejects.toThrow(RangeError);
    await expect(mintManagementToken(KEYS, { lifetimeSeconds: 60.5 })).rejects.toThrow(RangeError);
  });
});

describe("mintingTokenSource", () => {
  it("reuses the token until the refresh margin before expiry, then mints a new one", async () => {
    const time = clock();
    const tokens = mintingTokenSource(KEYS, {
      now: time.now,
      lifetimeSeconds: 3600,
      refreshMarginSeconds: 300,
    });
    const first = await tokens.get();
    time.advance(3000); // exp - margin = now - 10 + 3300: still fresh
    expect(await tokens.get()).toBe(first);
    time.advance(295); // now past exp - margin, but before exp
    const second = await tokens.get();
    expect(second).not.toBe(first);
    expect(decodeJwt(second).iat).toBe(NOW + 3295 - 10);
    expect(await tokens.get()).toBe(second);
  });

  it("mints once for concurrent callers", async () => {
    const tokens = mintingTokenSource(KEYS, { now: () => NOW_MS });
    const all = await Promise.all([tokens.get(), tokens.get(), tokens.get()]);
    expect(new Set(all).size).toBe(1);
  });

  it("after a 401 mints afresh, but only once for callers holding the same rejected token", async () => {
    const tokens = mintingTokenSource(KEYS, { now: () => NOW_MS });
    const rejected = await tokens.get();
    const [a, b] = await Promise.all([tokens.renew(rejected), tokens.renew(rejected)]);
    expect(a).not.toBe(rejected);
    expect(b).toBe(a);
    // A caller whose rejected token was already replaced gets the replacement, not yet another token.
    expect(await tokens.renew(rejected)).toBe(a);
    expect(await tokens.get()).toBe(a);
  });
});

describe("givenTokenSource", () => {
  it("sends the given token and cannot renew it", async () => {
    const tokens = givenTokenSource("dashboard-token");
    expect(await tokens.get()).toBe("dashboard-token");
    expect(await tokens.renew("dashboard-token")).toBeUndefined();
  });
});
