/**
 * What the server knows happened in a room: one vendor webhook, verified and decoded by its provider
 * (src/providers/<id>/webhook.ts) into the same flat shape for every vendor, so the event store, the filters
 * and the tools need not know whose event it is.
 */
import type { ProviderId } from "../providers/provider.js";

/** Facts a provider lifts out of its payload, for filters and for the compact view. */
export type EventFacts = Readonly<Record<string, string | number | boolean>>;

export interface RoomEvent {
  /** The vendor's event id: a retried delivery carries the same id and is stored once. */
  readonly id: string;
  readonly provider: ProviderId;
  /** The vendor's own event type (`participant_joined`, `peer.join.success`). */
  readonly type: string;
  /** When the vendor says it happened (ISO 8601). */
  readonly occurred_at: string;
  /** When this server accepted it (ISO 8601). */
  readonly received_at: string;
  readonly room_name?: string;
  /** The vendor's room id (LiveKit: the room sid; 100ms: the room id). */
  readonly room_id?: string;
  readonly session_id?: string;
  /** Who it is about: LiveKit identity; 100ms user_id. */
  readonly identity?: string;
  /** The person's display name. */
  readonly name?: string;
  /** 100ms peer id; LiveKit participant sid. */
  readonly participant_id?: string;
  /** Further facts of this event type (track sid, egress status, recording path, failure reason). */
  readonly facts: EventFacts;
  /** The decoded payload: LiveKit's WebhookEvent as proto JSON, 100ms's `data`. */
  readonly data: Readonly<Record<string, unknown>>;
}

/** An event as the store holds it: with its position, which orders every event of the store. */
export interface StoredEvent extends RoomEvent {
  readonly position: Position;
}

/**
 * A place in the store's order, `<milliseconds>-<sequence>` (Redis stream ids have this form; the in-memory
 * store makes the same kind). Positions only grow.
 */
export type Position = string;

export const START: Position = "0-0";

export function comparePositions(a: Position, b: Position): number {
  const [am = 0, as = 0] = a.split("-").map(Number);
  const [bm = 0, bs = 0] = b.split("-").map(Number);
  return am === bm ? as - bs : am - bm;
}

/** The first position at or after a time: events received then or later come after it. */
export function positionAt(time: Date): Position {
  return `${Math.max(0, time.getTime() - 1)}-${Number.MAX_SAFE_INTEGER}`;
}

export function isPosition(value: string): boolean {
  return /^\d{1,16}-\d{1,16}$/.test(value);
}

/** What list_events and wait_for_event select on; every field given must match. */
export interface EventFilter {
  readonly provider: ProviderId;
  readonly types?: readonly string[];
  /** A room name or id (either matches). */
  readonly room?: string;
  /** A LiveKit identity or 100ms user_id. */
  readonly identity?: string;
  /** A LiveKit participant sid or 100ms peer id. */
  readonly participant_id?: string;
  readonly session_id?: string;
  /** Facts that must have these values (e.g. `egress_id`). */
  readonly facts?: Readonly<Record<string, string>>;
  /** The operator's room scope: events of rooms it does not allow are never shown. */
  readonly roomAllowed?: (name: string) => boolean;
}

export function matchesFilter(filter: EventFilter, event: RoomEvent): boolean {
  if (event.provider !== filter.provider) {
    return false;
  }
  if (filter.types !== undefined && filter.types.length > 0 && !filter.types.includes(event.type)) {
    return false;
  }
  if (filter.room !== undefined && filter.room !== event.room_name && filter.room !== event.room_id) {
    return false;
  }
  if (filter.identity !== undefined && filter.identity !== event.identity) {
    return false;
  }
  if (filter.participant_id !== undefined && filter.participant_id !== event.participant_id) {
    return false;
  }
  for (const [name, value] of Object.entries(filter.facts ?? {})) {
    if (String(event.facts[name]) !== value) {
      return false;
    }
  }
  if (filter.session_id !== undefined && filter.session_id !== event.session_id) {
    return false;
  }
  return inRoomScope(event, filter.roomAllowed);
}

/** Whether the operator's room scope (none: every room) allows the event's room, by name or by id. */
export function inRoomScope(event: RoomEvent, roomAllowed: ((name: string) => boolean) | undefined): boolean {
  return (
    roomAllowed === undefined ||
    (event.room_name !== undefined && roomAllowed(event.room_name)) ||
    (event.room_id !== undefined && roomAllowed(event.room_id))
  );
}

/** What the tools and resources show of an event: the summary, or with detail "full" its payload too. */
export function eventView(
  event: StoredEvent,
  detail: "summary" | "full" = "summary",
): Record<string, unknown> {
  const { position: _, data, received_at, provider: __, ...summary } = event;
  return detail === "full" ? { ...summary, received_at, data } : summary;
}

/**
 * The event a polled wait answers with: the awaited state seen now by asking the API (so it happened at
 * or before now), marked `observed_by: polling`; `fields` says what was seen.
 */
export function polledEvent(filter: EventFilter, type: string, fields: Partial<RoomEvent>): RoomEvent {
  const now = new Date().toISOString();
  return {
    id: `polled:${type}:${filter.room ?? ""}:${filter.identity ?? filter.participant_id ?? ""}:${now}`,
    provider: filter.provider,
    type,
    occurred_at: now,
    received_at: now,
    facts: { observed_by: "polling" },
    data: {},
    ...fields,
  };
}
