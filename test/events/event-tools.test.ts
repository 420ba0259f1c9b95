/**
 * The event tools beyond their fixtures: the room scope applies to every event listed or awaited, and a
 * polled wait that never sees its state times out at its bound.
 */
import { describe, expect, it } from "vitest";
import { assembleTools } from "../../src/assemble.js";
import type { RoomEvent } from "../../src/events/event.js";
import { memoryEventStore } from "../../src/events/memory-store.js";
import { connectClient } from "../harness/mcp.js";
import { startScriptedUpstream } from "../harness/upstream.js";

const ENV = {
  LIVEKIT_URL: "http://127.0.0.1:9",
  LIVEKIT_API_KEY: "APIevents",
  LIVEKIT_API_SECRET: "events-test-secret-long-enough-123",
};

const joined = (id: string, room: string): RoomEvent => ({
  id,
  provider: "livekit",
  type: "participant_joined",
  occurred_at: "2026-12-01T10:00:00.000Z",
  received_at: "2026-12-01T10:00:00.100Z",
  room_name: room,
  identity: `guest-${id}`,
  facts: {},
  data: {},
});

const control = (store = memoryEventStore(), receiving = true) => ({
  confirm: "auto" as const,
  audit: { destination: "nowhere", begin: () => ({ write: () => undefined }) },
  events: { store, receiving: new Set(receiving ? (["livekit"] as const) : []), pollIntervalMs: 250 },
});

describe("event tools under a room scope", () => {
  it("list only the events of rooms in scope, and refuse a wait naming another room", async () => {
    const store = memoryEventStore();
    await store.append(joined("1", "support-7"));
    await store.append(joined("2", "sales-3"));
    await store.append(joined("3", "support-9"));
    const { tools } = assembleTools(ENV, {
      only: (await import("../../src/providers/registry.js")).providerByCommand("livekit"),
      selection: { toolsets: ["events"], tools: undefined, excludeTools: [], readOnly: false },
      rooms: ["support-*"],
    });
    const mcp = await connectClient(tools, [], { control: control(store) });
    try {
      const listed = await mcp.client.callTool({ name: "list_events", arguments: {} });
      const ids = ((listed.structuredContent as { events: { id: string }[] }).events ?? []).map((e) => e.id);
      expect(ids).toEqual(["1", "3"]);
      const refused = await mcp.client.callTool({
        name: "wait_for_event",
        arguments: { types: ["participant_joined"], room: "sales-3", since: "1h" },
      });
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused.content)).toMatch(/outside the rooms this server may act on/);
      // Without a room, a wait still never answers with an event of a room out of scope.
      const scoped = await mcp.client.callTool({
        name: "wait_for_event",
        arguments: { types: ["participant_joined"], identity: "guest-2", since: "1h", timeout_seconds: 1 },
      });
      expect(scoped.structuredContent).toMatchObject({ status: "timed_out" });
    } finally {
      await mcp.close();
    }
  });
});

describe("a polled wait", () => {
  it("polls at its interval and times out when the state never holds", async () => {
    const notFound = {
      method: "POST",
      path: "/twirp/livekit.RoomService/ListRooms",
      response: { status: 200, body: { rooms: [] } },
    } as const;
    const upstream = await startScriptedUpstream(Array.from({ length: 8 }, () => notFound));
    const { tools } = assembleTools(
      { ...ENV, LIVEKIT_URL: upstream.baseUrl },
      {
        only: (await import("../../src/providers/registry.js")).providerByCommand("livekit"),
        selection: { toolsets: ["events"], tools: undefined, excludeTools: [], readOnly: false },
      },
    );
    const mcp = await connectClient(tools, [], { control: control(memoryEventStore(), false) });
    try {
      const started = Date.now();
      const result = await mcp.client.callTool({
        name: "wait_for_event",
        arguments: { types: ["room_started"], room: "not-yet", timeout_seconds: 1 },
      });
      const elapsed = Date.now() - started;
      expect(result.structuredContent).toMatchObject({
        status: "timed_out",
        source: "polling",
        polled: "whether the room is open (ListRooms), every 0.25 s",
      });
      expect(elapsed).toBeGreaterThanOrEqual(950);
      // One look every 250 ms for a second: about 5 (fewer on a loaded machine), never a busy loop.
      expect(upstream.received.length).toBeGreaterThanOrEqual(2);
      expect(upstream.received.length).toBeLessThanOrEqual(6);
    } finally {
      await mcp.close();
      await upstream.close();
    }
  });
});
