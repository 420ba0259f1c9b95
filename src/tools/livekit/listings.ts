/**
 * What LiveKit's list tools list: participants of a room and open rooms, with the filters a large room
 * needs, the summary each item is shown as, and the small counts every page carries. Schemas are picked
 * from the generated ones (views.ts), so the summaries follow the contract.
 */
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import {
  type ParticipantInfo,
  ParticipantInfo_KindSchema,
  ParticipantInfo_StateSchema,
  ParticipantInfoSchema,
  type Room,
  RoomSchema,
  TrackType,
} from "../../generated/livekit/livekit_models_pb.js";
import {
  ListParticipantsResponseSchema,
  ListRoomsResponseSchema,
} from "../../generated/livekit/livekit_room_pb.js";
import { jsonSchemaOf } from "../../providers/livekit/services.js";
import type { PageLimits } from "../pages.js";
import { cutText, pickFields, pickSchema, SUMMARY_TEXT_CHARS, schemaAt } from "../views.js";
import type { Listing } from "./list-tool.js";

const participantSchema = schemaAt(
  jsonSchemaOf(ListParticipantsResponseSchema),
  ["properties", "participants", "items"],
  "list_participants",
);
const trackSchema = schemaAt(participantSchema, ["properties", "tracks", "items"], "list_participants");
const roomSchema = schemaAt(
  jsonSchemaOf(ListRoomsResponseSchema),
  ["properties", "rooms", "items"],
  "list_rooms",
);

/** What follow-up tools need of a participant (mute_track: identity and track sid; the rest to choose). */
const PARTICIPANT_FIELDS = ["sid", "identity", "name", "kind", "state", "joined_at", "metadata", "tracks"];
const TRACK_FIELDS = ["sid", "type", "source", "muted", "name"];
/** What an agent needs of a room to act on it and to pick one. */
const ROOM_FIELDS = [
  "sid",
  "name",
  "num_participants",
  "num_publishers",
  "max_participants",
  "creation_time",
  "active_recording",
  "metadata",
];

const COUNT = { type: "integer" } as const;
const COUNT_MAP = { type: "object", additionalProperties: COUNT } as const;

const lower = (text: string) => text.toLowerCase();
const contains = (text: string, part: unknown) => lower(text).includes(lower(String(part)));
const publishes = (participant: ParticipantInfo, type: TrackType) =>
  participant.tracks.some((track) => track.type === type);
const enumName = (values: readonly { number: number; name: string }[], number: number) =>
  values.find((v) => v.number === number)?.name ?? String(number);

export const PARTICIPANTS: Listing<typeof ListParticipantsResponseSchema, ParticipantInfo> = {
  items: (response: MessageShape<typeof ListParticipantsResponseSchema>) => response.participants,
  item: ParticipantInfoSchema,
  property: "participants",
  noun: "participants",
  // Unique in a room, and what the other participant tools take.
  key: (participant) => participant.identity,
  limits: { defaultLimit: 50, maxLimit: 200 },
  filters: {
    search: {
      schema: {
        type: "string",
        minLength: 1,
        description: "Part of an identity or name (any case).",
      },
      matches: (p, value) => contains(p.identity, value) || contains(p.name, value),
    },
    kind: {
      schema: {
        ...schemaAt(participantSchema, ["properties", "kind"], "kind"),
        description: "Only this kind.",
      },
      matches: (p, value) => enumName(ParticipantInfo_KindSchema.values, p.kind) === value,
    },
    state: {
      schema: {
        ...schemaAt(participantSchema, ["properties", "state"], "state"),
        description: "Only this state.",
      },
      matches: (p, value) => enumName(ParticipantInfo_StateSchema.values, p.state) === value,
    },
    publishes_audio: {
      schema: { type: "boolean", description: "Whether they publish audio." },
      matches: (p, value) => publishes(p, TrackType.AUDIO) === value,
    },
    publishes_video: {
      schema: { type: "boolean", description: "Whether they publish video (camera or screen)." },
      matches: (p, value) => publishes(p, TrackType.VIDEO) === value,
    },
  },
  summary: {
    schema: pickSchema(participantSchema, PARTICIPANT_FIELDS, "list_participants", {
      tracks: { type: "array", items: pickSchema(trackSchema, TRACK_FIELDS, "list_participants tracks") },
    }),
    of: (json) => ({
      ...pickFields(json, PARTICIPANT_FIELDS),
      metadata: cutText(String(json.metadata ?? ""), SUMMARY_TEXT_CHARS),
      tracks: ((json.tracks ?? []) as Record<string, unknown>[]).map((track) =>
        pickFields(track, TRACK_FIELDS),
      ),
    }),
  },
  counts: {
    schema: {
      type: "object",
      properties: { by_kind: COUNT_MAP, publishers: COUNT },
    },
    of: (participants) => {
      const byKind: Record<string, number> = {};
      let publishers = 0;
      for (const p of participants) {
        const kind = enumName(ParticipantInfo_KindSchema.values, p.kind);
        byKind[kind] = (byKind[kind] ?? 0) + 1;
        publishers += p.tracks.length > 0 ? 1 : 0;
      }
      return { by_kind: byKind, publishers };
    },
  },
  room: "room",
};

