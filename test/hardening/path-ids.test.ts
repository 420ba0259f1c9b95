/**
 * Dot-segment ids (issue 8 item 1): a path parameter of `.` or `..` is collapsed by URL parsing, so
 * `update_room {"room_id": "."}` became `POST /v2/rooms/` (a new room, reported as success) and `..` reached
 * /v2/end-room. Every path parameter is refused before anything is sent: by the spec's pattern (the argument
 * validator), and by the client for ids that workflows take from 100ms's own answers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isArgumentError } from "../../src/errors.js";
import { createHmsClient } from "../../src/providers/hms/client.js";
import { hmsProvider } from "../../src/providers/hms/index.js";
import {
  type FaultyUpstream,
  json,
  type ServedProvider,
  serveProvider,
  startFaultyUpstream,
} from "./helpers.js";

const ROOM_ID = "6741a0c2e5f14b9d8a3c7e21";

let upstream: FaultyUpstream;
let hms: ServedProvider;

beforeAll(async () => {
  upstream = await startFaultyUpstream(json(200, { id: ROOM_ID, name: "created", enabled: true }));
  hms = await serveProvider(hmsProvider, {
    HMS_API_URL: `${upstream.baseUrl}/v2`,
    HMS_MANAGEMENT_TOKEN: "path-ids-test-management-token-0123",
  });
});
afterAll(async () => {
  await hms.close();
  await upstream.close();
});

const CALLS: readonly [string, Record<string, unknown>, string][] = [
  ["update_room", { room_id: ".", enabled: false }, "room_id"],
  ["update_room", { room_id: "..", enabled: false }, "room_id"],
  ["get_room", { room_id: "a/b" }, "room_id"],
  ["get_room", { room_id: "%2e%2e" }, "room_id"],
  ["list_peers", { session_id: "." }, "session_id"],
  ["list_peers", { room_id: ".." }, "room_id"],
  ["remove_peer", { room_id: "..", peer_id: "p1" }, "room_id"],
  ["remove_peer", { session_id: "..", role: "guest" }, "session_id"],
  ["end_room", { room_id: ".." }, "room_id"],
  ["send_message", { room_id: "..", message: "hi" }, "room_id"],
  ["get_session", { session_id: "../rooms" }, "session_id"],
  ["get_recording", { recording_id: "." }, "recording_id"],
  ["get_recording_asset_url", { asset_id: ".." }, "asset_id"],
  ["get_room", { room_id: "a\nb" }, "room_id"],
];

describe("path parameters that would change the path are refused before anything is sent", () => {
  for (const [tool, args, argument] of CALLS) {
    it(`${tool} ${JSON.stringify(args)}`, async () => {
      const before = upstream.seen.length;
      const result = await hms.call(tool, args);
      expect(result.isError, result.text).toBe(true);
      expect(result.text).toContain(`"${argument}"`);
      expect(upstream.seen.length - before, "requests sent").toBe(0);
    });
  }

  it("real id shapes still pass (hex ids, names like design-review, uuids)", async () => {
    upstream.handle(json(200, { id: ROOM_ID, name: "created", enabled: true }));
    for (const id of [ROOM_ID, "design-review", "c1d2e3f4-a5b6-4c7d-9e8f-0a1b2c3d4e5f", "latest"]) {
      const before = upstream.seen.length;
      const result = await hms.call("get_room", { room_id: id });
      expect(result.isError, result.text).toBe(false);
      expect(upstream.seen.slice(before).map((r) => r.url)).toEqual([`/v2/rooms/${id}`]);
    }
  });
});

describe("the client refuses such a path value itself (ids a workflow takes from 100ms's answers)", () => {
  it("a session whose room_id is '..' does not send GET /active-rooms/../peers", async () => {
    upstream.handle((req, res) => {
      if (req.url.startsWith("/v2/sessions/")) {
        json(200, { id: "s1", room_id: "..", active: true, peers: {} })(req, res);
      } else {
        json(200, { session: { id: "s1" }, peers: {} })(req, res);
      }
    });
    const before = upstream.seen.length;
    const result = await hms.call("list_peers", { session_id: "6740f1e2d3c4b5a6978869aa" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('"room_id"');
    expect(upstream.seen.slice(before).map((r) => r.url)).toEqual(["/v2/sessions/6740f1e2d3c4b5a6978869aa"]);
  });

  it("every unsafe shape, called on the client directly", async () => {
    const client = createHmsClient({
      apiUrl: `${upstream.baseUrl}/v2`,
      auth: { kind: "token", token: "path-ids-test-management-token-0123" },
    });
    const before = upstream.seen.length;
    for (const value of [".", "..", "a/b", "a\\b", "", "a\u0000b", "\ud800"]) {
      const error = await client
        .call("getRoom", { path: { room_id: value } }, { signal: new AbortController().signal })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(isArgumentError(error), JSON.stringify(value)).toBe(true);
    }
    expect(upstream.seen.length - before).toBe(0);
  });
});
