/**
 * The checks the new LiveKit fixtures lean on must be able to fail: the `sip` claim and the room grant of
 * phone calls, the join token pinned in a result (and its passage through the scrubber), the stream key
 * that only create_ingress shows, and a stream URL the contract redacts.
 */
import { describe, expect, it } from "vitest";
import type { BoundTool } from "../../src/tools/define.js";
import {
  type Fixture,
  type FixtureExchange,
  loadFixtures,
  type ProviderHarness,
} from "../harness/fixtures.js";
import { livekitHarness } from "../harness/livekit-harness.js";
import { runFixture } from "../harness/runner.js";

function fixture(tool: string, name: string): Fixture {
  const found = loadFixtures("livekit").find((f) => f.tool === tool && f.name === name);
  if (found === undefined) {
    throw new Error(`test/fixtures/livekit/${tool}/${name}.json is a must-fail subject`);
  }
  return found.fixture;
}

function withRequest(original: Fixture, request: Partial<FixtureExchange["request"]>): Fixture {
  const [first, ...rest] = original.exchanges as [FixtureExchange, ...FixtureExchange[]];
  return { ...original, exchanges: [{ ...first, request: { ...first.request, ...request } }, ...rest] };
}

function withResult(
  original: Fixture,
  change: (content: Record<string, unknown>) => Record<string, unknown>,
) {
  if (original.result.isError) {
    throw new Error("the subject must be a success case");
  }
  return {
    ...original,
    result: { ...original.result, structuredContent: change(original.result.structuredContent) },
  };
}

const expectProblem = (problems: string[], part: string) =>
  expect(
    problems.some((p) => p.includes(part)),
    problems.join("\n"),
  ).toBe(true);

describe("LiveKit fixtures beyond RoomService", () => {
  it("pass as recorded (the baselines)", async () => {
    for (const [tool, name] of [
      ["create_sip_participant", "success"],
      ["transfer_sip_participant", "success"],
      ["create_join_token", "success-publisher-agent-link"],
      ["list_ingress", "success"],
      ["list_egress", "success"],
    ] as const) {
      expect(await runFixture(livekitHarness, tool, fixture(tool, name)), `${tool}/${name}`).toEqual([]);
    }
  });

  it("fail on a call signed with the admin instead of the call grant, or with none", async () => {
    const dial = fixture("create_sip_participant", "success");
    expectProblem(
      await runFixture(livekitHarness, "create_sip_participant", withRequest(dial, { sip: { admin: true } })),
      "sip.",
    );
    const { sip: _, ...unsigned } = (dial.exchanges[0] as FixtureExchange).request;
    expectProblem(
      await runFixture(livekitHarness, "create_sip_participant", {
        ...dial,
        exchanges: [{ ...(dial.exchanges[0] as FixtureExchange), request: unsigned }],
      }),
      "sip.(root)",
    );
  });

  it("fail on a transfer whose token lacks the room admin grant", async () => {
    const transfer = fixture("transfer_sip_participant", "success");
    expectProblem(
      await runFixture(livekitHarness, "transfer_sip_participant", withRequest(transfer, { grant: {} })),
      "grant.",
    );
  });

  it("fail on a join token other than the one pinned", async () => {
    const join = fixture("create_join_token", "success-publisher-agent-link");
    const tampered = withResult(join, (content) => ({
      ...content,
      token: `${String(content.token).slice(0, -2)}xx`,
    }));
    expectProblem(await runFixture(livekitHarness, "create_join_token", tampered), "structuredContent.token");
  });

  it("fail when the server's scrubbing is not told which token the tool hands out", async () => {
    const withoutHandout: ProviderHarness = {
      ...livekitHarness,
      bind: (url, f) => livekitHarness.bind(url, f).map(({ handsOut: _, ...tool }): BoundTool => tool),
    };
    const problems = await runFixture(
      withoutHandout,
      "create_join_token",
      fixture("create_join_token", "success"),
    );
    expectProblem(problems, "[redacted token]");
  });

  it("fail when a list shows a stream key or a stream URL", async () => {
    const ingress = fixture("list_ingress", "success");
    const keyShown = withResult(ingress, (content) => ({
      items: (content.items as Record<string, unknown>[]).map((item) => ({
        ...item,
        stream_key: "Zq8sJ3vLm2NpXt7c",
      })),
    }));
    expectProblem(await runFixture(livekitHarness, "list_ingress", keyShown), "stream_key");
    const egress = fixture("list_egress", "success");
    const urlShown = withResult(egress, (content) => ({
      items: (content.items as Record<string, unknown>[]).map((item) => ({
        ...item,
        stream_results: (item.stream_results as Record<string, unknown>[]).map((s) => ({
          ...s,
          url: "rtmp://a.rtmp.youtube.com/live2/k7ab-9xq2-mm31-zzp0-4tte",
        })),
      })),
    }));
    expectProblem(await runFixture(livekitHarness, "list_egress", urlShown), "stream_results[0].url");
  });
});
