/**
 * Horizontal scale: two instances of the built CLI behind no load balancer but the client itself, which
 * sends each request to the other replica in turn. Nothing lives in one process between requests, so both
 * eras work, and a confirmation asked by one replica is answered on the other (shared ROOMS_MCP_STATE_KEY).
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_API_KEY, TEST_API_SECRET } from "../harness/livekit-harness.js";
import { type ScriptedUpstream, startScriptedUpstream } from "../harness/upstream.js";
import { connectHttp, type SpawnedServer, spawnServer, TEST_STATE_KEY, TEST_TOKEN } from "./helpers.js";

const LIST_ROOMS = { method: "POST", path: "/twirp/livekit.RoomService/ListRooms" } as const;
const DELETE_ROOM = { method: "POST", path: "/twirp/livekit.RoomService/DeleteRoom" } as const;

let upstream: ScriptedUpstream;
let replicas: SpawnedServer[] = [];

beforeAll(async () => {
  expect(existsSync("dist/cli.js"), "run `npm run build` (npm test does)").toBe(true);
  upstream = await startScriptedUpstream([
    ...Array.from({ length: 6 }, () => ({ ...LIST_ROOMS, response: { status: 200, body: { rooms: [] } } })),
    { ...DELETE_ROOM, response: { status: 200, body: {} } },
  ]);
  const env = {
    LIVEKIT_URL: upstream.baseUrl,
    LIVEKIT_API_KEY: TEST_API_KEY,
    LIVEKIT_API_SECRET: TEST_API_SECRET,
    ROOMS_MCP_HTTP_TOKENS: TEST_TOKEN,
    ROOMS_MCP_STATE_KEY: TEST_STATE_KEY,
  };
  replicas = await Promise.all([spawnServer(["livekit"], env), spawnServer(["livekit"], env)]);
});

afterAll(async () => {
  const codes = await Promise.all(replicas.map((r) => r.stop()));
  await upstream?.close();
  // SIGTERM is a clean exit.
  expect(codes).toEqual(replicas.map(() => 0));
});

/** Each request to the next replica, round robin. */
function alternating(): { route: (url: URL) => URL; hits: number[] } {
  const hits = replicas.map(() => 0);
  let next = 0;
  return {
    hits,
    route(url) {
      const replica = replicas[next % replicas.length] as SpawnedServer;
      hits[next % replicas.length] = (hits[next % replicas.length] ?? 0) + 1;
      next += 1;
      return new URL(`${url.pathname}${url.search}`, replica.url);
    },
  };
}

describe("two replicas, one client", () => {
  for (const era of ["legacy", "modern"] as const) {
    it(`serves a ${era} client whose requests alternate between the replicas`, async () => {
      const { route, hits } = alternating();
      const client = await connectHttp("http://127.0.0.1", "/mcp", {
        era,
        route,
        headers: { authorization: `Bearer ${TEST_TOKEN}` },
      });
      try {
        expect((await client.listTools()).tools.map((t) => t.name)).toContain("list_rooms");
        for (let i = 0; i < 3; i++) {
          const result = await client.callTool({ name: "list_rooms", arguments: {} });
          expect(result.isError ?? false).toBe(false);
        }
      } finally {
        await client.close();
      }
      expect(hits.every((n) => n >= 2)).toBe(true);
    });
  }

  it("finishes a confirmation on the other replica than the one that asked", async () => {
    const { route, hits } = alternating();
    const asked: string[] = [];
    const client = await connectHttp("http://127.0.0.1", "/mcp", {
      era: "modern",
      route,
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
      elicit: (message) => {
        asked.push(message);
        return { action: "accept", content: { confirm: true } };
      },
    });
    try {
      const before = [...hits];
      const result = await client.callTool({ name: "delete_room", arguments: { room: "standup" } });
      expect(result.isError ?? false).toBe(false);
      expect(asked).toHaveLength(1);
      expect(asked[0]).toContain("standup");
      // The question and the confirmed retry were two requests, one to each replica.
      expect(hits.map((n, i) => n - (before[i] ?? 0))).toEqual([1, 1]);
    } finally {
      await client.close();
    }
    expect(upstream.problems).toEqual([]);
    expect(upstream.remaining()).toBe(0);
  });
});
