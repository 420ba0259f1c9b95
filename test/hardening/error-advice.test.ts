/**
 * Misdiagnoses (issue 8 item 7): every way an upstream call can fail ends in an error that says what
 * happened and what to do next, for every tool; Retry-After is shown; nothing sent is never blamed on the
 * API; a base URL that cannot work is refused at start-up.
 */
import { existsSync, readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isUpstreamError } from "../../src/errors.js";
import { hmsConfigFromEnv } from "../../src/providers/hms/config.js";
import { hmsProvider } from "../../src/providers/hms/index.js";
import { livekitProvider } from "../../src/providers/livekit/index.js";
import type { Env } from "../../src/providers/provider.js";
import type { AnyProvider } from "../../src/providers/registry.js";
import type { BoundTool } from "../../src/tools/define.js";
import { TEST_API_KEY, TEST_API_SECRET } from "../harness/livekit-harness.js";
import {
  bindAll,
  type FaultHandler,
  type FaultyUpstream,
  hugeBody,
  json,
  redirectTo,
  resetAfterSend,
  resetMidBody,
  serveProvider,
  stalledBody,
  startFaultyUpstream,
} from "./helpers.js";

const TWIRP_STATUS: Readonly<Record<string, number>> = {
  canceled: 408,
  unknown: 500,
  invalid_argument: 400,
  malformed: 400,
  deadline_exceeded: 408,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  permission_denied: 403,
  unauthenticated: 401,
  resource_exhausted: 429,
  failed_precondition: 412,
  aborted: 409,
  out_of_range: 400,
  unimplemented: 501,
  internal: 500,
  unavailable: 503,
  data_loss: 500,
};
/** Faults whose body some tools may legitimately read (as an empty list, say). */
const TOLERABLE = "200 (tolerable) with";
const STATUSES = [400, 401, 403, 404, 405, 409, 410, 412, 413, 415, 418, 422, 429, 500, 501, 502, 503, 504];

function text(status: number, contentType: string, body: string): FaultHandler {
  // Retry-After: 0 keeps the retries of reads immediate (their backoff is tested elsewhere).
  return (_req, res: ServerResponse) =>
    res.writeHead(status, { "content-type": contentType, "retry-after": "0" }).end(body);
}

/** Every fault class an upstream can produce, by name. */
function faults(provider: "hms" | "livekit", elsewhere: string): [string, FaultHandler][] {
  const common: [string, FaultHandler][] = [
    ...STATUSES.flatMap((status): [string, FaultHandler][] => [
      [`HTTP ${status}, HTML body`, text(status, "text/html", `<h1>${status} from a proxy</h1>`)],
      [`HTTP ${status}, empty body`, text(status, "text/plain", "")],
    ]),
    ["200 with HTML", text(200, "text/html", "<html>login</html>")],
    ["200 with an empty body", text(200, "application/json", "")],
    ["204", (_req, res) => res.writeHead(204).end()],
    ["200 with a JSON array", json(200, [1, 2])],
    ["302 to another host", redirectTo(`${elsewhere}/v2/rooms`)],
    ["301 without a location", (_req, res) => res.writeHead(301).end()],
    ["stalled body", stalledBody()],
    ["reset after send", resetAfterSend()],
    ["reset mid-body", resetMidBody()],
    ["too large", hugeBody(256 * 1024, "data")],
  ];
  if (provider === "hms") {
    return [
      ...common,
      ...STATUSES.map((status): [string, FaultHandler] => [
        `HTTP ${status}, 100ms error body`,
        json(status, { code: status, message: "something", details: ["why"] }, { "retry-after": "0" }),
      ]),
      [`${TOLERABLE} JSON of another shape`, json(200, { id: 5, data: "not a list", peers: [] })],
    ];
  }
  return [
    ...common,
    ...Object.entries(TWIRP_STATUS).map(([code, status]): [string, FaultHandler] => [
      `Twirp ${code}`,
      json(status, { code, msg: `twirp error ${code}: something`, meta: { why: "x" } }),
    ]),
    ["Twirp code nobody knows", json(500, { code: "brand_new", msg: "something" })],
    ["200 with the wrong content type", text(200, "text/plain", "{}")],
    ["200 with truncated JSON", text(200, "application/json", '{"rooms":[')],
  ];
}

/**
 * A call per tool that would succeed against the real API: the arguments of its success fixture. Tools
 * without one, or whose success never reaches the upstream (a token minted locally), have no upstream
 * failure to advise on.
 */
