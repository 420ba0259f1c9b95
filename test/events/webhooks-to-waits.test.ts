/**
 * Webhooks in, events out, through the built CLI as operators run it: replicas sharing one real Redis
 * (a wait on one is answered by a webhook posted to the other, in both protocol eras; a retried delivery is
 * stored once; a replica restart loses nothing), the embedded store in one process, and a stdio server's
 * own webhook listener (--webhook-port).
 */
import { existsSync } from "node:fs";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedisServer, startRedis } from "../harness/redis.js";
import {
  LIVEKIT_TEST_KEY,
  LIVEKIT_TEST_SECRET,
  livekitEventBody,
  postLivekitWebhook,
} from "../harness/webhooks.js";
import { connectHttp, type SpawnedServer, spawnServer, TEST_TOKEN } from "../http/helpers.js";

const AUTH = { authorization: `Bearer ${TEST_TOKEN}` };
const ROOM = "design-review-42";

function envFor(redis?: RedisServer): Record<string, string> {
  return {
    // No LiveKit server is reached: webhooks and events need only the key pair.
    LIVEKIT_URL: "http://127.0.0.1:9",
    LIVEKIT_API_KEY: LIVEKIT_TEST_KEY,
    LIVEKIT_API_SECRET: LIVEKIT_TEST_SECRET,
    ROOMS_MCP_HTTP_TOKENS: TEST_TOKEN,
    ...(redis === undefined ? {} : { REDIS_URL: redis.url }),
  };
}

const ARGS = ["livekit", "--toolsets", "events"];

async function call(client: Client, name: string, args: Record<string, unknown>) {
  const result = await client.callTool({ name, arguments: args });
  expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
  return result.structuredContent as Record<string, unknown>;
}

async function eventsOf(url: string, identity: string): Promise<Record<string, unknown>[]> {
  const client = await connectHttp(url, "/mcp", { headers: AUTH });
  try {
    const page = await call(client, "list_events", { identity, since: "10m" });
    return page.events as Record<string, unknown>[];
  } finally {
    await client.close();
  }
}

beforeAll(() => {
  expect(existsSync("dist/cli.js"), "run `npm run build` (npm test does)").toBe(true);
});

