/**
 * The built server (dist/cli.js, as `npx rooms-mcp` runs it) fed raw lines on stdin: nothing a client writes
 * ends the session or goes unanswered, and nothing the server writes is a line a client cannot read.
 * `npm test` builds first.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_API_KEY, TEST_API_SECRET } from "../harness/livekit-harness.js";
import { type FaultyUpstream, json, startFaultyUpstream } from "./helpers.js";

const CLI = "dist/cli.js";

let upstream: FaultyUpstream;
beforeAll(async () => {
  upstream = await startFaultyUpstream((req, res) => {
    // A slow answer, so a call is in flight while the raw lines arrive.
    setTimeout(() => json(200, { rooms: [] })(req, res), 300);
  });
});
afterAll(async () => {
  await upstream.close();
});

interface Raw {
  readonly child: ChildProcessWithoutNullStreams;
  /** Every parsed line written to stdout so far. */
  readonly replies: unknown[];
  write(line: string): Promise<void>;
  /** The first reply matching, waiting up to `ms`. */
  waitFor(match: (reply: unknown) => boolean, ms?: number): Promise<unknown>;
  exited(): number | null | undefined;
}

function spawnRaw(): Raw {
  const child = spawn(process.execPath, [CLI, "livekit"], {
    env: {
      PATH: process.env.PATH ?? "",
      ROOMS_MCP_LOG_LEVEL: "error",
      LIVEKIT_URL: upstream.baseUrl,
      LIVEKIT_API_KEY: TEST_API_KEY,
      LIVEKIT_API_SECRET: TEST_API_SECRET,
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const replies: unknown[] = [];
  let buffered = "";
  let exitCode: number | null | undefined;
  child.on("exit", (code) => {
    exitCode = code;
  });
  child.stdout.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    for (let newline = buffered.indexOf("\n"); newline !== -1; newline = buffered.indexOf("\n")) {
      replies.push(JSON.parse(buffered.slice(0, newline)));
      buffered = buffered.slice(newline + 1);
    }
  });
  child.stderr.resume();
  return {
    child,
    replies,
    write: (line) =>
      new Promise((resolve, reject) => child.stdin.write(`${line}\n`, (e) => (e ? reject(e) : resolve()))),
    async waitFor(match, ms = 5000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = replies.find(match);
        if (found !== undefined) {
          return found;
        }
        if (Date.now() > deadline || exitCode !== undefined) {
          throw new Error(
            `no such reply (exit ${String(exitCode)}); got ${JSON.stringify(replies).slice(0, 2000)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    exited: () => exitCode,
  };
}

const byId = (id: unknown) => (reply: unknown) => (reply as { id?: unknown }).id === id;
const request = (id: unknown, method: string, params?: unknown) =>
  JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });

async function initialized(raw: Raw): Promise<void> {
  await raw.write(
    request(1, "initialize", {
      protocolVersion: "2025-11-25",
      capabilities: {},
      clientInfo: { name: "raw", version: "0" },
    }),
  );
  await raw.waitFor(byId(1));
  await raw.write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
}

describe("one large stdin line does not end the session (issue 8 item 2)", () => {
  it("a 20 MB line, valid or not, is refused with its id; the call in flight and later calls are answered", async () => {
    const raw = spawnRaw();
    try {
      await initialized(raw);
      // In flight while the large lines arrive (the upstream answers after 300 ms).
      await raw.write(request(2, "tools/call", { name: "list_rooms", arguments: {} }));
      const huge = "x".repeat(20 * 1024 * 1024);
      await raw.write(request(3, "tools/call", { name: "list_rooms", arguments: { names: [huge] } }));
      await raw.write(`{"not json at all ${huge}`);
      await raw.write(request(4, "ping"));

      const refused = (await raw.waitFor(byId(3))) as { error: { code: number; message: string } };
      expect(refused.error.code).toBe(-32600);
      expect(refused.error.message).toContain("bytes");
      expect(await raw.waitFor(byId(4))).toMatchObject({ result: {} });
      expect(await raw.waitFor(byId(2))).toMatchObject({ result: { structuredContent: { rooms: [] } } });
      expect(raw.replies.filter(byId(null))).toHaveLength(1);
      expect(raw.exited()).toBeUndefined();
    } finally {
      raw.child.kill();
    }
  }, 30_000);
});

describe("raw JSON-RPC the SDK dropped without an answer is answered (issue 8 item 12)", () => {
  it("batches, a wrong jsonrpc, null / fractional / object ids, params null, bad JSON — and it keeps serving", async () => {
    const raw = spawnRaw();
    try {
      await initialized(raw);
      await raw.write(JSON.stringify([JSON.parse(request(10, "ping")), { jsonrpc: "2.0", method: "x/y" }]));
      await raw.write(JSON.stringify({ jsonrpc: "1.0", id: 11, method: "ping" }));
      await raw.write(JSON.stringify({ jsonrpc: "2.0", id: 12, method: "ping", params: null }));
      await raw.write(JSON.stringify({ jsonrpc: "2.0", id: 13, method: "ping", params: [1] }));
      await raw.write(JSON.stringify({ jsonrpc: "2.0", id: 14, method: 42 }));
      for (const id of [null, 1.5, { a: 1 }, [1], true]) {
        await raw.write(JSON.stringify({ jsonrpc: "2.0", id, method: "ping" }));
      }
      await raw.write("[]");
      await raw.write("{oops");
      await raw.write(request(15, "tools/list"));

      const list = (await raw.waitFor(byId(15))) as { result: { tools: { name: string }[] } };
      expect(list.result.tools.map((t) => t.name)).toContain("list_rooms");
      const batch = raw.replies.find(Array.isArray) as { id: unknown; error: { code: number } }[];
      expect(batch).toEqual([
        expect.objectContaining({ id: 10, error: expect.objectContaining({ code: -32600 }) }),
      ]);
      for (const id of [11, 12, 13, 14]) {
        expect(await raw.waitFor(byId(id)), `id ${id}`).toMatchObject({ error: { code: -32600 } });
      }
      const anonymous = raw.replies.filter(byId(null)) as { error: { code: number } }[];
      // Five unusable ids and the empty batch: Invalid Request; the broken line: Parse error.
      expect(anonymous.map((r) => r.error.code).sort()).toEqual(
        [-32700, -32600, -32600, -32600, -32600, -32600, -32600].sort(),
      );
      expect(raw.exited()).toBeUndefined();
    } finally {
      raw.child.kill();
    }
  }, 20_000);
});

describe("no line a client cannot read (issue 8 item 4: 'ReadBuffer exceeded' dropped the connection)", () => {
  it("a huge answer under the cap is answered in a message the official client reads; it stays connected", async () => {
    // A 6 MiB answer (quotes are escaped once in it), under the cap: as a result line, structured copy plus
    // the text block escaped again, it would be about 18 MiB.
    const body = { rooms: [{ sid: "RM_1", name: "r", metadata: '"'.repeat(3 * 1024 * 1024) }] };
    const big = await startFaultyUpstream(json(200, body));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, "livekit"],
      env: {
        PATH: process.env.PATH ?? "",
        ROOMS_MCP_LOG_LEVEL: "error",
        LIVEKIT_URL: big.baseUrl,
        LIVEKIT_API_KEY: TEST_API_KEY,
        LIVEKIT_API_SECRET: TEST_API_SECRET,
        LIVEKIT_MAX_RESPONSE_BYTES: String(8 * 1024 * 1024),
      },
      stderr: "pipe",
    });
    const client = new Client({ name: "rooms-mcp-raw", version: "0.0.0" });
    let closed = false;
    client.onclose = () => {
      closed = true;
    };
    await client.connect(transport);
    try {
      // Answered, as a cut-down result or an error saying how to ask for less, never as an unreadable line.
      const result = await client.callTool({ name: "list_rooms", arguments: {} });
      expect(JSON.stringify(result).length).toBeLessThan(8 * 1024 * 1024);
      // Still connected: the next call is answered.
      big.handle(json(200, { rooms: [] }));
      expect((await client.callTool({ name: "list_rooms", arguments: {} })).isError ?? false).toBe(false);
      expect(closed).toBe(false);
    } finally {
      await client.close();
      await big.close();
    }
  }, 30_000);
});
