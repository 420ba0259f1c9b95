/**
 * Fault injection on loopback upstreams, one defect class per test (issue 8): what a vendor's server, a
 * proxy in front of it, or the network can do to a call, and what the agent must see then.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { hmsProvider } from "../../src/providers/hms/index.js";
import { livekitProvider } from "../../src/providers/livekit/index.js";
import { TEST_API_KEY, TEST_API_SECRET } from "../harness/livekit-harness.js";
import {
  drippingBody,
  type FaultyUpstream,
  hugeBody,
  json,
  redirectTo,
  resetAfterSend,
  resetMidBody,
  type ServedProvider,
  serveProvider,
  stalledBody,
  startFaultyUpstream,
  timed,
} from "./helpers.js";

const HMS_TOKEN = "faults-test-management-token-0123456789";
const ROOM_ID = "6741a0c2e5f14b9d8a3c7e21";
const DEADLINE_MS = 400;
const CAP_BYTES = 1024 * 1024;

let upstream: FaultyUpstream;
/** Another host (a different name, so a different origin even for the same machine). */
let elsewhere: FaultyUpstream;
let hms: ServedProvider;
let livekit: ServedProvider;

beforeAll(async () => {
  upstream = await startFaultyUpstream();
  elsewhere = await startFaultyUpstream(json(200, { message: "elsewhere" }), "localhost");
  hms = await serveProvider(hmsProvider, {
    HMS_API_URL: `${upstream.baseUrl}/v2`,
    HMS_MANAGEMENT_TOKEN: HMS_TOKEN,
    HMS_TIMEOUT_MS: String(DEADLINE_MS),
    HMS_MAX_RESPONSE_BYTES: String(CAP_BYTES),
  });
  livekit = await serveProvider(livekitProvider, {
    LIVEKIT_URL: upstream.baseUrl,
    LIVEKIT_API_KEY: TEST_API_KEY,
    LIVEKIT_API_SECRET: TEST_API_SECRET,
    LIVEKIT_TIMEOUT_MS: String(DEADLINE_MS),
    LIVEKIT_MAX_RESPONSE_BYTES: String(CAP_BYTES),
  });
});

afterAll(async () => {
  await hms.close();
  await livekit.close();
  await upstream.close();
  await elsewhere.close();
});

/** Requests the upstream sees while `run` runs. */
async function during<T>(run: () => Promise<T>): Promise<{ value: T; requests: typeof upstream.seen }> {
  const before = upstream.seen.length;
  const value = await run();
  return { value, requests: upstream.seen.slice(before) };
}

describe("one deadline covers headers and body (issue 8 item 3: no deadline once headers arrived)", () => {
  it("100ms: a 200 whose body stalls ends at HMS_TIMEOUT_MS, and the error says which deadline", async () => {
    upstream.handle(stalledBody());
    const { value, ms } = await timed(hms.call("get_room", { room_id: ROOM_ID }));
    expect(value.isError).toBe(true);
    expect(value.text).toContain("100ms error timeout");
    expect(value.text).toContain(`${DEADLINE_MS} ms`);
    expect(value.text).toContain("HMS_TIMEOUT_MS");
    expect(ms).toBeLessThan(DEADLINE_MS + 2500);
  }, 8000);

  it("100ms: a body that drips a byte at a time ends at the same deadline", async () => {
    upstream.handle(drippingBody(40));
    const { value, ms } = await timed(hms.call("list_rooms", {}));
    expect(value).toMatchObject({ isError: true });
    expect(value.text).toContain("not the whole body");
    expect(ms).toBeLessThan(DEADLINE_MS + 2500);
  }, 8000);

  it("LiveKit: a stalled or dripping body ends at LIVEKIT_TIMEOUT_MS, named in the error", async () => {
    for (const fault of [stalledBody(), drippingBody(40)]) {
      upstream.handle(fault);
      const { value, ms } = await timed(livekit.call("list_rooms", {}));
      expect(value.isError).toBe(true);
      expect(value.text).toContain("LiveKit error timeout");
      expect(value.text).toContain(`${DEADLINE_MS} ms`);
      expect(value.text).toContain("LIVEKIT_TIMEOUT_MS");
      expect(ms).toBeLessThan(DEADLINE_MS + 2500);
    }
  }, 8000);
});

