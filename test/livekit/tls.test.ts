/**
 * LiveKit over TLS (LiveKit Cloud is always https/wss): the built CLI calls a loopback HTTPS server with a
 * certificate made at test time. Trusted (NODE_EXTRA_CA_CERTS, as an operator would trust a private CA) the
 * call succeeds and later calls reuse the connection; untrusted, nothing is sent and the error says why.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { generate } from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_API_KEY, TEST_API_SECRET } from "../harness/livekit-harness.js";

const dir = mkdtempSync(join(tmpdir(), "rooms-mcp-tls-"));
const caFile = join(dir, "ca.pem");
let server: Server;
let url: string;
let connections = 0;
let requests: string[] = [];

beforeAll(async () => {
  const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    keyType: "ec",
    notAfterDate: new Date(Date.now() + 24 * 3600 * 1000),
    extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }],
  });
  writeFileSync(caFile, pems.cert);
  server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    req.on("end", () => {
      res
        .writeHead(200, { "content-type": "application/json" })
        .end('{"rooms":[{"sid":"RM_1","name":"tls-room"}]}');
    });
  });
  server.on("secureConnection", () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

async function connect(extra: Record<string, string>) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ["dist/cli.js", "livekit"],
    env: {
      PATH: process.env.PATH ?? "",
      ROOMS_MCP_LOG_LEVEL: "silent",
      LIVEKIT_URL: url.replace("https", "wss"),
      LIVEKIT_API_KEY: TEST_API_KEY,
      LIVEKIT_API_SECRET: TEST_API_SECRET,
      ...extra,
    },
  });
  const client = new Client({ name: "rooms-mcp-tls", version: "0.0.0" });
  await client.connect(transport);
  return client;
}

describe("LiveKit over TLS", () => {
  it("calls a server whose certificate is trusted, over one kept-alive connection", async () => {
    requests = [];
    connections = 0;
    const client = await connect({ NODE_EXTRA_CA_CERTS: caFile });
    try {
      for (let call = 0; call < 3; call++) {
        const result = await client.callTool({ name: "list_rooms", arguments: {} });
        expect(result.isError ?? false).toBe(false);
        expect(result.structuredContent).toMatchObject({ rooms: [{ name: "tls-room" }], total: 1 });
      }
      expect(requests).toEqual(Array(3).fill("POST /twirp/livekit.RoomService/ListRooms"));
      expect(connections).toBe(1);
    } finally {
      await client.close();
    }
  });

  it("sends nothing to a server whose certificate is not trusted, and says why", async () => {
    requests = [];
    const client = await connect({});
    try {
      const result = await client.callTool({ name: "list_rooms", arguments: {} });
      expect(result.isError).toBe(true);
      const text = JSON.stringify(result.content);
      expect(text).toMatch(
        /could not reach LiveKit at 127\.0\.0\.1:\d+ \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\); nothing was sent/,
      );
      expect(requests).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
