/**
 * The fixture-driven contract tests: every case under test/fixtures/<provider>/<tool>/ runs through a real
 * MCP client against a real server instance whose provider talks HTTP to a scripted upstream on loopback.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES_DIR, type LoadedFixture, loadFixtures } from "./harness/fixtures.js";
import { harnesses } from "./harness/providers.js";
import { fixtureFormatProblems, runFixture } from "./harness/runner.js";

for (const harness of harnesses) {
  const fixtures = loadFixtures(harness.provider.id);

  describe(`${harness.provider.id} fixtures`, () => {
    it("exist", () => {
      expect(fixtures.length).toBeGreaterThan(0);
    });

    it("cover every tool with a success case and an error case, and name no other tool", () => {
      const served = harness.bind("http://127.0.0.1:1").map((tool) => tool.name);
      expect(coverageProblems(served, fixtures, listFixtureDirs(harness.provider.id))).toEqual([]);
    });

    describe.each(fixtures.map((f) => [`${f.tool}/${f.name}`, f] as const))("%s", (_, loaded) => {
      it("has the fixture format (test/harness/fixture.schema.json)", () => {
        expect(fixtureFormatProblems(loaded.fixture), `${loaded.file}: fix the keys named`).toEqual([]);
      });

      it("is valid against the provider's spec", () => {
        expect(
          harness.validateFixture(loaded.fixture),
          `${loaded.file} does not match the spec: fix the fixture, or the spec if the API really answers this`,
        ).toEqual([]);
      });

      it("runs as recorded", async () => {
        expect(await runFixture(harness, loaded.tool, loaded.fixture), loaded.file).toEqual([]);
      });
    });
  });
}

/** What is missing or stray in a provider's fixtures, one line per problem (empty = complete). */
function coverageProblems(
  served: readonly string[],
  fixtures: readonly LoadedFixture[],
  dirs: readonly string[],
): string[] {
  const problems: string[] = [];
  for (const tool of served) {
    const cases = fixtures.filter((f) => f.tool === tool);
    const add = `add test/fixtures/<provider>/${tool}/<case>.json (write it, or \`npm run record\`)`;
    if (!cases.some((f) => !f.fixture.result.isError)) {
      problems.push(`${tool}: no success case: ${add}`);
    }
    if (!cases.some((f) => f.fixture.result.isError)) {
      problems.push(`${tool}: no error case: ${add}`);
    }
  }
  for (const dir of dirs) {
    if (!served.includes(dir)) {
      problems.push(`${dir}: fixture directory names no tool the harness serves: rename or remove it`);
    }
  }
  return problems;
}

/** Every directory under test/fixtures/<provider>/, empty ones included. */
function listFixtureDirs(provider: string): string[] {
  const root = join(FIXTURES_DIR, provider);
  if (!existsSync(root)) {
    return [];
  }
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}
