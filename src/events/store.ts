/**
 * Where verified webhook events are kept: an ordered, bounded log with at-most-once storage per event id.
 * Two engines: in this process (memory-store.ts), or Redis Streams (redis-store.ts) so that every replica
 * sees every event, and a wait on one replica is woken by a webhook that reached another.
 */
import type { Position, RoomEvent, StoredEvent } from "./event.js";

export interface EventStore {
  /** `memory` or `redis`, for logs and the tools' results. */
  readonly kind: "memory" | "redis";
  /**
   * Stores the event unless one with the same provider and id was stored within the retention: a vendor
   * retrying a delivery. Resolves once the event is durable in the engine (then the vendor may be told 200).
   */
  append(event: RoomEvent): Promise<{ readonly stored: boolean }>;
  /** Up to `limit` events after `after`, oldest first. */
  read(after: Position, limit: number): Promise<StoredEvent[]>;
  /** The newest `count` events, oldest first. */
  newest(count: number): Promise<StoredEvent[]>;
  /** The position of the newest event held ({@link START} when none). */
  latest(): Promise<Position>;
  /**
   * Calls `listener` with every event stored from now on, by any replica, in order. Resolves, with the
   * unsubscribe function, once every event stored later is sure to reach the listener: a `read` issued
   * after that overlaps the subscription, so nothing falls between the two.
   */
  subscribe(listener: (event: StoredEvent) => void): Promise<() => void>;
  close(): Promise<void>;
}

/** How much the log keeps: events beyond either bound are dropped, oldest first. */
export interface Retention {
  readonly maxEvents: number;
  readonly maxAgeSeconds: number;
}

export const DEFAULT_RETENTION: Retention = { maxEvents: 10_000, maxAgeSeconds: 24 * 3600 };
