/**
 * Join tokens against LiveKit's own code: they verify with livekit-server-sdk's TokenVerifier, carry the
 * claims LiveKit's AccessToken would write for the same participant (with every permission stated), and
 * their room configuration parses as @livekit/protocol's RoomConfiguration. The fixtures' tokens are checked
 * the same way, so what the fixture runner pins is a token LiveKit accepts.
 */
import { create } from "@bufbuild/protobuf";
import { RoomConfiguration } from "@livekit/protocol";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { AccessToken, TokenVerifier } from "livekit-server-sdk";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ArgumentError } from "../../src/errors.js";
import { RoomAgentDispatchSchema } from "../../src/generated/livekit/livekit_agent_dispatch_pb.js";
import {
  createJoinTokenIssuer,
  type JoinTokenRequest,
  PUBLISH_SOURCES,
  parseDuration,
  toWebSocketUrl,
} from "../../src/providers/livekit/join-token.js";
import {
  DEFAULT_MAX_JOIN_TTL_SECONDS,
  joinTokenSettingsFromEnv,
} from "../../src/providers/livekit/join-token-settings.js";
import { loadFixtures } from "../harness/fixtures.js";
import { FIXTURE_CLOCK_MS, TEST_API_KEY, TEST_API_SECRET } from "../harness/livekit-harness.js";

const credentials = { apiKey: "APIj0inTestKey", apiSecret: "join-token-test-secret-at-least-32-bytes" };
const NOW_MS = 1_796_115_600_250;
const NOW = Math.floor(NOW_MS / 1000);

function issuer(
  settings: Parameters<typeof createJoinTokenIssuer>[0]["settings"] = { maxTtlSeconds: 21_600 },
) {
  return createJoinTokenIssuer({
    url: "https://rooms.example.com",
    ...credentials,
    settings,
    now: () => NOW_MS,
  });
}

const listener: JoinTokenRequest = {
  room: "support-call-7731",
  identity: "guest-ana",
  permissions: { canPublish: false, canPublishData: false, canSubscribe: true, hidden: false },
  ttlSeconds: 3600,
};

afterEach(() => {
  vi.useRealTimers();
});

describe("join tokens", () => {
  it("verify with LiveKit's TokenVerifier: iss = API key, sub = identity, nbf = iat = now, exp = now + ttl", async () => {
    vi.useFakeTimers({ now: NOW_MS + 5_000, toFake: ["Date"] });
    const { token, notBefore, expiresAt } = await issuer().issue(listener);
    const claims = await new TokenVerifier(credentials.apiKey, credentials.apiSecret).verify(token);
    expect(decodeProtectedHeader(token)).toStrictEqual({ alg: "HS256", typ: "JWT" });
    expect(claims).toMatchObject({
      iss: credentials.apiKey,
      sub: "guest-ana",
      nbf: NOW,
      iat: NOW,
      exp: NOW + 3600,
    });
    expect([notBefore, expiresAt]).toEqual([NOW, NOW + 3600]);
    // No jti: the token is a participant's, like LiveKit's own; the same call at the same time gives the same token.
    expect(Object.keys(claims).sort()).toEqual(["exp", "iat", "iss", "nbf", "sub", "video"]);
  });

  it("state every permission, because LiveKit reads a missing one as allowed", async () => {
    const { token, grant } = await issuer().issue(listener);
    const video = decodeJwt(token).video;
    expect(video).toStrictEqual({
      roomJoin: true,
      room: "support-call-7731",
      canPublish: false,
      canPublishData: false,
      canSubscribe: true,
      canUpdateOwnMetadata: false,
      hidden: false,
    });
    expect(grant).toStrictEqual(video);
  });

  it("carry what LiveKit's AccessToken writes for the same participant", async () => {
    vi.useFakeTimers({ now: NOW_MS, toFake: ["Date"] });
    const agents = [
      create(RoomAgentDispatchSchema, { agentName: "voice-assistant", metadata: '{"language":"es"}' }),
    ];
    const request: JoinTokenRequest = {
      room: "interview-0412",
      identity: "candidate-jo",
      name: "Jo",
      metadata: '{"role":"candidate"}',
      attributes: { team: "platform" },
      permissions: {
        canPublish: true,
        canPublishData: true,
        canSubscribe: true,
        canPublishSources: ["camera", "microphone"],
        hidden: false,
      },
      agents,
      ttlSeconds: 900,
    };
    const ours = decodeJwt((await issuer().issue(request)).token);

    const theirs = new AccessToken(credentials.apiKey, credentials.apiSecret, {
      identity: "candidate-jo",
      name: "Jo",
      metadata: '{"role":"candidate"}',
      attributes: { team: "platform" },
      ttl: 900,
    });
    theirs.addGrant({
      roomJoin: true,
      room: "interview-0412",
      canPublish: true,
      canPublishData: true,
      canSubscribe: true,
      canPublishSources: [1, 2], // TrackSource.CAMERA, TrackSource.MICROPHONE
      canUpdateOwnMetadata: false,
      hidden: false,
    });
    theirs.roomConfig = new RoomConfiguration({
      agents: [{ agentName: "voice-assistant", metadata: '{"language":"es"}' }],
    });
    const { roomConfig: theirConfig, ...reference } = decodeJwt(await theirs.toJwt());
    // AccessToken sets no iat; everything else is the same claim for claim.
    const { iat, roomConfig: ourConfig, ...rest } = ours;
    expect(iat).toBe(NOW);
    expect(rest).toStrictEqual(reference);
    // The SDK writes the room configuration with every default spelt out; ours leaves defaults out. LiveKit
    // reads both as the same message.
    const read = (json: unknown) => RoomConfiguration.fromJson(json as never, { ignoreUnknownFields: false });
    expect(read(ourConfig).equals(read(theirConfig))).toBe(true);
    expect(read(ourConfig).agents[0]?.agentName).toBe("voice-assistant");
  });

  it("put agents in a roomConfig claim that @livekit/protocol's RoomConfiguration reads strictly", async () => {
    const agents = [
      create(RoomAgentDispatchSchema, { agentName: "voice-assistant", attributes: { lang: "de" } }),
    ];
    const { token, roomConfig } = await issuer().issue({ ...listener, agents });
    const claim = decodeJwt(token).roomConfig;
    expect(claim).toStrictEqual(roomConfig);
    const parsed = RoomConfiguration.fromJson(claim as never, { ignoreUnknownFields: false });
    expect(parsed.agents.map((a) => [a.agentName, a.attributes])).toEqual([
      ["voice-assistant", { lang: "de" }],
    ]);
  });

  it("name the track sources as LiveKit's claim does, and need can_publish for them", async () => {
    expect(PUBLISH_SOURCES).toEqual(["camera", "microphone", "screen_share", "screen_share_audio"]);
    const permissions = { ...listener.permissions, canPublishSources: ["microphone"] };
    await expect(issuer().issue({ ...listener, permissions })).rejects.toThrow(ArgumentError);
  });

  it("refuse a lifetime over the operator's maximum, naming the setting", async () => {
    const issue = issuer({ maxTtlSeconds: 600 }).issue({ ...listener, ttlSeconds: 601 });
    await expect(issue).rejects.toThrow(/at most 600 seconds \(LIVEKIT_JOIN_TOKEN_MAX_TTL\)/);
  });

  it("fill the operator's link template, URL-encoding each value", async () => {
    const template = "https://meet.example.com/join?server={url}&room={room}&who={identity}&token={token}";
    const { token, joinUrl, serverUrl } = await issuer({ maxTtlSeconds: 3600, urlTemplate: template }).issue({
      ...listener,
      room: "q&a room",
    });
    expect(serverUrl).toBe("wss://rooms.example.com");
    expect(joinUrl).toBe(
      `https://meet.example.com/join?server=wss%3A%2F%2Frooms.example.com&room=q%26a%20room&who=guest-ana&token=${token}`,
    );
  });
});

