/**
 * 100ms list tools as pages with opaque cursors (pages.ts, cursor.ts), whatever the API does underneath:
 *
 * - `apiPagedTool`: lists the API pages itself (`limit` + `start`, answering `last`). The cursor wraps the
 *   API's position. When the tool shows fewer items than the API answered (a `limit` below the API's
 *   minimum of 10, or the result budget), it continues after the last item shown: 100ms's `start` is the
 *   id of the last item seen, so any item's id is a position.
 * - `wholeListTool`: the API answers everything at once (a live session's peers): the tool pages over the
 *   answer ordered by id, like LiveKit's lists.
 * - `tokenPagedTool`: the API pages with a token of its own that no item yields (analytics events' `next`):
 *   the cursor wraps that token and how much of its page was shown.
 *
 * All three build on operationTool (the operation's arguments, hints and error scrubbing), replacing `start`
 * with `cursor` and the output schema with the page's.
 */
import { ArgumentError } from "../../errors.js";
import { type HmsOperationId, hmsOperations } from "../../generated/hms/operations.js";
import type { HmsClient } from "../../providers/hms/client.js";
import { jsonBytes, maxResultBytes } from "../budget.js";
import { encodeCursor } from "../cursor.js";
import type { JsonSchema, Tool, ToolArguments } from "../define.js";
import {
  byKey,
  cutPage,
  type Detail,
  detailOf,
  firstAfter,
  limitOf,
  PAGE_PROPERTIES,
  type PageLimits,
  pageArguments,
  resumeListing,
} from "../pages.js";
import { checkRelations } from "../relations.js";
import { type OperationToolSpec, operationTool } from "./operation-tool.js";

type Item = Record<string, unknown>;
type Run = (client: HmsClient, args: ToolArguments, signal: AbortSignal) => Promise<Record<string, unknown>>;

/** How items are shown: the summary by default, the whole item with `detail: "full"`. */
export interface ItemView {
  readonly schema: JsonSchema;
  readonly summary: (item: Item) => Item;
}

/** The API pages with limit 10 to 100; a smaller page is cut from a page of 10. */
const API_MIN_LIMIT = 10;

/** API pages: its default size, and its maximum. */
export const API_PAGE_LIMITS: PageLimits = { defaultLimit: 10, maxLimit: 100 };

export interface ApiPagedSpec<Id extends HmsOperationId>
  extends Omit<OperationToolSpec<Id>, "run" | "outputProperties"> {
  readonly noun: string;
  readonly view: ItemView;
  /** One API page for these arguments (the operation itself, or a workflow such as a name lookup first). */
  readonly fetch: (
    client: HmsClient,
    args: ToolArguments,
    signal: AbortSignal,
  ) => Promise<{ readonly data?: readonly Item[] | null; readonly last?: string | null }>;
}

export function apiPagedTool<Id extends HmsOperationId>(spec: ApiPagedSpec<Id>): Tool<HmsClient> {
  const toolId = `hms/${spec.name}`;
  const run: Run = async (client, args, signal) => {
    const { state, query } = resumeListing(args, toolId);
    const limit = limitOf(args, API_PAGE_LIMITS);
    const apiLimit = Math.max(limit, API_MIN_LIMIT);
    const answer = await spec.fetch(
      client,
      {
        ...query,
        // Sent when the caller chose a page size; else the API's default (10) applies, as this tool's.
        ...(args.limit === undefined ? {} : { limit: apiLimit }),
        ...(state === undefined ? {} : { start: state.after }),
      },
      signal,
    );
    const items = answer.data ?? [];
    const detail = detailOf(args);
    const page = cutPage(items, {
      from: 0,
      limit,
      maxBytes: maxResultBytes(),
      envelopeBytes: 600 + jsonBytes(query) * 2,
      noun: spec.noun,
      detail,
      view: (item) => viewOf(spec.view, item, detail),
    });
    // Shown fewer than answered: continue after the last shown. Else the API's own position, if more remain.
    const after =
      page.remaining > 0
        ? String(page.last?.id ?? "")
        : typeof answer.last === "string" && answer.last !== "" && items.length >= apiLimit
          ? answer.last
          : undefined;
    return {
      data: page.views,
      next_cursor: after === undefined || after === "" ? null : encodeCursor({ tool: toolId, query, after }),
      ...(page.note === undefined ? {} : { truncated: page.note }),
    };
  };
  return paged(spec, API_PAGE_LIMITS, run, {
    type: "object",
    properties: { data: { type: "array", items: spec.view.schema }, ...PAGE_PROPERTIES },
    required: ["data", "next_cursor"],
  });
}

