/**
 * 100ms join (app) tokens: they verify with jose against the app secret and carry exactly the claims 100ms
 * documents; a wrong secret fails; a server with only a management token refuses; the operator's maximum
 * lifetime holds; and through the MCP server the token reaches the agent (the handout) but no log line.
 */
import { decodeProtectedHeader, jwtVerify } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { bindProvider } from "../../src/assemble.js";
import { isArgumentError, isPolicyError } from "../../src/errors.js";
import { hmsConfigFromEnv } from "../../src/providers/hms/config.js";
import { hmsProvider } from "../../src/providers/hms/index.js";
import { createHmsJoinTokenIssuer, type HmsJoinTokenRequest } from "../../src/providers/hms/join-token.js";
import { hmsJoinTokenSettingsFromEnv } from "../../src/providers/hms/join-token-settings.js";
import { connectClient } from "../harness/mcp.js";

const KEYS = { accessKey: "6750aa01bb02cc03dd04ee05", secret: "join-token-test-app-secret-0123456789" };
const NOW_MS = Date.UTC(2026, 11, 1, 9, 0, 0) + 250;
const NOW = Math.floor(NOW_MS / 1000);
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const GUEST: HmsJoinTokenRequest = {
  roomId: "6741a0c2e5f14b9d8a3c7e21",
  userId: "guest-ana",
  role: "guest",
  ttlSeconds: 3600,
};

const secretKey = (secret: string) => new TextEncoder().encode(secret);
const issuer = (keys: typeof KEYS | undefined, maxTtlSeconds = 24 * 3600) =>
  createHmsJoinTokenIssuer({ keys, settings: { maxTtlSeconds }, now: () => NOW_MS });

afterEach(() => {
  vi.restoreAllMocks();
});

describe("100ms join tokens", () => {
  it("verify against HMS_SECRET and carry exactly 100ms's app-token claims", async () => {
    const { token, notBefore, expiresAt } = await issuer(KEYS).issue(GUEST);
    expect(decodeProtectedHeader(token)).toEqual({ alg: "HS256", typ: "JWT" });
    const { payload } = await jwtVerify(token, secretKey(KEYS.secret), {
      algorithms: ["HS256"],
      currentDate: new Date(NOW_MS),
    });
    expect(Object.keys(payload).sort()).toEqual([
      "access_key",
      "exp",
      "iat",
      "jti",
      "nbf",
      "role",
      "room_id",
      "type",
      "user_id",
      "version",
    ]);
    expect(payload).toMatchObject({
      access_key: KEYS.accessKey,
      room_id: GUEST.roomId,
      user_id: GUEST.userId,
      role: GUEST.role,
      type: "app",
      version: 2,
      iat: NOW,
      nbf: NOW,
      exp: NOW + 3600,
    });
    expect(payload.jti).toMatch(UUID_V4);
    expect([notBefore, expiresAt]).toEqual([NOW, NOW + 3600]);
  });

  it("give every token its own jti", async () => {
    const mint = issuer(KEYS);
    const ids = await Promise.all(
      [1, 2, 3].map(async () => {
        const { payload } = await jwtVerify((await mint.issue(GUEST)).token, secretKey(KEYS.secret), {
          currentDate: new Date(NOW_MS),
        });
        return payload.jti;
      }),
    );
    expect(new Set(ids).size).toBe(3);
  });

  it("must fail: a token does not verify with another secret, nor after it expires", async () => {
    const { token } = await issuer(KEYS).issue(GUEST);
    await expect(
      jwtVerify(token, secretKey("some-other-app-secret-0123456789ab"), { currentDate: new Date(NOW_MS) }),
    ).rejects.toThrow(/signature/);
    await expect(
      jwtVerify(token, secretKey(KEYS.secret), { currentDate: new Date(NOW_MS + 3601_000) }),
    ).rejects.toThrow(/exp/);
  });

  it("must fail: with only a management token, minting is refused, naming the variables to set", async () => {
    const refused = await issuer(undefined)
      .issue(GUEST)
      .catch((e: unknown) => e);
    expect(isPolicyError(refused)).toBe(true);
    expect(String(refused)).toContain("HMS_ACCESS_KEY and HMS_SECRET");
  });

  it("must fail: a lifetime over the operator's maximum is refused, naming the setting", async () => {
    const refused = await issuer(KEYS, 3600)
      .issue({ ...GUEST, ttlSeconds: 3601 })
      .catch((e: unknown) => e);
    expect(isArgumentError(refused)).toBe(true);
    expect(String(refused)).toContain("HMS_JOIN_TOKEN_MAX_TTL");
    await expect(issuer(KEYS, 3600).issue(GUEST)).resolves.toMatchObject({ expiresAt: NOW + 3600 });
  });

  it("read HMS_JOIN_TOKEN_MAX_TTL: a day by default, durations from 60s to 30d", () => {
    expect(hmsJoinTokenSettingsFromEnv({})).toEqual({ settings: { maxTtlSeconds: 86_400 } });
    expect(hmsJoinTokenSettingsFromEnv({ HMS_JOIN_TOKEN_MAX_TTL: "90m" })).toEqual({
      settings: { maxTtlSeconds: 5400 },
    });
    for (const bad of ["59", "31d", "-1", "1h30m"]) {
      expect(hmsJoinTokenSettingsFromEnv({ HMS_JOIN_TOKEN_MAX_TTL: bad })).toHaveProperty("problem");
    }
  });

  it("is listed in the provider's environment, so --help shows it", () => {
    expect(hmsProvider.environment.map((v) => v.name)).toContain("HMS_JOIN_TOKEN_MAX_TTL");
  });
});

describe("create_join_token through the server", () => {
  it("hands the agent the token, which never reaches a log line", async () => {
    const stderr: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    const configured = hmsConfigFromEnv({ HMS_ACCESS_KEY: KEYS.accessKey, HMS_SECRET: KEYS.secret });
    if (configured.kind !== "configured") {
      throw new Error("test env is not configured");
    }
    const tools = bindProvider(hmsProvider, hmsProvider.createClient(configured.config));
    const mcp = await connectClient(tools, [KEYS.secret]);
    try {
      const result = await mcp.client.callTool({
        name: "create_join_token",
        arguments: { room_id: GUEST.roomId, user_id: GUEST.userId, role: GUEST.role, ttl_seconds: 600 },
      });
      expect(result.isError).not.toBe(true);
      const { token, ttl_seconds } = result.structuredContent as { token: string; ttl_seconds: number };
      expect(ttl_seconds).toBe(600);
      const { payload } = await jwtVerify(token, secretKey(KEYS.secret));
      expect(payload).toMatchObject({ room_id: GUEST.roomId, type: "app" });
      expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(600);
      expect(JSON.stringify(result.content)).toContain(token);
      expect(stderr.join("")).not.toContain(token);
    } finally {
      await mcp.close();
    }
  });
});
