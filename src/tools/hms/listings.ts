/**
 * How 100ms's list tools show their items: the summary each item gets by default (what follow-up tools
 * and a choice need), picked from the generated item schemas (views.ts), and how each list is fetched.
 */
import { hmsOperations } from "../../generated/hms/operations.js";
import type { HmsClient } from "../../providers/hms/client.js";
import { requestFromArguments } from "../../providers/hms/request.js";
import { listPeers, listRecordings } from "../../providers/hms/workflows.js";
import type { JsonSchema, ToolArguments } from "../define.js";
import { cutText, pickFields, pickSchema, schemaAt } from "../views.js";
import type { ItemView } from "./paged-tool.js";

type Item = Record<string, unknown>;

const itemsOf = (
  operation: "listRooms" | "listSessions" | "listRecordings" | "listLiveStreams" | "listExternalStreams",
) => schemaAt(hmsOperations[operation].outputSchema, ["properties", "data", "items"], operation);

/** A view of the picked fields, with the free-form text ones cut (views.ts states the length). */
function summaryView(
  schema: JsonSchema,
  fields: readonly string[],
  texts: readonly string[],
  context: string,
  extra: Readonly<Record<string, JsonSchema>> = {},
  derive: (item: Item) => Item = () => ({}),
): ItemView {
  const picked = pickSchema(schema, fields, context);
  return {
    schema: { ...picked, properties: { ...(picked.properties as object), ...extra } },
    summary: (item) => {
      const view = pickFields(item, fields);
      for (const name of texts) {
        if (typeof view[name] === "string") {
          view[name] = cutText(view[name] as string);
        }
      }
      return { ...view, ...derive(item) };
    },
  };
}

export const ROOM_VIEW = summaryView(
  itemsOf("listRooms"),
  ["id", "name", "enabled", "description", "template_id", "region", "size", "created_at"],
  ["description"],
  "list_rooms",
);

export const SESSION_VIEW = summaryView(
  itemsOf("listSessions"),
  ["id", "room_id", "active", "created_at", "updated_at"],
  [],
  "list_sessions",
  // Every peer that joined is the bulk of a session; the summary says how many, list_peers shows them.
  { peer_count: { type: "integer" } },
  (session) => ({ peer_count: Object.keys((session.peers ?? {}) as object).length }),
);

export const RECORDING_VIEW = summaryView(
  itemsOf("listRecordings"),
  ["id", "room_id", "session_id", "status", "asset_types", "created_at", "started_at", "stopped_at"],
  [],
  "list_recordings",
);

export const LIVE_STREAM_VIEW = summaryView(
  itemsOf("listLiveStreams"),
  [
    "id",
    "room_id",
    "session_id",
    "status",
    "playback",
    "recording",
    "created_at",
    "started_at",
    "stopped_at",
  ],
  [],
  "list_live_streams",
);

export const EXTERNAL_STREAM_VIEW = summaryView(
  itemsOf("listExternalStreams"),
  [
    "id",
    "room_id",
    "session_id",
    "status",
    "recording",
    "resolution",
    "created_at",
    "started_at",
    "stopped_at",
  ],
  [],
  "list_external_streams",
);

/** What an event's summary keeps of its data: who, which track or job, and for errors what went wrong. */
const EVENT_DATA_FIELDS = [
  "session_id",
  "peer_id",
  "user_id",
  "user_name",
  "role",
  "track_id",
  "type",
  "source",
  "mute",
  "started_at",
  "stopped_at",
  "action",
  "error_code",
  "error_name",
  "error_message",
  "error_description",
  "is_terminal",
  "beam_id",
  "duration",
  "size",
  "recording_path",
] as const;

const analyticsEvent = schemaAt(
  hmsOperations.listAnalyticsEvents.outputSchema,
  ["properties", "events", "items"],
  "list_analytics_events",
);

/** An event as list_analytics_events shows it by default: its envelope, and the telling part of its data. */
export const EVENT_VIEW: ItemView = {
  schema: pickSchema(analyticsEvent, ["id", "type", "timestamp", "data"], "list_analytics_events", {
    data: pickSchema(
      schemaAt(analyticsEvent, ["properties", "data"], "list_analytics_events"),
      EVENT_DATA_FIELDS,
      "list_analytics_events",
    ),
  }),
  summary: (event) => {
    const data = (event.data ?? {}) as Item;
    const picked = pickFields(data, EVENT_DATA_FIELDS);
    if (typeof picked.error_description === "string") {
      picked.error_description = cutText(picked.error_description);
    }
    return { ...pickFields(event, ["id", "type", "timestamp"]), data: picked };
  },
};

const activePeer = schemaAt(
  hmsOperations.listActivePeers.outputSchema,
  ["properties", "peers", "additionalProperties"],
  "list_peers",
);
const sessionPeer = schemaAt(
  hmsOperations.getSession.outputSchema,
  ["properties", "peers", "additionalProperties"],
  "list_peers",
);

/** A peer as list_peers returns it: connected now, or from a session's history (then with left_at). */
export const PEER_SCHEMA: JsonSchema = {
  ...activePeer,
  properties: { ...(sessionPeer.properties as object), ...(activePeer.properties as object) },
};

export const PEER_VIEW = summaryView(
  PEER_SCHEMA,
  ["id", "name", "role", "user_id", "joined_at", "left_at", "metadata"],
  ["metadata"],
  "list_peers",
);

export const PEER_COUNTS = {
  schema: {
    type: "object",
    properties: { by_role: { type: "object", additionalProperties: { type: "integer" } } },
  },
  of: (peers: readonly Item[]) => {
    const byRole: Record<string, number> = {};
    for (const peer of peers) {
      const role = String(peer.role ?? "");
      byRole[role] = (byRole[role] ?? 0) + 1;
    }
    return { by_role: byRole };
  },
} as const;

export const fetchRooms = (client: HmsClient, args: ToolArguments, signal: AbortSignal) =>
  client.call("listRooms", requestFromArguments("listRooms", args), { signal });

export const fetchSessions = (client: HmsClient, args: ToolArguments, signal: AbortSignal) =>
  client.call("listSessions", requestFromArguments("listSessions", args), { signal });

export const fetchRecordings = listRecordings;

export const fetchLiveStreams = (client: HmsClient, args: ToolArguments, signal: AbortSignal) =>
  client.call("listLiveStreams", requestFromArguments("listLiveStreams", args), { signal });

export const fetchExternalStreams = (client: HmsClient, args: ToolArguments, signal: AbortSignal) =>
  client.call("listExternalStreams", requestFromArguments("listExternalStreams", args), { signal });

/** One page of a room's analytics events, as the API pages them (its `next` is the next `start`). */
export async function fetchAnalyticsEvents(client: HmsClient, args: ToolArguments, signal: AbortSignal) {
  const { events, next, total } = await client.call(
    "listAnalyticsEvents",
    requestFromArguments("listAnalyticsEvents", args),
    { signal },
  );
  return { items: events ?? null, next: next ?? null, ...(total === undefined ? {} : { total }) };
}

/** A session's peers (live, or from its history), and the room and session they belong to. */
export async function fetchPeers(client: HmsClient, args: ToolArguments, signal: AbortSignal) {
  const { peers, ...context } = await listPeers(client, args, signal);
  return { items: peers as Record<string, Item>, context };
}
