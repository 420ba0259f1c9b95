/**
 * What a stdio start-up loads: listing tools must not load a provider's manifest, client or generated
 * protobuf/OpenAPI code (they load on the first call). Spawns the built CLI with a module hook that records
 * every file module loaded, and checks the same hook does see that code once a tool is called.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const CLI = "dist/cli.js";
const dir = mkdtempSync(join(tmpdir(), "rooms-mcp-startup-"));
const hook = join(dir, "hook.mjs");
// The hook registers a loader (as a data: URL) that appends each file module's URL to LOADED_LOG.
const loader = [
  "import { appendFileSync } from 'node:fs';",
  "export async function load(url, context, next) {",
  "  if (url.startsWith('file:')) appendFileSync(process.env.LOADED_LOG, url + '\\n');",
  "  return next(url, context);",
  "}",
].join("\n");
writeFileSync(
  hook,
  `import { register } from "node:module";\nregister(${JSON.stringify(`data:text/javascript,${encodeURIComponent(loader)}`)});\n`,
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the CLI, lists its tools, optionally calls one, and returns the modules loaded by then. */
async function modulesLoaded(args: string[], call?: string): Promise<string[]> {
  const log = join(dir, `loaded-${args.join("-") || "all"}-${call ?? "list"}.txt`);
  writeFileSync(log, "");
  const child = spawn(process.execPath, ["--import", hook, CLI, ...args], {
    stdio: ["pipe", "pipe", "ignore"],
    env: {
      PATH: process.env.PATH ?? "",
      LOADED_LOG: log,
      ROOMS_MCP_LOG_LEVEL: "silent",
      // Nothing listens on port 9: a call fails fast, after its provider's code has loaded.
      LIVEKIT_URL: "http://127.0.0.1:9",
      LIVEKIT_API_KEY: "test-key",
      LIVEKIT_API_SECRET: "test-secret-at-least-thirty-two-characters",
      HMS_MANAGEMENT_TOKEN: "test-management-token",
      HMS_API_URL: "http://127.0.0.1:9",
    },
  });
  const requests = [
    {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "0" } },
    },
    { jsonrpc: "2.0", method: "notifications/initialized" },
    { jsonrpc: "2.0", id: 2, method: "tools/list" },
    ...(call === undefined
      ? []
      : [{ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: call, arguments: {} } }]),
  ];
  const lastId = call === undefined ? 2 : 3;
  await new Promise<void>((resolve, reject) => {
    let buffer = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      for (const line of buffer.split("\n").slice(0, -1)) {
        if ((JSON.parse(line) as { id?: number }).id === lastId) {
          resolve();
        }
      }
    });
    child.once("exit", (code) => reject(new Error(`the CLI exited (${code}) before answering`)));
    child.stdin.write(`${requests.map((r) => JSON.stringify(r)).join("\n")}\n`);
  });
  child.kill();
  return readFileSync(log, "utf8").split("\n").filter(Boolean);
}

const PROVIDER_CODE = [
  /node_modules\/@bufbuild\/protobuf\//,
  /node_modules\/openapi-fetch\//,
  /dist\/generated\/livekit\/livekit_\w+_pb\.js$/,
  /dist\/generated\/livekit\/tool_schemas\.js$/,
  /dist\/generated\/hms\/operations\.js$/,
  /dist\/tools\/(livekit|hms)\/index\.js$/,
  /dist\/providers\/(livekit|hms)\/index\.js$/,
];

const providerCode = (modules: string[]) => modules.filter((m) => PROVIDER_CODE.some((re) => re.test(m)));

describe("stdio start-up", () => {
  it.each([[["livekit"]], [["100ms"]], [[]]])(
    "rooms-mcp %j lists its tools without loading provider code",
    async (args) => {
      const modules = await modulesLoaded(args);
      expect(
        modules.some((m) => m.endsWith("/dist/cli.js")),
        "the hook records modules",
      ).toBe(true);
      expect(providerCode(modules)).toEqual([]);
    },
  );

  it("loads the provider's code with the first call (the hook would see it)", async () => {
    const modules = await modulesLoaded(["livekit"], "list_rooms");
    const loaded = providerCode(modules);
    expect(loaded.some((m) => m.includes("@bufbuild/protobuf"))).toBe(true);
    expect(loaded.some((m) => m.endsWith("dist/tools/livekit/index.js"))).toBe(true);
    expect(loaded.some((m) => m.includes("generated/hms"))).toBe(false);
  });
});
