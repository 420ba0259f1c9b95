/**
 * Waits LiveKit's API can answer without webhooks: one look at the room per poll. Each returns the event
 * that stands for the awaited state (marked as observed by polling) once it holds, else undefined.
 */
import { create, toJson } from "@bufbuild/protobuf";
import { isUpstreamError } from "../../errors.js";
import { polledEvent } from "../../events/event.js";
import { Egress, EgressStatus } from "../../generated/livekit/livekit_egress_pb.js";
import { ParticipantInfoSchema, RoomSchema } from "../../generated/livekit/livekit_models_pb.js";
import { RoomService } from "../../generated/livekit/livekit_room_pb.js";
import type { EventPoll } from "../provider.js";
import type { LiveKitClient } from "./client.js";

const JSON_OPTIONS = { useProtoFieldName: true } as const;

async function participantOf(client: LiveKitClient, room: string, identity: string, signal: AbortSignal) {
  try {
    return await client.call(
      RoomService.method.getParticipant,
      create(RoomService.method.getParticipant.input, { room, identity }),
      { video: { roomAdmin: true, room } },
      { signal },
    );
  } catch (error) {
    // A room that is not open has nobody in it.
    if (isUpstreamError(error) && error.code === "not_found") {
      return undefined;
    }
    throw error;
  }
}

async function roomOf(client: LiveKitClient, room: string, signal: AbortSignal) {
  const { rooms } = await client.call(
    RoomService.method.listRooms,
    create(RoomService.method.listRooms.input, { names: [room] }),
    { video: { roomList: true } },
    { signal },
  );
  return rooms.find((r) => r.name === room);
}

export const LIVEKIT_EVENT_POLLS: Readonly<Record<string, EventPoll<LiveKitClient>>> = {
  participant_joined: {
    needs: ["room", "identity"],
    checks: "whether the identity is in the room (GetParticipant)",
    async check(client, filter, signal) {
      const room = filter.room as string;
      const participant = await participantOf(client, room, filter.identity as string, signal);
      return participant === undefined
        ? undefined
        : polledEvent(filter, "participant_joined", {
            room_name: room,
            identity: participant.identity,
            name: participant.name,
            participant_id: participant.sid,
            data: { participant: toJson(ParticipantInfoSchema, participant, JSON_OPTIONS) },
          });
    },
  },
  participant_left: {
    needs: ["room", "identity"],
    checks: "whether the identity is no longer in the room (GetParticipant)",
    async check(client, filter, signal) {
      const room = filter.room as string;
      const participant = await participantOf(client, room, filter.identity as string, signal);
      return participant === undefined
        ? polledEvent(filter, "participant_left", { room_name: room, identity: filter.identity as string })
        : undefined;
    },
  },
  room_started: {
    needs: ["room"],
    checks: "whether the room is open (ListRooms)",
    async check(client, filter, signal) {
      const room = await roomOf(client, filter.room as string, signal);
      return room === undefined
        ? undefined
        : polledEvent(filter, "room_started", {
            room_name: room.name,
            room_id: room.sid,
            data: { room: toJson(RoomSchema, room, JSON_OPTIONS) },
          });
    },
  },
  room_finished: {
    needs: ["room"],
    checks: "whether the room is no longer open (ListRooms)",
    async check(client, filter, signal) {
      const room = await roomOf(client, filter.room as string, signal);
      return room === undefined
        ? polledEvent(filter, "room_finished", { room_name: filter.room as string })
        : undefined;
    },
  },
  egress_ended: {
    needs: ["egress_id"],
    checks: "whether the egress has ended (ListEgress)",
    async check(client, filter, signal) {
      const egressId = filter.facts?.egress_id as string;
      const { items } = await client.call(
        Egress.method.listEgress,
        create(Egress.method.listEgress.input, { egressId }),
        { video: { roomRecord: true } },
        { signal },
      );
      const egress = items.find((e) => e.egressId === egressId);
      const ended =
        egress !== undefined &&
        [
          EgressStatus.EGRESS_COMPLETE,
          EgressStatus.EGRESS_FAILED,
          EgressStatus.EGRESS_ABORTED,
          EgressStatus.EGRESS_LIMIT_REACHED,
        ].includes(egress.status);
      return !ended
        ? undefined
        : polledEvent(filter, "egress_ended", {
            room_name: egress.roomName,
            facts: {
              observed_by: "polling",
              egress_id: egress.egressId,
              egress_status: EgressStatus[egress.status],
              ...(egress.error === "" ? {} : { error: egress.error }),
            },
          });
    },
  },
};
