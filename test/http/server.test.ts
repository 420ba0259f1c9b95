/**
 * HTTP mode in one process: health and readiness, DNS-rebinding guards, bearer tokens, both protocol eras,
 * per-request narrowing, the body limit, the request deadline, access logs and graceful shutdown.
 */
import { afterEach, describe, expect, it } from "vitest";
import { TEST_API_KEY, TEST_API_SECRET } from "../harness/livekit-harness.js";
import { type ScriptedUpstream, startScriptedUpstream } from "../harness/upstream.js";
import {
  connectHttp,
  INITIALIZE,
  type InProcessServer,
  postMcp,
  startInProcess,
  TEST_TOKEN,
} from "./helpers.js";

const LIST_ROOMS = { method: "POST", path: "/twirp/livekit.RoomService/ListRooms" } as const;

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) {
    await step();
  }
  cleanup = [];
});

async function livekitServer(
  script: Parameters<typeof startScriptedUpstream>[0],
  argv: string[] = [],
  extra: Record<string, string> = {},
): Promise<{ server: InProcessServer; upstream: ScriptedUpstream }> {
  const upstream = await startScriptedUpstream(script);
  const server = await startInProcess(["livekit", ...argv], {
    LIVEKIT_URL: upstream.baseUrl,
    LIVEKIT_API_KEY: TEST_API_KEY,
    LIVEKIT_API_SECRET: TEST_API_SECRET,
    ROOMS_MCP_HTTP_TOKENS: TEST_TOKEN,
    ...extra,
  });
  cleanup.push(
    () => upstream.close(),
    () => server.close(),
  );
  return { server, upstream };
}

const auth = { authorization: `Bearer ${TEST_TOKEN}` };

