/**
 * Webhook-to-wait latency on loopback: how long after a LiveKit webhook is POSTed a pending wait_for_event
 * returns it to an MCP client. Built CLI processes (`rooms-mcp livekit --http`), a real MCP client, deliveries
 * signed with LiveKit's own published code. Three set-ups, run one after the other:
 *
 * - embedded: one process, the in-memory store; the webhook and the wait on the same process;
 * - redis, same replica: one process on a local redis-server, webhook and wait on it;
 * - redis, across replicas: the wait on replica A, the webhook posted to replica B.
 *
 * As a floor, the same POST's own round trip (the webhook answered 200) is measured beside it.
 *
 *   npm run build && npm run bench:events        (EVENT_ROUNDS=200)
 */
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { startRedis } from "../test/harness/redis.js";
import {
  LIVEKIT_TEST_KEY,
  LIVEKIT_TEST_SECRET,
  livekitEventBody,
  livekitSignature,
} from "../test/harness/webhooks.js";
import { type SpawnedServer, spawnServer } from "../test/http/helpers.js";

const ROUNDS = Number(process.env.EVENT_ROUNDS ?? 200);
const TOKEN = "bench-bearer-token-0123456789abcdef";

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ name: "bench-webhook-wait", version: "0.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
    }),
  );
  return client;
}

async function measure(waitOn: string, postTo: string): Promise<{ wait: number[]; post: number[] }> {
  const client = await connect(waitOn);
  const wait: number[] = [];
  const post: number[] = [];
  let cursor: string | undefined;
  try {
    for (let i = 0; i < ROUNDS + 10; i++) {
      const identity = `bench-${i}`;
      const pending = client.callTool({
        name: "wait_for_event",
        arguments: {
          types: ["participant_joined"],
          identity,
          timeout_seconds: 20,
          ...(cursor === undefined ? { since: "1m" } : { cursor }),
        },
      });
      // Let the wait reach the server and subscribe before the webhook is sent.
      await new Promise((r) => setTimeout(r, 20));
      const body = livekitEventBody({ identity, id: `EV_bench_${Date.now()}_${i}` });
      const authorization = await livekitSignature(body);
      const started = performance.now();
      const response = await fetch(`${postTo}/webhooks/livekit`, {
        method: "POST",
        body,
        headers: { "content-type": "application/webhook+json", authorization },
      });
      const posted = performance.now();
      await response.text();
      const result = await pending;
      const arrived = performance.now();
      const content = result.structuredContent as { status: string; cursor?: string };
      if (response.status !== 200 || content.status !== "arrived") {
        throw new Error(`round ${i}: webhook ${response.status}, wait ${content.status}`);
      }
      cursor = content.cursor;
      // The first rounds warm up connections and JIT; they are not counted.
      if (i >= 10) {
        wait.push(arrived - started);
        post.push(posted - started);
      }
    }
  } finally {
    await client.close();
  }
  return { wait: wait.sort((a, b) => a - b), post: post.sort((a, b) => a - b) };
}

function row(name: string, { wait, post }: { wait: number[]; post: number[] }): string {
  const f = (n: number) => n.toFixed(1);
  return `| ${name} | ${f(percentile(wait, 50))} | ${f(percentile(wait, 99))} | ${f(percentile(post, 50))} | ${f(percentile(post, 99))} |`;
}

async function main(): Promise<void> {
  const env = (redis?: string): Record<string, string> => ({
    LIVEKIT_URL: "http://127.0.0.1:9",
    LIVEKIT_API_KEY: LIVEKIT_TEST_KEY,
    LIVEKIT_API_SECRET: LIVEKIT_TEST_SECRET,
    ROOMS_MCP_HTTP_TOKENS: TOKEN,
    ...(redis === undefined ? {} : { REDIS_URL: redis }),
  });
  const args = ["livekit", "--toolsets", "events"];
  const servers: SpawnedServer[] = [];
  const redis = await startRedis();
  const rows: string[] = [];
  try {
    const embedded = await spawnServer(args, env());
    servers.push(embedded);
    rows.push(row("embedded (one process, in-memory store)", await measure(embedded.url, embedded.url)));
    const replicas = await Promise.all([
      spawnServer(args, env(redis.url)),
      spawnServer(args, env(redis.url)),
    ]);
    servers.push(...replicas);
    const [a, b] = replicas.map((r) => r.url) as [string, string];
    rows.push(row("redis, webhook and wait on one replica", await measure(a, a)));
    rows.push(row("redis, wait on A, webhook to B", await measure(a, b)));
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await redis.stop();
  }
  process.stdout.write(
    `Webhook-to-wait latency, ${ROUNDS} rounds each (ms)\n\n` +
      "| set-up | wait answered, p50 | p99 | webhook's own 200, p50 | p99 |\n| --- | --- | --- | --- | --- |\n" +
      `${rows.join("\n")}\n`,
  );
}

await main();