function successArguments(provider: string, tool: string): Record<string, unknown> | undefined {
  const file = `test/fixtures/${provider}/${tool}/success.json`;
  if (!existsSync(file)) {
    return undefined;
  }
  const fixture = JSON.parse(readFileSync(file, "utf8")) as {
    arguments: Record<string, unknown>;
    exchanges: unknown[];
  };
  return fixture.exchanges.length === 0 ? undefined : fixture.arguments;
}

let upstream: FaultyUpstream;
let elsewhere: FaultyUpstream;

beforeAll(async () => {
  upstream = await startFaultyUpstream();
  elsewhere = await startFaultyUpstream(json(200, {}), "localhost");
});
afterAll(async () => {
  await upstream.close();
  await elsewhere.close();
});

function toolsOf(provider: AnyProvider, env: Env): BoundTool[] {
  // Reads are retried as in production, without the waiting.
  return bindAll(provider, env, provider.id === "hms" ? { sleep: async () => undefined } : {}).tools;
}

describe("every upstream failure of every tool carries advice", () => {
  const cases: [string, () => BoundTool[]][] = [
    [
      "hms",
      () =>
        toolsOf(hmsProvider, {
          HMS_API_URL: `${upstream.baseUrl}/v2`,
          HMS_MANAGEMENT_TOKEN: "advice-test-management-token-0123456789",
          HMS_TIMEOUT_MS: "300",
          HMS_MAX_RESPONSE_BYTES: "65536",
        }),
    ],
    [
      "livekit",
      () =>
        toolsOf(livekitProvider, {
          LIVEKIT_URL: upstream.baseUrl,
          LIVEKIT_API_KEY: TEST_API_KEY,
          LIVEKIT_API_SECRET: TEST_API_SECRET,
          LIVEKIT_TIMEOUT_MS: "300",
          LIVEKIT_MAX_RESPONSE_BYTES: "65536",
        }),
    ],
  ];
  for (const [provider, tools] of cases) {
    it(`${provider}: each fault class × each tool ends in an upstream error with a hint`, async () => {
      const bound = tools().filter((tool) => successArguments(provider, tool.baseName) !== undefined);
      expect(bound.length).toBeGreaterThan(10);
      const missing: string[] = [];
      for (const [fault, handler] of faults(provider as "hms" | "livekit", elsewhere.baseUrl)) {
        upstream.handle(handler);
        // perform_rpc waits response_timeout_ms + 5 s on its own deadline, so it sits out the stall.
        const tools = fault === "stalled body" ? bound.filter((t) => t.baseName !== "perform_rpc") : bound;
        await Promise.all(
          tools.map(async (tool) => {
            const outcome = await tool
              .invoke(successArguments(provider, tool.baseName) ?? {}, new AbortController().signal)
              .then(
                () => "succeeded",
                (error: unknown) =>
                  !isUpstreamError(error)
                    ? `${error instanceof Error ? error.name : "thrown"}: ${String(error)}`
                    : (error.hint ?? "").trim() === ""
                      ? `${error.code} without a hint: ${error.message}`
                      : undefined,
              );
            // A tool may read an odd shape defensively (an array of peers as none); that is no failure.
            if (outcome !== undefined && !(outcome === "succeeded" && fault.startsWith(TOLERABLE))) {
              missing.push(`${tool.name} / ${fault}: ${outcome}`);
            }
          }),
        );
      }
      expect(missing).toEqual([]);
    }, 60_000);
  }
});

describe("Retry-After is shown, so an agent can tell a second from a day", () => {
  it("100ms 429 and LiveKit 429 (Twirp and proxy)", async () => {
    const hms = await serveProvider(hmsProvider, {
      HMS_API_URL: `${upstream.baseUrl}/v2`,
      HMS_MANAGEMENT_TOKEN: "advice-test-management-token-0123456789",
    });
    const livekit = await serveProvider(livekitProvider, {
      LIVEKIT_URL: upstream.baseUrl,
      LIVEKIT_API_KEY: TEST_API_KEY,
      LIVEKIT_API_SECRET: TEST_API_SECRET,
    });
    try {
      upstream.handle(json(429, { code: 429, message: "rate limit exceeded" }, { "retry-after": "86400" }));
      const slow = await hms.call("get_room", { room_id: "6741a0c2e5f14b9d8a3c7e21" });
      expect(slow.text).toContain("Retry-After: 86400 s");
      upstream.handle(json(429, { code: "resource_exhausted", msg: "slow down" }, { "retry-after": "1" }));
      expect((await livekit.call("list_rooms", {})).text).toContain("Retry-After: 1 s");
      upstream.handle(text(429, "text/plain", "Too Many Requests"));
      const proxy = await livekit.call("list_rooms", {});
      expect(proxy.text).toContain("LiveKit error resource_exhausted");
      expect(proxy.text).toContain("wait before calling again");
    } finally {
      await hms.close();
      await livekit.close();
    }
  });
});

