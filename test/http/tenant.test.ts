/**
 * Hosted multi-tenant mode (`--credentials per-request`): each request's own credentials, the LiveKit host
 * allowlist (nothing leaves for another host, no redirect is followed), no sharing between tenants, and
 * tenants' secrets kept out of results and logs.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeJwt } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { startScriptedUpstream } from "../harness/upstream.js";
import { connectHttp, INITIALIZE, postMcp, startInProcess, TEST_TOKEN } from "./helpers.js";

const LIST_ROOMS = { method: "POST", path: "/twirp/livekit.RoomService/ListRooms" } as const;
const TENANT_A = { key: "APItenantA", secret: "tenant-a-secret-long-enough-for-hs256-0001" };
const TENANT_B = { key: "APItenantB", secret: "tenant-b-secret-long-enough-for-hs256-0002" };

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) {
    await step();
  }
  cleanup = [];
});

async function hosted(extra: Record<string, string> = {}, argv: string[] = ["livekit"]) {
  const server = await startInProcess([...argv, "--credentials", "per-request"], {
    ROOMS_MCP_HTTP_TOKENS: TEST_TOKEN,
    ROOMS_MCP_LIVEKIT_HOSTS: "127.0.0.1:*",
    // The operator's own keys must never serve a tenant.
    LIVEKIT_URL: "http://127.0.0.1:9",
    LIVEKIT_API_KEY: "APIoperator",
    LIVEKIT_API_SECRET: "operator-secret-that-must-never-be-used-0000",
    ...extra,
  });
  cleanup.push(() => server.close());
  return server;
}

function tenantHeaders(url: string, tenant: { key: string; secret: string }): Record<string, string> {
  return {
    authorization: `Bearer ${TEST_TOKEN}`,
    "X-LiveKit-URL": url,
    "X-LiveKit-API-Key": tenant.key,
    "X-LiveKit-API-Secret": tenant.secret,
  };
}

describe("--credentials per-request", () => {
  it("refuses to start serving LiveKit without ROOMS_MCP_LIVEKIT_HOSTS", async () => {
    await expect(hosted({ ROOMS_MCP_LIVEKIT_HOSTS: "" })).rejects.toThrow(/ROOMS_MCP_LIVEKIT_HOSTS/);
  });

  it("calls LiveKit with each request's own key pair; two tenants alternating never see each other's", async () => {
    const upstream = await startScriptedUpstream(
      Array.from({ length: 4 }, () => ({ ...LIST_ROOMS, response: { status: 200, body: { rooms: [] } } })),
    );
    cleanup.push(() => upstream.close());
    const server = await hosted();
    const a = await connectHttp(server.url, "/mcp", {
      era: "modern",
      headers: tenantHeaders(upstream.baseUrl, TENANT_A),
    });
    const b = await connectHttp(server.url, "/mcp", { headers: tenantHeaders(upstream.baseUrl, TENANT_B) });
    cleanup.push(
      () => a.close(),
      () => b.close(),
    );
    for (const client of [a, b, a, b]) {
      const result = await client.callTool({ name: "list_rooms", arguments: {} });
      expect(result.isError ?? false).toBe(false);
    }
    const issuers = upstream.received.map((r) => decodeJwt(String(r.headers.authorization).slice(7)).iss);
    expect(issuers).toEqual([TENANT_A.key, TENANT_B.key, TENANT_A.key, TENANT_B.key]);
    expect(upstream.problems).toEqual([]);
    const log = JSON.stringify(server.access);
    expect(log).not.toContain(TENANT_A.secret);
    expect(log).not.toContain(TENANT_B.secret);
    expect(
      server.access
        .filter((e) => e.mcp_method === "tools/call")
        .every((e) => e.tenant_providers?.[0] === "livekit"),
    ).toBe(true);
  });

  it("lists the tools without credentials, and a call says which headers to send", async () => {
    const server = await hosted();
    const client = await connectHttp(server.url, "/mcp", {
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
    });
    cleanup.push(() => client.close());
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("list_rooms");
    const result = await client.callTool({ name: "list_rooms", arguments: {} });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain("X-LiveKit-URL");
  });

  it("refuses a LiveKit URL outside the allowed hosts before anything is sent", async () => {
    const server = await hosted({ ROOMS_MCP_LIVEKIT_HOSTS: "*.livekit.cloud" });
    for (const url of [
      "http://169.254.169.254",
      "https://livekit.cloud.attacker.example",
      "https://a.b.livekit.cloud",
    ]) {
      const response = await postMcp(`${server.url}/mcp`, INITIALIZE, tenantHeaders(url, TENANT_A));
      expect(response.status).toBe(400);
      expect(response.text).toContain("does not call");
    }
    const portless = await postMcp(
      `${server.url}/mcp`,
      INITIALIZE,
      tenantHeaders("https://p.livekit.cloud:8443", TENANT_A),
    );
    expect(portless.status).toBe(400);
    const allowed = await postMcp(
      `${server.url}/mcp`,
      INITIALIZE,
      tenantHeaders("wss://p.livekit.cloud", TENANT_A),
    );
    expect(allowed.status).toBe(200);
  });

  it("names a missing credential by its header", async () => {
    const server = await hosted();
    const headers = tenantHeaders("http://127.0.0.1:1", TENANT_A);
    delete headers["X-LiveKit-API-Secret"];
    const response = await postMcp(`${server.url}/mcp`, INITIALIZE, headers);
    expect(response.status).toBe(400);
    expect(response.text).toContain("X-LiveKit-API-Secret");
    expect(response.text).not.toContain(TENANT_A.key);
  });

  it("follows no redirect to another host", async () => {
    const elsewhere = await startScriptedUpstream([]);
    // A LiveKit-looking server that sends every call elsewhere: the call must fail there, not follow.
    const redirecting = createServer((_req, res) => {
      res.writeHead(307, { location: `${elsewhere.baseUrl}/twirp/livekit.RoomService/ListRooms` }).end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, "127.0.0.1", resolve));
    const redirectUrl = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`;
    cleanup.push(
      () => new Promise((resolve) => redirecting.close(() => resolve())),
      () => elsewhere.close(),
    );
    const server = await hosted();
    const client = await connectHttp(server.url, "/mcp", {
      era: "modern",
      headers: tenantHeaders(redirectUrl, TENANT_A),
    });
    cleanup.push(() => client.close());
    const result = await client.callTool({ name: "list_rooms", arguments: {} });
    expect(result.isError).toBe(true);
    expect(elsewhere.problems).toEqual([]);
    expect(elsewhere.received).toEqual([]);
  });

  it("scrubs the tenant's secret from results even when the upstream echoes it", async () => {
    const upstream = await startScriptedUpstream([
      {
        ...LIST_ROOMS,
        response: { status: 401, body: { code: "unauthenticated", msg: `bad secret ${TENANT_A.secret}` } },
      },
    ]);
    cleanup.push(() => upstream.close());
    const server = await hosted();
    const client = await connectHttp(server.url, "/mcp", {
      era: "modern",
      headers: tenantHeaders(upstream.baseUrl, TENANT_A),
    });
    cleanup.push(() => client.close());
    const result = await client.callTool({ name: "list_rooms", arguments: {} });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result)).not.toContain(TENANT_A.secret);
  });

  it("serves 100ms with a tenant's management token against the operator's API URL only", async () => {
    const page = { limit: 10, data: [], last: "" };
    const upstream = await startScriptedUpstream([
      { method: "GET", path: "/v2/rooms?limit=10", response: { status: 200, body: page } },
    ]);
    cleanup.push(() => upstream.close());
    const server = await hosted({ HMS_API_URL: `${upstream.baseUrl}/v2` }, ["100ms"]);
    const token = "tenant-management-token-0123456789";
    const client = await connectHttp(server.url, "/mcp", {
      era: "modern",
      headers: {
        authorization: `Bearer ${TEST_TOKEN}`,
        "X-HMS-Management-Token": token,
        "X-HMS-API-URL": "http://127.0.0.1:1",
      },
    });
    cleanup.push(() => client.close());
    const result = await client.callTool({ name: "list_rooms", arguments: { limit: 10 } });
    expect(result.structuredContent).toMatchObject({ data: [] });
    expect(upstream.received[0]?.headers.authorization).toBe(`Bearer ${token}`);
  });
});
