/**
 * Room scope (--rooms) for the tools beyond RoomService: tools that name a room are confined to it, lists of
 * egresses and ingresses show only rooms in scope, tools that act on an egress or ingress id (stop_egress,
 * delete_ingress, …) first read which room it belongs to, and tools for project-wide telephony setup are not
 * served under a scope at all.
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
    return {
      served,
      result,
      received: upstream.received.length,
      requests: upstream.received.map((r) => `${r.path} ${r.body.toString("utf8")}`),
      problems: upstream.problems,
    };
  } finally {
    await mcp.close();
    await upstream.close();
  }
}

describe("room scope beyond RoomService", () => {
  it("serves the tools that name a room or an egress or ingress in one, not those for telephony setup", async () => {
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
        "stop_egress",
        "update_egress_layout",
        "update_egress_stream",
        "update_ingress",
        "delete_ingress",
      ]),
    );
    for (const unconfinable of [
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

  const listEgress = (items: unknown[]): ScriptedExchange => ({
    method: "POST",
    path: "/twirp/livekit.Egress/ListEgress",
    response: { status: 200, body: { items } },
  });

  it("stops an egress of a room in scope after reading which room it records", async () => {
    const { result, requests, problems } = await scoped(
      ["support-*"],
      "stop_egress",
      { egress_id: "EG_in" },
      [
        listEgress([
          { egress_id: "EG_in", room_id: "RM_1", room_name: "support-call-7731", status: "EGRESS_ACTIVE" },
        ]),
        {
          method: "POST",
          path: "/twirp/livekit.Egress/StopEgress",
          response: {
            status: 200,
            body: { egress_id: "EG_in", room_name: "support-call-7731", status: "EGRESS_ENDING" },
          },
        },
      ],
    );
    expect(problems).toEqual([]);
    expect(result?.isError).toBeFalsy();
    expect(requests).toEqual([
      '/twirp/livekit.Egress/ListEgress {"egressId":"EG_in"}',
      '/twirp/livekit.Egress/StopEgress {"egressId":"EG_in"}',
    ]);
  });

  it("refuses to stop an egress of a room outside the scope, or one LiveKit does not know, sending no stop", async () => {
    const outside = await scoped(["support-*"], "stop_egress", { egress_id: "EG_out" }, [
      listEgress([
        { egress_id: "EG_out", room_id: "RM_2", room_name: "board-meeting", status: "EGRESS_ACTIVE" },
      ]),
    ]);
    expect(outside.result?.isError).toBe(true);
    expect(JSON.stringify(outside.result?.content)).toContain(
      "egress_id 'EG_out' (room 'board-meeting') is outside the rooms",
    );
    const unknown = await scoped(["support-*"], "update_egress_stream", { egress_id: "EG_gone" }, [
      listEgress([]),
    ]);
    expect(unknown.result?.isError).toBe(true);
    expect(JSON.stringify(unknown.result?.content)).toContain("LiveKit knows no egress EG_gone");
    expect([outside.requests.length, unknown.requests.length]).toEqual([1, 1]);
    expect([outside.problems, unknown.problems]).toEqual([[], []]);
  });

  it("moves an ingress only from a room in scope to a room in scope", async () => {
    const listIngress: ScriptedExchange = {
      method: "POST",
      path: "/twirp/livekit.Ingress/ListIngress",
      response: { status: 200, body: { items: [{ ingress_id: "IN_1", room_name: "support-call-7731" }] } },
    };
    const away = await scoped(["support-*"], "update_ingress", {
      ingress_id: "IN_1",
      room_name: "board-meeting",
    });
    expect(away.result?.isError).toBe(true);
    expect(JSON.stringify(away.result?.content)).toContain(
      "room 'board-meeting' (room_name) is outside the rooms",
    );
    expect(away.received).toBe(0);
    const from = await scoped(["other-*"], "delete_ingress", { ingress_id: "IN_1" }, [listIngress]);
    expect(from.result?.isError).toBe(true);
    expect(JSON.stringify(from.result?.content)).toContain("(room 'support-call-7731') is outside the rooms");
    expect(from.requests).toEqual(['/twirp/livekit.Ingress/ListIngress {"ingressId":"IN_1"}']);
  });
});
