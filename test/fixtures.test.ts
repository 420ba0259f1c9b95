/**
 * The fixture-driven contract tests: every case under test/fixtures/<provider>/<tool>/ runs through a real
 * MCP client against a real server instance whose provider talks HTTP to a scripted upstream on loopback.
 */
import { describe, expect, it } from "vitest";
import { type LoadedFixture, loadFixtures, type ProviderHarness } from "./harness/fixtures.js";
import { livekitHarness } from "./harness/livekit-harness.js";
import { connectClient } from "./harness/mcp.js";
import { startScriptedUpstream } from "./harness/upstream.js";

export const harnesses: readonly ProviderHarness[] = [livekitHarness];

for (const harness of harnesses) {
  const fixtures = loadFixtures(harness.provider);

  describe(`${harness.provider} fixtures`, () => {
    it("exist", () => {
      expect(fixtures.length).toBeGreaterThan(0);
    });

    describe.each(fixtures.map((f) => [`${f.tool}/${f.name}`, f] as const))("%s", (_, loaded) => {
      it("is valid against the provider's spec", () => {
        expect(harness.validateFixture(loaded.fixture)).toEqual([]);
      });

      it("runs as recorded", async () => {
        await runFixture(harness, loaded);
      });
    });
  });
}

async function runFixture(harness: ProviderHarness, { tool, fixture, file }: LoadedFixture): Promise<void> {
  const upstream = await startScriptedUpstream(
    fixture.exchanges.map(({ request, response }) => ({
      method: request.method,
      path: request.path,
      response,
    })),
  );
  const mcp = await connectClient(harness.bind(upstream.baseUrl));
  try {
    const result = await mcp.client.callTool({ name: tool, arguments: fixture.arguments });

    const problems = [...upstream.problems];
    for (const [i, received] of upstream.received.entries()) {
      const expected = fixture.exchanges[i]?.request;
      if (expected)
        problems.push(...(await harness.checkRequest(expected, received)).map((p) => `request ${i}: ${p}`));
    }
    if (upstream.remaining() > 0) problems.push(`${upstream.remaining()} expected request(s) never arrived`);
    expect(problems, `${file}: wire`).toEqual([]);

    const content = result.content as { type: string; text: string }[];
    expect(content, `${file}: one text block`).toHaveLength(1);
    if (fixture.result.isError) {
      expect(result.isError, `${file}: isError`).toBe(true);
      if (fixture.result.text !== undefined) expect(content[0]?.text).toBe(fixture.result.text);
      for (const part of fixture.result.textIncludes ?? []) expect(content[0]?.text).toContain(part);
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
