/** 100ms settings from the environment, and how `rooms-mcp` assembles the 100ms tools from them. */
import { describe, expect, it } from "vitest";
import { assembleTools } from "../../src/assemble.js";
import { hmsConfigFromEnv } from "../../src/providers/hms/config.js";
import { hmsProvider } from "../../src/providers/hms/index.js";
import { PROVIDERS } from "../../src/providers/registry.js";

const KEY = "6750aa01bb02cc03dd04ee05";
const SECRET = "config-test-app-secret-0123456789";
const TOKEN = "config-test-management-token";

describe("hmsConfigFromEnv", () => {
  it("is absent with no 100ms variable set", () => {
    expect(hmsConfigFromEnv({})).toEqual({ kind: "absent" });
    expect(hmsConfigFromEnv({ HMS_API_URL: "https://example.test/v2", HMS_MANAGEMENT_TOKEN: "" })).toEqual({
      kind: "absent",
    });
  });

  it("uses a given management token as is, against the production API by default", () => {
    expect(hmsConfigFromEnv({ HMS_MANAGEMENT_TOKEN: TOKEN })).toEqual({
      kind: "configured",
      config: {
        apiUrl: "https://api.100ms.live/v2",
        auth: { kind: "token", token: TOKEN },
        timeoutMs: 15_000,
        maxResponseBytes: 2 * 1024 * 1024,
        joinTokens: { maxTtlSeconds: 24 * 3600 },
      },
    });
  });

  it("reads the join-token bound, and names the variable when it is out of range", () => {
    const set = hmsConfigFromEnv({ HMS_MANAGEMENT_TOKEN: TOKEN, HMS_JOIN_TOKEN_MAX_TTL: "2h" });
    expect(set).toMatchObject({ kind: "configured", config: { joinTokens: { maxTtlSeconds: 7200 } } });
    for (const bad of ["31d", "10s", "1 hour"]) {
      const result = hmsConfigFromEnv({ HMS_MANAGEMENT_TOKEN: TOKEN, HMS_JOIN_TOKEN_MAX_TTL: bad });
      expect(result).toMatchObject({ kind: "invalid" });
      expect(JSON.stringify(result)).toContain("HMS_JOIN_TOKEN_MAX_TTL");
      expect(JSON.stringify(result)).not.toContain(TOKEN);
    }
  });

  it("mints from the key pair, preferred over a token when both are set (and says so)", () => {
    expect(hmsConfigFromEnv({ HMS_ACCESS_KEY: KEY, HMS_SECRET: SECRET })).toMatchObject({
      kind: "configured",
      config: { auth: { kind: "keys", accessKey: KEY, secret: SECRET } },
    });
    const both = hmsConfigFromEnv({ HMS_ACCESS_KEY: KEY, HMS_SECRET: SECRET, HMS_MANAGEMENT_TOKEN: TOKEN });
    expect(both).toMatchObject({ kind: "configured", config: { auth: { kind: "keys" } } });
    expect(both.kind === "configured" ? both.notice : "").toContain("minting tokens from the key pair");
  });

  it("names the missing half of a key pair, never a value", () => {
    const noSecret = hmsConfigFromEnv({ HMS_ACCESS_KEY: KEY });
    expect(noSecret).toMatchObject({ kind: "invalid" });
    expect(JSON.stringify(noSecret)).toContain("HMS_SECRET");
    expect(JSON.stringify(noSecret)).not.toContain(KEY);
    const noKey = hmsConfigFromEnv({ HMS_SECRET: SECRET, HMS_MANAGEMENT_TOKEN: TOKEN });
    expect(noKey).toMatchObject({ kind: "invalid" });
    expect(JSON.stringify(noKey)).toContain("HMS_ACCESS_KEY");
    expect(JSON.stringify(noKey)).not.toContain(SECRET);
  });

  it("takes HMS_API_URL (trailing slash dropped) and refuses one that is not http(s)", () => {
    expect(
      hmsConfigFromEnv({ HMS_MANAGEMENT_TOKEN: TOKEN, HMS_API_URL: "http://127.0.0.1:8080/v2/" }),
    ).toMatchObject({
      config: { apiUrl: "http://127.0.0.1:8080/v2" },
    });
    for (const bad of ["api.100ms.live/v2", "ftp://api.100ms.live/v2", "wss://api.100ms.live"]) {
      const result = hmsConfigFromEnv({ HMS_MANAGEMENT_TOKEN: TOKEN, HMS_API_URL: bad });
      expect(result, bad).toMatchObject({ kind: "invalid" });
      expect(JSON.stringify(result)).toContain("HMS_API_URL");
    }
  });
});

describe("assembleTools with 100ms", () => {
  it("`rooms-mcp 100ms` serves the plain names and scrubs the token", () => {
    const { tools, secrets } = assembleTools({ HMS_MANAGEMENT_TOKEN: TOKEN }, { only: hmsProvider });
    expect(tools.map((t) => t.name)).toContain("list_rooms");
    expect(tools).toHaveLength(13);
    expect(secrets).toEqual([TOKEN]);
  });

  it("`rooms-mcp 100ms` without credentials is an error naming the variables", () => {
    expect(() => assembleTools({}, { only: hmsProvider })).toThrow(
      /HMS_MANAGEMENT_TOKEN, or HMS_ACCESS_KEY and HMS_SECRET/,
    );
  });

  it("`rooms-mcp` serves every configured provider with prefixes, and scrubs the app secret", () => {
    const { tools, secrets } = assembleTools(
      {
        HMS_ACCESS_KEY: KEY,
        HMS_SECRET: SECRET,
        LIVEKIT_URL: "wss://example.livekit.cloud",
        LIVEKIT_API_KEY: "APIkey",
        LIVEKIT_API_SECRET: "livekit-secret-0123456789",
      },
      { providers: PROVIDERS },
    );
    const names = tools.map((t) => t.name);
    expect(names).toContain("hms_list_peers");
    expect(names).toContain("livekit_list_participants");
    expect(names.every((n) => /^(hms|livekit)_/.test(n))).toBe(true);
    expect(secrets).toContain(SECRET);
  });

  it("`rooms-mcp` with only 100ms configured serves only hms_ tools", () => {
    const { tools, notices } = assembleTools({ HMS_MANAGEMENT_TOKEN: TOKEN }, { providers: PROVIDERS });
    expect(tools.every((t) => t.name.startsWith("hms_"))).toBe(true);
    expect(notices).toEqual([]);
  });

  it("`rooms-mcp` refuses a half-configured 100ms, naming the missing variable", () => {
    expect(() => assembleTools({ HMS_ACCESS_KEY: KEY }, { providers: PROVIDERS })).toThrow(
      /100ms: set HMS_SECRET/,
    );
  });
});
