/**
 * Both event stores, through the one interface: at-most-once storage per event id, order, reads after a
 * position, retention by count and age, subscriptions; and for Redis, two stores (two replicas) on one
 * real redis-server seeing each other's events.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { comparePositions, type RoomEvent, START, type StoredEvent } from "../../src/events/event.js";
import { memoryEventStore } from "../../src/events/memory-store.js";
import { redisEventStore } from "../../src/events/redis-store.js";
import type { EventStore, Retention } from "../../src/events/store.js";
import { type RedisServer, startRedis } from "../harness/redis.js";

const event = (id: string, room = "design-review-42"): RoomEvent => ({
  id,
  provider: "livekit",
  type: "participant_joined",
  occurred_at: "2026-11-30T17:00:00.000Z",
  received_at: "2026-11-30T17:00:00.100Z",
  room_name: room,
  identity: `user-${id}`,
  facts: {},
  data: { id },
});

let redis: RedisServer;
let prefixes = 0;
beforeAll(async () => {
  redis = await startRedis();
}, 20_000);
afterAll(async () => {
  await redis?.stop();
});

const engines: [string, (retention?: Retention) => Promise<EventStore>][] = [
  ["memory", async (retention) => memoryEventStore(retention)],
  // Each store gets its own key prefix: the tests share one redis-server.
  [
    "redis",
    (retention) =>
      redisEventStore({ url: redis.url, prefix: `t${++prefixes}`, ...(retention ? { retention } : {}) }),
  ],
];

describe.each(engines)("%s event store", (_, open) => {
  it("stores an event id once, keeps order, and reads after a position", async () => {
    const store = await open();
    try {
      expect(await store.append(event("a"))).toEqual({ stored: true });
      expect(await store.append(event("b"))).toEqual({ stored: true });
      expect(await store.append(event("a"))).toEqual({ stored: false });
      // The same id from another provider is another event.
      expect(await store.append({ ...event("a"), provider: "hms" })).toEqual({ stored: true });
      const all = await store.read(START, 10);
      expect(all.map((e) => `${e.provider}:${e.id}`)).toEqual(["livekit:a", "livekit:b", "hms:a"]);
      const [first, second] = all as [StoredEvent, StoredEvent];
      expect(comparePositions(first.position, second.position)).toBeLessThan(0);
      expect((await store.read(first.position, 10)).map((e) => e.id)).toEqual(["b", "a"]);
      expect(await store.latest()).toBe(all[2]?.position);
      expect(await store.read(all[2]?.position as string, 10)).toEqual([]);
      expect((await store.newest(2)).map((e) => `${e.provider}:${e.id}`)).toEqual(["livekit:b", "hms:a"]);
      expect((await store.newest(10)).map((e) => e.id)).toEqual(["a", "b", "a"]);
      expect(all[0]).toMatchObject({ ...event("a"), position: first.position });
    } finally {
      await store.close();
    }
  });

  it("keeps at most maxEvents", async () => {
    const store = await open({ maxEvents: 3, maxAgeSeconds: 3600 });
    try {
      for (const id of ["1", "2", "3", "4", "5", "6"]) {
        await store.append(event(id));
      }
      const held = await store.read(START, 100);
      // Redis trims with `~` (whole nodes), so it may keep a few more; never fewer, and the newest always.
      expect(held.length).toBeGreaterThanOrEqual(3);
      expect(held.length).toBeLessThanOrEqual(6);
      expect(held.at(-1)?.id).toBe("6");
    } finally {
      await store.close();
    }
  });

  it("tells a subscriber every event stored after it subscribed", async () => {
    const store = await open();
    try {
      await store.append(event("before"));
      const seen: string[] = [];
      const unsubscribe = await store.subscribe((e) => seen.push(e.id));
      await store.append(event("x"));
      await store.append(event("y"));
      await expect.poll(() => seen, { timeout: 5_000 }).toEqual(["x", "y"]);
      unsubscribe();
      await store.append(event("z"));
      await new Promise((r) => setTimeout(r, 200));
      expect(seen).toEqual(["x", "y"]);
    } finally {
      await store.close();
    }
  });
});

describe("memory store retention by age", () => {
  it("drops events older than maxAgeSeconds, and forgets their ids with them", async () => {
    let now = Date.parse("2026-12-01T10:00:00Z");
    const store = memoryEventStore({ maxEvents: 100, maxAgeSeconds: 60 }, () => now);
    await store.append(event("old"));
    now += 30_000;
    await store.append(event("newer"));
    now += 45_000;
    expect((await store.read(START, 10)).map((e) => e.id)).toEqual(["newer"]);
    // Past the window the id may be stored again (a vendor does not retry that late).
    expect(await store.append(event("old"))).toEqual({ stored: true });
  });
});

describe("redis store across replicas", () => {
  it("lets a store see, and be woken by, events another store appended to the same Redis", async () => {
    const prefix = `replicas${++prefixes}`;
    const a = await redisEventStore({ url: redis.url, prefix });
    const b = await redisEventStore({ url: redis.url, prefix });
    try {
      const woken: string[] = [];
      await b.subscribe((e) => woken.push(e.id));
      await a.append(event("from-a"));
      await expect.poll(() => woken, { timeout: 5_000 }).toEqual(["from-a"]);
      // A retry delivered to the other replica is the same event: stored once.
      expect(await b.append(event("from-a"))).toEqual({ stored: false });
      expect((await b.read(START, 10)).map((e) => e.id)).toEqual(["from-a"]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("keeps what was stored when the replica that stored it goes away", async () => {
    const prefix = `restart${++prefixes}`;
    const first = await redisEventStore({ url: redis.url, prefix });
    await first.append(event("acknowledged"));
    await first.close();
    const again = await redisEventStore({ url: redis.url, prefix });
    try {
      expect((await again.read(START, 10)).map((e) => e.id)).toEqual(["acknowledged"]);
    } finally {
      await again.close();
    }
  });

  it("refuses to start on a Redis it cannot reach, within a bound", async () => {
    await expect(redisEventStore({ url: "redis://127.0.0.1:1", prefix: "unreachable" })).rejects.toThrow();
  }, 15_000);
});
