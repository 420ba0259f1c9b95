/**
 * Reading the event store the way the tools need it: a bounded page of matching events after a position,
 * and a wait for the first matching event after a position (history first, then what arrives), bounded in
 * time and cancellable.
 */
import {
  comparePositions,
  type EventFilter,
  matchesFilter,
  type Position,
  type StoredEvent,
} from "./event.js";
import type { EventStore } from "./store.js";

/** Events read from the store per round trip while scanning. */
const SCAN_BATCH = 500;

export interface EventPage {
  readonly events: StoredEvent[];
  /** Where the scan stopped: continue from here (also when nothing matched, to see only newer events). */
  readonly next: Position;
  /** Whether the store holds events after `next` that this call did not look at. */
  readonly more: boolean;
}

/**
 * Up to `limit` matching events after `after`, oldest first, looking at no more than `scanLimit` events (so
 * one call stays cheap however long the log is).
 */
export async function listEvents(
  store: EventStore,
  filter: EventFilter,
  options: { readonly after: Position; readonly limit: number; readonly scanLimit?: number },
): Promise<EventPage> {
  const scanLimit = options.scanLimit ?? 20_000;
  const events: StoredEvent[] = [];
  let next = options.after;
  let scanned = 0;
  while (scanned < scanLimit) {
    const batch = await store.read(next, Math.min(SCAN_BATCH, scanLimit - scanned));
    for (const event of batch) {
      next = event.position;
      scanned++;
      if (matchesFilter(filter, event)) {
        events.push(event);
        if (events.length === options.limit) {
          return { events, next, more: (await store.read(next, 1)).length > 0 };
        }
      }
    }
    if (batch.length < SCAN_BATCH) {
      return { events, next, more: false };
    }
  }
  return { events, next, more: (await store.read(next, 1)).length > 0 };
}

export type WaitOutcome =
  | { readonly kind: "arrived"; readonly event: StoredEvent }
  | { readonly kind: "timed_out"; readonly next: Position };

/**
 * The first matching event after `after`: one already stored, or the first to arrive (on any replica sharing
 * the store) before `timeoutMs`. `onTick` is called every `tickMs` while waiting (progress notifications).
 */
export async function waitForEvent(
  store: EventStore,
  filter: EventFilter,
  options: {
    readonly after: Position;
    readonly timeoutMs: number;
    readonly signal: AbortSignal;
    readonly tickMs?: number;
    readonly onTick?: (elapsedMs: number) => void;
  },
): Promise<WaitOutcome> {
  let arrive: (event: StoredEvent) => void = () => undefined;
  const arrived = new Promise<StoredEvent>((resolve) => {
    arrive = resolve;
  });
  // What the subscription saw before the wait ended: a timed-out wait continues after it, never past an
  // event that arrived once the answer was decided.
  let seen = options.after;
  let decided = false;
  const unsubscribe = await store.subscribe((event) => {
    if (decided || comparePositions(event.position, options.after) <= 0) {
      return;
    }
    if (matchesFilter(filter, event)) {
      decided = true;
      arrive(event);
    } else if (comparePositions(event.position, seen) > 0) {
      seen = event.position;
    }
  });
  const started = Date.now();
  const timers: NodeJS.Timeout[] = [];
  let onAbort: (() => void) | undefined;
  try {
    // Subscribed first, then the history: an event stored between the two is seen by one or both.
    const history = await listEvents(store, filter, {
      after: options.after,
      limit: 1,
      scanLimit: Number.POSITIVE_INFINITY,
    });
    const first = history.events[0];
    if (first !== undefined) {
      return { kind: "arrived", event: first };
    }
    const ended = new Promise<"timeout" | "aborted">((resolve) => {
      timers.push(
        setTimeout(
          () => {
            decided = true;
            resolve("timeout");
          },
          Math.max(0, options.timeoutMs),
        ),
      );
      onAbort = () => {
        decided = true;
        resolve("aborted");
      };
      if (options.signal.aborted) {
        resolve("aborted");
      }
      options.signal.addEventListener("abort", onAbort, { once: true });
    });
    if (options.onTick !== undefined && options.tickMs !== undefined) {
      const tick = options.onTick;
      timers.push(setInterval(() => tick(Date.now() - started), options.tickMs));
    }
    const outcome = await Promise.race([arrived, ended]);
    if (typeof outcome !== "string") {
      return { kind: "arrived", event: outcome };
    }
    if (outcome === "aborted") {
      throw options.signal.reason ?? new Error("the wait was cancelled");
    }
    return { kind: "timed_out", next: comparePositions(seen, history.next) > 0 ? seen : history.next };
  } finally {
    unsubscribe();
    for (const timer of timers) {
      clearTimeout(timer);
      clearInterval(timer);
    }
    if (onAbort !== undefined) {
      options.signal.removeEventListener("abort", onAbort);
    }
  }
}
