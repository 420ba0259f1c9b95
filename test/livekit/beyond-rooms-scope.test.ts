/**
 * Room scope (--rooms) for the tools beyond RoomService: tools that name a room are confined to it, lists of
 * egresses and ingresses show only rooms in scope, and tools that act on an id naming no room (stop_egress,
 * delete_ingress, …) or on project-wide telephony setup are not served under a scope at all.
 */
import { describe, expect, it } from "vitest";
import { bindProvider } from "../../src/assemble.js";
import { roomScope } from "../../src/control/scope.js";
import { livekitProvider } from "../../src/providers/livekit/index.js";
import { TEST_API_KEY, TEST_API_SECRET } from "../harness/livekit-harness.js";
import { connectClient } from "../harness/mcp.js";
import { type ScriptedExchange, startScriptedUpstream } from "../harness/upstream.js";

async function scoped(
  patterns: string[],
  tool: string,
  args: Record<string, unknown>,
  script: ScriptedExchange[] = [],
) {
  const upstream = await startScriptedUpstream(script);
  const client = livekitProvider.createClient({
    url: upstream.baseUrl,
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
  });
  const mcp = await connectClient(bindProvider(livekitProvider, client, "", roomScope(patterns)));
  try {
    const served = (await mcp.client.listTools()).tools.map((t) => t.name);
    const result = served.includes(tool)
      ? await mcp.client.callTool({ name: tool, arguments: args })
      : undefined;
    return { served, result, received: upstream.received.length, problems: upstream.problems };
  } finally {
    await mcp.close();
    await upstream.close();
  }
}

describe("room scope beyond RoomService", () => {
  it("serves the tools that name a room, and not those that act on ids or on telephony setup", async () => {
    const { served } = await scoped(["support-*"], "list_rooms", {});
    expect(served).toEqual(
      expect.arrayContaining([
        "create_join_token",
        "create_agent_dispatch",
        "list_agent_dispatches",
        "delete_agent_dispatch",
        "start_room_egress",
        "start_participant_egress",
        "start_track_egress",
        "list_egress",
        "create_ingress",
        "list_ingress",
        "create_sip_participant",
        "transfer_sip_participant",
      ]),
    );
    for (const unconfinable of [
      "stop_egress",
      "update_egress_layout",
      "update_egress_stream",
      "update_ingress",
      "delete_ingress",
      "list_sip_inbound_trunks",
      "list_sip_outbound_trunks",
      "list_sip_dispatch_rules",
    ]) {
      expect(served, unconfinable).not.toContain(unconfinable);
    }
  });

  it("refuses a join token for a room outside the scope, minting nothing", async () => {
    const { result } = await scoped(["support-*"], "create_join_token", {
      room: "board-meeting",
      identity: "guest",
    });
    expect(result?.isError).toBe(true);
    expect(JSON.stringify(result?.content)).toContain("room 'board-meeting' (room) is outside the rooms");
    expect(JSON.stringify(result)).not.toMatch(/eyJ/);
  });

  it("refuses to record or dial into a room outside the scope, sending nothing", async () => {
    const record = await scoped(["support-*"], "start_room_egress", {
      room_name: "board-meeting",
      file_outputs: [{ filepath: "x.mp4" }],
    });
    expect(record.result?.isError).toBe(true);
    const dial = await scoped(["support-*"], "create_sip_participant", {
      sip_trunk_id: "ST_Out3mQ8xLr2Z",
      sip_call_to: "+14155550123",
      room_name: "board-meeting",
    });
    expect(dial.result?.isError).toBe(true);
    expect([record.received, dial.received]).toEqual([0, 0]);
  });

  it("lists only the egresses of rooms in scope", async () => {
    const egress = (egressId: string, roomName: string) => ({
      egress_id: egressId,
      room_name: roomName,
      status: "EGRESS_ACTIVE",
    });
    const { result, problems } = await scoped(["support-*"], "list_egress", { active: true }, [
      {
        method: "POST",
        path: "/twirp/livekit.Egress/ListEgress",
        response: {
          status: 200,
          body: { items: [egress("EG_in", "support-call-7731"), egress("EG_out", "board-meeting")] },
        },
      },
    ]);
    expect(problems).toEqual([]);
    expect(result?.structuredContent).toMatchObject({ items: [{ egress_id: "EG_in" }] });
    expect((result?.structuredContent as { items?: unknown[] } | undefined)?.items).toHaveLength(1);
  });
});
