/**
 * The embedded event store: a bounded log in this process. Events do not survive a restart and are not
 * seen by other replicas; set REDIS_URL for both (redis-store.ts).
 */
import { comparePositions, type Position, type RoomEvent, START, type StoredEvent } from "./event.js";
import { DEFAULT_RETENTION, type EventStore, type Retention } from "./store.js";

export function memoryEventStore(
  retention: Retention = DEFAULT_RETENTION,
  now = () => Date.now(),
): EventStore {
  const log: StoredEvent[] = [];
  /** `<provider>:<id>` → when it may be forgotten (ms). */
  const seen = new Map<string, number>();
  const listeners = new Set<(event: StoredEvent) => void>();
  let last = { ms: 0, seq: 0 };

  const trim = (at: number): void => {
    const oldest = at - retention.maxAgeSeconds * 1000;
    let drop = Math.max(0, log.length - retention.maxEvents);
    while (drop < log.length && Number((log[drop] as StoredEvent).position.split("-")[0]) < oldest) {
      drop++;
    }
    log.splice(0, drop);
    // Map iteration is insertion order, and expiries grow with it.
    for (const [key, expires] of seen) {
      if (expires > at) {
        break;
      }
      seen.delete(key);
    }
  };

  return {
    kind: "memory",
    async append(event: RoomEvent) {
      const at = now();
      trim(at);
      const key = `${event.provider}:${event.id}`;
      if (seen.has(key)) {
        return { stored: false };
      }
      seen.set(key, at + retention.maxAgeSeconds * 1000);
      last = at > last.ms ? { ms: at, seq: 0 } : { ms: last.ms, seq: last.seq + 1 };
      const stored: StoredEvent = { ...event, position: `${last.ms}-${last.seq}` };
      log.push(stored);
      for (const listener of listeners) {
        listener(stored);
      }
      return { stored: true };
    },
    async read(after: Position, limit: number) {
      trim(now());
      // The log is ordered: find the first event after `after` by bisection.
      let lo = 0;
      let hi = log.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (comparePositions((log[mid] as StoredEvent).position, after) <= 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return log.slice(lo, lo + limit);
    },
    async newest(count: number) {
      trim(now());
      return count <= 0 ? [] : log.slice(-count);
    },
    async latest() {
      return log.at(-1)?.position ?? START;
    },
    async subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}
