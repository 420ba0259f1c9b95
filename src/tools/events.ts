/**
 * list_events and wait_for_event, the same two tools for every provider: built from the provider's event
 * description (types, filter arguments in the contract's own names, polls), reading the event store the
 * running server hands them in the call context (src/events/access.ts).
 */

import { parseDuration } from "../duration.js";
import { ArgumentError, NotConfiguredError } from "../errors.js";
import type { EventAccess } from "../events/access.js";
import {
  type EventFilter,
  eventView,
  isPosition,
  type Position,
  positionAt,
  type RoomEvent,
} from "../events/event.js";
import { listEvents, waitForEvent } from "../events/query.js";
import type { EventFilterArgument, EventPoll, ProviderEvents, ProviderId } from "../providers/provider.js";
import { maxResultBytes } from "./budget.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import {
  ANNOTATIONS,
  type CallContext,
  type JsonSchema,
  type Tool,
  type ToolArguments,
  type ToolTargets,
} from "./define.js";
import { cutPage, detailOf, limitOf, PAGE_PROPERTIES, pageArguments } from "./pages.js";

export const LIST_EVENTS_OPERATION = "local/ListEvents";
export const WAIT_FOR_EVENT_OPERATION = "local/WaitForEvent";

const PAGE = { defaultLimit: 20, maxLimit: 100 } as const;
/** Waits are bounded: most clients give a call 60 s, some allow more after progress notifications. */
const DEFAULT_WAIT_SECONDS = 30;
const MAX_WAIT_SECONDS = 300;
const DEFAULT_LOOKBACK_SECONDS = 15 * 60;
const PROGRESS_EVERY_MS = 5_000;

const FACTS_SCHEMA: JsonSchema = {
  type: "object",
  additionalProperties: { type: ["string", "number", "boolean"] },
};

const EVENT_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    type: { type: "string" },
    occurred_at: { type: "string" },
    received_at: { type: "string" },
    room_name: { type: "string" },
    room_id: { type: "string" },
    session_id: { type: "string" },
    identity: { type: "string" },
    name: { type: "string" },
    participant_id: { type: "string" },
    facts: FACTS_SCHEMA,
    data: { type: "object" },
  },
  required: ["id", "type", "occurred_at", "facts"],
};

const SOURCE_SCHEMA: JsonSchema = { type: "string", enum: ["webhooks", "polling"] };

interface EventToolNames {
  readonly provider: ProviderId;
  readonly displayName: string;
}