export const ROOMS: Listing<typeof ListRoomsResponseSchema, Room> = {
  items: (response: MessageShape<typeof ListRoomsResponseSchema>) => response.rooms,
  roomOf: (room) => room.name,
  item: RoomSchema,
  property: "rooms",
  noun: "rooms",
  key: (room) => room.name,
  limits: { defaultLimit: 50, maxLimit: 200 },
  filters: {
    search: {
      schema: { type: "string", minLength: 1, description: "Part of a room name (any case)." },
      matches: (room, value) => contains(room.name, value),
    },
    has_participants: {
      schema: { type: "boolean", description: "Whether anyone is in the room." },
      matches: (room, value) => room.numParticipants > 0 === value,
    },
  },
  summary: {
    schema: pickSchema(roomSchema, ROOM_FIELDS, "list_rooms"),
    of: (json) => ({
      ...pickFields(json, ROOM_FIELDS),
      metadata: cutText(String(json.metadata ?? ""), SUMMARY_TEXT_CHARS),
    }),
  },
  counts: {
    schema: {
      type: "object",
      properties: { with_participants: COUNT, participants: COUNT, publishers: COUNT },
    },
    of: (rooms) => ({
      with_participants: rooms.filter((r) => r.numParticipants > 0).length,
      participants: rooms.reduce((sum, r) => sum + r.numParticipants, 0),
      publishers: rooms.reduce((sum, r) => sum + r.numPublishers, 0),
    }),
  },
};

/** Listings of LiveKit's smaller objects (egresses, ingresses, trunks, rules, dispatches): shown whole. */
export const WHOLE_ITEM_LIMITS: PageLimits = { defaultLimit: 20, maxLimit: 100 };

/**
 * A listing whose items are shown whole (less `omit`), ordered by a unique id, with no filters of its own:
 * the RPC's request fields (room_name, ids, active…) narrow it, and stay in the cursor like any filter.
 */
export function wholeListing<O extends DescMessage, Item>(
  listing: Omit<Listing<O, Item>, "limits" | "filters" | "summary">,
): Listing<O, Item> {
  return { ...listing, limits: WHOLE_ITEM_LIMITS, filters: {} };
}

/** Counts of items by one enum field (`by_status`), over everything listed. */
export function countsByEnum<Item>(
  name: string,
  values: readonly { number: number; name: string }[],
  of: (item: Item) => number,
): NonNullable<Listing<DescMessage, Item>["counts"]> {
  return {
    schema: { type: "object", properties: { [name]: COUNT_MAP } },
    of: (items) => {
      const counted: Record<string, number> = {};
      for (const item of items) {
        const value = enumName(values, of(item));
        counted[value] = (counted[value] ?? 0) + 1;
      }
      return { [name]: counted };
    },
  };
}
