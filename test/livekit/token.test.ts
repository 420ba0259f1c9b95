import { decodeJwt, decodeProtectedHeader } from "jose";
import { TokenVerifier } from "livekit-server-sdk";
import { describe, expect, it } from "vitest";
import { ArgumentError } from "../../src/errors.js";
import {
  type ApiGrant,
  type GrantKind,
  grantFor,
  mintServerToken,
  type TargetRooms,
  type VideoGrant,
} from "../../src/providers/livekit/token.js";

const credentials = { apiKey: "APIq3Zx8TestKey", apiSecret: "test-secret-that-is-at-least-32-bytes-long" };

describe("mintServerToken", () => {
  it("verifies with LiveKit's own TokenVerifier and carries exactly the given grant", async () => {
    const token = await mintServerToken(credentials, { video: { roomAdmin: true, room: "standup-42" } });
    const claims = await new TokenVerifier(credentials.apiKey, credentials.apiSecret).verify(token);
    expect(claims.video).toStrictEqual({ roomAdmin: true, room: "standup-42" });
    expect(claims.iss).toBe(credentials.apiKey);
    expect(claims.sub).toBeUndefined();
  });

  it("sets iss, nbf = iat = now, exp = now + ttl, a random jti and an HS256/JWT header", async () => {
    const now = () => 1_790_000_000_999; // ms; the token uses whole seconds
    const token = await mintServerToken(credentials, { video: { roomList: true } }, { ttlSeconds: 120, now });
    expect(decodeProtectedHeader(token)).toStrictEqual({ alg: "HS256", typ: "JWT" });
    const payload = decodeJwt(token);
    expect(Object.keys(payload).sort()).toEqual(["exp", "iat", "iss", "jti", "nbf", "video"]);
    expect(payload).toMatchObject({ iss: credentials.apiKey, nbf: 1_790_000_000, iat: 1_790_000_000 });
    expect((payload.exp ?? 0) - (payload.nbf ?? 0)).toBe(120);
    expect(payload.video).toStrictEqual({ roomList: true });

    const again = decodeJwt(
      await mintServerToken(credentials, { video: { roomList: true } }, { ttlSeconds: 120, now }),
    );
    expect(again.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(again.jti).not.toBe(payload.jti);
  });

  it("defaults to a 300 s lifetime", async () => {
    const payload = decodeJwt(await mintServerToken(credentials, { video: { roomCreate: true } }));
    expect((payload.exp ?? 0) - (payload.nbf ?? 0)).toBe(300);
  });

  it("leaves out grant keys that are unset, false or empty", async () => {
    // A caller without exactOptionalPropertyTypes may pass undefined values.
    const grant = {
      roomAdmin: true,
      room: "r",
      roomList: false,
      destinationRoom: "",
      roomCreate: undefined,
    } as unknown as VideoGrant;
    const payload = decodeJwt(await mintServerToken(credentials, { video: grant }));
    expect(payload.video).toStrictEqual({ roomAdmin: true, room: "r" });
  });

  it("fails verification with the wrong secret, wrong key, or after expiry", async () => {
    const token = await mintServerToken(credentials, { video: { roomList: true } });
    await expect(
      new TokenVerifier(credentials.apiKey, "a-different-secret-of-enough-length!!").verify(token),
    ).rejects.toThrow();
    await expect(new TokenVerifier("APIsomeoneElse", credentials.apiSecret).verify(token)).rejects.toThrow();
    const old = await mintServerToken(
      credentials,
      { video: { roomList: true } },
      { ttlSeconds: 60, now: () => Date.now() - 3_600_000 },
    );
    await expect(new TokenVerifier(credentials.apiKey, credentials.apiSecret).verify(old)).rejects.toThrow();
  });

  it("rejects empty credentials and bad ttls without echoing secrets", async () => {
    await expect(
      mintServerToken({ apiKey: "", apiSecret: "s3cr3t" }, { video: { roomList: true } }),
    ).rejects.toThrow(/LIVEKIT_API_KEY/);
    await expect(
      mintServerToken({ apiKey: "", apiSecret: "s3cr3t" }, { video: { roomList: true } }),
    ).rejects.not.toThrow(/s3cr3t/);
    await expect(
      mintServerToken(credentials, { video: { roomList: true } }, { ttlSeconds: 0 }),
    ).rejects.toThrow(RangeError);
    await expect(
      mintServerToken(credentials, { video: { roomList: true } }, { ttlSeconds: 1.5 }),
    ).rejects.toThrow(RangeError);
  });
});

describe("grantFor", () => {
  it.each<[GrantKind, TargetRooms, ApiGrant]>([
    ["roomList", {}, { video: { roomList: true } }],
    ["roomList", { room: "ignored" }, { video: { roomList: true } }],
    ["roomCreate", { room: "new-room" }, { video: { roomCreate: true } }],
    ["roomRecord", { room: "town-hall" }, { video: { roomRecord: true } }],
    ["ingressAdmin", {}, { video: { ingressAdmin: true } }],
    ["sipAdmin", {}, { sip: { admin: true } }],
    ["sipCall", { room: "support-1" }, { sip: { call: true } }],
    ["roomAdmin", { room: "standup-42" }, { video: { roomAdmin: true, room: "standup-42" } }],
    [
      "roomAdmin",
      { room: "standup-42", destinationRoom: "" },
      { video: { roomAdmin: true, room: "standup-42" } },
    ],
    [
      "roomAdmin",
      { room: "stage", destinationRoom: "green-room" },
      { video: { roomAdmin: true, room: "stage", destinationRoom: "green-room" } },
    ],
  ])("%s for %j → %j", (kind, request, expected) => {
    expect(grantFor(kind, request)).toStrictEqual(expected);
  });

  it.each([{}, { room: "" }])("roomAdmin without a room is an argument error (%j)", (request) => {
    expect(() => grantFor("roomAdmin", request)).toThrow(ArgumentError);
    try {
      grantFor("roomAdmin", request);
    } catch (e) {
      expect((e as ArgumentError).argument).toBe("room");
    }
  });

  it("round-trips through a token unchanged", async () => {
    const grant = grantFor("roomAdmin", { room: "stage", destinationRoom: "green-room" });
    const claims = await new TokenVerifier(credentials.apiKey, credentials.apiSecret).verify(
      await mintServerToken(credentials, grant),
    );
    expect(claims.video).toStrictEqual({ roomAdmin: true, room: "stage", destinationRoom: "green-room" });
  });

  it("puts SIP grants in LiveKit's separate sip claim", async () => {
    const claims = await new TokenVerifier(credentials.apiKey, credentials.apiSecret).verify(
      await mintServerToken(credentials, grantFor("sipCall", {})),
    );
    expect(claims.sip).toStrictEqual({ call: true });
    expect(claims.video).toBeUndefined();
  });
});