describe("answers are capped (issue 8 item 4: a 50 MB body became a 100 MB result line)", () => {
  const FIFTY_MB = 50 * 1024 * 1024;

  it("100ms: a 50 MB answer is not read; the error names the cap and the narrower call", async () => {
    for (const announce of [true, false]) {
      upstream.handle(hugeBody(FIFTY_MB, "data", announce));
      const { value, ms } = await timed(hms.call("list_rooms", {}));
      expect(value.isError, `content-length announced: ${announce}`).toBe(true);
      expect(value.text).toContain("100ms error too_large");
      expect(value.text).toContain("HMS_MAX_RESPONSE_BYTES");
      expect(value.text).toContain("smaller limit");
      expect(value.text.length).toBeLessThan(2000);
      expect(ms).toBeLessThan(5000);
    }
  }, 20_000);

  it("LiveKit: a 50 MB answer is not read; the error names the cap and what to do", async () => {
    upstream.handle(hugeBody(FIFTY_MB, "rooms", false));
    const result = await livekit.call("list_rooms", {});
    expect(result.isError).toBe(true);
    expect(result.text).toContain("LiveKit error too_large");
    expect(result.text).toContain("LIVEKIT_MAX_RESPONSE_BYTES");
    // The advice follows the message (the tool's own, or which narrower call to make).
    expect(result.text).toMatch(/answer was dropped\. Details: [^.]*\. \S/);
    expect(result.text.length).toBeLessThan(2000);
  }, 20_000);

  it("an answer under the cap still comes through", async () => {
    upstream.handle(json(200, { limit: 10, data: [], last: "" }));
    expect(await hms.call("list_rooms", {})).toMatchObject({ isError: false });
  });
});

