/**
 * Record mode against a local LiveKit-compatible server: the fixture it writes holds the exchange and the
 * result, carries the grant but no token or secret, and passes the fixture checks.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { record } from "../scripts/record.js";
import { hmsProvider } from "../src/providers/hms/index.js";
import { livekitProvider } from "../src/providers/livekit/index.js";
import type { Fixture } from "./harness/fixtures.js";
import { hmsHarness } from "./harness/hms-harness.js";
import { livekitHarness, TEST_API_KEY, TEST_API_SECRET } from "./harness/livekit-harness.js";
import { startScriptedUpstream } from "./harness/upstream.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("npm run record", () => {
  it("records a LiveKit call into a fixture without secrets", async () => {
    const room = {
      sid: "RM_rec1",
      name: "standup",
      num_participants: 2,
      creation_time: "1795276800",
      version: null,
    };
    const upstream = await startScriptedUpstream([
      {
        method: "POST",
        path: "/twirp/livekit.RoomService/ListRooms",
        response: { status: 200, body: { rooms: [room] } },
      },
      {
        method: "POST",
        path: "/twirp/livekit.RoomService/SendData",
        response: { status: 200, body: {} },
      },
    ]);
    const fixturesDir = mkdtempSync(join(tmpdir(), "rooms-mcp-record-"));
    dirs.push(fixturesDir);
    const env = {
      LIVEKIT_URL: upstream.baseUrl.replace("http", "ws"),
      LIVEKIT_API_KEY: TEST_API_KEY,
      LIVEKIT_API_SECRET: TEST_API_SECRET,
    };
    try {
      const file = await record({
        provider: livekitProvider,
        tool: "list_rooms",
        args: { names: ["standup"] },
        caseName: "recorded",
        env,
        fixturesDir,
      });
      expect(file).toBe(join(fixturesDir, "livekit", "list_rooms", "recorded.json"));
      const text = readFileSync(file, "utf8");
      expect(text).not.toContain(TEST_API_SECRET);
      expect(text).not.toMatch(/Bearer|eyJ/);
      const fixture = JSON.parse(text) as Fixture;
      expect(fixture.exchanges).toHaveLength(1);
      expect(fixture.exchanges[0]?.request).toEqual({
        method: "POST",
        path: "/twirp/livekit.RoomService/ListRooms",
        body: { names: ["standup"] },
        grant: { roomList: true },
      });
      expect(fixture.result).toMatchObject({
        isError: false,
        structuredContent: { rooms: [{ sid: "RM_rec1" }] },
      });
      expect(livekitHarness.validateFixture(fixture)).toEqual([]);

      const sent = await record({
        provider: livekitProvider,
        tool: "send_data",
        args: { room: "standup", data: "hello" },
        caseName: "recorded",
        env,
        fixturesDir,
      });
      const sendFixture = JSON.parse(readFileSync(sent, "utf8")) as Fixture;
      expect(sendFixture.exchanges[0]?.request.anyValue).toEqual(["nonce"]);
      expect(sendFixture.exchanges[0]?.request.grant).toEqual({ roomAdmin: true, room: "standup" });
      expect(upstream.problems).toEqual([]);
    } finally {
      await upstream.close();
    }
  });

  it("records a 100ms call with storage credentials and the management token scrubbed", async () => {
    const token = "eyJhbGciOiJIUzI1NiJ9.eyJhY2Nlc3Nfa2V5IjoiYSJ9.c2lnbmF0dXJlLW9mLWEtZ2l2ZW4tdG9rZW4";
    const room = {
      id: "6741a0c2e5f14b9d8a3c7e99",
      name: "recorded-room",
      enabled: true,
      customer_id: "6741a0c2e5f14b9d8a3c0001",
      app_id: "6741a0c2e5f14b9d8a3c0002",
      template_id: "6741a0c2e5f14b9d8a3c7f00",
      region: "eu",
      created_at: "2026-11-20T09:12:40.318Z",
      updated_at: "2026-11-20T09:12:40.318Z",
      recording_info: {
        enabled: true,
        upload_info: {
          type: "s3",
          location: "bucket",
          credentials: { key: "RECORDEDACCESSKEY01", secret: "recorded-bucket-secret" },
        },
      },
    };
    const upstream = await startScriptedUpstream([
      { method: "GET", path: "/v2/rooms/6741a0c2e5f14b9d8a3c7e99", response: { status: 200, body: room } },
    ]);
    const fixturesDir = mkdtempSync(join(tmpdir(), "rooms-mcp-record-"));
    dirs.push(fixturesDir);
    try {
      const file = await record({
        provider: hmsProvider,
        tool: "get_room",
        args: { room_id: room.id },
        caseName: "recorded",
        env: { HMS_API_URL: `${upstream.baseUrl}/v2`, HMS_MANAGEMENT_TOKEN: token },
        fixturesDir,
      });
      const text = readFileSync(file, "utf8");
      for (const secret of [token, "RECORDEDACCESSKEY01", "recorded-bucket-secret"]) {
        expect(text).not.toContain(secret);
      }
      const fixture = JSON.parse(text) as Fixture;
      expect(fixture.exchanges[0]?.request).toEqual({ method: "GET", path: `/rooms/${room.id}` });
      expect(text).toContain('"secret": "[redacted]"');
      expect(hmsHarness.validateFixture(fixture)).toEqual([]);
      expect(upstream.problems).toEqual([]);
    } finally {
      await upstream.close();
    }
  });
});
