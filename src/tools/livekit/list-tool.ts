/**
 * `listTool`: a LiveKit tool that pages over a list RPC's answer. LiveKit mostly does not paginate (ListRooms,
 * ListParticipants, the SIP and agent-dispatch lists answer everything at once; Egress and Ingress may answer
 * in token pages on LiveKit Cloud, which are all read), so the tool fetches the whole answer, filters it,
 * orders it by a unique key and shows one page, with a cursor that continues after the last key shown
 * (pages.ts, cursor.ts): every list tool takes `limit` and `cursor` and returns `next_cursor`. A listing inside one room pins the room's sid in its cursor: a room closed and opened again
 * under the same name is another room, and continuing in it is refused.
 *
 * What is listed, how it is filtered, viewed and counted is a {@link Listing} (listings.ts); this module
 * only runs it.
 */
import {
  create,
  type DescMessage,
  type DescMethodUnary,
  type MessageShape,
  toJson,
} from "@bufbuild/protobuf";
import { ArgumentError, UpstreamError } from "../../errors.js";
import { TokenPaginationSchema } from "../../generated/livekit/livekit_models_pb.js";
import { ListRoomsRequestSchema, RoomService } from "../../generated/livekit/livekit_room_pb.js";
import { isRecord } from "../../json.js";
import type { LiveKitClient } from "../../providers/livekit/client.js";
import type { LiveKitErrorHints } from "../../providers/livekit/errors.js";
import { jsonSchemaOf, operationName, sensitivePathsOf } from "../../providers/livekit/services.js";
import { type GrantKind, grantFor } from "../../providers/livekit/token.js";
import { redactPaths, type ValuePath } from "../../redact.js";
import { jsonBytes, maxResultBytes } from "../budget.js";
import { encodeCursor } from "../cursor.js";
import {
  type CallContext,
  type InputShape,
  type JsonSchema,
  shapeInputSchema,
  type Tool,
  type ToolArguments,
  type ToolText,
} from "../define.js";
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
import { schemaAt } from "../views.js";
import { omitFromResult, omitFromSchema } from "./result-shape.js";
import { adviseLiveKitError, LIVEKIT_RESULT_JSON, requestFromArguments, targetRooms } from "./rpc-tool.js";

/** A filter argument: its input schema, and whether an item passes for a given value. */
export interface ListFilter<Item> {
  readonly schema: JsonSchema;
  readonly matches: (item: Item, value: unknown) => boolean;
}

/** What a list tool lists, and how: the data a {@link listTool} runs. */
export interface Listing<O extends DescMessage, Item> {
  /** The items of the RPC's answer, in any order. */
  readonly items: (response: MessageShape<O>) => readonly Item[];
  /** For a listing of rooms: each item's room name, so a room scope can leave rooms out before paging. */
  readonly roomOf?: (item: Item) => string;
  /** The message type of one item, for its JSON form. */
  readonly item: DescMessage;
  /** The result property holding the page, as the RPC's response names it (`rooms`, `participants`). */
  readonly property: string;
  /** The items in words, plural (`participants`), for argument docs and notes. */
  readonly noun: string;
  /** A unique, stable key: the page order, and where a cursor continues. */
  readonly key: (item: Item) => string;
  readonly limits: PageLimits;
  readonly filters: Readonly<Record<string, ListFilter<Item>>>;
  /**
   * The summary view of an item's JSON form, and its schema (picked from the generated one). Without one,
   * every item is shown whole (less `omit`), and the tool takes no `detail`: its items are small already.
   */
  readonly summary?: { readonly schema: JsonSchema; readonly of: (json: Record<string, unknown>) => unknown };
  /** Item fields left out of every view and of the schema (`room_composite`, `state.tracks`): result-shape paths. */
  readonly omit?: readonly string[];
  /** Small counts over everything the answer holds, and their schema. */
  readonly counts?: {
    readonly schema: JsonSchema;
    readonly of: (items: readonly Item[]) => Record<string, unknown>;
  };
  /** The request's room field: set when the listing is inside one room, whose sid its cursors pin. */
  readonly room?: string;
  /**
   * For an RPC that may answer in pages of its own (Egress and Ingress on LiveKit Cloud): the request field
   * that asks for a page, and the token of the next one in an answer (empty on the last). Every upstream page is read, so
   * the listing is whole and ordered like any other; at most {@link MAX_UPSTREAM_PAGES} are read.
   */
  readonly upstreamPages?: {
    /** The request's TokenPagination field (its local name, e.g. `pageToken`). */
    readonly requestField: string;
    readonly next: (response: MessageShape<O>) => string;
  };
}

