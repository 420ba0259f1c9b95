/**
 * The 100ms client end to end over a fake fetch: routing and encoding, auth (given and minted tokens,
 * refresh before expiry, one renewal on 401), retries (GETs only, bounded, backoff with jitter, Retry-After),
 * timeouts, and how every failure becomes an UpstreamError without secrets.
 */
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { isUpstreamError, type UpstreamError } from "../../src/errors.js";
import { createHmsClient, type HmsConfig } from "../../src/providers/hms/client.js";

const API = "https://api.example.test/v2";
const TOKEN = "given-management-token-for-client-tests";
const KEYS = { accessKey: "6750aa01bb02cc03dd04ee05", secret: "client-test-app-secret-0123456789" };
const ROOM_ID = "6750aa01bb02cc03dd04ee99";
const ROOM = { id: ROOM_ID, name: "standup", enabled: true };

type Answer = Response | Error | "hang";
interface Sent {
  method: string;
  url: string;
  authorization: string | null;
  body: string;
}

/** A fetch that answers from a script and records what was sent. */
function scriptedFetch(answers: Answer[]) {
  const sent: Sent[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    sent.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.get("authorization"),
      body: await request.text(),
    });
    const answer = answers.shift();
    if (answer === undefined) {
      throw new Error(`unexpected request ${request.method} ${request.url}`);
    }
    if (answer === "hang") {
      return new Promise((_, reject) => {
        if (request.signal.aborted) {
          reject(request.signal.reason);
        }
        request.signal.addEventListener("abort", () => reject(request.signal.reason));
      });
    }
    if (answer instanceof Error) {
      throw answer;
    }
    return answer;
  };
  return { fetch: fetch as typeof globalThis.fetch, sent };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

function client(answers: Answer[], config: Partial<HmsConfig> = {}) {
  const { fetch, sent } = scriptedFetch(answers);
  const sleeps: number[] = [];
  const hms = createHmsClient({
    apiUrl: API,
    auth: { kind: "token", token: TOKEN },
    fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...config,
  });
  return { hms, sent, sleeps };
}

const signal = () => new AbortController().signal;

async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isUpstreamError(error)) {
    throw new Error(`expected an UpstreamError, got ${String(error)}`);
  }
  return error;
}

