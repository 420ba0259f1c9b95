/**
 * The result budget holds for every tool: every success fixture of every provider runs with the smallest
 * budget allowed, once as recorded and once with its free-form texts (metadata, descriptions) blown up far
 * past it. No result's text may pass the budget, none may become an error, and a cut result says so in
 * `truncated` (the server validates every result against the tool's output schema, so a cut one matches).
 */
import { describe, expect, it } from "vitest";
import { isRecord } from "../src/json.js";
import { MAX_RESULT_BYTES_VARIABLE, MIN_MAX_RESULT_BYTES } from "../src/tools/budget.js";
import { type Fixture, loadFixtures } from "./harness/fixtures.js";
import { harnesses } from "./harness/providers.js";
import { type CalledResult, callFixture } from "./harness/runner.js";

// Read by every server the fixtures start (each test file runs in its own process).
process.env[MAX_RESULT_BYTES_VARIABLE] = String(MIN_MAX_RESULT_BYTES);

const FREE_TEXT = new Set(["metadata", "description"]);

/** The fixture with every free-form text in its answers 20 times the budget long. */
function inflated(fixture: Fixture): Fixture {
  const grow = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      return value.map(grow);
    }
    if (!isRecord(value)) {
      return value;
    }
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        FREE_TEXT.has(key) && typeof item === "string" ? "m".repeat(20 * MIN_MAX_RESULT_BYTES) : grow(item),
      ]),
    );
  };
  return {
    ...fixture,
    exchanges: fixture.exchanges.map((exchange) => ({
      ...exchange,
      response: { ...exchange.response, body: grow(exchange.response.body) },
    })),
  };
}

function textOf(result: CalledResult): string {
  return ((result.content ?? []) as { text?: string }[])[0]?.text ?? "";
}

for (const harness of harnesses) {
  const successes = loadFixtures(harness.provider.id).filter((f) => !f.fixture.result.isError);

  describe(`${harness.provider.id}: the result budget`, () => {
    it.each(successes.map((f) => [`${f.tool}/${f.name}`, f] as const))(
      "%s stays within it",
      async (_, loaded) => {
        for (const fixture of [loaded.fixture, inflated(loaded.fixture)]) {
          const { result } = await callFixture(harness, loaded.tool, fixture);
          const text = textOf(result);
          expect(result.isError ?? false, text).toBe(false);
          expect(Buffer.byteLength(text), text.slice(0, 300)).toBeLessThanOrEqual(MIN_MAX_RESULT_BYTES);
          const expected = loaded.fixture.result;
          const full = expected.isError ? 0 : Buffer.byteLength(JSON.stringify(expected.structuredContent));
          if (fixture === loaded.fixture && full > MIN_MAX_RESULT_BYTES) {
            expect(text).toContain('"truncated"');
          }
        }
      },
    );
  });
}
