/**
 * What a user installs: the `npm pack` tarball, installed into a scratch project without devDependencies
 * (from the npm registry or its local cache), its `rooms-mcp` bin driven by a real MCP client over stdio and
 * over HTTP; the MCP Bundle manifest validated and packed by the official `mcpb` tool; the registry's
 * server.json checked against the registry's rules. `npm test` builds dist/ first; `prepare` builds it
 * for git installs and `npm pack` of a fresh clone.
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mcpbManifest, serverJson } from "../../scripts/package-manifests.js";
import { TEST_API_KEY, TEST_API_SECRET } from "../harness/livekit-harness.js";
import { type ScriptedUpstream, startScriptedUpstream } from "../harness/upstream.js";
import { connectHttp, spawnServer, TEST_TOKEN } from "../http/helpers.js";
import { serverJsonProblems } from "./server-json.js";

interface PackageJson {
  name: string;
  version: string;
  description: string;
  license: string;
  mcpName?: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const ROOT = resolve(".");
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as PackageJson;
const MCPB = join(ROOT, "node_modules/@anthropic-ai/mcpb/dist/cli/cli.js");
const LIST_ROOMS = { method: "POST", path: "/twirp/livekit.RoomService/ListRooms" } as const;

let work: string;
let tarball: string;
let packed: string[];
let installed: string;
let upstream: ScriptedUpstream;

/** Runs a command to completion; its stdout and stderr, or an error saying how it failed. */
function run(command: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout: 60_000 });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (${result.status ?? result.signal}):\n${output}`);
  }
  return output;
}

beforeAll(async () => {
  expect(existsSync("dist/cli.js"), "run `npm run build` (npm test does)").toBe(true);
  work = mkdtempSync(join(tmpdir(), "rooms-mcp-pack-"));
  // dist/ is already built by `npm test`; `prepare` would build it again.
  const listing = spawnSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  const [info] = JSON.parse(listing.stdout) as [{ filename: string; files: { path: string }[] }];
  tarball = join(work, info.filename);
  packed = info.files.map((f) => f.path);
  const scratch = join(work, "scratch");
  mkdirSync(scratch);
  writeFileSync(
    join(scratch, "package.json"),
    JSON.stringify({ name: "scratch", version: "0.0.0", private: true }),
  );
  run(
    "npm",
    ["install", tarball, "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
    scratch,
  );
  installed = join(scratch, "node_modules");
  upstream = await startScriptedUpstream(
    Array.from({ length: 2 }, () => ({ ...LIST_ROOMS, response: { status: 200, body: { rooms: [] } } })),
  );
}, 120_000);

afterAll(async () => {
  await upstream?.close();
  if (work !== undefined) {
    rmSync(work, { recursive: true, force: true });
  }
});

const livekitEnv = () => ({
  LIVEKIT_URL: upstream.baseUrl,
  LIVEKIT_API_KEY: TEST_API_KEY,
  LIVEKIT_API_SECRET: TEST_API_SECRET,
});

describe("the npm package", () => {
  it("builds dist/ on prepare, so git installs and npm pack of a fresh clone hold the code", () => {
    expect(pkg.scripts.prepare).toMatch(/npm run build/);
    expect(pkg.bin["rooms-mcp"]).toBe("dist/cli.js");
  });

  it("ships the compiled code and nothing that points at files it does not ship", () => {
    expect(packed).toContain("dist/cli.js");
    expect(packed.filter((f) => f.startsWith("src/") || f.startsWith("test/"))).toEqual([]);
    expect(packed.filter((f) => f.endsWith(".map"))).toEqual([]);
    const root = join(installed, "rooms-mcp");
    const pointing = packed.filter(
      (f) => f.endsWith(".js") && readFileSync(join(root, f), "utf8").includes("sourceMappingURL"),
    );
    expect(pointing).toEqual([]);
  });

  it("has no runtime dependency that the shipped code only imports as a type", () => {
    const code = packed
      .filter((f) => f.endsWith(".js"))
      .map((f) => readFileSync(join(installed, "rooms-mcp", f), "utf8"))
      .join("\n");
    // A static import, a dynamic import(), or a require made with createRequire (ajv, loaded on first use).
    const unused = Object.keys(pkg.dependencies).filter((dep) => {
      const name = dep.replace(/[/.]/g, "\\$&");
      return !new RegExp(`from "${name}(/[^"]*)?"|import\\("${name}|\\)\\("${name}(/[^"]*)?"\\)`).test(code);
    });
    expect(unused, "move these to devDependencies").toEqual([]);
  });

  it("installs without devDependencies", () => {
    const present = readdirSync(installed).flatMap((entry) =>
      entry.startsWith("@") ? readdirSync(join(installed, entry)).map((sub) => `${entry}/${sub}`) : [entry],
    );
    expect(present).toContain("rooms-mcp");
    expect(present.filter((name) => name in pkg.devDependencies)).toEqual([]);
  });

  it("runs its installed bin over stdio with a real MCP client", async () => {
    const transport = new StdioClientTransport({
      command: join(installed, ".bin", "rooms-mcp"),
      args: ["livekit"],
      env: { PATH: process.env.PATH ?? "", ...livekitEnv() },
      stderr: "pipe",
    });
    const client = new Client({ name: "rooms-mcp-pack", version: "0.0.0" });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toContain("list_rooms");
      const result = await client.callTool({ name: "list_rooms", arguments: {} });
      expect(result.isError ?? false).toBe(false);
    } finally {
      await client.close();
    }
  });

  it("runs its installed bin over HTTP with a real MCP client", async () => {
    const server = await spawnServer(["livekit"], { ...livekitEnv(), ROOMS_MCP_HTTP_TOKENS: TEST_TOKEN }, [
      join(installed, ".bin", "rooms-mcp"),
    ]);
    try {
      const client = await connectHttp(server.url, "/mcp", {
        era: "modern",
        headers: { authorization: `Bearer ${TEST_TOKEN}` },
      });
      const result = await client.callTool({ name: "list_rooms", arguments: {} });
      expect(result.isError ?? false).toBe(false);
      await client.close();
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(upstream.problems).toEqual([]);
  });
});

