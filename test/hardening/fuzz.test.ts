/**
 * A seeded, bounded fuzz of every tool through the SDK's real client (issue 8: nothing an agent or an
 * upstream sends can make the server act wrongly, hang, or lose the session). Arguments are generated from
 * each tool's input schema, valid and not; a loopback upstream answers each request with a recorded answer,
 * an error, a fault, or a body echoing a secret. Every call must be answered, as a result or an isError
 * result naming an argument or the vendor, never an internal error, and no secret may appear in any form.
 *
 * ROOMS_MCP_FUZZ_CALLS (default 2000) and ROOMS_MCP_FUZZ_SEED reproduce or extend a run.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hmsProvider } from "../../src/providers/hms/index.js";
import { operationOfRequest } from "../../src/providers/hms/request.js";
import { livekitProvider } from "../../src/providers/livekit/index.js";
import type { BoundTool, JsonSchema } from "../../src/tools/define.js";
import { type ConnectedClient, connectClient } from "../harness/mcp.js";
import {
  bindAll,
  type FaultyUpstream,
  goEscape,
  leakForms,
  type SeenRequest,
  startFaultyUpstream,
} from "./helpers.js";

const CALLS = Number(process.env.ROOMS_MCP_FUZZ_CALLS ?? 2000);
const SEED = Number(process.env.ROOMS_MCP_FUZZ_SEED ?? 20_250_808);
const CALL_DEADLINE_MS = 10_000;

const LIVEKIT_SECRET = 'fuzz-lk-"quoted"\\slash&<tag>-secret-0123456789';
const HMS_SECRET = 'fuzz-hms-"app"\\secret-0123456789abcdef';

/** mulberry32: small, seeded, good enough to pick cases reproducibly. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}
type Random = ReturnType<typeof prng>;

/** How an upstream could echo a secret back inside a string. */
function echoOf(random: Random, secret: string): string {
  const forms = [
    secret,
    JSON.stringify({ token: secret }),
    JSON.stringify({ nested: JSON.stringify({ token: secret }) }),
    `{"key":"${goEscape(secret)}"}`,
    `https://example.test/cb?key=${encodeURIComponent(secret)}`,
  ];
  return `${random.pick(["", "echo: ", "x"])}${random.pick(forms)}${random.pick(["", " (end)", "\n"])}`;
}

// ---------------------------------------------------------------------------------------------------------
// Arguments from a schema

const NASTY_STRINGS = [
  ".",
  "..",
  "a/b",
  "../../rooms",
  "%2e%2e",
  "",
  " ",
  "\u0000",
  "line\nbreak",
  "\ud800",
  "a\udc00",
  "😀",
  "<script>alert(1)</script>",
  '"quoted"\\',
  "x".repeat(20_000),
  "-1",
  "9".repeat(30),
];
const IDS = [
  "6741a0c2e5f14b9d8a3c7e21",
  "design-review",
  "c1d2e3f4-a5b6-4c7d-9e8f-0a1b2c3d4e5f",
  "TR_AMx4Rk2pQzLw9v",
];
const NASTY_NUMBERS = [-1, 0, 1.5, 4294967295, 4294967296, 2 ** 53, -(2 ** 31), 1e308, 55001];

function stringFor(random: Random, schema: JsonSchema): string {
  if (random.chance(0.08)) {
    return random.pick(NASTY_STRINGS);
  }
  const pattern = typeof schema.pattern === "string" ? schema.pattern : "";
  if (pattern.includes("[0-9]{4}-[0-9]{2}")) {
    return random.pick(["2024-10-01T00:00:00Z", "2025-02-30T25:61:00Z", "2024-01-01T00:00:00.123+05:30"]);
  }
  if (pattern === "^-?[0-9]+$") {
    return String(random.int(-5, 1_000_000));
  }
  if (pattern !== "" || random.chance(0.4)) {
    return random.pick(IDS);
  }
  return random.pick([
    "design-review-42",
    "maya.chen",
    "hello there",
    '{"a":1}',
    "AQID",
    "aGVsbG8=",
    "guest",
  ]);
}

