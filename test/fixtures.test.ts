/**
 * The fixture-driven contract tests: every case under test/fixtures/<provider>/<tool>/ runs through a real
 * MCP client against a real server instance whose provider talks HTTP to a scripted upstream on loopback.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES_DIR, type LoadedFixture, loadFixtures, type ProviderHarness } from "./harness/fixtures.js";
import { connectClient } from "./harness/mcp.js";
import { harnesses } from "./harness/providers.js";
import { startScriptedUpstream } from "./harness/upstream.js";

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
      it("is valid against the provider's spec", () => {
        expect(
          harness.validateFixture(loaded.fixture),
          `${loaded.file} does not match the spec: fix the fixture, or the spec if the API really answers this`,
        ).toEqual([]);
      });

      it("runs as recorded", async () => {
        await runFixture(harness, loaded);
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

async function runFixture(harness: ProviderHarness, { tool, fixture, file }: LoadedFixture): Promise<void> {
  const upstream = await startScriptedUpstream(
    fixture.exchanges.map(({ request, response }) => ({
      method: request.method,
      path: request.path,
      response,
    })),
  );
  const mcp = await connectClient(harness.bind(upstream.baseUrl, fixture));
  try {
    const result = await mcp.client.callTool({ name: tool, arguments: fixture.arguments });

    const problems = [...upstream.problems];
    for (const [i, received] of upstream.received.entries()) {
      const expected = fixture.exchanges[i]?.request;
      if (expected) {
        problems.push(
          ...(await harness.checkRequest(expected, received, fixture)).map((p) => `request ${i}: ${p}`),
        );
      }
    }
    if (upstream.remaining() > 0) {
      problems.push(`${upstream.remaining()} expected request(s) never arrived`);
    }
    expect(problems, `${file}: wire`).toEqual([]);

    const content = result.content as { type: string; text: string }[];
    expect(content, `${file}: one text block`).toHaveLength(1);
    if (fixture.result.isError) {
      expect(result.isError, `${file}: isError`).toBe(true);
      if (fixture.result.text !== undefined) {
        expect(content[0]?.text).toBe(fixture.result.text);
      }
      for (const part of fixture.result.textIncludes ?? []) {
        expect(content[0]?.text).toContain(part);
      }
      for (const part of fixture.result.textExcludes ?? []) {
        expect(content[0]?.text).not.toContain(part);
      }
    } else {
      expect(result.isError ?? false, `${file}: isError (${content[0]?.text})`).toBe(false);
      expect(result.structuredContent, `${file}: structuredContent`).toEqual(
        fixture.result.structuredContent,
      );
      expect(JSON.parse(content[0]?.text ?? "null"), `${file}: text block`).toEqual(result.structuredContent);
    }
  } finally {
    await mcp.close();
    await upstream.close();
  }
}
