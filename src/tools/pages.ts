/**
 * Pages: what every list tool shares. Arguments `limit`, `cursor` and `detail`; results carrying
 * `next_cursor` (null on the last page) and, when the result budget ended a page early, `truncated`.
 *
 * A page is cut where the requested `limit` or the result budget (budget.ts) ends it, whichever comes
 * first, always at an item boundary, so `next_cursor` continues exactly after the last item shown. A
 * single item larger than the whole budget is still shown (cut inside by the budget guard), so paging
 * always moves on.
 */
import { jsonBytes, MAX_RESULT_BYTES_VARIABLE, NOTE_RESERVE_BYTES } from "./budget.js";
import { type CursorState, continuedQuery, decodeCursor } from "./cursor.js";
import type { JsonSchema, ToolArguments } from "./define.js";

export type Detail = "summary" | "full";

/** Arguments that shape a page but not the listing: they may change from page to page. */
export const PAGE_ARGUMENTS = ["limit", "cursor", "detail"] as const;

export interface PageLimits {
  readonly defaultLimit: number;
  readonly maxLimit: number;
}

/** The input-schema properties of the paging arguments. */
export function pageArguments({ defaultLimit, maxLimit }: PageLimits): Record<string, JsonSchema> {
  // The tool descriptions say how paging goes; the keywords say the rest.
  return {
    limit: { type: "integer", minimum: 1, maximum: maxLimit, default: defaultLimit },
    cursor: { type: "string", description: "next_cursor of the previous page." },
    detail: { type: "string", enum: ["summary", "full"], default: "summary" },
  };
}

/** The output-schema properties every page carries besides its items. */
export const PAGE_PROPERTIES: Readonly<Record<string, JsonSchema>> = {
  next_cursor: { type: ["string", "null"] },
  truncated: { type: "string" },
};

export function detailOf(args: ToolArguments): Detail {
  return args.detail === "full" ? "full" : "summary";
}

export function limitOf(args: ToolArguments, { defaultLimit, maxLimit }: PageLimits): number {
  return typeof args.limit === "number"
    ? Math.min(Math.max(1, Math.floor(args.limit)), maxLimit)
    : defaultLimit;
}

/** The arguments that make up the listing itself (everything but limit, cursor and detail). */
export function listingArguments(args: ToolArguments): Record<string, unknown> {
  const { limit: _limit, cursor: _cursor, detail: _detail, ...rest } = args;
  return rest;
}

/**
 * The listing a call runs: its own arguments, or, with a cursor, the cursor's listing with the arguments
 * given checked against it (`state`: the cursor, when there is one).
 */
export function resumeListing(
  args: ToolArguments,
  toolId: string,
): { readonly state: CursorState | undefined; readonly query: Record<string, unknown> } {
  const state = typeof args.cursor === "string" ? decodeCursor(args.cursor, toolId) : undefined;
  const given = listingArguments(args);
  return { state, query: state === undefined ? given : continuedQuery(state, given) };
}

export interface PageCut<T, V> {
  /** The items shown, viewed, in order. */
  readonly views: V[];
  /** The last item shown, where the next page continues after. */
  readonly last: T | undefined;
  /** Items of the listing after the page (0: this was the last page). */
  readonly remaining: number;
  /** Set when the budget ended the page before `limit`: the note for `truncated`. */
  readonly note: string | undefined;
}

/**
 * The page of `items` (already filtered and ordered) starting at `from`: at most `limit` items, and no
 * more than fit the budget next to an envelope of `envelopeBytes`. `entryBytes` is what one viewed item
 * adds to the text (its JSON, a separator, and its key in a map).
 */
export function cutPage<T, V>(
  items: readonly T[],
  options: {
    readonly from: number;
    readonly limit: number;
    readonly maxBytes: number;
    readonly envelopeBytes: number;
    readonly noun: string;
    /** Whole items take more room: the note then says summaries fit more. */
    readonly detail?: Detail;
    readonly view: (item: T) => V;
    readonly entryBytes?: (item: T, view: V) => number;
  },
): PageCut<T, V> {
  const { from, limit, maxBytes, envelopeBytes, noun, view } = options;
  const entryBytes = options.entryBytes ?? ((_: T, viewed: V) => jsonBytes(viewed) + 1);
  const room = maxBytes - envelopeBytes - NOTE_RESERVE_BYTES;
  const views: V[] = [];
  let used = 0;
  let index = from;
  for (; index < items.length && views.length < limit; index++) {
    const item = items[index] as T;
    const viewed = view(item);
    const bytes = entryBytes(item, viewed);
    // The first item always goes in: the budget guard cuts inside it rather than stall the listing.
    if (views.length > 0 && used + bytes > room) {
      break;
    }
    views.push(viewed);
    used += bytes;
  }
  const remaining = items.length - index;
  const shortBy = Math.min(limit, items.length - from) - views.length;
  const note =
    shortBy > 0
      ? `${views.length} ${noun} shown instead of ${views.length + shortBy}, to keep the result under ` +
        `${MAX_RESULT_BYTES_VARIABLE} (${maxBytes} bytes): next_cursor continues with the rest` +
        (options.detail === "full" ? ' (detail: "summary" fits more on a page).' : ".")
      : undefined;
  return { views, last: index > from ? items[index - 1] : undefined, remaining, note };
}

/** The index of the first item whose key sorts after `after` (items ordered by `keyOf`, ascending). */
export function firstAfter<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  after: string | undefined,
): number {
  if (after === undefined) {
    return 0;
  }
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keyOf(items[middle] as T) <= after) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

/** Orders items by a string key in code-unit order: the order `firstAfter` seeks in. */
export function byKey<T>(keyOf: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const x = keyOf(a);
    const y = keyOf(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}