function valueFor(random: Random, schema: JsonSchema, depth: number): unknown {
  if (Array.isArray(schema.enum) && !random.chance(0.05)) {
    return random.pick(schema.enum);
  }
  if (random.chance(0.03)) {
    return random.pick<unknown>([null, true, 12, "text", [], {}]); // wrong type
  }
  const type = Array.isArray(schema.type) ? random.pick(schema.type as string[]) : schema.type;
  switch (type) {
    case "string":
      return stringFor(random, schema);
    case "integer":
    case "number": {
      if (random.chance(0.1)) {
        return random.pick(NASTY_NUMBERS);
      }
      const min = typeof schema.minimum === "number" ? schema.minimum : 0;
      const max = typeof schema.maximum === "number" ? Math.min(schema.maximum, min + 100_000) : min + 1000;
      return random.int(min, max);
    }
    case "boolean":
      return random.chance(0.5);
    case "array": {
      const items = (schema.items ?? {}) as JsonSchema;
      return Array.from({ length: random.int(0, 3) }, () => valueFor(random, items, depth + 1));
    }
    case "object":
      return depth > 3 ? {} : objectFor(random, schema, depth + 1);
    case "null":
      return null;
    default:
      return random.pick(["x", 1, true]);
  }
}

function objectFor(random: Random, schema: JsonSchema, depth: number): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const out: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    const include = required.has(name) ? !random.chance(0.04) : random.chance(0.35);
    if (include) {
      out[name] = valueFor(random, property, depth);
    }
  }
  if (schema.additionalProperties !== false && typeof schema.additionalProperties === "object") {
    if (random.chance(0.3)) {
      out[`k${random.int(0, 9)}`] = valueFor(random, schema.additionalProperties as JsonSchema, depth);
    }
  }
  if (random.chance(0.03)) {
    out.unexpected_argument = "x";
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The upstream

/** Recorded 200 bodies by route, from the fixtures (`hms:getRoom`, `livekit:/twirp/...`). */
function recordedBodies(): Map<string, unknown[]> {
  const bodies = new Map<string, unknown[]>();
  for (const provider of ["hms", "livekit"]) {
    const root = join("test", "fixtures", provider);
    for (const tool of readdirSync(root)) {
      for (const file of readdirSync(join(root, tool)).filter((f) => f.endsWith(".json"))) {
        const fixture = JSON.parse(readFileSync(join(root, tool, file), "utf8")) as {
          exchanges: {
            request: { method: string; path: string };
            response: { status: number; body?: unknown };
          }[];
        };
        for (const { request, response } of fixture.exchanges) {
          if (response.status !== 200 || typeof response.body !== "object") {
            continue;
          }
          const key = routeKey(provider, request.method, request.path);
          bodies.set(key, [...(bodies.get(key) ?? []), response.body]);
        }
      }
    }
  }
  return bodies;
}

function routeKey(provider: string, method: string, path: string): string {
  if (provider === "hms") {
    return `hms:${operationOfRequest(method, path)?.id ?? path}`;
  }
  return `livekit:${path.split("?")[0]}`;
}

/** A copy of `value` with one string somewhere replaced by `text` (or `value` when it holds none). */
function withStringReplaced(random: Random, value: unknown, text: string): unknown {
  let count = 0;
  const countStrings = (node: unknown): void => {
    if (typeof node === "string") {
      count++;
    } else if (typeof node === "object" && node !== null) {
      Object.values(node).forEach(countStrings);
    }
  };
  countStrings(value);
  let target = count === 0 ? -1 : random.int(0, count - 1);
  const replace = (node: unknown): unknown => {
    if (typeof node === "string") {
      return target-- === 0 ? text : node;
    }
    if (Array.isArray(node)) {
      return node.map(replace);
    }
    if (typeof node === "object" && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, replace(item)]));
    }
    return node;
  };
  return replace(value);
}