describe("requests", () => {
  it("puts path parameters (encoded), query parameters and the JSON body where the operation says", async () => {
    const { hms, sent } = client([json(200, { peers: {} }), json(200, { message: "message sent" })]);
    await hms.call(
      "listActivePeers",
      { path: { room_id: "a-b_c" }, query: { role: "guest/host" } },
      { signal: signal() },
    );
    await hms.call(
      "sendMessage",
      { path: { room_id: ROOM_ID }, body: { message: "hi" } },
      { signal: signal() },
    );
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([
      `GET ${API}/active-rooms/a-b_c/peers?role=guest%2Fhost`,
      `POST ${API}/active-rooms/${ROOM_ID}/send-message`,
    ]);
    expect(sent[0]?.body).toBe("");
    expect(JSON.parse(sent[1]?.body ?? "")).toEqual({ message: "hi" });
    expect(sent[0]?.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("redacts x-sensitive values of the operation's response", async () => {
    const withSecrets = {
      ...ROOM,
      recording_info: {
        upload_info: { type: "s3", location: "b", credentials: { key: "AKIA1", secret: "s3cr3t" } },
      },
      webhook: { url: "https://hooks.example.test", headers: { "x-token": "hook-secret" } },
    };
    const { hms } = client([json(200, withSecrets)]);
    const room = await hms.call("getRoom", { path: { room_id: ROOM_ID } }, { signal: signal() });
    expect(room.recording_info?.upload_info?.credentials).toEqual({
      key: "[redacted]",
      secret: "[redacted]",
    });
    expect(room.webhook).toEqual({ url: "https://hooks.example.test", headers: { "x-token": "[redacted]" } });
    expect(room.recording_info?.upload_info?.location).toBe("b");
  });
});

describe("minted tokens", () => {
  it("are minted from the key pair, reused, and replaced before they expire", async () => {
    let now = Date.UTC(2026, 10, 21, 9, 0, 0);
    const { hms, sent } = client([json(200, ROOM), json(200, ROOM), json(200, ROOM)], {
      auth: { kind: "keys", ...KEYS },
      mint: { now: () => now, lifetimeSeconds: 3600, refreshMarginSeconds: 300 },
    });
    const get = () => hms.call("getRoom", { path: { room_id: ROOM_ID } }, { signal: signal() });
    await get();
    now += 60_000;
    await get();
    now += 3300_000;
    await get();
    const tokens = sent.map((s) => s.authorization?.replace("Bearer ", "") ?? "");
    expect(tokens[1]).toBe(tokens[0]);
    expect(tokens[2]).not.toBe(tokens[0]);
    expect(decodeJwt(tokens[0] ?? "")).toMatchObject({
      access_key: KEYS.accessKey,
      type: "management",
      version: 2,
    });
  });

  it("are minted afresh once after a 401, and the request is retried exactly once", async () => {
    const { hms, sent } = client(
      [json(401, { code: 401, message: "Token validation error" }), json(200, ROOM)],
      {
        auth: { kind: "keys", ...KEYS },
      },
    );
    await expect(hms.call("getRoom", { path: { room_id: ROOM_ID } }, { signal: signal() })).resolves.toEqual(
      ROOM,
    );
    expect(sent).toHaveLength(2);
    expect(decodeJwt(sent[1]?.authorization?.slice(7) ?? "").jti).not.toBe(
      decodeJwt(sent[0]?.authorization?.slice(7) ?? "").jti,
    );
  });

  it("give up after the one renewal, for actions too, with advice about the key pair", async () => {
    const refused = () => json(401, { code: 401, message: "Token validation error" });
    const { hms, sent } = client([refused(), refused()], { auth: { kind: "keys", ...KEYS } });
    const error = await failure(
      hms.call("endRoom", { path: { room_id: ROOM_ID }, body: {} }, { signal: signal() }),
    );
    expect(sent).toHaveLength(2);
    expect(sent[1]?.body).toBe("{}");
    expect(error).toMatchObject({ provider: "hms", code: "401", status: 401 });
    expect(error.hint).toContain("HMS_ACCESS_KEY and HMS_SECRET");
  });

  it("a given token is not retried after a 401; the advice says it may have expired", async () => {
    const { hms, sent } = client([json(401, { code: 401, message: "Token validation error" })]);
    const error = await failure(hms.call("listRooms", {}, { signal: signal() }));
    expect(sent).toHaveLength(1);
    expect(error.hint).toContain("HMS_MANAGEMENT_TOKEN");
  });
});

describe("retries", () => {
  it("retries a GET on 5xx with exponential backoff and jitter, up to three attempts in all", async () => {
    const { hms, sent, sleeps } = client([
      json(502, { code: 502, message: "bad gateway" }),
      json(503, { code: 503, message: "unavailable" }),
      json(200, ROOM),
    ]);
    await expect(hms.call("getRoom", { path: { room_id: ROOM_ID } }, { signal: signal() })).resolves.toEqual(
      ROOM,
    );
    expect(sent).toHaveLength(3);
    // random() = 0.5: half of each ceiling fixed plus a quarter → 0.75 × 250, 0.75 × 500.
    expect(sleeps).toEqual([188, 375]);
  });

  it("stops after the third attempt and reports the last answer", async () => {
    const down = () => json(503, { code: 503, message: "unavailable" });
    const { hms, sent } = client([down(), down(), down()]);
    const error = await failure(hms.call("listRooms", {}, { signal: signal() }));
    expect(sent).toHaveLength(3);
    expect(error).toMatchObject({ code: "503", status: 503, message: "unavailable" });
    expect(error.hint).toContain("also when it was retried");
  });

  it("retries a GET after a network failure", async () => {
    const refused = Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
    });
    const { hms, sent } = client([refused, json(200, ROOM)]);
    await expect(hms.call("getRoom", { path: { room_id: ROOM_ID } }, { signal: signal() })).resolves.toEqual(
      ROOM,
    );
    expect(sent).toHaveLength(2);
  });

  it("never repeats a POST on 5xx or a network failure", async () => {
    const { hms, sent } = client([json(500, { code: 500, message: "Internal server error" })]);
    const error = await failure(
      hms.call("removePeers", { path: { room_id: ROOM_ID }, body: { role: "guest" } }, { signal: signal() }),
    );
    expect(sent).toHaveLength(1);
    expect(error.hint).toContain("not repeated");

    const refused = Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
    });
    const offline = client([refused]);
    const network = await failure(
      offline.hms.call("endRoom", { path: { room_id: ROOM_ID }, body: {} }, { signal: signal() }),
    );
    expect(offline.sent).toHaveLength(1);
    expect(network).toMatchObject({ code: "unavailable", outcomeUnknown: false });
    expect(network.message).toContain("https://api.example.test");
    expect(network.message).toContain("nothing was sent");

    // A failure without a connect error may have happened after the request went out: outcome unknown.
    const reset = client([new TypeError("fetch failed")]);
    const lost = await failure(
      reset.hms.call("endRoom", { path: { room_id: ROOM_ID }, body: {} }, { signal: signal() }),
    );
    expect(reset.sent).toHaveLength(1);
    expect(lost).toMatchObject({ code: "connection_lost", outcomeUnknown: true });
    expect(lost.hint).toContain("may have taken effect");
  });

  it("waits a short Retry-After on 429, and does not wait for a long one", async () => {
    const { hms, sleeps } = client([
      json(429, { code: 429, message: "rate limit exceeded" }, { "retry-after": "1" }),
      json(200, ROOM),
    ]);
    await hms.call("getRoom", { path: { room_id: ROOM_ID } }, { signal: signal() });
    expect(sleeps).toEqual([1000]);

    const long = client([
      json(
        429,
        { code: 429, message: "rate limit exceeded, retry after 45 seconds" },
        { "retry-after": "45" },
      ),
    ]);
    const error = await failure(long.hms.call("listRooms", {}, { signal: signal() }));
    expect(long.sent).toHaveLength(1);
    expect(error.code).toBe("429");
  });

  it("honours the retry policy given", async () => {
    const down = () => json(503, { code: 503, message: "unavailable" });
    const { hms, sent } = client([down(), down()], { retry: { attempts: 2 } });
    await failure(hms.call("listRooms", {}, { signal: signal() }));
    expect(sent).toHaveLength(2);
  });
});

