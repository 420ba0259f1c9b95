/**
 * End to end over stdio: spawns the built `rooms-mcp` (dist/cli.js, as `npx rooms-mcp` would run it) with
 * the SDK's own stdio client, against scripted upstreams on loopback. `npm test` builds first.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { describe, expect, it } from "vitest";
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
      expect(tools).toHaveLength(14);
      const result = await client.callTool({ name: "list_rooms", arguments: {} });
      expect(result.isError ?? false).toBe(false);
      expect(result.structuredContent).toEqual({ rooms: [] });
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
    if (code === "still running") child.kill();
    expect(code).toBe(0);
    const lines = stdout.split("\n").filter((l) => l.length > 0);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: "2.0" });
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