/** The two tools for one provider, with their targets (room scope, audit) keyed by name. */
export function eventTools<Client>(
  who: EventToolNames,
  events: ProviderEvents<unknown, Client>,
): { tools: Tool<Client>[]; targets: Record<string, ToolTargets> } {
  const filterProperties = Object.fromEntries(
    events.filters.map((f) => [f.name, { type: "string", minLength: 1, description: f.description }]),
  );
  const position = {
    since: {
      type: "string",
      description: "Events received since: an ISO 8601 time, or a duration back from now (`90s`, `10m`).",
    },
  };
  // A few of the vendor's type names show how they are spelt; all of them would lengthen tools/list.
  const typesList = `${events.types.slice(0, 4).join(", ")}, …`;
  const pollable = Object.entries(events.polls)
    .map(
      ([type, poll]) =>
        `${type} (${poll.needs.map((n) => (typeof n === "string" ? n : n.join(" or "))).join(", ")})`,
    )
    .join("; ");
  const roomArgument = events.filters.find((f) => f.names !== undefined);
  const targets: ToolTargets = {
    ...(roomArgument?.names === undefined ? {} : { [roomArgument.names]: [roomArgument.name] }),
    // The tools apply the room scope to every event themselves (context.roomAllowed), so they are served
    // under --rooms without a room argument.
    listsRooms: { property: "events", name: "room_name", id: "room_id" },
  };

  const list: Tool<Client> = {
    name: "list_events",
    title: `List ${who.displayName} events`,
    description:
      `Lists what happened in ${who.displayName} rooms (from its webhooks), oldest first; by default the last 15 ` +
      "minutes. next_cursor continues after the last event looked at: passed later, it returns only newer events " +
      "(has_more: more are there now).",
    annotations: ANNOTATIONS.read,
    operation: LIST_EVENTS_OPERATION,
    relations: [],
    inputSchema: {
      type: "object",
      properties: {
        types: {
          type: "array",
          items: { type: "string", minLength: 1 },
          description: `Event types (${typesList}); any when left out.`,
        },
        ...filterProperties,
        ...position,
        ...pageArguments(PAGE),
      },
      additionalProperties: false,
    },
    outputSchema: {
      type: "object",
      properties: {
        events: { type: "array", items: EVENT_SCHEMA },
        has_more: { type: "boolean" },
        store: { type: "string", enum: ["memory", "redis"] },
        ...PAGE_PROPERTIES,
      },
      required: ["events", "has_more", "next_cursor"],
    },
    async call(_client, args, _signal, context) {
      const access = receivingAccess(who, events, context);
      const filter = filterOf(who.provider, events.filters, args, context);
      const after = await startOf(who.provider, args, access.store, "lookback");
      const limit = limitOf(args, PAGE);
      const page = await listEvents(access.store, filter, { after, limit });
      const detail = detailOf(args);
      const budget = maxResultBytes();
      const cut = cutPage(page.events, {
        from: 0,
        limit,
        maxBytes: budget,
        envelopeBytes: 200,
        noun: "events",
        detail,
        view: (event) => eventView(event, detail),
      });
      const shownAll = cut.views.length === page.events.length;
      const next = shownAll ? page.next : (cut.last?.position ?? after);
      return {
        events: cut.views,
        has_more: page.more || !shownAll,
        store: access.store.kind,
        next_cursor: cursorOf(who.provider, next),
        ...(cut.note === undefined ? {} : { truncated: cut.note }),
      };
    },
  };

  const wait: Tool<Client> = {
    name: "wait_for_event",
    title: `Wait for a ${who.displayName} event`,
    description:
      `Waits for an event in ${who.displayName} (a guest joins, a recording ends) and returns it, or says it timed out; ` +
      "calling again with the returned cursor misses nothing. An event received since cursor or since counts. Without " +
      `webhooks it polls the API, for one type of: ${pollable}. Many clients end a call after 60 s: wait in steps.`,
    annotations: ANNOTATIONS.read,
    operation: WAIT_FOR_EVENT_OPERATION,
    relations: [],
    inputSchema: {
      type: "object",
      properties: {
        types: {
          type: "array",
          items: { type: "string", minLength: 1 },
          minItems: 1,
          description: `Event types (${typesList}).`,
        },
        ...filterProperties,
        ...position,
        cursor: { type: "string", description: "From list_events or wait_for_event: events after it." },
        timeout_seconds: {
          type: "integer",
          minimum: 1,
          maximum: MAX_WAIT_SECONDS,
          default: DEFAULT_WAIT_SECONDS,
        },
        detail: { type: "string", enum: ["summary", "full"], default: "summary" },
      },
      required: ["types"],
      additionalProperties: false,
    },
    outputSchema: {
      type: "object",
      properties: {
        status: { type: "string", enum: ["arrived", "timed_out"] },
        event: EVENT_SCHEMA,
        source: SOURCE_SCHEMA,
        waited_seconds: { type: "number" },
        cursor: { type: "string" },
        polled: { type: "string" },
      },
      required: ["status", "source", "waited_seconds"],
    },
    async call(client, args, signal, context) {
      const started = Date.now();
      const asked =
        (typeof args.timeout_seconds === "number" ? args.timeout_seconds : DEFAULT_WAIT_SECONDS) * 1000;
      // HTTP mode ends a request at its deadline: a wait stops short of it and says it timed out.
      const timeoutMs = Math.min(asked, context?.events?.maxWaitMs ?? asked);
      const filter = filterOf(who.provider, events.filters, args, context);
      const detail = detailOf(args);
      const waited = () => Math.round((Date.now() - started) / 100) / 10;
      const progress = context?.progress;
      const onTick =
        progress === undefined
          ? undefined
          : (elapsed: number) => progress(elapsed / 1000, timeoutMs / 1000, "waiting for the event");
      const access = context?.events;
      if (access?.receiving.has(who.provider)) {
        const after = await startOf(who.provider, args, access.store, "now");
        const outcome = await waitForEvent(access.store, filter, {
          after,
          timeoutMs,
          signal,
          tickMs: PROGRESS_EVERY_MS,
          ...(onTick === undefined ? {} : { onTick }),
        });
        return outcome.kind === "arrived"
          ? {
              status: "arrived",
              event: eventView(outcome.event, detail),
              source: "webhooks",
              waited_seconds: waited(),
              cursor: cursorOf(who.provider, outcome.event.position),
            }
          : {
              status: "timed_out",
              source: "webhooks",
              waited_seconds: waited(),
              cursor: cursorOf(who.provider, outcome.next),
            };
      }
      const poll = pollFor(who, events, args);
      const interval = access?.pollIntervalMs ?? 2_000;
      const found = await pollUntil(poll, client, filter, {
        timeoutMs,
        interval,
        signal,
        ...(onTick === undefined ? {} : { onTick }),
      });
      return {
        status: found === undefined ? "timed_out" : "arrived",
        ...(found === undefined ? {} : { event: eventView({ ...found, position: "0-0" }, detail) }),
        source: "polling",
        waited_seconds: waited(),
        polled: `${poll.checks}, every ${interval / 1000} s`,
      };
    },
  };
  return { tools: [list, wait], targets: { list_events: targets, wait_for_event: targets } };
}

