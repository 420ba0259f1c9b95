/**
 * The answers the bench's loopback LiveKit serves: a room of N participants, each with an audio track and
 * a three-layer simulcast video track (the shape issue 9 measured), and a list of open rooms, encoded once
 * as LiveKit's server sends them: proto JSON with proto field names and every default, or binary.
 */
import { create, toBinary, toJsonString } from "@bufbuild/protobuf";
import { TrackSource, TrackType } from "../src/generated/livekit/livekit_models_pb.js";
import {
  ListParticipantsResponseSchema,
  ListRoomsResponseSchema,
} from "../src/generated/livekit/livekit_room_pb.js";

export interface Encoded {
  readonly json: string;
  readonly binary: Uint8Array;
}

const SERVER_JSON = { useProtoFieldName: true, alwaysEmitImplicit: true } as const;

export function participantsAnswer(count: number): Encoded {
  const message = create(ListParticipantsResponseSchema, {
    participants: Array.from({ length: count }, (_, i) => ({
      sid: `PA_${i.toString(36).padStart(8, "0")}`,
      identity: `user-${(i * 7919) % count}-${i}`,
      name: `User ${i}`,
      metadata: JSON.stringify({ role: i === 0 ? "host" : "guest", hand: false }),
      joinedAt: 1_795_276_800n + BigInt(i),
      joinedAtMs: 1_795_276_800_000n + BigInt(i),
      attributes: { team: i % 2 === 0 ? "blue" : "red" },
      isPublisher: true,
      tracks: [
        {
          sid: `TR_A${i}`,
          type: TrackType.AUDIO,
          source: TrackSource.MICROPHONE,
          name: "microphone",
          mimeType: "audio/opus",
          mid: "0",
          codecs: [{ mimeType: "audio/opus", mid: "0", cid: `TR_A${i}` }],
        },
        {
          sid: `TR_V${i}`,
          type: TrackType.VIDEO,
          source: TrackSource.CAMERA,
          name: "camera",
          mimeType: "video/VP8",
          mid: "1",
          width: 1280,
          height: 720,
          simulcast: true,
          layers: [
            { width: 320, height: 180, bitrate: 150_000 },
            { width: 640, height: 360, bitrate: 500_000 },
            { width: 1280, height: 720, bitrate: 1_700_000 },
          ],
          codecs: [
            {
              mimeType: "video/VP8",
              mid: "1",
              cid: `TR_V${i}`,
              layers: [
                { width: 320, height: 180, bitrate: 150_000 },
                { width: 640, height: 360, bitrate: 500_000 },
                { width: 1280, height: 720, bitrate: 1_700_000 },
              ],
            },
          ],
        },
      ],
    })),
  });
  return {
    json: toJsonString(ListParticipantsResponseSchema, message, SERVER_JSON),
    binary: toBinary(ListParticipantsResponseSchema, message),
  };
}

export function roomsAnswer(names: readonly string[]): Encoded {
  const message = create(ListRoomsResponseSchema, {
    rooms: names.map((name, i) => ({
      sid: `RM_${name}`,
      name,
      emptyTimeout: 300,
      departureTimeout: 20,
      creationTime: 1_795_276_800n + BigInt(i),
      metadata: JSON.stringify({ topic: `topic ${i}` }),
      numParticipants: i * 3,
      numPublishers: i,
      enabledCodecs: [{ mime: "audio/opus" }, { mime: "video/VP8" }, { mime: "video/H264" }],
    })),
  });
  return {
    json: toJsonString(ListRoomsResponseSchema, message, SERVER_JSON),
    binary: toBinary(ListRoomsResponseSchema, message),
  };
}