describe("two replicas sharing Redis", () => {
  let redis: RedisServer;
  let a: SpawnedServer;
  let b: SpawnedServer;

  beforeAll(async () => {
    redis = await startRedis();
    [a, b] = await Promise.all([spawnServer(ARGS, envFor(redis)), spawnServer(ARGS, envFor(redis))]);
  }, 30_000);

  afterAll(async () => {
    const codes = await Promise.all([a, b].map((r) => r?.stop()));
    await redis?.stop();
    expect(codes).toEqual([0, 0]);
  });

  for (const era of ["legacy", "modern"] as const) {
    it(`answers a ${era} client's wait on one replica with a webhook posted to the other`, async () => {
      const identity = `guest-${era}`;
      const client = await connectHttp(a.url, "/mcp", { era, headers: AUTH });
      try {
        const waiting = call(client, "wait_for_event", {
          types: ["participant_joined"],
          room: ROOM,
          identity,
          timeout_seconds: 20,
        });
        // Another participant's join, and another room's, do not answer it.
        await new Promise((r) => setTimeout(r, 300));
        expect((await postLivekitWebhook(b.url, livekitEventBody({ identity: "someone-else" }))).status).toBe(
          200,
        );
        expect(
          (await postLivekitWebhook(b.url, livekitEventBody({ identity, room: "standup" }))).status,
        ).toBe(200);
        const posted = Date.now();
        const delivery = await postLivekitWebhook(
          b.url,
          livekitEventBody({ identity, id: `EV_wait_${era}` }),
        );
        expect(delivery).toEqual({ status: 200, body: { stored: true } });
        const answer = await waiting;
        expect(answer).toMatchObject({
          status: "arrived",
          source: "webhooks",
          event: { id: `EV_wait_${era}`, type: "participant_joined", room_name: ROOM, identity },
        });
        // Woken by the other replica's webhook well within the wait, not at its end.
        expect(Date.now() - posted).toBeLessThan(5_000);
      } finally {
        await client.close();
      }
    });
  }

  it("stores a delivery retried to either replica once", async () => {
    const body = livekitEventBody({ identity: "retried-guest", id: "EV_retried" });
    expect((await postLivekitWebhook(a.url, body)).body).toEqual({ stored: true });
    expect(await postLivekitWebhook(b.url, body)).toEqual({ status: 200, body: { stored: false } });
    expect(await postLivekitWebhook(a.url, body)).toEqual({ status: 200, body: { stored: false } });
    for (const replica of [a, b]) {
      expect((await eventsOf(replica.url, "retried-guest")).map((e) => e.id)).toEqual(["EV_retried"]);
    }
  });

  it("refuses a tampered or unsigned delivery, and stores nothing of it", async () => {
    const body = livekitEventBody({ identity: "tampered-guest" });
    const signed = await postLivekitWebhook(a.url, body);
    expect(signed.status).toBe(200);
    const altered = livekitEventBody({ identity: "intruder" });
    const { livekitSignature } = await import("../harness/webhooks.js");
    const forged = await postLivekitWebhook(a.url, altered, await livekitSignature(body));
    expect(forged.status).toBe(401);
    const unsigned = await fetch(`${a.url}/webhooks/livekit`, { method: "POST", body: altered });
    expect(unsigned.status).toBe(401);
    expect(await eventsOf(b.url, "intruder")).toEqual([]);
    // Webhooks need no MCP bearer token (the vendor proves itself), and MCP still does.
    expect((await fetch(`${a.url}/mcp`, { method: "POST", body: "{}" })).status).toBe(401);
  });

  it("loses nothing acknowledged when the replica that received it restarts", async () => {
    const body = livekitEventBody({ identity: "before-restart", id: "EV_before_restart" });
    expect((await postLivekitWebhook(a.url, body)).status).toBe(200);
    expect(await a.stop()).toBe(0);
    a = await spawnServer(ARGS, envFor(redis));
    expect((await eventsOf(a.url, "before-restart")).map((e) => e.id)).toEqual(["EV_before_restart"]);
  }, 30_000);
});

