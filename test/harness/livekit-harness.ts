/**
 * The LiveKit part of the fixture runner: bodies are compared as RoomService messages, tokens are
 * verified and their grant compared, and fixtures are checked against the proto schemas.
 */
import { type DescMessage, fromJson, type JsonValue, toJson } from "@bufbuild/protobuf";
import { jwtVerify } from "jose";
import { bindProvider } from "../../src/assemble.js";
import { liveKitConfigFromEnv } from "../../src/providers/livekit/config.js";
import { isTwirpCode } from "../../src/providers/livekit/errors.js";
import { livekitProvider } from "../../src/providers/livekit/index.js";
import { methodOfPath } from "../../src/providers/livekit/services.js";
import { compareJson, type ExpectedRequest, type Fixture, type ProviderHarness } from "./fixtures.js";

export const TEST_API_KEY = "APItestkey";
export const TEST_API_SECRET = "test-secret-that-is-long-enough-for-hs256";

/** The clock join tokens are minted by in fixtures (2026-12-01T09:00:00Z), so a fixture can pin the token. */
export const FIXTURE_CLOCK_MS = Date.UTC(2026, 11, 1, 9, 0, 0);

/** A message's JSON in one canonical form: proto field names, defaults omitted. */
function canonical(desc: DescMessage, json: unknown): unknown {
  return toJson(desc, fromJson(desc, json as JsonValue), { useProtoFieldName: true });
}

export const livekitHarness: ProviderHarness = {
  provider: livekitProvider,

  bind(baseUrl, fixture) {
    // A fixture's env adds settings (LIVEKIT_JOIN_URL_TEMPLATE, …), or a URL for a tool that calls nothing.
    const configured = liveKitConfigFromEnv(
      {
        LIVEKIT_URL: baseUrl,
        LIVEKIT_API_KEY: TEST_API_KEY,
        LIVEKIT_API_SECRET: TEST_API_SECRET,
        ...fixture?.env,
      },
      { standalone: true },
    );
    if (configured.kind !== "configured") {
      throw new Error(`fixture env: ${JSON.stringify(configured)}`);
    }
    const client = livekitProvider.createClient({
      ...configured.config,
      timeoutMs: 3000,
      joinTokenClock: () => FIXTURE_CLOCK_MS,
    });
    return bindProvider(livekitProvider, client);
  },

  async checkRequest(expected: ExpectedRequest, received) {
    const problems: string[] = [];
    const method = methodOfPath(received.path);
    if (method === undefined) {
      return [`${received.path} is not a method of a service in LIVEKIT_SERVICES`];
    }
    if (received.headers["content-type"] !== "application/json") {
      problems.push(`content-type: expected application/json, got ${received.headers["content-type"]}`);
    }
    // Every Twirp request has a body: the fixture must say what it is (`{}` for an empty request).
    const actual = canonical(method.input, JSON.parse(received.body.toString("utf8") || "{}"));
    problems.push(
      ...compareJson(canonical(method.input, expected.body ?? null), actual, expected.anyValue).map(
        (p) => `body.${p}`,
      ),
    );
    const auth = received.headers.authorization ?? "";
    const token = auth.startsWith("Bearer ") ? auth.slice("Bearer ".length) : "";
    try {
      const { payload } = await jwtVerify(token, new TextEncoder().encode(TEST_API_SECRET), {
        issuer: TEST_API_KEY,
        algorithms: ["HS256"],
      });
      // The token carries exactly the grants the fixture names: no claim more, none less.
      problems.push(...compareJson(expected.grant, payload.video).map((p) => `grant.${p}`));
      problems.push(...compareJson(expected.sip, payload.sip).map((p) => `sip.${p}`));
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
      const method = methodOfPath(request.path);
      if (method === undefined) {
        problems.push(`exchange ${i}: ${request.path} is not a method of a service in LIVEKIT_SERVICES`);
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
        if (!isTwirpCode(code)) {
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
