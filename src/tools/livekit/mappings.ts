/**
 * The few places where a LiveKit tool's contract honestly differs from its RPC's. Manifest entries name
 * these; each says why it exists.
 */
import { randomBytes } from "node:crypto";
import { create, type MessageShape } from "@bufbuild/protobuf";
import { ArgumentError, UpstreamError } from "../../errors.js";
import { DataPacket_Kind } from "../../generated/livekit/livekit_models_pb.js";
import {
  type MuteRoomTrackRequestSchema,
  type MuteRoomTrackResponseSchema,
  SendDataRequestSchema,
} from "../../generated/livekit/livekit_room_pb.js";
import type { ToolArguments } from "../define.js";

/** LiveKit's reliable data packets carry at most 15 KiB of user payload (16 KiB with headers). */
export const MAX_DATA_BYTES = 15 * 1024;

/**
 * send_data takes text (or base64) instead of proto bytes, and a lowercase kind; it adds the 16-byte nonce
 * LiveKit uses to drop duplicates of a retried packet, fresh for each call.
 */
export function sendDataRequest(args: ToolArguments) {
  const text = String(args.data);
  let data: Uint8Array;
  if (args.encoding === "base64") {
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) {
      throw new ArgumentError("data", "data is not valid base64");
    }
    data = Buffer.from(text, "base64");
  } else {
    data = Buffer.from(text, "utf8");
  }
  if (data.byteLength > MAX_DATA_BYTES) {
    throw new ArgumentError(
      "data",
      `data is ${data.byteLength} bytes; LiveKit delivers at most ${MAX_DATA_BYTES} bytes (15 KiB) in one packet. ` +
        "Split it into several send_data calls.",
    );
  }
  return create(SendDataRequestSchema, {
    room: String(args.room),
    data,
    kind: args.kind === "lossy" ? DataPacket_Kind.LOSSY : DataPacket_Kind.RELIABLE,
    destinationIdentities: (args.destination_identities as string[] | undefined) ?? [],
    ...(typeof args.topic === "string" ? { topic: args.topic } : {}),
    nonce: randomBytes(16),
  });
}

/** MutePublishedTrack answers 200 with no track for an unknown track sid; that is a not-found, said as one. */
export function requireMutedTrack(
  response: MessageShape<typeof MuteRoomTrackResponseSchema>,
  request: MessageShape<typeof MuteRoomTrackRequestSchema>,
): void {
  if (response.track === undefined) {
    throw new UpstreamError({
      provider: "livekit",
      code: "not_found",
      message: `participant "${request.identity}" in room "${request.room}" publishes no track with sid "${request.trackSid}"`,
      hint: "Track sids change when a track is republished: get_participant lists the current ones.",
    });
  }
}
