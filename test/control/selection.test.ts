/**
 * What tools/list shows for each documented selection (README "Safety"): the tool names per combination
 * of flags, snapshotted in test/control/selections.snap.json (refresh with `npm run snapshots:update`), and
 * unknown names refused at start-up, naming them.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { assembleTools } from "../../src/assemble.js";
import { parseControl } from "../../src/control/options.js";
import { PROVIDERS, providerByCommand } from "../../src/providers/registry.js";
import { connectClient } from "../harness/mcp.js";

const SNAPSHOT = "test/control/selections.snap.json";
const ENV = {
  LIVEKIT_URL: "http://127.0.0.1:1",
  LIVEKIT_API_KEY: "APIselection",
  LIVEKIT_API_SECRET: "selection-test-secret-long-enough",
  HMS_MANAGEMENT_TOKEN: "selection-test-management-token",
};

/** Each documented combination, as an operator types it after `rooms-mcp`. */
const COMBINATIONS = [
  "livekit",
  "livekit --read-only",
  "livekit --toolsets all",
  "livekit --toolsets rooms,moderation",
  "livekit --tools mute_track,list_participants",
  "livekit --toolsets all --exclude-tools delete_room,move_participant",
  "livekit --toolsets all --read-only",
  "livekit --rooms support-*",
  "livekit --read-only --rooms support-*",
  "livekit --toolsets default,events",
  "livekit --toolsets events --rooms support-*",
  "100ms",
  "100ms --read-only",
  "100ms --toolsets recordings",
  "100ms --toolsets recording,streaming,analytics",
  "100ms --rooms 6741a0c2e5f14b9d8a3c7e21",
  "--toolsets rooms",
  "--toolsets livekit:rooms,hms:recordings --read-only",
] as const;

async function listed(line: string): Promise<string[]> {
  const { options, rest } = parseControl(line.split(" "), {});
  const only = rest[0] === undefined ? undefined : providerByCommand(rest[0]);
  const { tools } = assembleTools(ENV, {
    providers: PROVIDERS,
    only,
    selection: options.selection,
    rooms: options.rooms,
  });
  const mcp = await connectClient(tools);
  try {
    return (await mcp.client.listTools()).tools.map((t) => t.name);
  } finally {
    await mcp.close();
  }
}

describe("tool selection", () => {
  it("lists exactly the selected tools for every documented combination", async () => {
    const actual: Record<string, string[]> = {};
    for (const line of COMBINATIONS) {
      actual[`rooms-mcp ${line}`] = await listed(line);
    }
    if (process.env.UPDATE_TOOLSNAPS === "1") {
      writeFileSync(SNAPSHOT, `${JSON.stringify(actual, null, 2)}\n`);
      return;
    }
    const committed = JSON.parse(readFileSync(SNAPSHOT, "utf8")) as Record<string, string[]>;
    expect(actual, `${SNAPSHOT} differs: run npm run snapshots:update if intended`).toEqual(committed);
  });

  it("read-only wins over everything and keeps only tools that change nothing", async () => {
    const names = await listed("livekit --toolsets all --tools delete_room --read-only");
    expect(names).not.toContain("delete_room");
    // create_join_token changes nothing on the server but hands out access: it is not read-only.
    expect(names.sort()).toEqual([
      "get_participant",
      "list_agent_dispatches",
      "list_egress",
      "list_events",
      "list_ingress",
      "list_participants",
      "list_rooms",
      "list_sip_dispatch_rules",
      "list_sip_inbound_trunks",
      "list_sip_outbound_trunks",
      "wait_for_event",
    ]);
  });

  it.each([
    [
      "livekit --toolsets roms",
      /unknown toolset "roms".*known: agents, all, data, default, events, ingress, moderation, participants, recording, rooms, routing, sip, tokens/,
    ],
    [
      "100ms --toolsets recordng",
      /unknown toolset "recordng".*known: access, all, analytics, data, default, events, moderation, peers, recording, recordings, rooms, sessions, streaming/,
    ],
    ["livekit --tools mute", /unknown tool "mute"/],
    ["livekit --exclude-tools delete_rom", /unknown tool "delete_rom"/],
    ["livekit --toolsets hms:recordings", /unknown toolset "hms:recordings"/],
  ])("refuses %s at start-up, naming it", async (line, message) => {
    await expect(listed(line)).rejects.toThrow(message);
  });

  it.each([
    [["--confirm", "sometimes"], /--confirm .* must be auto, always, never/],
    [["--rooms"], /--rooms needs a value/],
    [["--toolsets", "--read-only"], /--toolsets needs a value/],
  ])("refuses the flags %j", (argv, message) => {
    expect(() => parseControl(argv, {})).toThrow(message);
  });

  it("reads the environment where no flag is given, and flags win", () => {
    const env = {
      ROOMS_MCP_READ_ONLY: "1",
      ROOMS_MCP_TOOLSETS: "rooms",
      ROOMS_MCP_CONFIRM: "never",
      ROOMS_MCP_ROOMS: "a-*,b",
    };
    const fromEnv = parseControl([], env).options;
    expect(fromEnv).toMatchObject({
      confirm: "never",
      rooms: ["a-*", "b"],
      selection: { readOnly: true, toolsets: ["rooms"] },
    });
    const flagged = parseControl(["--toolsets=data", "--confirm", "always"], env).options;
    expect(flagged).toMatchObject({ confirm: "always", selection: { toolsets: ["data"] } });
    expect(() => parseControl([], { ROOMS_MCP_READ_ONLY: "yes" })).toThrow(/ROOMS_MCP_READ_ONLY/);
  });
});