describe("redirects (issue 8 item 5: a 302 sent a POST twice and blamed the credentials)", () => {
  it("100ms: an action redirected to another host is sent once, never there, and the error says redirect", async () => {
    const before = elsewhere.seen.length;
    upstream.handle(redirectTo(`${elsewhere.baseUrl}/v2/active-rooms/${ROOM_ID}/send-message?sig=abc`));
    const { value, requests } = await during(() =>
      hms.call("send_message", { room_id: ROOM_ID, message: "hello" }),
    );
    expect(value.isError).toBe(true);
    expect(value.text).toContain("100ms error redirect (HTTP 302)");
    expect(value.text).toContain("HMS_API_URL");
    expect(value.text).not.toContain("sig=abc");
    expect(value.text).not.toMatch(/401|HMS_MANAGEMENT_TOKEN|refused/);
    expect(requests.map((r) => r.method)).toEqual(["POST"]);
    expect(elsewhere.seen.length - before).toBe(0);
  });

  it("100ms: a read is not redirected to another host either (the token would go with it)", async () => {
    const before = elsewhere.seen.length;
    upstream.handle(redirectTo(`${elsewhere.baseUrl}/v2/rooms/${ROOM_ID}`, 301));
    const result = await hms.call("get_room", { room_id: ROOM_ID });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("redirect");
    expect(elsewhere.seen.length - before).toBe(0);
  });

  it("100ms: a read redirected within the same origin is followed", async () => {
    const room = { id: ROOM_ID, name: "standup", enabled: true };
    upstream.handle((req, res) => {
      if (req.url === `/v2/rooms/${ROOM_ID}`) {
        redirectTo(`/v2/rooms/${ROOM_ID}/`, 308)(req, res);
      } else {
        json(200, room)(req, res);
      }
    });
    const result = await hms.call("get_room", { room_id: ROOM_ID });
    expect(result).toMatchObject({ isError: false, structuredContent: room });
  });

  it("LiveKit: a redirect to another host is not followed", async () => {
    const before = elsewhere.seen.length;
    upstream.handle(redirectTo(`${elsewhere.baseUrl}/twirp/livekit.RoomService/SendData`, 307));
    const result = await livekit.call("send_data", { room: "r", data: "hi" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("redirect");
    expect(elsewhere.seen.length - before).toBe(0);
  });
});

describe("a write whose outcome is unknown says so (issue 8 item 6: 'could not reach … then retry')", () => {
  it("100ms: send_message reset after the request was sent", async () => {
    upstream.handle(resetAfterSend());
    const { value, requests } = await during(() =>
      hms.call("send_message", { room_id: ROOM_ID, message: "hello" }),
    );
    expect(value.isError).toBe(true);
    expect(value.text).toMatch(/may have taken effect|is unknown/);
    expect(value.text).not.toMatch(/could not reach|then retry/);
    expect(requests).toHaveLength(1);
  });

  it("LiveKit: send_data reset after the request was sent", async () => {
    upstream.handle(resetAfterSend());
    const result = await livekit.call("send_data", { room: "r", data: "hi" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("LiveKit error connection_lost");
    expect(result.text).toContain("Whether send_data took effect is unknown");
    expect(result.text).not.toMatch(/could not reach|then retry/);
  });

  it("LiveKit: a read reset after sending says calling again is safe", async () => {
    upstream.handle(resetAfterSend());
    const result = await livekit.call("list_rooms", {});
    expect(result.isError).toBe(true);
    expect(result.text).toContain("calling it again is safe");
  });

  it("a write that was never sent (connection refused) says nothing happened", async () => {
    const closed = await startFaultyUpstream();
    const url = closed.baseUrl;
    await closed.close();
    const offline = await serveProvider(livekitProvider, {
      LIVEKIT_URL: url,
      LIVEKIT_API_KEY: TEST_API_KEY,
      LIVEKIT_API_SECRET: TEST_API_SECRET,
    });
    try {
      const result = await offline.call("send_data", { room: "r", data: "hi" });
      expect(result.text).toContain("LiveKit error unavailable");
      expect(result.text).toContain("nothing was sent");
    } finally {
      await offline.close();
    }
  });
});

describe("a reset mid-body is a broken connection (issue 8 item 7: it read 'body that is not JSON')", () => {
  it("100ms", async () => {
    upstream.handle(resetMidBody());
    const result = await hms.call("get_room", { room_id: ROOM_ID });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("100ms error connection_lost");
    expect(result.text).not.toContain("not JSON");
  });

  it("LiveKit", async () => {
    upstream.handle(resetMidBody());
    const result = await livekit.call("list_rooms", {});
    expect(result.text).toContain("LiveKit error connection_lost");
    expect(result.text).not.toContain("decode");
  });
});

describe("a cancelled call is not an error of ours (issue 8 item 10: logged as an unexpected failure)", () => {
  it("LiveKit and 100ms: cancelling a call in flight logs no error and no stack trace", async () => {
    upstream.handle(stalledBody());
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      for (const [served, name, args] of [
        [livekit, "list_rooms", {}],
        [hms, "get_room", { room_id: ROOM_ID }],
      ] as const) {
        const controller = new AbortController();
        const call = served.call(name, args, controller.signal);
        setTimeout(() => controller.abort(new Error("the user stopped it")), 100);
        await expect(call).rejects.toThrow();
      }
      // Let the server finish handling the cancelled calls.
      await new Promise((resolve) => setTimeout(resolve, DEADLINE_MS + 200));
    } finally {
      spy.mockRestore();
    }
    const errors = written.filter((line) => line.includes("rooms-mcp error"));
    expect(errors).toEqual([]);
  }, 8000);
});