/** How many of LiveKit's own pages one call reads at most before saying the listing is too long. */
export const MAX_UPSTREAM_PAGES = 50;

export interface ListToolSpec<I extends DescMessage, O extends DescMessage, Item> extends ToolText {
  readonly rpc: DescMethodUnary<I, O>;
  readonly grant: GrantKind;
  readonly input?: InputShape;
  readonly listing: Listing<O, Item>;
  readonly errorHints?: LiveKitErrorHints;
}

export function listTool<I extends DescMessage, O extends DescMessage, Item>(
  spec: ListToolSpec<I, O, Item>,
): Tool<LiveKitClient> {
  const { rpc, listing } = spec;
  const toolId = `livekit/${spec.name}`;
  const requestSchema = jsonSchemaOf(rpc.input);
  const requestFields = Object.keys((requestSchema.properties ?? {}) as object);
  const filterSchemas = Object.fromEntries(
    Object.entries(listing.filters).map(([name, f]) => [name, f.schema]),
  );
  const { summary, counts } = listing;
  // Whole items only (no summary): there is no other detail to ask for.
  const { detail: detailArgument, ...paging } = pageArguments(listing.limits);
  if (summary !== undefined && detailArgument !== undefined) {
    paging.detail = detailArgument;
  }
  const inputSchema = shapeInputSchema(
    requestSchema,
    { ...spec.input, override: { ...spec.input?.override, ...filterSchemas, ...paging } },
    spec.name,
  );
  const itemSensitive = itemPaths(sensitivePathsOf(rpc.output), listing.property);
  const omitted = listing.omit ?? [];
  const itemSchema = schemaAt(jsonSchemaOf(rpc.output), ["properties", listing.property, "items"], spec.name);
  const fullSchema = typedAtTop(omitFromSchema(itemSchema, omitted, spec.name));
  const view = (item: Item, detail: Detail): unknown => {
    const json = redactPaths(
      omitFromResult(
        toJson(listing.item, item as never, LIVEKIT_RESULT_JSON) as Record<string, unknown>,
        omitted,
      ),
      itemSensitive,
    );
    return detail === "full" || summary === undefined ? json : summary.of(json as Record<string, unknown>);
  };

  /** The whole answer: one call, or, where LiveKit pages itself, every page of it. */
  async function fetchAll(client: LiveKitClient, request: MessageShape<I>, signal: AbortSignal) {
    const grant = grantFor(spec.grant, targetRooms(rpc.input, request));
    const first = await client.call(rpc, request, grant, { signal });
    const pages = listing.upstreamPages;
    if (pages === undefined) {
      return listing.items(first);
    }
    const items = [...listing.items(first)];
    let token = pages.next(first);
    for (let read = 1; token !== ""; read++) {
      if (read >= MAX_UPSTREAM_PAGES) {
        throw new UpstreamError({
          provider: "livekit",
          code: "too_large",
          status: 200,
          message: `LiveKit answered more than ${MAX_UPSTREAM_PAGES} pages of ${listing.noun}; the rest was not read`,
          hint: "Narrow the listing with its filters (the input schema lists them) and call again.",
        });
      }
      const next = create(rpc.input, {
        ...request,
        [pages.requestField]: create(TokenPaginationSchema, { token }),
      } as never);
      const answer = await client.call(rpc, next, grant, { signal });
      items.push(...listing.items(answer));
      token = pages.next(answer);
    }
    return items;
  }

  async function run(client: LiveKitClient, args: ToolArguments, signal: AbortSignal, context: CallContext) {
    const { state, query } = resumeListing(args, toolId);
    const request = requestFromArguments(rpc.input, pickDefined(query, requestFields));
    const answered = await fetchAll(client, request, signal);
    const room = listing.room === undefined ? undefined : String(query[listing.room]);
    // Checked after the answer, so that a room replaced while it was read is noticed too.
    if (room !== undefined && state !== undefined) {
      await checkSameRoom(client, room, state.pins?.room_sid ?? "", signal);
    }
    // Under a room scope, rooms outside it are not there at all: not on a page, not in a total or count.
    const { roomOf } = listing;
    const { roomAllowed } = context;
    const all = answered.filter(
      (item) => roomOf === undefined || roomAllowed === undefined || roomAllowed(roomOf(item)),
    );
    const matching = all.filter((item) =>
      Object.entries(listing.filters).every(
        ([name, filter]) => query[name] === undefined || filter.matches(item, query[name]),
      ),
    );
    const ordered = [...matching].sort(byKey(listing.key));
    const detail = detailOf(args);
    const envelope = {
      [listing.property]: [],
      total: all.length,
      matching: matching.length,
      ...(counts === undefined ? {} : { counts: counts.of(all) }),
      next_cursor: null as string | null,
    };
    const page = cutPage(ordered, {
      from: firstAfter(ordered, listing.key, state?.after),
      limit: limitOf(args, listing.limits),
      maxBytes: maxResultBytes(),
      // Room for the cursor: its key is at most a few hundred characters.
      envelopeBytes: jsonBytes(envelope) + 400 + jsonBytes(query) * 2,
      noun: listing.noun,
      ...(summary === undefined ? {} : { detail }),
      view: (item) => view(item, detail),
    });
    if (page.remaining > 0 && page.last !== undefined) {
      const sid =
        room === undefined ? undefined : (state?.pins?.room_sid ?? (await roomSid(client, room, signal)));
      envelope.next_cursor = encodeCursor({
        tool: toolId,
        query,
        after: listing.key(page.last),
        ...(sid === undefined ? {} : { pins: { room_sid: sid } }),
      });
    }
    return {
      ...envelope,
      [listing.property]: page.views,
      ...(page.note === undefined ? {} : { truncated: page.note }),
    };
  }

  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    annotations: spec.annotations,
    inputSchema,
    outputSchema: {
      type: "object",
      properties: {
        [listing.property]: { type: "array", items: summary?.schema ?? fullSchema },
        total: { type: "integer" },
        matching: { type: "integer" },
        ...(counts === undefined ? {} : { counts: counts.schema }),
        ...PAGE_PROPERTIES,
      },
      required: [
        listing.property,
        "total",
        "matching",
        ...(counts === undefined ? [] : ["counts"]),
        "next_cursor",
      ],
      additionalProperties: false,
    },
    operation: operationName(rpc),
    relations: [],
    async call(client, args, signal, context = {}) {
      try {
        return await run(client, args, signal, context);
      } catch (error) {
        throw adviseLiveKitError(error, { ...spec, inputSchema });
      }
    },
  };
}

