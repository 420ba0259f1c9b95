/**
 * Secrets never leave the process (issue 8 item 11): a secret with `"` or `\` survived when an upstream
 * nested it in a JSON string, and secrets under 8 characters (LiveKit's dev `secret`) were never scrubbed.
 * Long secrets go in every form they can take; short ones wherever they stand alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hmsProvider } from "../../src/providers/hms/index.js";
import { livekitProvider } from "../../src/providers/livekit/index.js";
import { createSecretScrubber } from "../../src/secrets.js";
import { TEST_API_KEY } from "../harness/livekit-harness.js";
import {
  type FaultyUpstream,
  goEscape,
  json,
  leakForms,
  serveProvider,
  startFaultyUpstream,
} from "./helpers.js";

function leaks(secret: string, result: { text: string; structuredContent?: unknown }): string[] {
  const seen = `${result.text}\n${JSON.stringify(result.structuredContent ?? null)}`;
  return leakForms(secret).filter((form) => seen.includes(form));
}

let upstream: FaultyUpstream;
beforeAll(async () => {
  upstream = await startFaultyUpstream();
});
afterAll(async () => {
  await upstream.close();
});

/** A room as LiveKit answers it, with the metadata given. */
const room = (metadata: string) => ({ sid: "RM_1", name: "r", metadata });

describe("a long secret is scrubbed in every form an upstream can echo it", () => {
  const SECRET = 'lk-"quoted"\\back\\slash&<amp>-secret-0123456789';

  it("LiveKit: raw, nested once and twice in JSON strings, Go-escaped, percent-encoded; results and errors", async () => {
    const livekit = await serveProvider(livekitProvider, {
      LIVEKIT_URL: upstream.baseUrl,
      LIVEKIT_API_KEY: TEST_API_KEY,
      LIVEKIT_API_SECRET: SECRET,
    });
    try {
      const echoes = [
        SECRET,
        JSON.stringify({ token: SECRET }),
        JSON.stringify({ inner: JSON.stringify({ token: SECRET }) }),
        `{"token":"${goEscape(SECRET)}"}`,
        `https://example.test/?key=${encodeURIComponent(SECRET)}`,
      ];
      for (const metadata of echoes) {
        upstream.handle(json(200, room(metadata)));
        const result = await livekit.call("update_room_metadata", { room: "r", metadata: "x" });
        expect(result.isError, result.text).toBe(false);
        expect(leaks(SECRET, result), metadata).toEqual([]);
        // The structured copy stays the JSON the text block says.
        expect(JSON.parse(result.text)).toEqual(result.structuredContent);
      }
      upstream.handle(
        json(401, {
          code: "unauthenticated",
          msg: `bad key ${SECRET}`,
          meta: { echo: JSON.stringify([SECRET]) },
        }),
      );
      const error = await livekit.call("list_rooms", {});
      expect(error.isError).toBe(true);
      expect(leaks(SECRET, error)).toEqual([]);
    } finally {
      await livekit.close();
    }
  });

  it("100ms: a management token with quotes, echoed nested in an error's details", async () => {
    const TOKEN = 'hms-"given"\\token-0123456789';
    const hms = await serveProvider(hmsProvider, {
      HMS_API_URL: `${upstream.baseUrl}/v2`,
      HMS_MANAGEMENT_TOKEN: TOKEN,
    });
    try {
      upstream.handle(
        json(400, { code: 400, message: `rejected ${TOKEN}`, details: [JSON.stringify({ auth: TOKEN })] }),
      );
      const error = await hms.call("list_rooms", {});
      expect(error.isError).toBe(true);
      expect(leaks(TOKEN, error)).toEqual([]);
    } finally {
      await hms.close();
    }
  });
});

describe("a short secret (LiveKit's dev `secret`) is scrubbed where it stands alone, and keeps working", () => {
  it("whole values and whole words are removed; words that merely contain it are left alone", async () => {
    const livekit = await serveProvider(livekitProvider, {
      LIVEKIT_URL: upstream.baseUrl,
      LIVEKIT_API_KEY: "devkey",
      LIVEKIT_API_SECRET: "secret",
    });
    try {
      upstream.handle(json(200, room("secret")));
      const whole = await livekit.call("update_room_metadata", { room: "r", metadata: "x" });
      expect(whole.structuredContent).toMatchObject({ metadata: "[redacted]" });
      expect(whole.text).not.toContain('"secret"');

      upstream.handle(
        json(200, room(JSON.stringify({ api_secret: "secret", note: "the secretary's secrets" }))),
      );
      const nested = await livekit.call("update_room_metadata", { room: "r", metadata: "x" });
      const metadata = (nested.structuredContent as { metadata: string }).metadata;
      expect(JSON.parse(metadata)).toEqual({ api_secret: "[redacted]", note: "the secretary's secrets" });

      upstream.handle(
        json(400, { code: "invalid_argument", msg: "bad", meta: { key: "devkey", value: "secret" } }),
      );
      const error = await livekit.call("list_rooms", {});
      expect(error.text).toContain('"value":"[redacted]"');
      // The operator is told at start-up how far a short secret is protected.
      expect(livekit.notices.join(" ")).toContain("shorter than 8 characters");
    } finally {
      await livekit.close();
    }
  });
});

describe("a result's text is looked at once; it is copied and scrubbed only when that look finds something", () => {
  const LONG = 'test-"long"\\value/ü';
  const scrubber = createSecretScrubber([LONG, "secret"]);
  const nested = (value: string, levels: number) => {
    let out = value;
    for (let level = 0; level < levels; level++) {
      out = JSON.stringify({ inner: out });
    }
    return out;
  };
  const token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";

  it("finds every secret value scrubbing would remove, at every depth it follows", () => {
    const cases: unknown[] = [
      { metadata: LONG },
      { [LONG]: 1 },
      { note: encodeURIComponent(LONG) },
      { note: goEscape(LONG) },
      ...[1, 2, 3, 4].map((levels) => ({ metadata: nested(LONG, levels) })),
      { list: ["a", "secret"] },
      { note: "the secret is out" },
      { metadata: nested("secret", 3) },
      { token },
    ];
    for (const value of cases) {
      expect(scrubber.value(value), JSON.stringify(value)).not.toEqual(value);
      expect(scrubber.clean(JSON.stringify(value)), JSON.stringify(value)).toBe(false);
    }
  });

  it("passes what scrubbing would leave as it is: words containing a short secret, the one handout", () => {
    const cases: unknown[] = [
      { rooms: [{ name: "r", metadata: "the secretary's secrets" }], total: 1 },
      { note: "test-long but not the secretive value", n: 3, ok: true, none: null },
    ];
    for (const value of cases) {
      expect(scrubber.value(value)).toEqual(value);
      expect(scrubber.clean(JSON.stringify(value))).toBe(true);
    }
    expect(scrubber.clean(JSON.stringify({ token }), token)).toBe(true);
    expect(scrubber.clean(JSON.stringify({ token, other: `${token}x` }), token)).toBe(false);
  });
});
