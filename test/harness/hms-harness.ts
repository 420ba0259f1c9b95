/**
 * The 100ms part of the fixture runner: requests are matched to their generated operation, bodies compared
 * as JSON, management tokens verified (claims of minted ones, identity of a given one), and fixtures are
 * validated against the OpenAPI schemas (request bodies, 200 bodies, error bodies) with ajv.
 *
 * Fixture paths are relative to the API base URL (`/rooms?name=…`, as record mode writes them). A fixture
 * may set `env` to choose the auth mode (e.g. `HMS_MANAGEMENT_TOKEN`); by default tokens are minted from
 * {@link HMS_TEST_ACCESS_KEY} / {@link HMS_TEST_SECRET}.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { jwtVerify } from "jose";
import { bindProvider } from "../../src/assemble.js";
import { hmsErrorSchema } from "../../src/generated/hms/operations.js";
import { hmsConfigFromEnv } from "../../src/providers/hms/config.js";
import { hmsProvider } from "../../src/providers/hms/index.js";
import { operationOfRequest } from "../../src/providers/hms/request.js";
import { compareJson, type ExpectedRequest, type Fixture, type ProviderHarness } from "./fixtures.js";

export const HMS_TEST_ACCESS_KEY = "64f1a2b3c4d5e6f708192a3c";
export const HMS_TEST_SECRET = "hms-test-app-secret-that-is-long-enough";
const HMS_VARIABLES = new Set([
  "HMS_MANAGEMENT_TOKEN",
  "HMS_ACCESS_KEY",
  "HMS_SECRET",
  "HMS_JOIN_TOKEN_MAX_TTL",
  "HMS_JOIN_URL_TEMPLATE",
]);
/** Join tokens are minted at this instant with this jti, so fixtures can pin the whole token. */
export const HMS_FIXTURE_CLOCK_MS = Date.UTC(2026, 11, 1, 9, 0, 0);
export const HMS_FIXTURE_JTI = "3f0c9a52-8d1e-4b7a-9c2f-5e6d7a8b9c0d";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The environment a fixture runs with: its own `env`, else the test key pair. */
function envOf(fixture: Fixture | undefined): Record<string, string> {
  return fixture?.env ?? { HMS_ACCESS_KEY: HMS_TEST_ACCESS_KEY, HMS_SECRET: HMS_TEST_SECRET };
}

// OpenAPI 3.1 schemas are JSON Schema 2020-12. Formats are not in the generated schemas (patterns are).
const ajv = new Ajv2020({ strict: false, allErrors: true });
const validators = new Map<object, ValidateFunction>();
function validate(schema: object, value: unknown, where: string): string[] {
  let check = validators.get(schema);
  if (check === undefined) {
    check = ajv.compile(schema);
    validators.set(schema, check);
  }
  if (check(value)) {
    return [];
  }
  return (check.errors ?? []).map((e) => `${where}${e.instancePath} ${e.message ?? "is invalid"}`);
}

