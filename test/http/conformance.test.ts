/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance, pinned in package.json) against
 * `rooms-mcp livekit --http` with a bearer token required, in both requirement sets: 2025-11-25 (the
 * stateless legacy leg) and 2026-07-28. Scenarios that do not apply to a tools-only server are listed,
 * each with its reason, in conformance/baseline.yml, which the suite reads; everything else must pass, and
 * a baseline entry that starts passing fails the run.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_API_KEY, TEST_API_SECRET } from "../harness/livekit-harness.js";
import { type AuthProxy, startAuthProxy } from "./auth-proxy.js";
import { type SpawnedServer, spawnServer, TEST_TOKEN } from "./helpers.js";

const SUITE = "node_modules/@modelcontextprotocol/conformance/dist/index.js";
const BASELINE = "test/http/conformance/baseline.yml";
// On Node 20 the suite's bundle needs fs.globSync (Node 22); this loader adds a stub for it alone.
const NODE20_FS = "./test/http/conformance/node20-fs.mjs";

let server: SpawnedServer;
let proxy: AuthProxy;

beforeAll(async () => {
  server = await spawnServer(["livekit"], {
    // Tools are listed, never called against this address: the suite calls only its own fixture tools.
    LIVEKIT_URL: "http://127.0.0.1:9",
    LIVEKIT_API_KEY: TEST_API_KEY,
    LIVEKIT_API_SECRET: TEST_API_SECRET,
    ROOMS_MCP_HTTP_TOKENS: TEST_TOKEN,
  });
  // The suite sends no Authorization header; the proxy adds the token as a configured client would.
  proxy = await startAuthProxy(server.url, TEST_TOKEN);
}, 30_000);

afterAll(async () => {
  await proxy?.close();
  await server?.stop();
});

function runSuite(revision: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        NODE20_FS,
        SUITE,
        "server",
        "--url",
        `${proxy.url}/mcp`,
        "--requirements",
        revision,
        "--expected-failures",
        BASELINE,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.once("exit", (code) => resolve({ code, output }));
  });
}

describe("MCP conformance suite against rooms-mcp --http (bearer token required)", () => {
  it("is installed (devDependency @modelcontextprotocol/conformance)", () => {
    expect(existsSync(SUITE), "npm ci installs @modelcontextprotocol/conformance").toBe(true);
  });

  for (const revision of ["2025-11-25", "2026-07-28"]) {
    it(`passes every applicable scenario of the ${revision} requirements`, async () => {
      const { code, output } = await runSuite(revision);
      // The summary names any unexpected failure or stale baseline entry.
      const summary = output.slice(output.lastIndexOf("Total:"));
      expect(output).toContain("Baseline check passed");
      expect(code, summary).toBe(0);
      // Scenarios that apply to a tools-only server, by name: they must have run and passed.
      for (const scenario of ["tools-list", "dns-rebinding-protection"]) {
        expect(output).toMatch(new RegExp(`✓ ${scenario}: [1-9]\\d* passed, 0 failed`));
      }
    }, 120_000);
  }
});
