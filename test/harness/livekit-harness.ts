/**
 * The LiveKit part of the fixture runner: bodies are compared as RoomService messages, tokens are
 * verified and their grant compared, and fixtures are checked against the proto schemas.
 */
import { type DescMessage, type DescMethod, fromJson, type JsonValue, toJson } from "@bufbuild/protobuf";
import { jwtVerify } from "jose";
import { RoomService } from "../../src/generated/livekit/livekit_room_pb.js";
import { createLiveKitClient } from "../../src/providers/livekit/client.js";
import { bindTools } from "../../src/tools/define.js";
import { livekitToolset } from "../../src/tools/livekit.js";
import { compareJson, type ExpectedRequest, type Fixture, type ProviderHarness } from "./fixtures.js";

export const TEST_API_KEY = "APItestkey";
export const TEST_API_SECRET = "test-secret-that-is-long-enough-for-hs256";

/** Every code a Twirp server may send (twirp v8). */
const TWIRP_CODES = new Set([
  "canceled",
  "unknown",
  "invalid_argument",
  "malformed",
  "deadline_exceeded",
  "not_found",
  "bad_route",
  "already_exists",
  "permission_denied",
  "unauthenticated",
  "resource_exhausted",
  "failed_precondition",
  "aborted",
  "out_of_range",
  "unimplemented",
  "internal",
  "unavailable",
  "data_loss",
]);

const PATH_PREFIX = `/twirp/${RoomService.typeName}/`;

function methodOf(path: string): DescMethod | undefined {
  if (!path.startsWith(PATH_PREFIX)) {
    return undefined;
  }
  const name = path.slice(PATH_PREFIX.length);
  return RoomService.methods.find((m) => m.name === name);
}

/** A message's JSON in one canonical form: proto field names, defaults omitted. */
function canonical(desc: DescMessage, json: unknown): unknown {
  return toJson(desc, fromJson(desc, json as JsonValue), { useProtoFieldName: true });
}

export const livekitHarness: ProviderHarness = {
  provider: "livekit",

  bind(baseUrl) {
    const client = createLiveKitClient({
      url: baseUrl,
      apiKey: TEST_API_KEY,
      apiSecret: TEST_API_SECRET,
      timeoutMs: 3000,
    });
    return bindTools(livekitToolset.tools, client);
  },

  async checkRequest(expected: ExpectedRequest, received) {
    const problems: string[] = [];
    const method = methodOf(received.path);
    if (method === undefined) {
      return [`${received.path} is not a RoomService method`];
    }
    if (received.headers["content-type"] !== "application/json") {
      problems.push(`content-type: expected application/json, got ${received.headers["content-type"]}`);
    }
    if (expected.body !== undefined) {
      const actual = canonical(method.input, JSON.parse(received.body.toString("utf8")));
      problems.push(
        ...compareJson(canonical(method.input, expected.body), actual, expected.anyValue).map(
          (p) => `body.${p}`,
        ),
      );
    }
    const auth = received.headers.authorization ?? "";
    const token = auth.startsWith("Bearer ") ? auth.slice("Bearer ".length) : "";
    try {
      const { payload } = await jwtVerify(token, new TextEncoder().encode(TEST_API_SECRET), {
        issuer: TEST_API_KEY,
        algorithms: ["HS256"],
      });
      if (expected.grant !== undefined) {
        problems.push(...compareJson(expected.grant, payload.video).map((p) => `grant.${p}`));
      }
      const ttl = (payload.exp ?? 0) - (payload.nbf ?? 0);
      if (ttl <= 0 || ttl > 600) {
        problems.push(`token lifetime ${ttl}s is not a few minutes`);
      }
    } catch (error) {
      problems.push(`token does not verify: ${String(error)}`);
    }
    return problems;
  },

  validateFixture(fixture: Fixture) {
    const problems: string[] = [];
    for (const [i, { request, response }] of fixture.exchanges.entries()) {
      const method = methodOf(request.path);
      if (method === undefined) {
        problems.push(`exchange ${i}: ${request.path} is not a RoomService method`);
        continue;
      }
      if (request.method !== "POST") {
        problems.push(`exchange ${i}: Twirp requests are POST`);
      }
      problems.push(...strictParse(method.input, request.body ?? {}, `exchange ${i} request body`));
      if (response.status === 200) {
        problems.push(...strictParse(method.output, response.body, `exchange ${i} response body`));
      } else if (typeof response.body === "object" && response.body !== null) {
        const { code, msg, meta, ...rest } = response.body as Record<string, unknown>;
        if (typeof code !== "string" || !TWIRP_CODES.has(code)) {
          problems.push(`exchange ${i}: bad Twirp code ${code}`);
        }
        if (typeof msg !== "string") {
          problems.push(`exchange ${i}: Twirp error without msg`);
        }
        if (meta !== undefined && !Object.values(meta as object).every((v) => typeof v === "string")) {
          problems.push(`exchange ${i}: Twirp meta values must be strings`);
        }
        if (Object.keys(rest).length > 0) {
          problems.push(`exchange ${i}: unexpected error keys ${Object.keys(rest)}`);
        }
      }
    }
    return problems;
  },
};

/** Parses like a strict client (unknown fields rejected), so a misspelt fixture field is caught. */
function strictParse(desc: DescMessage, json: unknown, where: string): string[] {
  try {
    fromJson(desc, json as JsonValue);
    return [];
  } catch (error) {
    return [
      `${where} is not a valid ${desc.typeName}: ${error instanceof Error ? error.message : String(error)}`,
    ];
  }
}