describe("rooms-mcp --http", () => {
  it("answers /healthz and /readyz without authentication, naming the configured providers", async () => {
    const { server } = await livekitServer([]);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", providers: ["livekit"] });
  });

  it("is not ready when no provider is configured", async () => {
    const server = await startInProcess([], { ROOMS_MCP_HTTP_TOKENS: TEST_TOKEN });
    cleanup.push(() => server.close());
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: "not_ready", providers: [] });
  });

  it("refuses a foreign Host or Origin with 403 before authentication (DNS rebinding)", async () => {
    const { server } = await livekitServer([]);
    const badHost = await postMcp(`${server.url}/mcp`, INITIALIZE, { ...auth, host: "attacker.example" });
    expect(badHost.status).toBe(403);
    expect(badHost.text).toContain("ROOMS_MCP_HTTP_ALLOWED_HOSTS");
    const badOrigin = await postMcp(`${server.url}/mcp`, INITIALIZE, {
      ...auth,
      origin: "https://attacker.example",
    });
    expect(badOrigin.status).toBe(403);
    const localOrigin = await postMcp(`${server.url}/mcp`, INITIALIZE, {
      ...auth,
      origin: "http://localhost:6274",
    });
    expect(localOrigin.status).toBe(200);
  });

  it("accepts the Host names the operator adds", async () => {
    const { server } = await livekitServer([], [], { ROOMS_MCP_HTTP_ALLOWED_HOSTS: "rooms.example.com" });
    const ok = await postMcp(`${server.url}/mcp`, INITIALIZE, { ...auth, host: "rooms.example.com" });
    expect(ok.status).toBe(200);
  });

  it("answers 401 with a Bearer challenge without a token or with a wrong one", async () => {
    const { server } = await livekitServer([]);
    const missing = await postMcp(`${server.url}/mcp`, INITIALIZE);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer /);
    const wrong = await postMcp(`${server.url}/mcp`, INITIALIZE, { authorization: `Bearer ${TEST_TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(server.access.map((e) => e.outcome)).toEqual(["unauthenticated", "unauthenticated"]);
  });

  for (const era of ["legacy", "modern"] as const) {
    it(`serves a ${era} client: lists the tools and calls one`, async () => {
      const { server, upstream } = await livekitServer([
        { ...LIST_ROOMS, response: { status: 200, body: { rooms: [] } } },
      ]);
      const client = await connectHttp(server.url, "/mcp", { era, headers: auth });
      cleanup.push(() => client.close());
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(
        expect.arrayContaining(["list_rooms", "delete_room", "send_data"]),
      );
      const result = await client.callTool({ name: "list_rooms", arguments: {} });
      expect(result.structuredContent).toMatchObject({ rooms: [] });
      expect(upstream.problems).toEqual([]);
      const calls = server.access.filter((e) => e.status === 200);
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.every((e) => e.principal === "token#1")).toBe(true);
    });
  }

  it("narrows per request by path and header, never beyond what it was started with", async () => {
    const { server } = await livekitServer([], ["--toolsets", "rooms,participants"]);
    const names = async (path: string, headers: Record<string, string> = {}) => {
      const client = await connectHttp(server.url, path, { headers: { ...auth, ...headers } });
      try {
        return (await client.listTools()).tools.map((t) => t.name).sort();
      } finally {
        await client.close();
      }
    };
    const all = await names("/mcp");
    expect(all).toContain("delete_room");
    expect(all).not.toContain("send_data");
    expect(await names("/mcp/readonly")).toEqual(["get_participant", "list_participants", "list_rooms"]);
    expect(await names("/mcp/x/rooms")).toEqual([
      "create_room",
      "delete_room",
      "list_rooms",
      "update_room_metadata",
    ]);
    expect(await names("/mcp/x/rooms/readonly")).toEqual(["list_rooms"]);
    expect(await names("/mcp", { "X-MCP-Readonly": "true" })).toEqual([
      "get_participant",
      "list_participants",
      "list_rooms",
    ]);
    expect(await names("/mcp", { "X-MCP-Tools": "list_rooms,delete_room" })).toEqual([
      "delete_room",
      "list_rooms",
    ]);
    expect(await names("/mcp/x/rooms", { "X-MCP-Exclude-Tools": "delete_room" })).toEqual([
      "create_room",
      "list_rooms",
      "update_room_metadata",
    ]);
    // A served toolset's neighbour (data) is known but not served: asking for it yields nothing more.
    expect(await names("/mcp/x/data")).toEqual([]);
    const unknown = await postMcp(`${server.url}/mcp/x/nonsense`, INITIALIZE, auth);
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('unknown toolset \\"nonsense\\"');
    const unserved = await postMcp(`${server.url}/mcp`, INITIALIZE, { ...auth, "X-MCP-Tools": "send_data" });
    expect(unserved.status).toBe(400);
    const badFlag = await postMcp(`${server.url}/mcp`, INITIALIZE, { ...auth, "X-MCP-Readonly": "yes" });
    expect(badFlag.status).toBe(400);
    const badPath = await postMcp(`${server.url}/mcp/admin`, INITIALIZE, auth);
    expect(badPath.status).toBe(400);
  });

  it("refuses a body over the limit with 413 before parsing it", async () => {
    const { server } = await livekitServer([], [], { ROOMS_MCP_HTTP_MAX_BODY_BYTES: "2048" });
    const big = await postMcp(`${server.url}/mcp`, { ...INITIALIZE, pad: "x".repeat(4096) }, auth);
    expect(big.status).toBe(413);
    expect(server.access.at(-1)?.outcome).toBe("too_large");
  });

  it("stops a request at its deadline with 504 and cancels the upstream call", async () => {
    const { server } = await livekitServer(
      [{ ...LIST_ROOMS, response: { status: 200, body: { rooms: [] }, delayMs: 5_000 } }],
      [],
      { ROOMS_MCP_HTTP_REQUEST_TIMEOUT_MS: "300" },
    );
    const client = await connectHttp(server.url, "/mcp", { era: "modern", headers: auth });
    cleanup.push(() => client.close());
    const started = Date.now();
    await expect(client.callTool({ name: "list_rooms", arguments: {} })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(server.access.at(-1)).toMatchObject({ status: 504, outcome: "timeout" });
  });

  it("logs one JSON access line per request, without tokens, credentials or payloads", async () => {
    const { server } = await livekitServer([
      { ...LIST_ROOMS, response: { status: 200, body: { rooms: [] } } },
    ]);
    const client = await connectHttp(server.url, "/mcp", { era: "modern", headers: auth });
    await client
      .callTool({ name: "list_rooms", arguments: { names: ["secret-room-name"] } })
      .catch(() => undefined);
    await client.close();
    const text = JSON.stringify(server.access);
    expect(server.access.length).toBeGreaterThan(0);
    expect(text).not.toContain(TEST_TOKEN);
    expect(text).not.toContain(TEST_API_SECRET);
    expect(text).not.toContain("secret-room-name");
    expect(server.access.some((e) => e.mcp_method === "tools/call")).toBe(true);
  });

  it("on close, finishes calls in flight, refuses new connections, and reports draining", async () => {
    const { server } = await livekitServer([
      { ...LIST_ROOMS, response: { status: 200, body: { rooms: [] }, delayMs: 400 } },
    ]);
    const client = await connectHttp(server.url, "/mcp", { era: "modern", headers: auth });
    const inFlight = client.callTool({ name: "list_rooms", arguments: {} });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = server.close();
    const result = await inFlight;
    expect(result.structuredContent).toMatchObject({ rooms: [] });
    await closing;
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    await client.close().catch(() => undefined);
  });
});
