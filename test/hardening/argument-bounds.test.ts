/**
 * Arguments the runtime cannot honour are refused, naming the argument, before anything is sent:
 * numbers beyond Node's timers (issue 8 item 8) and base64 that does not decode to what was meant (item 9).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { livekitProvider } from "../../src/providers/livekit/index.js";
import { TEST_API_KEY, TEST_API_SECRET } from "../harness/livekit-harness.js";
import {
  type FaultyUpstream,
  json,
  type ServedProvider,
  serveProvider,
  startFaultyUpstream,
} from "./helpers.js";

let upstream: FaultyUpstream;
let livekit: ServedProvider;

beforeAll(async () => {
  upstream = await startFaultyUpstream();
  livekit = await serveProvider(livekitProvider, {
    LIVEKIT_URL: upstream.baseUrl,
    LIVEKIT_API_KEY: TEST_API_KEY,
    LIVEKIT_API_SECRET: TEST_API_SECRET,
  });
});
afterAll(async () => {
  await livekit.close();
  await upstream.close();
});

const RPC = { room: "r", destination_identity: "agent", method: "ping" };

describe("perform_rpc's response_timeout_ms is bounded to what works (item 8: 'delay is out of range')", () => {
  for (const timeout of [4294967295, 4294962295, 2147483647, 55001]) {
    it(`refuses ${timeout} before sending`, async () => {
      const before = upstream.seen.length;
      const result = await livekit.call("perform_rpc", { ...RPC, response_timeout_ms: timeout });
      expect(result.isError).toBe(true);
      expect(result.text).toContain('argument "response_timeout_ms"');
      expect(result.text).not.toContain("Internal error");
      expect(upstream.seen.length - before).toBe(0);
    });
  }

  it("accepts the largest value that works, and waits for the answer", async () => {
    upstream.handle((req, res) => setTimeout(() => json(200, { payload: "pong" })(req, res), 50));
    const result = await livekit.call("perform_rpc", { ...RPC, response_timeout_ms: 55000 });
    expect(result).toMatchObject({ isError: false, structuredContent: { payload: "pong" } });
    expect(upstream.seen.at(-1)?.headers["x-twirp-timeout-ms"]).toBe("60000");
  });
});

describe("send_data refuses base64 that is not (item 9: 'A' sent 0 bytes, mixed alphabets passed)", () => {
  for (const data of ["A", "AQ=", "ab+-", "a-b/", "AB==", "AQID===", "AQ==AQ==", "YQ"]) {
    it(`refuses ${JSON.stringify(data)}`, async () => {
      upstream.handle(json(200, {}));
      const before = upstream.seen.length;
      const result = await livekit.call("send_data", { room: "r", data, encoding: "base64" });
      if (data === "YQ") {
        // Unpadded but complete: one byte, "a".
        expect(result.isError, result.text).toBe(false);
        return;
      }
      expect(result.isError, result.text).toBe(true);
      expect(result.text).toContain('Invalid argument "data"');
      expect(upstream.seen.length - before).toBe(0);
    });
  }

  it("sends exactly the bytes of valid standard and URL-safe base64", async () => {
    upstream.handle(json(200, {}));
    for (const [data, bytes] of [
      ["AQID", [1, 2, 3]],
      ["+/8=", [0xfb, 0xff]],
      ["-_8", [0xfb, 0xff]],
    ] as const) {
      const result = await livekit.call("send_data", { room: "r", data, encoding: "base64" });
      expect(result.isError, result.text).toBe(false);
      const sent = JSON.parse(upstream.seen.at(-1)?.body ?? "{}") as { data?: string };
      expect([...Buffer.from(sent.data ?? "", "base64")]).toEqual(bytes);
    }
  });
});