describe("timeouts and cancellation", () => {
  it("times an attempt out, and does not retry it", async () => {
    const { hms, sent } = client(["hang"], { timeoutMs: 50 });
    const error = await failure(hms.call("listRooms", {}, { signal: signal() }));
    expect(error.code).toBe("timeout");
    expect(sent).toHaveLength(1);
  });

  it("stops when the caller cancels", async () => {
    const controller = new AbortController();
    const { hms } = client(["hang"]);
    const pending = hms.call("listRooms", {}, { signal: controller.signal });
    controller.abort();
    expect((await failure(pending)).code).toBe("canceled");
  });
});

describe("error answers", () => {
  it("keep 100ms's code, message and details", async () => {
    const { hms } = client([
      json(400, { code: 400, message: "Invalid body param", details: ["size too big"] }),
    ]);
    const error = await failure(hms.call("createRoom", { body: { name: "x" } }, { signal: signal() }));
    expect(error).toMatchObject({
      provider: "hms",
      code: "400",
      status: 400,
      message: "Invalid body param",
      details: { details: ["size too big"] },
    });
  });

  it("use the HTTP status when the body has no code, and no details when there are none", async () => {
    const { hms } = client([json(404, { message: "room not found" })]);
    const error = await failure(hms.call("getRoom", { path: { room_id: ROOM_ID } }, { signal: signal() }));
    expect(error).toMatchObject({ code: "404", message: "room not found", details: {} });
  });

  it("quote a short snippet of a non-JSON body, tags stripped", async () => {
    const page = `<html><body><h1>403 Forbidden</h1>${"x".repeat(1000)}</body></html>`;
    const { hms } = client([new Response(page, { status: 403, statusText: "Forbidden" })]);
    const error = await failure(hms.call("getRoom", { path: { room_id: ROOM_ID } }, { signal: signal() }));
    expect(error.code).toBe("403");
    expect(error.message).toContain("403 Forbidden");
    expect(error.message).not.toContain("<h1>");
    expect(error.message.length).toBeLessThan(300);
  });

  it("say so when a 200 body is not JSON", async () => {
    const { hms } = client([
      new Response("<html>login</html>", { status: 200, headers: { "content-type": "text/html" } }),
    ]);
    const error = await failure(hms.call("listRooms", {}, { signal: signal() }));
    expect(error.code).toBe("bad_response");
  });

  it("never carry the token", async () => {
    const { hms } = client([json(401, { code: 401, message: `Token validation error for ${TOKEN}` })]);
    const error = await failure(hms.call("listRooms", {}, { signal: signal() }));
    // The upstream's own text is kept as is; the server scrubs configured secrets from every result.
    expect(JSON.stringify({ hint: error.hint, details: error.details })).not.toContain(TOKEN);
  });
});
