/**
 * Room scope (--rooms): a call on a room outside the scope is refused with nothing acting on the wire,
 * lists show only rooms in scope, moves must land in scope, and 100ms ids and sessions are resolved to
 * their room's name before anything acts.
 */
import { describe, expect, it } from "vitest";
import { bindProvider } from "../../src/assemble.js";
import { roomScope } from "../../src/control/scope.js";
import { hmsProvider } from "../../src/providers/hms/index.js";
import { livekitProvider } from "../../src/providers/livekit/index.js";
import { TEST_API_KEY, TEST_API_SECRET } from "../harness/livekit-harness.js";
import { connectClient } from "../harness/mcp.js";
import { type ScriptedExchange, startScriptedUpstream } from "../harness/upstream.js";

async function call(
  provider: "livekit" | "hms",
  patterns: string[],
  tool: string,
  args: object,
  script: ScriptedExchange[],
) {
  const upstream = await startScriptedUpstream(script);
  const tools =
    provider === "livekit"
      ? bindProvider(
          livekitProvider,
          livekitProvider.createClient({
            url: upstream.baseUrl,
            apiKey: TEST_API_KEY,
            apiSecret: TEST_API_SECRET,
          }),
          "",
          roomScope(patterns),
        )
      : bindProvider(
          hmsProvider,
          hmsProvider.createClient({
            apiUrl: upstream.baseUrl,
            auth: { kind: "token", token: "scope-test-token" },
          }),
          "",
          roomScope(patterns),
        );
  const mcp = await connectClient(tools);
  try {
    const result = await mcp.client.callTool({ name: tool, arguments: args as Record<string, unknown> });
    const text = (result.content as { text: string }[])[0]?.text ?? "";
    return {
      result,
      text,
      received: upstream.received.map((r) => `${r.method} ${r.path}`),
      problems: upstream.problems,
      tools: (await mcp.client.listTools()).tools.map((t) => t.name),
    };
  } finally {
    await mcp.close();
    await upstream.close();
  }
}

const twirp = (method: string, body: unknown): ScriptedExchange => ({
  method: "POST",
  path: `/twirp/livekit.RoomService/${method}`,
  response: { status: 200, body },
});
const room = (id: string, name: string) => ({
  id,
  name,
  enabled: true,
  created_at: "2024-11-18T09:12:40.318Z",
});
const get = (path: string, body: unknown): ScriptedExchange => ({
  method: "GET",
  path,
  response: { status: 200, body },
});

describe("LiveKit room scope", () => {
  it("refuses a room outside the scope before anything is sent", async () => {
    const out = await call("livekit", ["support-*"], "list_participants", { room: "sales-1" }, []);
    expect(out.result.isError).toBe(true);
    expect(out.text).toContain(
      "Not allowed: room 'sales-1' (room) is outside the rooms this server may act on",
    );
    expect(out.received).toEqual([]);
  });

  it("lets a room inside the scope through", async () => {
    const out = await call("livekit", ["support-*"], "list_participants", { room: "support-1" }, [
      twirp("ListParticipants", { participants: [] }),
    ]);
    expect(out.result.isError ?? false, out.text).toBe(false);
    expect(out.received).toEqual(["POST /twirp/livekit.RoomService/ListParticipants"]);
  });

  it("refuses a move whose destination is outside the scope, and a room created outside it", async () => {
    const move = await call(
      "livekit",
      ["support-*"],
      "move_participant",
      { room: "support-1", identity: "a", destination_room: "sales-1" },
      [],
    );
    expect(move.text).toContain("room 'sales-1' (destination_room)");
    expect(move.received).toEqual([]);
    const create = await call("livekit", ["support-*"], "create_room", { name: "sales-2" }, []);
    expect(create.result.isError).toBe(true);
    expect(create.received).toEqual([]);
  });

  it("shows only rooms in scope in list_rooms", async () => {
    const out = await call("livekit", ["support-*"], "list_rooms", {}, [
      twirp("ListRooms", {
        rooms: [
          { sid: "RM_a", name: "support-1" },
          { sid: "RM_b", name: "sales-1" },
        ],
      }),
    ]);
    const page = out.result.structuredContent as {
      rooms: { name: string }[];
      total: number;
      matching: number;
    };
    expect(page.rooms.map((r) => r.name)).toEqual(["support-1"]);
    // Rooms outside the scope are left out before paging: not counted either.
    expect(page.total).toBe(1);
    expect(page.matching).toBe(1);
  });
});

describe("100ms room scope", () => {
  const ID = "6741a0c2e5f14b9d8a3c7e21";
  it("resolves a room id to its name, and refuses a room outside the scope", async () => {
    const out = await call("hms", ["design-*"], "end_room", { room_id: ID, reason: "x" }, [
      get(`/rooms/${ID}`, room(ID, "sales-weekly")),
    ]);
    expect(out.result.isError).toBe(true);
    expect(out.text).toContain("room 'sales-weekly'");
    expect(out.received).toEqual([`GET /rooms/${ID}`]);
  });

  it("lets a room whose name is in scope through", async () => {
    const out = await call("hms", ["design-*"], "get_room", { room_id: ID }, [
      get(`/rooms/${ID}`, room(ID, "design-review")),
      get(`/rooms/${ID}`, room(ID, "design-review")),
    ]);
    expect(out.result.isError ?? false, out.text).toBe(false);
  });

  it("accepts a room id pattern without a lookup", async () => {
    const out = await call("hms", [ID], "get_room", { room_id: ID }, [
      get(`/rooms/${ID}`, room(ID, "design-review")),
    ]);
    expect(out.received).toEqual([`GET /rooms/${ID}`]);
  });

  it("resolves a session to its room before removing anyone", async () => {
    const session = {
      id: "6741b0c2e5f14b9d8a3c7e99",
      room_id: ID,
      active: true,
      created_at: "2024-11-18T09:12:40.318Z",
      updated_at: "2024-11-18T09:12:40.318Z",
      peers: {},
    };
    const out = await call("hms", ["design-*"], "remove_peer", { session_id: session.id, role: "guest" }, [
      get(`/sessions/${session.id}`, session),
      get(`/rooms/${ID}`, room(ID, "sales-weekly")),
    ]);
    expect(out.result.isError).toBe(true);
    expect(out.received.every((r) => r.startsWith("GET "))).toBe(true);
  });

  it("refuses a listing across every room, and does not serve tools it cannot confine", async () => {
    const out = await call("hms", ["design-*"], "list_sessions", {}, []);
    expect(out.text).toContain("give room_id");
    expect(out.received).toEqual([]);
    expect(out.tools).not.toContain("get_recording_asset_url");
  });
});