describe("what was never sent is never blamed on the API", () => {
  it("an argument with a lone surrogate is refused before anything is sent, naming the argument", async () => {
    const hms = await serveProvider(hmsProvider, {
      HMS_API_URL: `${upstream.baseUrl}/v2`,
      HMS_MANAGEMENT_TOKEN: "advice-test-management-token-0123456789",
    });
    const livekit = await serveProvider(livekitProvider, {
      LIVEKIT_URL: upstream.baseUrl,
      LIVEKIT_API_KEY: TEST_API_KEY,
      LIVEKIT_API_SECRET: TEST_API_SECRET,
    });
    upstream.handle(json(200, {}));
    const before = upstream.seen.length;
    try {
      for (const [served, name, args, argument] of [
        [hms, "get_room", { room_id: "\ud800" }, "room_id"],
        [hms, "list_rooms", { name: "a\udc00b" }, "name"],
        [hms, "send_message", { room_id: "6741a0c2e5f14b9d8a3c7e21", message: "hi \ud83d" }, "message"],
        [livekit, "get_participant", { room: "r\ud800", identity: "x" }, "room"],
      ] as const) {
        const result = await served.call(name, args);
        expect(result.isError, name).toBe(true);
        expect(result.text).toContain(`argument "${argument}"`);
        expect(result.text).not.toContain("not JSON");
      }
      expect(upstream.seen.length - before).toBe(0);
    } finally {
      await hms.close();
      await livekit.close();
    }
  });

  it("a bare 404 (the base URL lacks /v2) says to check HMS_API_URL, not that the room is unknown", async () => {
    const hms = await serveProvider(hmsProvider, {
      HMS_API_URL: upstream.baseUrl,
      HMS_MANAGEMENT_TOKEN: "advice-test-management-token-0123456789",
    });
    try {
      upstream.handle(text(404, "text/plain", "404 page not found"));
      const result = await hms.call("get_room", { room_id: "6741a0c2e5f14b9d8a3c7e21" });
      expect(result.text).toContain("/v2");
      expect(result.text).not.toContain("No room has this id");
    } finally {
      await hms.close();
    }
  });
});

describe("a 200 outside the documented schema is the API's fault, said as such (found by the fuzz)", () => {
  it("remove_peer by session: an active room without its session is a bad_response, not an internal error", async () => {
    const hms = await serveProvider(hmsProvider, {
      HMS_API_URL: `${upstream.baseUrl}/v2`,
      HMS_MANAGEMENT_TOKEN: "advice-test-management-token-0123456789",
    });
    try {
      upstream.handle((req, res) =>
        req.url.startsWith("/v2/sessions/")
          ? json(200, { id: "s1", room_id: "6741a0c2e5f14b9d8a3c7e21", active: true, peers: {} })(req, res)
          : json(200, { peers: {} })(req, res),
      );
      const result = await hms.call("remove_peer", { session_id: "6740f1e2d3c4b5a6978869aa", peer_id: "p1" });
      expect(result.text).toContain("100ms error bad_response");
      expect(result.text).toContain("documented schema");
      expect(result.text).not.toContain("Internal error");
    } finally {
      await hms.close();
    }
  });
});

describe("HMS_API_URL that cannot work is refused at start-up, as LIVEKIT_URL is", () => {
  it("a query, a fragment or user info is an error naming the variable, never echoing the value", () => {
    for (const url of [
      "https://api.100ms.live/v2?region=eu",
      "https://api.100ms.live/v2#top",
      "https://admin:hunter2@api.100ms.live/v2",
    ]) {
      const result = hmsConfigFromEnv({ HMS_MANAGEMENT_TOKEN: "t", HMS_API_URL: url });
      expect(result, url).toMatchObject({ kind: "invalid" });
      expect(JSON.stringify(result)).toContain("HMS_API_URL");
      expect(JSON.stringify(result)).not.toContain("hunter2");
    }
  });
});