export interface WholeListSpec<Id extends HmsOperationId> extends Omit<OperationToolSpec<Id>, "run"> {
  readonly noun: string;
  readonly limits: PageLimits;
  readonly view: ItemView;
  /** The result property holding the items, keyed by id (`peers`). */
  readonly property: string;
  /** The whole list, and what the result says besides it (the room and session it belongs to). */
  readonly fetch: (
    client: HmsClient,
    args: ToolArguments,
    signal: AbortSignal,
  ) => Promise<{ readonly items: Readonly<Record<string, Item>>; readonly context: Record<string, unknown> }>;
  /** Small counts over the whole list. */
  readonly counts: {
    readonly schema: JsonSchema;
    readonly of: (items: readonly Item[]) => Record<string, unknown>;
  };
}

export function wholeListTool<Id extends HmsOperationId>(spec: WholeListSpec<Id>): Tool<HmsClient> {
  const toolId = `hms/${spec.name}`;
  const run: Run = async (client, args, signal) => {
    const { state, query } = resumeListing(args, toolId);
    const { items, context } = await spec.fetch(client, query, signal);
    const entries = Object.entries(items).sort(byKey(([id]) => id));
    const detail = detailOf(args);
    const envelope = {
      ...context,
      [spec.property]: {},
      total: entries.length,
      counts: spec.counts.of(entries.map(([, item]) => item)),
      next_cursor: null as string | null,
    };
    const page = cutPage(entries, {
      from: firstAfter(entries, ([id]) => id, state?.after),
      limit: limitOf(args, spec.limits),
      maxBytes: maxResultBytes(),
      envelopeBytes: jsonBytes(envelope) + 400 + jsonBytes(query) * 2,
      noun: spec.noun,
      detail,
      view: ([id, item]) => [id, viewOf(spec.view, item, detail)] as const,
      entryBytes: (_, [id, viewed]) => jsonBytes(id) + jsonBytes(viewed) + 2,
    });
    if (page.remaining > 0 && page.last !== undefined) {
      envelope.next_cursor = encodeCursor({ tool: toolId, query, after: page.last[0] });
    }
    return {
      ...envelope,
      [spec.property]: Object.fromEntries(page.views),
      ...(page.note === undefined ? {} : { truncated: page.note }),
    };
  };
  const { outputProperties = {} } = spec;
  return paged(spec, spec.limits, run, {
    type: "object",
    properties: {
      ...outputProperties,
      [spec.property]: { type: "object", additionalProperties: spec.view.schema },
      total: { type: "integer" },
      counts: spec.counts.schema,
      ...PAGE_PROPERTIES,
    },
    required: [spec.property, "total", "counts", "next_cursor"],
  });
}

export interface TokenPagedSpec<Id extends HmsOperationId>
  extends Omit<OperationToolSpec<Id>, "run" | "outputProperties"> {
  readonly noun: string;
  readonly limits: PageLimits;
  /** The result property holding the items (`events`). */
  readonly property: string;
  readonly view: ItemView;
  /** One API page: its items, the API's token for the next page, and its total over every page. */
  readonly fetch: (
    client: HmsClient,
    args: ToolArguments,
    signal: AbortSignal,
  ) => Promise<{
    readonly items?: readonly Item[] | null;
    readonly next?: string | null;
    readonly total?: number;
  }>;
}

/** Where a token-paged listing stands: the API page (its `start` token and size) and how much of it was shown. */
interface TokenPosition {
  readonly start: string | undefined;
  readonly shown: number;
  readonly apiLimit: number | undefined;
}

const FIRST_PAGE: TokenPosition = { start: undefined, shown: 0, apiLimit: undefined };

function encodePosition({ start, shown, apiLimit }: TokenPosition): string {
  return JSON.stringify([start ?? "", shown, apiLimit ?? 0]);
}