describe("one server with the embedded store", () => {
  let server: SpawnedServer;
  beforeAll(async () => {
    server = await spawnServer(ARGS, envFor());
  }, 30_000);
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
  });

  it("answers a wait with a webhook, stores a retry once, and pages events with a cursor", async () => {
    const client = await connectHttp(server.url, "/mcp", { era: "modern", headers: AUTH });
    try {
      const waiting = call(client, "wait_for_event", {
        types: ["participant_joined"],
        identity: "solo",
        timeout_seconds: 20,
      });
      await new Promise((r) => setTimeout(r, 300));
      const body = livekitEventBody({ identity: "solo", id: "EV_solo" });
      expect((await postLivekitWebhook(server.url, body)).body).toEqual({ stored: true });
      expect((await postLivekitWebhook(server.url, body)).body).toEqual({ stored: false });
      const answer = await waiting;
      expect(answer).toMatchObject({ status: "arrived", event: { id: "EV_solo" } });

      // A wait from the answer's cursor sees only what comes after it: nothing, then times out.
      const after = await call(client, "wait_for_event", {
        types: ["participant_joined"],
        identity: "solo",
        cursor: answer.cursor,
        timeout_seconds: 1,
      });
      expect(after).toMatchObject({ status: "timed_out", source: "webhooks" });

      for (const n of [1, 2, 3]) {
        await postLivekitWebhook(server.url, livekitEventBody({ identity: "pager", id: `EV_page_${n}` }));
      }
      const first = await call(client, "list_events", { identity: "pager", limit: 2 });
      expect([(first.events as { id: string }[]).map((e) => e.id), first.has_more]).toEqual([
        ["EV_page_1", "EV_page_2"],
        true,
      ]);
      const second = await call(client, "list_events", { identity: "pager", cursor: first.next_cursor });
      expect([(second.events as { id: string }[]).map((e) => e.id), second.has_more]).toEqual([
        ["EV_page_3"],
        false,
      ]);
      const later = await call(client, "list_events", { identity: "pager", cursor: second.next_cursor });
      expect(later.events).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it("serves a room's recent events as a resource", async () => {
    const client = await connectHttp(server.url, "/mcp", { headers: AUTH });
    try {
      await postLivekitWebhook(
        server.url,
        livekitEventBody({ identity: "reader", room: "all-hands", id: "EV_resource" }),
      );
      const uri = "rooms-mcp://events/livekit/all-hands";
      const { resources } = await client.listResources();
      expect(resources.map((r) => r.uri)).toContain(uri);
      const read = await client.readResource({ uri });
      const [content] = read.contents as unknown as [{ text: string }];
      const parsed = JSON.parse(content.text) as { room: string; events: { id: string }[] };
      expect(parsed.room).toBe("all-hands");
      expect(parsed.events.map((e) => e.id)).toEqual(["EV_resource"]);
    } finally {
      await client.close();
    }
  });

  it("sends progress notifications while it waits, when the client asks", async () => {
    const client = await connectHttp(server.url, "/mcp", { headers: AUTH });
    try {
      const progress: number[] = [];
      const result = await client.callTool(
        {
          name: "wait_for_event",
          arguments: { types: ["room_finished"], room: "nobody-here", timeout_seconds: 6 },
        },
        { onprogress: (p) => progress.push(p.progress) },
      );
      expect(result.structuredContent).toMatchObject({ status: "timed_out" });
      expect(progress.length).toBeGreaterThanOrEqual(1);
    } finally {
      await client.close();
    }
  }, 15_000);

  it("answers 404 for a provider it does not serve, and 405 for a GET", async () => {
    expect((await fetch(`${server.url}/webhooks/100ms`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(`${server.url}/webhooks/livekit`)).status).toBe(405);
  });
});

describe("a stdio server's webhook listener (--webhook-port)", () => {
  it("receives webhooks on its own port while MCP stays on stdio", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ["dist/cli.js", ...ARGS, "--webhook-port", "0"],
      env: { PATH: process.env.PATH ?? "", ...envFor() },
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const client = new Client({ name: "rooms-mcp-webhook-port", version: "0.0.0" });
    await client.connect(transport);
    try {
      await expect
        .poll(() => /webhooks="(http:\/\/[^"]+)\/webhooks/.exec(stderr)?.[1], { timeout: 10_000 })
        .toBeDefined();
      const base = /webhooks="(http:\/\/[^"]+)\/webhooks/.exec(stderr)?.[1] as string;
      const delivery = await postLivekitWebhook(
        base,
        livekitEventBody({ identity: "stdio-guest", id: "EV_stdio" }),
      );
      expect(delivery).toEqual({ status: 200, body: { stored: true } });
      const page = await call(client, "list_events", { identity: "stdio-guest" });
      expect((page.events as { id: string }[]).map((e) => e.id)).toEqual(["EV_stdio"]);

      // A subscribed room's events resource is announced as updated when its next event arrives; another
      // room's is not.
      const updated: string[] = [];
      client.setNotificationHandler("notifications/resources/updated", (notification) => {
        updated.push(String(notification.params.uri));
      });
      const uri = "rooms-mcp://events/livekit/design-review-42";
      await client.subscribeResource({ uri });
      await postLivekitWebhook(base, livekitEventBody({ identity: "late", room: "standup" }));
      await postLivekitWebhook(base, livekitEventBody({ identity: "late", id: "EV_stdio_update" }));
      await expect.poll(() => updated, { timeout: 5_000 }).toEqual([uri]);
      // The listener takes webhooks only: no MCP on that port.
      expect((await fetch(`${base}/mcp`, { method: "POST", body: "{}" })).status).toBe(404);
    } finally {
      await client.close();
    }
  }, 20_000);
});
