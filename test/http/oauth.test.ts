/**
 * OAuth 2.1 resource-server mode against an issuer this test starts on loopback with its own keys:
 * protected-resource metadata, the 401 challenge pointing at it, JWKS verification, the audience check and
 * scopes mapped to what the caller may use.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_API_KEY, TEST_API_SECRET } from "../harness/livekit-harness.js";
import { connectHttp, INITIALIZE, type InProcessServer, postMcp, startInProcess } from "./helpers.js";

const RESOURCE = "https://rooms.example.com/mcp";

interface Issuer {
  readonly url: string;
  mint(
    claims: Record<string, unknown>,
    options?: { audience?: string; expiresIn?: string; key?: "own" | "stranger" },
  ): Promise<string>;
  close(): Promise<void>;
}

async function startIssuer(): Promise<Issuer> {
  const own = await generateKeyPair("ES256");
  const stranger = await generateKeyPair("ES256");
  const jwk: JWK = { ...(await exportJWK(own.publicKey)), kid: "k1", alg: "ES256", use: "sig" };
  let url = "";
  const server: Server = createServer((req, res) => {
    const body =
      req.url === "/.well-known/oauth-authorization-server"
        ? {
            issuer: url,
            authorization_endpoint: `${url}/authorize`,
            token_endpoint: `${url}/token`,
            response_types_supported: ["code"],
            jwks_uri: `${url}/jwks`,
          }
        : req.url === "/jwks"
          ? { keys: [jwk] }
          : undefined;
    res.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" });
    res.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    mint: (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "ES256", kid: "k1" })
        .setIssuer(url)
        .setAudience(options.audience ?? RESOURCE)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? "5m")
        .sign(options.key === "stranger" ? stranger.privateKey : own.privateKey),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let issuer: Issuer;
let server: InProcessServer;

beforeAll(async () => {
  issuer = await startIssuer();
  server = await startInProcess(["livekit"], {
    LIVEKIT_URL: "http://127.0.0.1:9",
    LIVEKIT_API_KEY: TEST_API_KEY,
    LIVEKIT_API_SECRET: TEST_API_SECRET,
    ROOMS_MCP_OAUTH_ISSUER: issuer.url,
    ROOMS_MCP_OAUTH_RESOURCE: RESOURCE,
  });
});

afterAll(async () => {
  await server?.close();
  await issuer?.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("OAuth resource server", () => {
  it("serves RFC 9728 protected-resource metadata naming the issuer and the scopes", async () => {
    const response = await fetch(`${server.url}/.well-known/oauth-protected-resource/mcp`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      resource: RESOURCE,
      authorization_servers: [issuer.url],
      scopes_supported: ["rooms:read", "rooms:write"],
    });
  });

  it("answers 401 with a WWW-Authenticate header pointing at that metadata", async () => {
    const response = await postMcp(`${server.url}/mcp`, INITIALIZE);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain(
      'resource_metadata="https://rooms.example.com/.well-known/oauth-protected-resource/mcp"',
    );
  });

  it("refuses a token for another audience, one signed with another key, and an expired one", async () => {
    const wrongAudience = await issuer.mint(
      { scope: "rooms:write", client_id: "c" },
      { audience: "https://other.example/mcp" },
    );
    const strangerKey = await issuer.mint({ scope: "rooms:write", client_id: "c" }, { key: "stranger" });
    const expired = await issuer.mint({ scope: "rooms:write", client_id: "c" }, { expiresIn: "-1m" });
    for (const token of [wrongAudience, strangerKey, expired, "not-a-jwt"]) {
      const response = await postMcp(`${server.url}/mcp`, INITIALIZE, bearer(token));
      expect(response.status).toBe(401);
      expect(response.text).not.toContain(token);
    }
  });

  it("refuses a token without either scope with 403 insufficient_scope", async () => {
    const token = await issuer.mint({ scope: "profile", client_id: "c" });
    const response = await postMcp(`${server.url}/mcp`, INITIALIZE, bearer(token));
    expect(response.status).toBe(403);
    expect(response.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
  });

  it("maps the read scope to the read-only tools and the write scope to every served tool", async () => {
    const names = async (scope: string) => {
      const client = await connectHttp(server.url, "/mcp", {
        era: "modern",
        headers: bearer(await issuer.mint({ scope, client_id: "agent-1" })),
      });
      try {
        return (await client.listTools()).tools;
      } finally {
        await client.close();
      }
    };
    const read = await names("rooms:read");
    expect(read.length).toBeGreaterThan(0);
    expect(read.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    const write = await names("rooms:read rooms:write");
    expect(write.length).toBeGreaterThan(read.length);
    expect(write.map((t) => t.name)).toContain("delete_room");
    expect(server.access.some((e) => e.principal === "oauth:agent-1")).toBe(true);
  });
});