export const hmsHarness: ProviderHarness = {
  provider: hmsProvider,

  bind(baseUrl, fixture) {
    const configured = hmsConfigFromEnv({ ...envOf(fixture), HMS_API_URL: baseUrl });
    if (configured.kind !== "configured") {
      throw new Error(`fixture env: ${JSON.stringify(configured)}`);
    }
    const client = hmsProvider.createClient({
      ...configured.config,
      timeoutMs: 3000,
      joinTokenClock: () => HMS_FIXTURE_CLOCK_MS,
      joinTokenId: () => HMS_FIXTURE_JTI,
      // Retries happen as in production, without the waiting.
      sleep: async () => undefined,
    });
    return bindProvider(hmsProvider, client);
  },

  async checkRequest(expected: ExpectedRequest, received, fixture) {
    const problems: string[] = [];
    const raw = received.body.toString("utf8");
    if (expected.body === undefined) {
      if (raw !== "") {
        problems.push(`expected no body, got ${raw}`);
      }
    } else {
      if (received.headers["content-type"] !== "application/json") {
        problems.push(`content-type: expected application/json, got ${received.headers["content-type"]}`);
      }
      let actual: unknown;
      try {
        actual = JSON.parse(raw);
      } catch {
        problems.push(`body is not JSON: ${raw}`);
      }
      problems.push(...compareJson(expected.body, actual, expected.anyValue).map((p) => `body.${p}`));
    }
    if (!String(received.headers.accept ?? "").includes("application/json")) {
      problems.push(`accept: expected application/json, got ${received.headers.accept}`);
    }
    problems.push(...(await checkToken(received.headers.authorization, envOf(fixture))));
    return problems;
  },

  validateFixture(fixture: Fixture) {
    const problems: string[] = [];
    for (const name of Object.keys(fixture.env ?? {})) {
      if (!HMS_VARIABLES.has(name)) {
        problems.push(`env: ${name} is not a 100ms credential variable`);
      }
    }
    for (const [i, { request, response }] of fixture.exchanges.entries()) {
      const where = `exchange ${i}`;
      const found = operationOfRequest(request.method, request.path);
      if (found === undefined) {
        problems.push(
          `${where}: ${request.method} ${request.path} is no operation of specs/100ms/openapi.yaml`,
        );
        continue;
      }
      const { id, operation: op } = found;
      const query = new URLSearchParams(request.path.split("?")[1] ?? "");
      for (const name of query.keys()) {
        if (!op.queryParams.includes(name)) {
          problems.push(`${where}: ${id} has no query parameter ${name}`);
        }
      }
      if (op.requestBodySchema === undefined) {
        if (request.body !== undefined) {
          problems.push(`${where}: ${id} takes no request body`);
        }
      } else if (request.body === undefined) {
        problems.push(`${where}: ${id} sends a JSON body`);
      } else {
        problems.push(...validate(op.requestBodySchema, request.body, `${where} request body`));
      }
      if (response.status === 200) {
        problems.push(...validate(op.outputSchema, response.body, `${where} 200 body`));
      } else if (response.status >= 200 && response.status < 300) {
        problems.push(`${where}: 100ms answers 200 on success, not ${response.status}`);
      } else if (typeof response.body === "object" && response.body !== null) {
        problems.push(...validate(hmsErrorSchema, response.body, `${where} ${response.status} error body`));
      } else if (response.body !== undefined && typeof response.body !== "string") {
        problems.push(`${where}: an error body is a JSON object or (from a proxy) text`);
      }
    }
    return problems;
  },
};

/** `Authorization: Bearer <token>`: the given management token as is, or a minted one with 100ms's claims. */
async function checkToken(authorization: string | undefined, env: Record<string, string>): Promise<string[]> {
  if (authorization === undefined || !authorization.startsWith("Bearer ")) {
    return [
      `authorization: expected a Bearer token, got ${authorization === undefined ? "none" : "another scheme"}`,
    ];
  }
  const token = authorization.slice("Bearer ".length);
  if (env.HMS_ACCESS_KEY === undefined) {
    return token === env.HMS_MANAGEMENT_TOKEN
      ? []
      : ["authorization: not the configured HMS_MANAGEMENT_TOKEN"];
  }
  try {
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(env.HMS_SECRET), {
      algorithms: ["HS256"],
    });
    const problems: string[] = [];
    if (protectedHeader.typ !== "JWT") {
      problems.push(`token typ ${protectedHeader.typ}`);
    }
    if (payload.access_key !== env.HMS_ACCESS_KEY) {
      problems.push("token access_key is not HMS_ACCESS_KEY");
    }
    if (payload.type !== "management") {
      problems.push(`token type ${String(payload.type)}, not management`);
    }
    if (payload.version !== 2) {
      problems.push(`token version ${String(payload.version)}, not 2`);
    }
    if (!UUID.test(String(payload.jti))) {
      problems.push("token jti is not a UUID v4");
    }
    const { iat, nbf, exp } = payload;
    if (typeof iat !== "number" || typeof nbf !== "number" || typeof exp !== "number") {
      problems.push("token lacks iat, nbf or exp");
    } else if (exp - nbf <= 0 || exp - nbf > 24 * 3600) {
      problems.push(`token lifetime ${exp - nbf}s is not within a day`);
    }
    return problems;
  } catch (error) {
    return [`token does not verify with HMS_SECRET: ${String(error)}`];
  }
}
