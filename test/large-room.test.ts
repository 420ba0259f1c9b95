/**
 * A 5,000-participant LiveKit room, generated at test time from a seed, through the real fixture runner
 * (scripted loopback upstream, real MCP client and server, every request checked on the wire): paging
 * visits every participant exactly once, filters select what they say, every page stays within the
 * result budget, a stale cursor is a clear error, and an agent can find someone and mute them.
 *
 * The answer leaves out default values (valid proto3 JSON, as a server may send it) to stay within the
 * LiveKit client's read limit (LIVEKIT_MAX_RESPONSE_BYTES) with room to spare; the same room with every
 * default is about 7 MB.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_RESULT_BYTES } from "../src/tools/budget.js";
import type { Fixture, FixtureExchange } from "./harness/fixtures.js";
import { livekitHarness } from "./harness/livekit-harness.js";
import { type CalledResult, callFixture } from "./harness/runner.js";

const ROOM = "town-hall";
const ROOM_SID = "RM_TownHall0001";
const SEED = 20261121;
const PARTICIPANTS = 5000;

interface Generated {
  readonly identity: string;
  readonly name: string;
  readonly kind: "STANDARD" | "AGENT" | "SIP" | "EGRESS";
  readonly state: "ACTIVE" | "JOINED";
  readonly audio: boolean;
  readonly video: boolean;
  readonly json: Record<string, unknown>;
}

/** mulberry32: a small seeded PRNG, so the room is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generateRoom(count: number, seed: number): Generated[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const firstNames = ["Maya", "Sam", "Priya", "Ken", "Tomás", "Ada", "Linus", "Grace", "Zoë", "Omar"];
  const people: Generated[] = [];
  for (let i = 0; i < count; i++) {
    const roll = next();
    const kind = roll < 0.94 ? "STANDARD" : roll < 0.97 ? "AGENT" : roll < 0.99 ? "SIP" : "EGRESS";
    const audio = kind !== "EGRESS" && next() < 0.7;
    const video = kind === "STANDARD" && next() < 0.4;
    const state = next() < 0.95 ? "ACTIVE" : "JOINED";
    // Random, not sorted: the tool must order them itself.
    const identity = `${kind.toLowerCase()}-${Math.floor(next() * 1e9).toString(36)}-${i}`;
    const name = `${pick(firstNames)} ${i}`;
    const tracks: Record<string, unknown>[] = [];
    if (audio) {
      tracks.push({
        sid: `TR_A${i}`,
        type: "AUDIO",
        name: "microphone",
        source: "MICROPHONE",
        muted: next() < 0.5,
      });
    }
    if (video) {
      tracks.push({
        sid: `TR_V${i}`,
        type: "VIDEO",
        name: "camera",
        source: "CAMERA",
        width: 1280,
        height: 720,
        simulcast: true,
      });
    }
    // Some metadata is long: summaries cut it to 100 characters.
    const metadata = next() < 0.1 ? JSON.stringify({ note: "x".repeat(400), i }) : JSON.stringify({ i });
    people.push({
      identity,
      name,
      kind,
      state,
      audio,
      video,
      json: {
        sid: `PA_${i.toString(36)}`,
        identity,
        name,
        state,
        kind,
        metadata,
        joined_at: String(1_795_351_200 + i),
        is_publisher: tracks.length > 0,
        tracks,
      },
    });
  }
  return people;
}

const people = generateRoom(PARTICIPANTS, SEED);

const listParticipants: FixtureExchange = {
  request: {
    method: "POST",
    path: "/twirp/livekit.RoomService/ListParticipants",
    body: { room: ROOM },
    grant: { roomAdmin: true, room: ROOM },
  },
  response: { status: 200, body: { participants: people.map((p) => p.json) } },
};

function listRooms(sid: string | null): FixtureExchange {
  return {
    request: {
      method: "POST",
      path: "/twirp/livekit.RoomService/ListRooms",
      body: { names: [ROOM] },
      grant: { roomList: true },
    },
    response: {
      status: 200,
      body: { rooms: sid === null ? [] : [{ sid, name: ROOM, num_participants: PARTICIPANTS }] },
    },
  };
}

interface Page {
  readonly participants: { identity: string; tracks: { sid: string; type: string }[] }[];
  readonly total: number;
  readonly matching: number;
  readonly next_cursor: string | null;
  readonly truncated?: string;
}

/**
 * One list_participants call. The room's sid is looked up when a cursor is given or made: the script
 * offers that lookup, and it must have been made exactly then.
 */
async function call(args: Record<string, unknown>, sid: string | null = ROOM_SID) {
  const fixture: Fixture = {
    description: "a page of the generated room",
    arguments: { room: ROOM, ...args },
    exchanges: [listParticipants, listRooms(sid)],
    result: { isError: false, structuredContent: {} },
  };
  const { problems, result } = await callFixture(livekitHarness, "list_participants", fixture);
  return { problems, result, text: textOf(result) };
}

function textOf(result: CalledResult): string {
  return ((result.content ?? []) as { text?: string }[])[0]?.text ?? "";
}