function answer(
  random: Random,
  bodies: Map<string, unknown[]>,
  elsewhere: string,
  request: SeenRequest,
  res: ServerResponse,
): void {
  const provider = request.url.startsWith("/twirp/") ? "livekit" : "hms";
  const secret = provider === "livekit" ? LIVEKIT_SECRET : HMS_SECRET;
  const send = (status: number, body: string, headers: Record<string, string> = {}) =>
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(body);
  const recorded = () =>
    random.pick(bodies.get(routeKey(provider, request.method, request.url.replace(/^\/v2/, ""))) ?? [{}]);
  const token = String(request.headers.authorization ?? "").replace(/^Bearer /, "");
  const roll = random.next();
  if (roll < 0.45) {
    send(200, JSON.stringify(recorded()));
  } else if (roll < 0.55) {
    const echo = random.chance(0.3) ? token : echoOf(random, secret);
    send(200, JSON.stringify(withStringReplaced(random, recorded(), echo)));
  } else if (roll < 0.67) {
    const status = random.pick([400, 401, 403, 404, 409, 412, 422, 429, 500, 501, 503]);
    const message = random.chance(0.4) ? echoOf(random, secret) : "something went wrong";
    const body =
      provider === "livekit"
        ? {
            code: random.pick(["not_found", "invalid_argument", "internal", "unavailable", "bogus"]),
            msg: message,
          }
        : { code: status, message, details: [echoOf(random, secret)] };
    // Retry-After 0 keeps retried reads fast; sometimes a long one that is not waited for.
    send(status, JSON.stringify(body), { "retry-after": random.pick(["0", "0", "86400"]) });
  } else if (roll < 0.72) {
    send(random.pick([200, 404, 502]), random.pick(["<html>oops</html>", "", '{"a":', "null", "[]"]), {
      "content-type": random.pick(["text/html", "application/json", "text/plain"]),
    });
  } else if (roll < 0.75) {
    res.writeHead(204).end();
  } else if (roll < 0.78) {
    res
      .writeHead(random.pick([301, 302, 307]), {
        location: random.pick([`${elsewhere}/v2/rooms`, "/v2/x", ""]),
      })
      .end();
  } else if (roll < 0.81) {
    res.socket?.destroy();
  } else if (roll < 0.84) {
    res.writeHead(200, { "content-type": "application/json", "content-length": "500" });
    res.write('{"rooms":[');
    setTimeout(() => res.socket?.destroy(), 5);
  } else if (roll < 0.86) {
    send(200, JSON.stringify({ data: "x".repeat(80 * 1024) }));
  } else if (roll < 0.865 && Number(request.headers["x-twirp-timeout-ms"] ?? 0) <= 1000) {
    // Only calls on the configured deadline stall: tools that set their own (perform_rpc waits
    // response_timeout_ms + 5 s, egress starts longer) would make the run slow, not more thorough.
    res.writeHead(200, { "content-type": "application/json" });
    res.write("{"); // stalls until the deadline
  } else {
    send(200, JSON.stringify(recorded()));
  }
}

// ---------------------------------------------------------------------------------------------------------

let upstream: FaultyUpstream;
let elsewhere: FaultyUpstream;
let hms: { mcp: ConnectedClient; tools: BoundTool[] };
let livekit: { mcp: ConnectedClient; tools: BoundTool[] };