function decodePosition(after: string): TokenPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(after);
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== "string" ||
    !Number.isInteger(parsed[1]) ||
    !Number.isInteger(parsed[2]) ||
    parsed[1] < 0 ||
    parsed[2] < 0
  ) {
    throw new ArgumentError(
      "cursor",
      "this cursor is not well-formed: pass next_cursor exactly as returned, or leave cursor out to start from the first page",
    );
  }
  const [start, shown, apiLimit] = parsed as [string, number, number];
  return { start: start === "" ? undefined : start, shown, apiLimit: apiLimit > 0 ? apiLimit : undefined };
}

/**
 * `tokenPagedTool`: the API pages with an opaque token of its own (`start` ← `next`, analytics), which cannot
 * be made from an item. The cursor carries that token, the API page size, and how many items of that page
 * were shown: when the result budget cut a page, the next call asks for the same API page again (100ms
 * snapshots the results at the first query) and goes on after the items already shown.
 */
export function tokenPagedTool<Id extends HmsOperationId>(spec: TokenPagedSpec<Id>): Tool<HmsClient> {
  const toolId = `hms/${spec.name}`;
  const run: Run = async (client, args, signal) => {
    const { state, query } = resumeListing(args, toolId);
    const position = state === undefined ? FIRST_PAGE : decodePosition(state.after);
    const limit = limitOf(args, spec.limits);
    // A page already partly shown is asked for again as it was; a fresh page with this call's limit.
    const apiLimit = position.shown > 0 && position.apiLimit !== undefined ? position.apiLimit : limit;
    const answer = await spec.fetch(
      client,
      { ...query, limit: apiLimit, ...(position.start === undefined ? {} : { start: position.start }) },
      signal,
    );
    const items = answer.items ?? [];
    const detail = detailOf(args);
    const page = cutPage(items, {
      from: position.shown,
      limit,
      maxBytes: maxResultBytes(),
      envelopeBytes: 600 + jsonBytes(query) * 2,
      noun: spec.noun,
      detail,
      view: (item) => viewOf(spec.view, item, detail),
    });
    const shown = position.shown + page.views.length;
    const next: TokenPosition | undefined =
      shown < items.length
        ? { start: position.start, shown, apiLimit }
        : typeof answer.next === "string" && answer.next !== ""
          ? { start: answer.next, shown: 0, apiLimit: undefined }
          : undefined;
    return {
      [spec.property]: page.views,
      ...(typeof answer.total === "number" ? { total: answer.total } : {}),
      next_cursor:
        next === undefined ? null : encodeCursor({ tool: toolId, query, after: encodePosition(next) }),
      ...(page.note === undefined ? {} : { truncated: page.note }),
    };
  };
  return paged(spec, spec.limits, run, {
    type: "object",
    properties: {
      [spec.property]: { type: "array", items: spec.view.schema },
      total: { type: "integer" },
      ...PAGE_PROPERTIES,
    },
    required: [spec.property, "next_cursor"],
  });
}

function queryOf(args: ToolArguments, name: string): Record<string, unknown> {
  return resumeListing(args, `hms/${name}`).query;
}

function viewOf(view: ItemView, item: Item, detail: Detail): Item {
  return detail === "full" ? item : view.summary(item);
}

/** operationTool with `start` replaced by the page arguments, `run`, and the page's output schema. */
function paged<Id extends HmsOperationId>(
  spec: Omit<OperationToolSpec<Id>, "run"> & { readonly noun: string },
  limits: PageLimits,
  run: Run,
  outputSchema: JsonSchema,
): Tool<HmsClient> {
  const properties = (outputSchema.properties ?? {}) as Record<string, JsonSchema>;
  const relations = spec.relations ?? [];
  // Relations hold for the listing's query, which a cursor carries: checked once the query is known.
  const checked: Run = async (client, args, signal) => {
    checkRelations(relations, queryOf(args, spec.name));
    return run(client, args, signal);
  };
  const base = operationTool({
    ...spec,
    input: {
      ...spec.input,
      // The API's own paging arguments give way to the page's (limit keeps its name, with this tool's range).
      omit: [...(spec.input?.omit ?? []), ...apiPaging(spec.operation)],
      override: { ...spec.input?.override, ...pageArguments(limits) },
    },
    // What operationTool checks results against: the page's own properties (items are the API's).
    outputProperties: properties,
    run: checked,
  });
  return { ...base, relations: [], outputSchema };
}

function apiPaging(operation: HmsOperationId): string[] {
  return hmsOperations[operation].queryParams.filter((name) => name === "start" || name === "limit");
}
