/**
 * End to end over stdio: spawns the built `rooms-mcp` (dist/cli.js, as `npx rooms-mcp` would run it) with
 * the SDK's own stdio client, against scripted upstreams on loopback. `npm test` builds first.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { describe, expect, it } from "vitest";
import { HMS_TEST_ACCESS_KEY, HMS_TEST_SECRET } from "./harness/hms-harness.js";
import { TEST_API_KEY, TEST_API_SECRET } from "./harness/livekit-harness.js";
import { startScriptedUpstream } from "./harness/upstream.js";

const CLI = "dist/cli.js";

/** The environment a client would give the server: no inherited credentials. */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", ROOMS_MCP_LOG_LEVEL: "info" };
  return { ...env, ...extra };
}

async function connect(args: string[], env: Record<string, string>) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, ...args],
    env,
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const client = new Client({ name: "rooms-mcp-e2e", version: "0.0.0" });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

describe("rooms-mcp over stdio", () => {
  it("is built", () => {
    expect(existsSync(CLI), "run `npm run build` (npm test does)").toBe(true);
  });

  it("serves LiveKit: lists every tool and calls one against a LiveKit-compatible server", async () => {
    const upstream = await startScriptedUpstream([
      {
        method: "POST",
        path: "/twirp/livekit.RoomService/ListRooms",
        response: { status: 200, body: { rooms: [] } },
      },
    ]);
    const { client, stderr } = await connect(
      ["livekit"],
      cleanEnv({
        LIVEKIT_URL: upstream.baseUrl.replace("http", "ws"),
        LIVEKIT_API_KEY: TEST_API_KEY,
        LIVEKIT_API_SECRET: TEST_API_SECRET,
      }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain("send_data");
      // The default toolsets: the RoomService tools but `routing` (forward/move, LiveKit Cloud only), and join
      // tokens; agents, recording, ingress and SIP are opt-in.
      expect(tools).toHaveLength(13);
      expect(tools.map((t) => t.name)).toContain("create_join_token");
      const result = await client.callTool({ name: "list_rooms", arguments: {} });
      expect(result.isError ?? false).toBe(false);
      expect(result.structuredContent).toMatchObject({ rooms: [], total: 0, next_cursor: null });
      const bad = await client.callTool({ name: "get_participant", arguments: { room: "r" } });
      expect(bad.isError).toBe(true);
      expect(upstream.problems).toEqual([]);
      expect(stderr()).toContain('tool="list_rooms" outcome="ok"');
      expect(stderr()).not.toContain(TEST_API_SECRET);
    } finally {
      await client.close();
      await upstream.close();
    }
  });

  it("serves 100ms: lists every tool and calls list_rooms with HMS_MANAGEMENT_TOKEN against HMS_API_URL", async () => {
    const token = "e2e-dashboard-management-token";
    const page = { limit: 10, data: [], last: "" };
    const upstream = await startScriptedUpstream([
      { method: "GET", path: "/v2/rooms?limit=10", response: { status: 200, body: page } },
    ]);
    const { client, stderr } = await connect(
      ["100ms"],
      cleanEnv({ HMS_API_URL: `${upstream.baseUrl}/v2`, HMS_MANAGEMENT_TOKEN: token }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(
        [
          "create_room",
          "end_room",
          "get_recording",
          "get_recording_asset_url",
          "get_room",
          "get_session",
          "list_peers",
          "list_recordings",
          "list_rooms",
          "list_sessions",
          "remove_peer",
          "send_message",
          "update_room",
        ].sort(),
      );
      const result = await client.callTool({ name: "list_rooms", arguments: { limit: 10 } });
      expect(result.isError ?? false).toBe(false);
      expect(result.structuredContent).toEqual({ data: [], next_cursor: null });
      expect(upstream.problems).toEqual([]);
      expect(upstream.received[0]?.headers.authorization).toBe(`Bearer ${token}`);
      expect(stderr()).toContain('tool="list_rooms" outcome="ok"');
      expect(stderr()).not.toContain(token);
    } finally {
      await client.close();
      await upstream.close();
    }
  });

  it("with no provider and both providers' credentials, serves both with prefixed names", async () => {
    const upstream = await startScriptedUpstream([
      { method: "GET", path: "/rooms", response: { status: 200, body: { limit: 10, data: [], last: "" } } },
    ]);
    const { client, stderr } = await connect(
      [],
      cleanEnv({
        LIVEKIT_URL: "ws://127.0.0.1:9",
        LIVEKIT_API_KEY: TEST_API_KEY,
        LIVEKIT_API_SECRET: TEST_API_SECRET,
        HMS_API_URL: upstream.baseUrl,
        HMS_ACCESS_KEY: HMS_TEST_ACCESS_KEY,
        HMS_SECRET: HMS_TEST_SECRET,
      }),
    );
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain("livekit_list_rooms");
      expect(names).toContain("livekit_send_data");
      expect(names).toContain("hms_list_rooms");
      expect(names).toContain("hms_remove_peer");
      expect(names.every((n) => n.startsWith("livekit_") || n.startsWith("hms_"))).toBe(true);
      expect(names.filter((n) => n.startsWith("hms_"))).toHaveLength(13);
      const result = await client.callTool({ name: "hms_list_rooms", arguments: {} });
      expect(result.isError ?? false).toBe(false);
      expect(upstream.problems).toEqual([]);
      expect(stderr()).not.toContain(HMS_TEST_SECRET);
    } finally {
      await client.close();
      await upstream.close();
    }
  });

  it("refuses a half-set 100ms key pair, naming what is missing", async () => {
    const child = spawn(process.execPath, [CLI], {
      env: cleanEnv({ HMS_ACCESS_KEY: HMS_TEST_ACCESS_KEY }),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(code).toBe(2);
    expect(stderr).toContain("HMS_SECRET");
    expect(stderr).not.toContain(HMS_TEST_ACCESS_KEY);
  });

  it("with no provider and no credentials, starts, serves nothing, and says what to set", async () => {
    const { client, stderr } = await connect([], cleanEnv({}));
    try {
      const { tools } = await client.listTools();
      expect(tools).toEqual([]);
      expect(stderr()).toContain("LIVEKIT_URL");
      expect(stderr()).toContain("HMS_MANAGEMENT_TOKEN");
    } finally {
      await client.close();
    }
  });

  it("writes only JSON-RPC to stdout and exits when stdin closes", async () => {
    const child = spawn(process.execPath, [CLI, "livekit"], {
      env: cleanEnv({}),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.stdin.write(
      `${JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-11-25",
          capabilities: {},
          clientInfo: { name: "raw", version: "0" },
        },
      })}\n`,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.stdin.end();
    const code = await Promise.race([
      exited,
      new Promise((resolve) => setTimeout(() => resolve("still running"), 5000)),
    ]);
    if (code === "still running") {
      child.kill();
    }
    expect(code).toBe(0);
    const lines = stdout.split("\n").filter((l) => l.length > 0);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(JSON.parse(line)).toMatchObject({ jsonrpc: "2.0" });
    }
  });

  it("refuses a half-set LiveKit configuration, naming what is missing", async () => {
    const child = spawn(process.execPath, [CLI, "livekit"], {
      env: cleanEnv({ LIVEKIT_URL: "wss://example.invalid", LIVEKIT_API_KEY: "k" }),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(code).toBe(2);
    expect(stderr).toContain("LIVEKIT_API_SECRET");
  });
});