/** The store, when webhooks of this provider reach the server; otherwise an error saying how to set them up. */
function receivingAccess(
  who: EventToolNames,
  events: ProviderEvents<unknown, unknown>,
  context: CallContext | undefined,
): EventAccess {
  const access = context?.events;
  if (access === undefined || !access.receiving.has(who.provider)) {
    throw new NotConfiguredError(
      `no ${who.displayName} webhooks reach this server, so there are no events to list. ${events.setup} ` +
        "wait_for_event still answers some waits by polling the API.",
    );
  }
  return access;
}

function filterOf(
  provider: ProviderId,
  arguments_: readonly EventFilterArgument[],
  args: ToolArguments,
  context: CallContext | undefined,
): EventFilter {
  const filter: { -readonly [K in keyof EventFilter]: EventFilter[K] } = { provider };
  const facts: Record<string, string> = {};
  for (const argument of arguments_) {
    const value = args[argument.name];
    if (typeof value !== "string" || value === "") {
      continue;
    }
    if ("fact" in argument.selects) {
      facts[argument.selects.fact] = value;
    } else {
      filter[argument.selects.field] = value;
    }
  }
  if (Object.keys(facts).length > 0) {
    filter.facts = facts;
  }
  if (Array.isArray(args.types)) {
    filter.types = args.types.filter((t): t is string => typeof t === "string");
  }
  if (context?.roomAllowed !== undefined) {
    filter.roomAllowed = context.roomAllowed;
  }
  return filter;
}

/** Where a listing or wait starts: the cursor, else `since`, else (list) 15 minutes back or (wait) now. */
async function startOf(
  provider: ProviderId,
  args: ToolArguments,
  store: EventAccess["store"],
  otherwise: "lookback" | "now",
): Promise<Position> {
  if (typeof args.cursor === "string" && args.cursor !== "") {
    if (args.since !== undefined) {
      throw new ArgumentError(
        "since",
        "give cursor or since, not both: the cursor already says where to start",
      );
    }
    const { after } = decodeCursor(args.cursor, `${provider}/events`);
    if (!isPosition(after)) {
      throw new ArgumentError("cursor", "this cursor is not well-formed: leave it out to start from now");
    }
    return after;
  }
  if (typeof args.since === "string") {
    return positionAt(timeOf(args.since));
  }
  return otherwise === "now"
    ? store.latest()
    : positionAt(new Date(Date.now() - DEFAULT_LOOKBACK_SECONDS * 1000));
}

function timeOf(since: string): Date {
  const seconds = parseDuration(since);
  if (seconds !== undefined) {
    return new Date(Date.now() - seconds * 1000);
  }
  const time = Date.parse(since);
  if (Number.isNaN(time)) {
    throw new ArgumentError(
      "since",
      `${JSON.stringify(since)} is neither an ISO 8601 time nor a duration like 10m`,
    );
  }
  return new Date(time);
}

function cursorOf(provider: ProviderId, position: Position): string {
  return encodeCursor({ tool: `${provider}/events`, query: {}, after: position });
}

function pollFor<Client>(
  who: EventToolNames,
  events: ProviderEvents<unknown, Client>,
  args: ToolArguments,
): EventPoll<Client> {
  const types = Array.isArray(args.types) ? (args.types as string[]) : [];
  const pollable = Object.keys(events.polls);
  const [type] = types;
  const poll = types.length === 1 && type !== undefined ? events.polls[type] : undefined;
  if (poll === undefined) {
    throw new ArgumentError(
      "types",
      `no ${who.displayName} webhooks reach this server, and without them only one of ${pollable.join(", ")} can be ` +
        `awaited (by polling the API). ${events.setup}`,
    );
  }
  for (const need of poll.needs) {
    const alternatives = typeof need === "string" ? [need] : need;
    if (!alternatives.some((name) => typeof args[name] === "string" && args[name] !== "")) {
      throw new ArgumentError(
        alternatives[0] as string,
        `waiting for ${type} by polling needs ${alternatives.join(" or ")}`,
      );
    }
  }
  return poll;
}

async function pollUntil<Client>(
  poll: EventPoll<Client>,
  client: Client,
  filter: EventFilter,
  options: { timeoutMs: number; interval: number; signal: AbortSignal; onTick?: (elapsed: number) => void },
): Promise<RoomEvent | undefined> {
  const started = Date.now();
  for (;;) {
    const found = await poll.check(client, filter, options.signal);
    if (found !== undefined) {
      return found;
    }
    const elapsed = Date.now() - started;
    const remaining = options.timeoutMs - elapsed;
    if (remaining <= 0) {
      return undefined;
    }
    options.onTick?.(elapsed);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, Math.min(options.interval, remaining));
      options.signal.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          reject(options.signal.reason ?? new Error("the wait was cancelled"));
        },
        { once: true },
      );
    });
  }
}