/** The sid of the open room of this name, or "" when there is none (ListRooms with a names filter). */
async function roomSid(client: LiveKitClient, room: string, signal: AbortSignal): Promise<string> {
  const { rooms } = await client.call(
    RoomService.method.listRooms,
    create(ListRoomsRequestSchema, { names: [room] }),
    grantFor("roomList", {}),
    { signal },
  );
  return rooms.find((r) => r.name === room)?.sid ?? "";
}

async function checkSameRoom(client: LiveKitClient, room: string, pinned: string, signal: AbortSignal) {
  const now = await roomSid(client, room, signal);
  if (now === "") {
    throw new ArgumentError(
      "cursor",
      `room "${room}" is no longer open: it was closed after this cursor was made. list_rooms shows the open ` +
        "rooms; leave cursor out to list a room of that name from its first page",
    );
  }
  if (now !== pinned) {
    throw new ArgumentError(
      "cursor",
      `room "${room}" was closed and opened again since this cursor was made (sid ${pinned || "unknown"}, now ` +
        `${now}), so its participants are not the listing the cursor continues: leave cursor out to start from ` +
        "the first page",
    );
  }
}

/**
 * A vendor object shown whole, typed by its top-level fields as whole objects are everywhere (nested
 * objects are `object`, and it is open): the vendor adds fields over time, and its schema would otherwise
 * be most of the tool list.
 */
function typedAtTop(schema: JsonSchema): JsonSchema {
  const isObject = (node: unknown) =>
    isRecord(node) && (node.type === "object" || (Array.isArray(node.type) && node.type.includes("object")));
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const typed = Object.entries(properties).map(([name, property]): [string, JsonSchema] => {
    if (isObject(property)) {
      return [name, { type: property.type }];
    }
    const items = property.items;
    if (property.type === "array" && isObject(items)) {
      return [name, { ...property, items: { type: (items as JsonSchema).type } }];
    }
    return [name, property];
  });
  return { type: "object", properties: Object.fromEntries(typed) };
}

/** `["rooms", "[]", "turn_password"]` → `["turn_password"]`: a response's sensitive paths, per item. */
function itemPaths(paths: readonly ValuePath[], property: string): ValuePath[] {
  return paths.filter((p) => p[0] === property && p[1] === "[]").map((p) => p.slice(2));
}

function pickDefined(
  values: Readonly<Record<string, unknown>>,
  names: readonly string[],
): Record<string, unknown> {
  return Object.fromEntries(
    names.filter((name) => values[name] !== undefined).map((name) => [name, values[name]]),
  );
}
