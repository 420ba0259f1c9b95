/**
 * The one credential create_join_token exists to hand out reaches the agent, and nothing else does: the
 * server's scrubbing of tokens lets exactly that token through, in that tool's result only, and the token
 * never reaches a log line or the audit log.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TokenVerifier } from "livekit-server-sdk";
import { afterEach, describe, expect, it, vi } from "vitest";
import { bindProvider } from "../../src/assemble.js";
import { auditLog } from "../../src/control/audit.js";
import { livekitProvider } from "../../src/providers/livekit/index.js";
import { createSecretScrubber } from "../../src/secrets.js";
import { ANNOTATIONS, type BoundTool } from "../../src/tools/define.js";
import { connectClient } from "../harness/mcp.js";

const API_KEY = "APIhand0utKey";
const API_SECRET = "handout-test-secret-that-is-long-enough";
/** Some other token, as an upstream might quote it back. */
const OTHER_JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzb21lb25lLWVsc2UifQ.c2lnbmF0dXJlLW9mLWFub3RoZXI";

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("the scrubber's handout", () => {
  const scrub = createSecretScrubber([API_SECRET]);
  const HANDOUT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJndWVzdCJ9.aGFuZG91dC1zaWduYXR1cmU";

  it("keeps exactly the handed-out token, wherever it stands, and replaces every other one", () => {
    const value = {
      token: HANDOUT,
      join_url: `https://meet.example.com/?token=${HANDOUT}`,
      quoted: `upstream said: bad token ${OTHER_JWT}`,
    };
    expect(scrub.value(value, HANDOUT)).toEqual({
      token: HANDOUT,
      join_url: `https://meet.example.com/?token=${HANDOUT}`,
      quoted: "upstream said: bad token [redacted token]",
    });
    expect(scrub.text(`${HANDOUT} ${OTHER_JWT}`, HANDOUT)).toBe(`${HANDOUT} [redacted token]`);
  });

  it("keeps nothing without a handout, and a longer token that merely starts with it is replaced", () => {
    expect(scrub.value({ token: HANDOUT })).toEqual({ token: "[redacted token]" });
    expect(scrub.text(`${HANDOUT}x`, HANDOUT)).toBe("[redacted token]");
  });

  it("still removes configured secrets, and a handout holding one is not kept", () => {
    const leaky = `eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.${API_SECRET}`;
    expect(scrub.text(`secret is ${API_SECRET}`, HANDOUT)).toBe("secret is [redacted]");
    expect(scrub.text(leaky, leaky)).not.toContain(API_SECRET);
  });
});

function liveKitTools(): BoundTool[] {
  const client = livekitProvider.createClient({
    url: "https://rooms.example.com",
    apiKey: API_KEY,
    apiSecret: API_SECRET,
  });
  return bindProvider(livekitProvider, client);
}

/** A tool whose result carries tokens it did not mint, as an upstream's error echo might. */
function echoTool(handsOut?: string): BoundTool {
  return {
    provider: "livekit",
    name: "echo_tokens",
    baseName: "echo_tokens",
    targets: {},
    title: "Echo tokens",
    description: "Returns tokens it was given by an upstream, for this test.",
    annotations: ANNOTATIONS.read,
    inputSchema: { type: "object", properties: {}, additionalProperties: false },
    outputSchema: {
      type: "object",
      properties: { token: { type: "string" }, other: { type: "string" } },
      additionalProperties: false,
    },
    ...(handsOut === undefined ? {} : { handsOut }),
    invoke: async () => ({ token: OTHER_JWT, other: `and ${OTHER_JWT}` }),
  };
}

describe("create_join_token through the server", () => {
  it("shows the token to the agent, a token LiveKit accepts, and writes it to no log line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rooms-mcp-handout-"));
    dirs.push(dir);
    const auditPath = join(dir, "audit.jsonl");
    const stderr: string[] = [];
    // Every log line the server writes, at its most talkative.
    vi.stubEnv("ROOMS_MCP_LOG_LEVEL", "debug");
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    const scrub = createSecretScrubber([API_SECRET]);
    const mcp = await connectClient(liveKitTools(), [API_SECRET], {
      control: { confirm: "never", audit: auditLog(auditPath, scrub.text) },
    });
    try {
      const result = await mcp.client.callTool({
        name: "create_join_token",
        arguments: { room: "support-call-7731", identity: "guest-ana" },
      });
      expect(result.isError).not.toBe(true);
      const { token } = result.structuredContent as { token: string };
      expect(token).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/);
      const claims = await new TokenVerifier(API_KEY, API_SECRET).verify(token);
      expect(claims.sub).toBe("guest-ana");
      expect(JSON.stringify(result.content)).toContain(token);

      const audit = readFileSync(auditPath, "utf8");
      expect(audit).toContain('"tool":"create_join_token"');
      expect(audit).not.toContain(token);
      expect(stderr.join("")).not.toContain(token);
      expect(stderr.join("")).toContain("create_join_token");
    } finally {
      await mcp.close();
    }
  });

  it("lets no other token through: not in another tool's result, nor a second token in its own", async () => {
    for (const tool of [echoTool(), echoTool("other")]) {
      const mcp = await connectClient([tool], [API_SECRET]);
      try {
        const result = await mcp.client.callTool({ name: "echo_tokens", arguments: {} });
        expect(JSON.stringify(result)).not.toContain(OTHER_JWT.split(".")[2]);
      } finally {
        await mcp.close();
      }
    }
  });
});
