/**
 * The 100ms fixture harness must be able to fail: a fixture the OpenAPI contract rejects, and a request
 * with the wrong token or body, are reported.
 */
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { operationOfRequest } from "../../src/providers/hms/request.js";
import type { Fixture } from "../harness/fixtures.js";
import { HMS_TEST_ACCESS_KEY, HMS_TEST_SECRET, hmsHarness } from "../harness/hms-harness.js";
import type { ReceivedRequest } from "../harness/upstream.js";

const ROOM_ID = "6741a0c2e5f14b9d8a3c7e21";
const room = { id: ROOM_ID, name: "design-review", enabled: true, created_at: "2024-11-18T09:12:40.318Z" };

function fixture(exchanges: Fixture["exchanges"], env?: Record<string, string>): Fixture {
  return {
    description: "test",
    ...(env ? { env } : {}),
    arguments: {},
    exchanges,
    result: { isError: true },
  };
}

describe("operationOfRequest", () => {
  it("matches method and path template, ignoring the query", () => {
    expect(operationOfRequest("GET", `/rooms/${ROOM_ID}`)?.id).toBe("getRoom");
    expect(operationOfRequest("POST", `/rooms/${ROOM_ID}`)?.id).toBe("updateRoom");
    expect(operationOfRequest("GET", "/rooms?name=x")?.id).toBe("listRooms");
    expect(operationOfRequest("DELETE", `/rooms/${ROOM_ID}`)).toBeUndefined();
    expect(operationOfRequest("GET", `/rooms/${ROOM_ID}/extra`)).toBeUndefined();
  });
});

describe("validateFixture", () => {
  it("accepts a fixture the contract accepts", () => {
    expect(
      hmsHarness.validateFixture(
        fixture([
          { request: { method: "GET", path: `/rooms/${ROOM_ID}` }, response: { status: 200, body: room } },
        ]),
      ),
    ).toEqual([]);
  });

  it("rejects a recorded 200 body the spec rejects", () => {
    const problems = hmsHarness.validateFixture(
      fixture([
        {
          request: { method: "GET", path: `/recordings/${ROOM_ID}` },
          response: { status: 200, body: { id: ROOM_ID, room_id: ROOM_ID, status: "processing" } },
        },
        {
          request: { method: "GET", path: `/rooms/${ROOM_ID}` },
          response: { status: 200, body: { ...room, created_at: "yesterday" } },
        },
      ]),
    );
    expect(problems.join("\n")).toContain(
      "exchange 0 200 body/status must be equal to one of the allowed values",
    );
    expect(problems.join("\n")).toContain("exchange 1 200 body/created_at must match pattern");
  });

  it("rejects error bodies that are not the Error schema, and 2xx other than 200", () => {
    const problems = hmsHarness.validateFixture(
      fixture([
        {
          request: { method: "GET", path: "/rooms" },
          response: { status: 404, body: { code: "not_found" } },
        },
        { request: { method: "GET", path: "/rooms" }, response: { status: 201, body: {} } },
      ]),
    );
    expect(problems.join("\n")).toContain("exchange 0 404 error body must have required property 'message'");
    expect(problems.join("\n")).toContain("exchange 1: 100ms answers 200 on success, not 201");
  });

  it("rejects unknown routes, query parameters, misspelt body fields and env variables", () => {
    const problems = hmsHarness.validateFixture(
      fixture(
        [
          { request: { method: "GET", path: "/meetings" }, response: { status: 200, body: {} } },
          {
            request: { method: "GET", path: "/rooms?nmae=x" },
            response: { status: 200, body: { data: [] } },
          },
          {
            request: { method: "POST", path: "/rooms", body: { name: "x", templateId: "t" } },
            response: { status: 200, body: room },
          },
          {
            request: { method: "POST", path: `/active-rooms/${ROOM_ID}/end-room` },
            response: { status: 200, body: { message: "session is ending" } },
          },
          {
            request: { method: "GET", path: "/rooms", body: {} },
            response: { status: 200, body: { data: [] } },
          },
        ],
        { HMS_TOKEN: "x" },
      ),
    );
    const text = problems.join("\n");
    expect(text).toContain("env: HMS_TOKEN is not a 100ms credential variable");
    expect(text).toContain("exchange 0: GET /meetings is no operation");
    expect(text).toContain("exchange 1: listRooms has no query parameter nmae");
    expect(text).toContain("exchange 2 request body must NOT have additional properties");
    expect(text).toContain("exchange 3: endRoom sends a JSON body");
    expect(text).toContain("exchange 4: listRooms takes no request body");
  });
});

describe("checkRequest", () => {
  const received = (authorization: string | undefined, body = ""): ReceivedRequest => ({
    method: "GET",
    path: "/rooms",
    headers: { accept: "application/json", ...(authorization ? { authorization } : {}) },
    body: Buffer.from(body),
  });
  const mint = (claims: Record<string, unknown>, secret = HMS_TEST_SECRET) =>
    new SignJWT({ access_key: HMS_TEST_ACCESS_KEY, type: "management", version: 2, ...claims })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuedAt()
      .setNotBefore("0s")
      .setExpirationTime("1h")
      .setJti("3f2b8c1e-6d4a-4e9b-a7c5-0f1e2d3c4b5a")
      .sign(new TextEncoder().encode(secret));
  const expected = { method: "GET", path: "/rooms" };

  it("accepts a minted token with 100ms's claims", async () => {
    expect(await hmsHarness.checkRequest(expected, received(`Bearer ${await mint({})}`))).toEqual([]);
  });

  it("reports a missing token, a wrong signature and wrong claims", async () => {
    expect(await hmsHarness.checkRequest(expected, received(undefined))).toEqual([
      "authorization: expected a Bearer token, got none",
    ]);
    const forged = await mint({}, "another-secret-that-is-long-enough");
    expect((await hmsHarness.checkRequest(expected, received(`Bearer ${forged}`)))[0]).toContain(
      "does not verify",
    );
    const wrong = await mint({ type: "app", version: 1 });
    expect(await hmsHarness.checkRequest(expected, received(`Bearer ${wrong}`))).toEqual([
      "token type app, not management",
      "token version 1, not 2",
    ]);
  });

  it("compares a given token exactly, and bodies semantically", async () => {
    const env = { HMS_MANAGEMENT_TOKEN: "given" };
    const withEnv = fixture([], env);
    expect(await hmsHarness.checkRequest(expected, received("Bearer given"), withEnv)).toEqual([]);
    expect(await hmsHarness.checkRequest(expected, received("Bearer other"), withEnv)).toEqual([
      "authorization: not the configured HMS_MANAGEMENT_TOKEN",
    ]);
    const post = { method: "POST", path: "/rooms", body: { name: "a", size: 2 } };
    const sent: ReceivedRequest = {
      ...received("Bearer given"),
      headers: {
        accept: "application/json",
        authorization: "Bearer given",
        "content-type": "application/json",
      },
      body: Buffer.from('{"size":2,"name":"b"}'),
    };
    expect(await hmsHarness.checkRequest(post, sent, withEnv)).toEqual(['body.name: expected "a", got "b"']);
  });
});
