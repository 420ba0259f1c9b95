/**
 * The fixture harness must be able to fail, for every provider: a real success fixture, mutated in one
 * way, must make the run report exactly that kind of problem. Guards against a harness check that quietly
 * became a no-op (then every contract test would pass whatever the tools send).
 */
import { describe, expect, it } from "vitest";
import type { ProviderId } from "../src/providers/provider.js";
import { type Fixture, type FixtureExchange, loadFixtures } from "./harness/fixtures.js";
import { harnesses } from "./harness/providers.js";
import { fixtureFormatProblems, runFixture } from "./harness/runner.js";

/** A success case per provider whose one request carries a body (so a body mutation means something). */
const SUBJECTS: { readonly [Id in ProviderId]: { tool: string; name: string; field: string } } = {
  livekit: { tool: "send_data", name: "success", field: "kind" },
  hms: { tool: "send_message", name: "success", field: "message" },
};

describe.each(harnesses.map((h) => [h.provider.id, h] as const))("%s harness", (id, harness) => {
  const subject = SUBJECTS[id];
  const loaded = loadFixtures(id).find((f) => f.tool === subject.tool && f.name === subject.name);
  if (loaded === undefined) {
    throw new Error(`test/fixtures/${id}/${subject.tool}/${subject.name}.json is the must-fail subject`);
  }
  const original = loaded.fixture;
  const [first] = original.exchanges as [FixtureExchange];
  const run = (fixture: Fixture) => runFixture(harness, subject.tool, fixture);
  const withRequest = (request: Partial<FixtureExchange["request"]>): Fixture => ({
    ...original,
    exchanges: [{ ...first, request: { ...first.request, ...request } }, ...original.exchanges.slice(1)],
  });

  it("passes the subject as recorded (the baseline)", async () => {
    expect(await run(original)).toEqual([]);
  });

  it("fails on a wrong request body", async () => {
    const body = { ...(first.request.body as Record<string, unknown>) };
    body[subject.field] = id === "livekit" ? "LOSSY" : "a different message";
    const problems = await run(withRequest({ body }));
    expect(
      problems.some((p) => p.includes(`body.${subject.field}`)),
      problems.join("\n"),
    ).toBe(true);
  });

  it("fails on a request that never arrives", async () => {
    const problems = await run({ ...original, exchanges: [...original.exchanges, first] });
    expect(
      problems.some((p) => p.includes("never arrived")),
      problems.join("\n"),
    ).toBe(true);
  });

  it("fails on a request the fixture did not foresee", async () => {
    const problems = await run({ ...original, exchanges: original.exchanges.slice(0, -1) });
    expect(
      problems.some((p) => p.includes("unexpected request")),
      problems.join("\n"),
    ).toBe(true);
  });

  it("fails on a request to another path", async () => {
    const problems = await run(withRequest({ path: `${first.request.path}x` }));
    expect(
      problems.some((p) => p.includes("unexpected request")),
      problems.join("\n"),
    ).toBe(true);
  });

  it("fails on a different result", async () => {
    const result = original.result;
    if (result.isError) {
      throw new Error("the subject must be a success case");
    }
    const changed = { ...result, structuredContent: { ...result.structuredContent, extra: true } };
    const problems = await run({ ...original, result: changed });
    expect(
      problems.some((p) => p.startsWith("structuredContent.extra")),
      problems.join("\n"),
    ).toBe(true);
  });

  it("refuses a misspelt fixture key", () => {
    const misspelt = { ...original, result: { isError: true, textInclude: ["x"] } };
    expect(fixtureFormatProblems(misspelt).join("\n")).toMatch(/textInclude/);
    expect(fixtureFormatProblems({ ...original, exchange: [] }).join("\n")).toMatch(/"exchange"/);
  });

  if (id === "livekit") {
    it("fails on a wrong grant, a missing grant, and an unexpected sip claim", async () => {
      const grant = first.request.grant as Record<string, unknown>;
      const wrongRoom = await run(withRequest({ grant: { ...grant, room: "another-room" } }));
      expect(
        wrongRoom.some((p) => p.includes("grant.room")),
        wrongRoom.join("\n"),
      ).toBe(true);
      const wider = await run(withRequest({ grant: { ...grant, roomCreate: true } }));
      expect(
        wider.some((p) => p.includes("grant.roomCreate")),
        wider.join("\n"),
      ).toBe(true);
      const sip = await run(withRequest({ sip: { call: true } }));
      expect(
        sip.some((p) => p.includes("sip")),
        sip.join("\n"),
      ).toBe(true);
    });
  }
});

/** The event fixtures: a stored event and a volatile value that must be there, or the run fails. */
describe.each(harnesses.map((h) => [h.provider.id, h] as const))("%s event fixtures", (id, harness) => {
  const loaded = loadFixtures(id).find((f) => f.tool === "wait_for_event" && f.name === "received");
  if (loaded === undefined) {
    throw new Error(`test/fixtures/${id}/wait_for_event/received.json is the events must-fail subject`);
  }
  const original = loaded.fixture;
  const run = (fixture: Fixture) => runFixture(harness, "wait_for_event", fixture);

  it("passes as recorded (the baseline)", async () => {
    expect(await run(original)).toEqual([]);
  });

  it("fails when a volatile value is missing from the result", async () => {
    const result = original.result as Extract<Fixture["result"], { isError: false }>;
    const problems = await run({
      ...original,
      result: { ...result, volatile: ["waited_seconds", "no_such"] },
    });
    expect(problems.join("\n")).toMatch(/structuredContent\.no_such: missing/);
  });

  it("fails when the stored event differs from the one expected", async () => {
    const [stored] = original.events?.stored ?? [];
    const changed = { ...stored, identity: "someone-else" };
    const problems = await run({
      ...original,
      arguments: { ...original.arguments, timeout_seconds: 1 },
      events: { stored: [changed] },
    });
    // The stored event no longer matches the identity asked for: the wait times out instead of arriving.
    expect(problems.join("\n")).toMatch(/structuredContent\.status/);
  });
});
