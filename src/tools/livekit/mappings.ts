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
  RoomParticipantIdentitySchema,
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
    data = decodeBase64(text);
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

/**
 * Strict base64 (RFC 4648): one alphabet, standard (`+/`) or URL-safe (`-_`), `=` padding only at the end, a
 * length some bytes encode to, and no stray bits in the last character. Buffer.from would silently drop what
 * it cannot read (`"A"` decodes to nothing), sending other bytes than the caller meant.
 */
function decodeBase64(text: string): Uint8Array {
  const standard = /^[A-Za-z0-9+/]*={0,2}$/.test(text);
  const urlSafe = /^[A-Za-z0-9_-]*={0,2}$/.test(text);
  if (!standard && !urlSafe) {
    throw new ArgumentError(
      "data",
      'data is not valid base64. Use A-Z, a-z, 0-9 with either "+" and "/" (standard) or "-" and "_" (URL-safe), ' +
        'not both, and "=" padding only at the end',
    );
  }
  const body = text.replace(/=+$/, "");
  const padded = body.length !== text.length;
  if ((padded && text.length % 4 !== 0) || body.length % 4 === 1) {
    throw new ArgumentError(
      "data",
      `data is ${text.length} characters, a length no base64 text has: a character is missing or extra`,
    );
  }
  const encoding = standard ? "base64" : "base64url";
  const bytes = Buffer.from(body, encoding);
  if (bytes.toString(encoding).replace(/=+$/, "") !== body) {
    throw new ArgumentError(
      "data",
      "data's last character has bits set that belong to no byte: the base64 text was cut or altered",
    );
  }
  return bytes;
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

/**
 * remove_participant sets revoke_token_ts to now, so LiveKit Cloud also rejects every token the participant
 * already holds (issued before now); self-hosted servers ignore the field and only disconnect.
 */
export function revokingRemoval(args: ToolArguments, now: () => number = Date.now) {
  return create(RoomParticipantIdentitySchema, {
    room: String(args.room),
    identity: String(args.identity),
    revokeTokenTs: BigInt(Math.floor(now() / 1000)),
  });
}

export const REMOVAL_NOTE =
  "Disconnected. On LiveKit Cloud the tokens they hold are revoked too (revoke_token_ts = now), so they cannot " +
  "rejoin with them. A self-hosted server ignores that: they can rejoin until their token expires, so stop " +
  "issuing them tokens.";
