/**
 * Runs one fixture: serves its recorded responses from a scripted upstream on 127.0.0.1, calls the tool
 * through a real MCP client against a real server instance, and returns every way the run differed from
 * the fixture (empty = it ran as recorded). Returning problems instead of asserting lets the must-fail
 * tests (test/harness-must-fail.test.ts) show that a wrong body, grant, or request count is caught.
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { RoomEvent } from "../../src/events/event.js";
import { memoryEventStore } from "../../src/events/memory-store.js";
import type { ProviderId } from "../../src/providers/provider.js";
import type { CallControl } from "../../src/server.js";
import { compareJson, type Fixture, type ProviderHarness } from "./fixtures.js";
import { connectClient } from "./mcp.js";
import { startScriptedUpstream } from "./upstream.js";

const FORMAT_SCHEMA = JSON.parse(
  readFileSync(new URL("./fixture.schema.json", import.meta.url), "utf8"),
) as object;
const validateFormat = new Ajv2020({ allErrors: true, strict: false }).compile(FORMAT_SCHEMA);

/** Problems with a fixture file's shape (unknown or misspelt keys, wrong types); empty = well-formed. */
export function fixtureFormatProblems(json: unknown): string[] {
  if (validateFormat(json)) {
    return [];
  }
  return (validateFormat.errors ?? []).map((e) => {
    const extra = e.keyword === "additionalProperties" ? ` "${String(e.params.additionalProperty)}"` : "";
    return `${e.instancePath || "(root)"} ${e.message ?? "is invalid"}${extra}`;
  });
}

export async function runFixture(
  harness: ProviderHarness,
  tool: string,
  fixture: Fixture,
): Promise<string[]> {
  const { problems, result } = await callFixture(harness, tool, fixture);
  return [...problems, ...resultProblems(fixture, result)];
}

/** What a tool call returned, as a client sees it. */
export interface CalledResult {
  readonly content?: unknown;
  readonly isError?: unknown;
  readonly structuredContent?: unknown;
}

/**
 * Runs a fixture's call against its scripted upstream and returns the result with the wire problems
 * only (requests unexpected, different or missing), for tests that check the result themselves (a
 * generated large room, test/large-room.test.ts).
 */
export async function callFixture(
  harness: ProviderHarness,
  tool: string,
  fixture: Fixture,
): Promise<{ problems: string[]; result: CalledResult }> {
  const upstream = await startScriptedUpstream(
    fixture.exchanges.map(({ request, response }) => ({
      method: request.method,
      path: request.path,
      response,
    })),
  );
  const control = await eventControl(harness.provider.id, fixture);
  const mcp = await connectClient(
    harness.bind(upstream.baseUrl, fixture),
    [],
    control === undefined ? {} : { control },
  );
  try {
    const result = await mcp.client.callTool({ name: tool, arguments: fixture.arguments });
    const problems = [...upstream.problems.map((p) => `wire: ${p}`)];
    for (const [i, received] of upstream.received.entries()) {
      const expected = fixture.exchanges[i]?.request;
      if (expected !== undefined) {
        const found = await harness.checkRequest(expected, received, fixture);
        problems.push(...found.map((p) => `wire: request ${i}: ${p}`));
      }
    }
    if (upstream.remaining() > 0) {
      problems.push(`wire: ${upstream.remaining()} expected request(s) never arrived`);
    }
    return { problems, result };
  } finally {
    await mcp.close();
    await upstream.close();
  }
}

/**
 * A fixture with `events` runs where the provider's webhooks reach the server, with those events stored
 * beforehand (as a verified webhook would have stored them); without, no webhooks reach it.
 */
async function eventControl(provider: ProviderId, fixture: Fixture): Promise<CallControl | undefined> {
  if (fixture.events === undefined) {
    return undefined;
  }
  const store = memoryEventStore();
  for (const event of fixture.events.stored ?? []) {
    await store.append(event as unknown as RoomEvent);
  }
  return {
    confirm: "auto",
    audit: { destination: "nowhere", begin: () => ({ write: () => undefined }) },
    events: { store, receiving: new Set([provider]), pollIntervalMs: 50 },
  };
}

function resultProblems(fixture: Fixture, result: CalledResult): string[] {
  const content = (result.content ?? []) as { type: string; text?: string }[];
  if (content.length !== 1 || content[0]?.type !== "text") {
    return [`result: expected one text block, got ${JSON.stringify(content)}`];
  }
  const text = content[0].text ?? "";
  const expected = fixture.result;
  if (expected.isError) {
    const problems = result.isError === true ? [] : [`result: expected isError, got a success: ${text}`];
    if (expected.text !== undefined && text !== expected.text) {
      problems.push(`result: expected text ${JSON.stringify(expected.text)}, got ${JSON.stringify(text)}`);
    }
    for (const part of expected.textIncludes ?? []) {
      if (!text.includes(part)) {
        problems.push(`result: text lacks ${JSON.stringify(part)}: ${JSON.stringify(text)}`);
      }
    }
    for (const part of expected.textExcludes ?? []) {
      if (text.includes(part)) {
        problems.push(`result: text contains ${JSON.stringify(part)}`);
      }
    }
    return problems;
  }
  if (result.isError === true) {
    return [`result: expected success, got an error: ${text}`];
  }
  const { stable, missing } = withoutVolatile(result.structuredContent, expected.volatile ?? []);
  return [
    ...missing.map((path) => `structuredContent.${path}: missing (a volatile value must be present)`),
    ...compareJson(expected.structuredContent, stable).map((p) => `structuredContent.${p}`),
    ...compareJson(result.structuredContent, JSON.parse(text)).map((p) => `text block differs: ${p}`),
  ];
}

/** A copy without the values at `paths` (each must be there), for comparing the rest exactly. */
function withoutVolatile(value: unknown, paths: readonly string[]): { stable: unknown; missing: string[] } {
  const stable = structuredClone(value);
  const missing: string[] = [];
  for (const path of paths) {
    const keys = path.split(".");
    const last = keys.pop() as string;
    let node: unknown = stable;
    for (const key of keys) {
      node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined;
    }
    if (typeof node !== "object" || node === null || (node as Record<string, unknown>)[last] === undefined) {
      missing.push(path);
    } else {
      delete (node as Record<string, unknown>)[last];
    }
  }
  return { stable, missing };
}