beforeAll(async () => {
  const random = prng(SEED ^ 0x5eed);
  const bodies = recordedBodies();
  elsewhere = await startFaultyUpstream((_req, res) => res.writeHead(200).end("{}"), "localhost");
  upstream = await startFaultyUpstream((request, res) => {
    try {
      answer(random, bodies, elsewhere.baseUrl, request, res);
    } catch (error) {
      // A bug of this test's upstream: fail loudly rather than look like a timeout.
      console.error("fuzz upstream failed", request.url, error);
      res.writeHead(599).end();
    }
  });
  const hmsBound = bindAll(
    hmsProvider,
    {
      HMS_API_URL: `${upstream.baseUrl}/v2`,
      HMS_ACCESS_KEY: "64f1a2b3c4d5e6f708192a3c",
      HMS_SECRET,
      HMS_TIMEOUT_MS: "300",
      HMS_MAX_RESPONSE_BYTES: "65536",
    },
    // Retries of reads happen as in production, without the waiting.
    { sleep: async () => undefined },
  );
  const livekitBound = bindAll(livekitProvider, {
    LIVEKIT_URL: upstream.baseUrl,
    LIVEKIT_API_KEY: "APIfuzzkey",
    LIVEKIT_API_SECRET: LIVEKIT_SECRET,
    LIVEKIT_TIMEOUT_MS: "300",
    LIVEKIT_MAX_RESPONSE_BYTES: "65536",
  });
  hms = { mcp: await connectClient(hmsBound.tools, hmsBound.secrets), tools: hmsBound.tools };
  livekit = { mcp: await connectClient(livekitBound.tools, livekitBound.secrets), tools: livekitBound.tools };
});

afterAll(async () => {
  await hms.mcp.close();
  await livekit.mcp.close();
  await upstream.close();
  await elsewhere.close();
});

/**
 * What an error result must start with: it names an argument, the vendor whose answer it reports, or what
 * this server was not set up for (list_events without webhooks).
 */
const NAMED =
  /^(Invalid argument "[^"]+"|Input validation error: .*argument|LiveKit error |100ms error |Not available here: no (LiveKit|100ms) webhooks reach this server)/s;

describe("fuzz: every tool, seeded arguments and upstream answers", () => {
  it(`${CALLS} calls (seed ${SEED}): all answered, errors named, no secret in any form`, async () => {
    const random = prng(SEED);
    const problems: string[] = [];
    const secrets = [...leakForms(LIVEKIT_SECRET), ...leakForms(HMS_SECRET)];
    for (let i = 0; i < CALLS && problems.length < 5; i++) {
      const served = random.chance(0.5) ? hms : livekit;
      const tool = random.pick(served.tools);
      const args = objectFor(random, tool.inputSchema, 0);
      const where = () => `call ${i} (seed ${SEED}) ${tool.name} ${JSON.stringify(args).slice(0, 300)}`;
      let result: Awaited<ReturnType<typeof served.mcp.client.callTool>>;
      try {
        result = await Promise.race([
          served.mcp.client.callTool({ name: tool.name, arguments: args }),
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error(`no answer in ${CALL_DEADLINE_MS} ms`)), CALL_DEADLINE_MS),
          ),
        ]);
      } catch (error) {
        problems.push(`${where()}: not answered as a result: ${String(error)}`);
        continue;
      }
      const content = (result.content ?? []) as { type: string; text?: string }[];
      const text = content[0]?.text ?? "";
      if (content.length !== 1 || content[0]?.type !== "text") {
        problems.push(`${where()}: expected one text block, got ${JSON.stringify(content).slice(0, 300)}`);
      }
      const everything = `${text}\n${JSON.stringify(result.structuredContent ?? null)}`;
      const leaked = secrets.filter((form) => everything.includes(form));
      if (leaked.length > 0) {
        problems.push(`${where()}: a secret leaked (${leaked.length} forms): ${text.slice(0, 300)}`);
      }
      if (result.isError === true) {
        if (!NAMED.test(text)) {
          problems.push(
            `${where()}: an error naming neither an argument nor the vendor: ${text.slice(0, 400)}`,
          );
        }
      } else if (JSON.stringify(JSON.parse(text)) !== JSON.stringify(result.structuredContent)) {
        problems.push(`${where()}: the text block differs from structuredContent`);
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