describe("join token settings", () => {
  it("default to a six-hour maximum and no link", () => {
    expect(joinTokenSettingsFromEnv({})).toEqual({
      settings: { maxTtlSeconds: DEFAULT_MAX_JOIN_TTL_SECONDS },
    });
    expect(DEFAULT_MAX_JOIN_TTL_SECONDS).toBe(21_600);
  });

  it.each([
    ["3600", 3600],
    ["90s", 90],
    ["15m", 900],
    ["6h", 21_600],
    ["2d", 172_800],
  ])("read %s as %d seconds", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
    expect(joinTokenSettingsFromEnv({ LIVEKIT_JOIN_TOKEN_MAX_TTL: text })).toEqual({
      settings: { maxTtlSeconds: seconds },
    });
  });

  it.each(["", "1.5h", "-1", "10w", "59", "31d"])("refuse a maximum of %j (unless empty)", (text) => {
    const result = joinTokenSettingsFromEnv({ LIVEKIT_JOIN_TOKEN_MAX_TTL: text });
    if (text === "") {
      expect(result).toEqual({ settings: { maxTtlSeconds: DEFAULT_MAX_JOIN_TTL_SECONDS } });
    } else {
      expect(result).toMatchObject({
        problem: expect.stringContaining("LIVEKIT_JOIN_TOKEN_MAX_TTL must be"),
      });
    }
  });

  it.each([
    ["meet.example.com/?t={token}", "must be an http:// or https:// URL"],
    ["https://meet.example.com/?room={room}", "must contain {token}"],
    ["https://meet.example.com/?t={token}&x={secret}", "unknown placeholders {secret}"],
    ["https://meet.example.com/{token}x", "must not have a letter, digit, _ or - right after {token}"],
  ])("refuse the link template %s", (template, problem) => {
    const result = joinTokenSettingsFromEnv({ LIVEKIT_JOIN_URL_TEMPLATE: template });
    expect(result).toMatchObject({ problem: expect.stringContaining(problem) });
  });

  it("turn LIVEKIT_URL into the URL clients connect to", () => {
    expect(toWebSocketUrl("https://my-project.livekit.cloud")).toBe("wss://my-project.livekit.cloud");
    expect(toWebSocketUrl("http://localhost:7880")).toBe("ws://localhost:7880");
    expect(toWebSocketUrl("wss://example.com/livekit/")).toBe("wss://example.com/livekit");
  });
});

describe("create_join_token fixtures", () => {
  const fixtures = loadFixtures("livekit").filter(
    (f) => f.tool === "create_join_token" && !f.fixture.result.isError,
  );

  it.each(fixtures.map((f) => [f.name, f] as const))(
    "%s pins a token LiveKit accepts, as the result says",
    async (_, f) => {
      if (f.fixture.result.isError) {
        throw new Error("not a success case");
      }
      const result = f.fixture.result.structuredContent as {
        token: string;
        grant: Record<string, unknown>;
        identity: string;
        expires_at: string;
      };
      vi.useFakeTimers({ now: FIXTURE_CLOCK_MS + 1000, toFake: ["Date"] });
      const claims = await new TokenVerifier(TEST_API_KEY, TEST_API_SECRET).verify(result.token);
      expect(claims.video).toStrictEqual(result.grant);
      expect(claims.sub).toBe(result.identity);
      expect(claims.nbf).toBe(FIXTURE_CLOCK_MS / 1000);
      expect(new Date((claims.exp ?? 0) * 1000).toISOString()).toBe(result.expires_at);
    },
  );
});