describe("install manifests", () => {
  it("are up to date with the code (npm run manifests)", () => {
    expect(JSON.parse(readFileSync("server.json", "utf8"))).toEqual(serverJson(pkg));
    expect(JSON.parse(readFileSync("manifest.json", "utf8"))).toEqual(mcpbManifest(pkg));
  });

  it("server.json follows the registry's rules, with every secret marked", () => {
    const doc = JSON.parse(readFileSync("server.json", "utf8")) as Record<string, unknown>;
    expect(serverJsonProblems(doc, pkg)).toEqual([]);
    const variables = (
      doc.packages as { environmentVariables: { name: string; isSecret: boolean }[] }[]
    ).flatMap((p) => p.environmentVariables);
    const secret = (name: string) => variables.find((v) => v.name === name)?.isSecret;
    for (const name of [
      "LIVEKIT_API_SECRET",
      "HMS_SECRET",
      "HMS_MANAGEMENT_TOKEN",
      "ROOMS_MCP_HTTP_TOKENS",
      "ROOMS_MCP_STATE_KEY",
    ]) {
      expect(secret(name), name).toBe(true);
    }
    expect(secret("LIVEKIT_URL")).toBe(false);
    const transports = (doc.packages as { transport: { type: string } }[]).map((p) => p.transport.type);
    expect(transports).toEqual(["stdio", "streamable-http"]);
  });

  it("the MCP Bundle manifest validates, and mcpb packs the installed package into a bundle", () => {
    expect(existsSync(MCPB), "npm ci installs @anthropic-ai/mcpb").toBe(true);
    expect(run(process.execPath, [MCPB, "validate", join(ROOT, "manifest.json")], ROOT)).toContain("passes");
    const bundle = join(work, "bundle");
    cpSync(join(installed, "rooms-mcp"), bundle, { recursive: true, dereference: true });
    cpSync(installed, join(bundle, "node_modules"), {
      recursive: true,
      dereference: true,
      filter: (source) =>
        !source.startsWith(join(installed, "rooms-mcp")) && !source.startsWith(join(installed, ".bin")),
    });
    cpSync("manifest.json", join(bundle, "manifest.json"));
    const output = join(work, "rooms-mcp.mcpb");
    run(process.execPath, [MCPB, "pack", bundle, output], ROOT);
    expect(statSync(output).size).toBeGreaterThan(10_000);
    expect(run(process.execPath, [MCPB, "info", output], ROOT)).toContain(pkg.name);
  }, 60_000);
});
