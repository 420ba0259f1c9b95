/**
 * list_analytics_events pages with 100ms's own token (`next` → `start`), which no event yields. When the
 * result budget ends a page early, the cursor asks for the same API page again and goes on after the events
 * already shown; once a page is shown whole, it continues with the API's token. Through the real fixture
 * runner (scripted loopback upstream, every request checked on the wire).
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_RESULT_BYTES } from "../../src/tools/budget.js";
import type { Fixture, FixtureExchange } from "../harness/fixtures.js";
import { hmsHarness } from "../harness/hms-harness.js";
import { callFixture } from "../harness/runner.js";

const ROOM = "6741a0c2e5f14b9d8a3c7e21";
const PAGE_ONE_NEXT = "fixture-token-page-two";
const QUERY = `/analytics/events?room_id=${ROOM}&type=client.disconnected`;

/** A disconnect event with a bulky agent, so that a page of 100 is over the result budget in full detail. */
function event(n: number): Record<string, unknown> {
  return {
    version: "2.0",
    id: `4e5f6a7b-8c9d-4e0f-9a1b-${n.toString().padStart(12, "0")}`,
    timestamp: `2026-11-30T19:${String(Math.floor(n / 60) % 60).padStart(2, "0")}:${String(n % 60).padStart(2, "0")}Z`,
    type: "client.disconnected",
    data: {
      room_id: ROOM,
      peer_id: `peer-${n}`,
      user_id: `user-${n}`,
      role: "guest",
      is_terminal: false,
      error_code: 4006,
      error_name: "ICEDisconnected",
      error_message: "[SUBSCRIBE]: Ice connection state DISCONNECTED",
      agent: { string: `os:web_Mac_OS,sdk:web,device_model:Chrome_125.0.0.0,note:${"x".repeat(600)}` },
    },
  };
}

const PAGE_ONE = Array.from({ length: 100 }, (_, n) => event(n));
const PAGE_TWO = Array.from({ length: 5 }, (_, n) => event(100 + n));

function exchange(path: string, events: unknown[], next: string): FixtureExchange {
  return {
    request: { method: "GET", path },
    response: { status: 200, body: { limit: 100, total: 105, next, events } },
  };
}

async function call(args: Record<string, unknown>, exchanges: FixtureExchange[]) {
  const fixture: Fixture = {
    description: "a page of list_analytics_events",
    arguments: args,
    exchanges,
    result: { isError: false, structuredContent: {} },
  };
  const { problems, result } = await callFixture(hmsHarness, "list_analytics_events", fixture);
  expect(problems).toEqual([]);
  expect(result.isError ?? false).toBe(false);
  return result.structuredContent as { events: { id: string }[]; total: number; next_cursor: string | null };
}

describe("list_analytics_events paging", () => {
  it("continues a page the result budget cut from the same API page, then with 100ms's token", async () => {
    const args = { room_id: ROOM, type: ["client.disconnected"], limit: 100, detail: "full" };
    const seen: string[] = [];

    const first = await call(args, [exchange(`${QUERY}&limit=100`, PAGE_ONE, PAGE_ONE_NEXT)]);
    expect(first.events.length).toBeGreaterThan(0);
    expect(first.events.length).toBeLessThan(100);
    expect(JSON.stringify(first).length).toBeLessThanOrEqual(DEFAULT_MAX_RESULT_BYTES);
    expect(first.total).toBe(105);
    seen.push(...first.events.map((e) => e.id));

    // The rest of page one: the same API page is asked for again (same start, same size).
    let cursor = first.next_cursor;
    let rounds = 0;
    while (seen.length < 100) {
      expect(cursor).toEqual(expect.any(String));
      const page = await call({ ...args, cursor }, [exchange(`${QUERY}&limit=100`, PAGE_ONE, PAGE_ONE_NEXT)]);
      expect(page.events.length).toBeGreaterThan(0);
      seen.push(...page.events.map((e) => e.id));
      cursor = page.next_cursor;
      rounds += 1;
      expect(rounds).toBeLessThan(10);
    }
    expect(seen).toEqual(PAGE_ONE.map((e) => e.id));

    // Page one shown whole: the next call starts from 100ms's token, and that last page ends the listing.
    const last = await call({ ...args, cursor }, [
      exchange(`${QUERY}&limit=100&start=${PAGE_ONE_NEXT}`, PAGE_TWO, ""),
    ]);
    expect(last.events.map((e) => e.id)).toEqual(PAGE_TWO.map((e) => e.id));
    expect(last.next_cursor).toBeNull();
  });

  it("shows summaries without the bulky parts, so a whole page fits", async () => {
    const page = await call({ room_id: ROOM, type: ["client.disconnected"], limit: 100 }, [
      exchange(`${QUERY}&limit=100`, PAGE_ONE, PAGE_ONE_NEXT),
    ]);
    expect(page.events).toHaveLength(100);
    expect(JSON.stringify(page)).not.toContain("xxxxxxxx");
    expect(page.next_cursor).toEqual(expect.any(String));
  });
});