/** Every page of a listing, checking the wire of each call. */
async function pageThrough(args: Record<string, unknown>): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | undefined;
  do {
    const { problems, result, text } = await call({ ...args, ...(cursor === undefined ? {} : { cursor }) });
    expect(result.isError ?? false, text).toBe(false);
    const page = result.structuredContent as Page;
    // The sid lookup happens only with a cursor given or made.
    const lookedUp = cursor !== undefined || page.next_cursor !== null;
    expect(problems, JSON.stringify(problems)).toEqual(
      lookedUp ? [] : ["wire: 1 expected request(s) never arrived"],
    );
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(DEFAULT_MAX_RESULT_BYTES);
    expect(JSON.parse(text)).toEqual(page);
    pages.push(page);
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
  return pages;
}

const identities = (pages: readonly Page[]) => pages.flatMap((p) => p.participants.map((q) => q.identity));
const sorted = (values: readonly string[]) => [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

// Each call decodes the whole room (as the tool must): generous limits, no timing asserted.
describe(`a generated room of ${PARTICIPANTS} participants`, { timeout: 180_000 }, () => {
  it("pages through everyone exactly once, in identity order, within the result budget", async () => {
    const pages = await pageThrough({ limit: 200 });
    const seen = identities(pages);
    expect(seen).toHaveLength(PARTICIPANTS);
    expect(new Set(seen).size).toBe(PARTICIPANTS);
    expect(seen).toEqual(sorted(people.map((p) => p.identity)));
    expect(pages.every((p) => p.total === PARTICIPANTS && p.matching === PARTICIPANTS)).toBe(true);
    expect(pages.at(-1)?.next_cursor).toBeNull();
  });

  it("whole participants (detail full) still fit: pages shrink, say so, and continue where they stopped", async () => {
    const pages = await pageThrough({ limit: 200, detail: "full", kind: "AGENT" });
    const agents = people.filter((p) => p.kind === "AGENT").map((p) => p.identity);
    expect(identities(pages)).toEqual(sorted(agents));
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]?.truncated).toContain("next_cursor continues");
  });

  it.each([
    [
      "search (any case, identity or name)",
      { search: "MAYA 1" },
      (p: Generated) => p.name.toLowerCase().includes("maya 1"),
    ],
    ["kind", { kind: "SIP" }, (p: Generated) => p.kind === "SIP"],
    ["state", { state: "JOINED" }, (p: Generated) => p.state === "JOINED"],
    ["publishes_audio: false", { publishes_audio: false }, (p: Generated) => !p.audio],
    ["publishes_video: true", { publishes_video: true }, (p: Generated) => p.video],
    [
      "filters combined",
      { kind: "STANDARD", publishes_audio: true, publishes_video: true },
      (p: Generated) => p.kind === "STANDARD" && p.audio && p.video,
    ],
  ] as const)("filter %s selects what it says", async (_, filter, expected) => {
    const pages = await pageThrough({ ...filter, limit: 200 });
    const want = people.filter(expected).map((p) => p.identity);
    expect(want.length).toBeGreaterThan(0);
    expect(identities(pages)).toEqual(sorted(want));
    expect(pages[0]?.matching).toBe(want.length);
    expect(pages[0]?.total).toBe(PARTICIPANTS);
  });

  it("refuses a cursor whose room was closed and opened again, or is gone, naming the cursor", async () => {
    const first = await call({ limit: 10 });
    const cursor = (first.result.structuredContent as Page).next_cursor;
    expect(cursor).toEqual(expect.any(String));
    const replaced = await call({ cursor }, "RM_TownHall0002");
    expect(replaced.result.isError).toBe(true);
    expect(replaced.text).toContain('Invalid argument "cursor"');
    expect(replaced.text).toContain("closed and opened again");
    const gone = await call({ cursor }, null);
    expect(gone.result.isError).toBe(true);
    expect(gone.text).toContain("no longer open");
  });

  it("lets an agent find a talking participant and mute them", async () => {
    const found = await call({ search: "Grace", publishes_audio: true, limit: 1 });
    const target = (found.result.structuredContent as Page).participants[0];
    const audio = target?.tracks.find((t) => t.type === "AUDIO");
    expect(audio?.sid).toMatch(/^TR_A/);
    const mute: Fixture = {
      description: "mute the participant found",
      arguments: { room: ROOM, identity: target?.identity, track_sid: audio?.sid, muted: true },
      exchanges: [
        {
          request: {
            method: "POST",
            path: "/twirp/livekit.RoomService/MutePublishedTrack",
            body: { room: ROOM, identity: target?.identity, track_sid: audio?.sid, muted: true },
            grant: { roomAdmin: true, room: ROOM },
          },
          response: { status: 200, body: { track: { sid: audio?.sid, type: "AUDIO", muted: true } } },
        },
      ],
      result: { isError: false, structuredContent: {} },
    };
    const { problems, result } = await callFixture(livekitHarness, "mute_track", mute);
    expect(problems).toEqual([]);
    expect(result.isError ?? false).toBe(false);
    expect((result.structuredContent as { track: { muted: boolean } }).track.muted).toBe(true);
  });
});
