/**
 * LiveKit webhooks: verified before anything reads the body, then decoded with the code generated from
 * specs/livekit/livekit_webhook.proto.
 *
 * LiveKit signs each delivery with a JWT in `Authorization` (HS256 with the API secret, issuer = the API key,
 * valid for 5 minutes) whose `sha256` claim is base64(SHA-256(raw body)). The claim is compared with the
 * body's digest in constant time.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { fromJsonString, toJson } from "@bufbuild/protobuf";
import type { EventFacts, RoomEvent } from "../../events/event.js";
import { type WebhookDelivery, WebhookRejection, type WebhookVerifier } from "../../events/webhook.js";
import { JobStatus } from "../../generated/livekit/livekit_agent_pb.js";
import { EgressStatus } from "../../generated/livekit/livekit_egress_pb.js";
import { IngressState_Status } from "../../generated/livekit/livekit_ingress_pb.js";
import {
  DisconnectReason,
  ParticipantInfo_Kind,
  RoomEndReason,
  TrackSource,
  TrackType,
} from "../../generated/livekit/livekit_models_pb.js";
import { type WebhookEvent, WebhookEventSchema } from "../../generated/livekit/livekit_webhook_pb.js";
import { jose } from "../../jose.js";
import { redactPaths } from "../../redact.js";
import type { LiveKitConfig } from "./client.js";
import { sensitivePathsOf } from "./services.js";

/** Every event type LiveKit sends (livekit_webhook.proto). */
export const LIVEKIT_EVENT_TYPES = [
  "room_started",
  "room_finished",
  "participant_joined",
  "participant_left",
  "participant_connection_aborted",
  "track_published",
  "track_unpublished",
  "egress_started",
  "egress_updated",
  "egress_ended",
  "ingress_started",
  "ingress_ended",
  "agent_job_started",
  "agent_job_ended",
] as const;

/** LiveKit's own verifier allows a minute of clock skew; so do we. */
const CLOCK_TOLERANCE_SECONDS = 60;

export function livekitWebhookVerifier(config: Pick<LiveKitConfig, "apiKey" | "apiSecret">): WebhookVerifier {
  const key = new TextEncoder().encode(config.apiSecret);
  return {
    async receive(delivery: WebhookDelivery, receivedAt: Date): Promise<RoomEvent> {
      const token = delivery.headers.authorization?.replace(/^Bearer\s+/i, "") ?? "";
      if (token === "") {
        throw new WebhookRejection(401, "no Authorization header: LiveKit signs every webhook");
      }
      let claims: Record<string, unknown>;
      try {
        ({ payload: claims } = await (await jose()).jwtVerify(token, key, {
          algorithms: ["HS256"],
          issuer: config.apiKey,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: receivedAt,
        }));
      } catch (error) {
        throw new WebhookRejection(
          401,
          `the signature is not LiveKit's for API key ${config.apiKey}: ${(error as Error).message}`,
        );
      }
      const claimed = typeof claims.sha256 === "string" ? Buffer.from(claims.sha256) : Buffer.alloc(0);
      const actual = Buffer.from(createHash("sha256").update(delivery.body).digest("base64"));
      if (claimed.length !== actual.length || !timingSafeEqual(claimed, actual)) {
        throw new WebhookRejection(401, "the body's SHA-256 is not the one the token was signed for");
      }
      let event: WebhookEvent;
      try {
        event = fromJsonString(WebhookEventSchema, delivery.body.toString("utf8"), {
          ignoreUnknownFields: true,
        });
      } catch (error) {
        throw new WebhookRejection(400, `not a LiveKit WebhookEvent: ${(error as Error).message}`);
      }
      if (event.id === "" || event.event === "") {
        throw new WebhookRejection(400, "the event has no id or no event type");
      }
      return livekitRoomEvent(event, receivedAt);
    },
  };
}

/** The flat event of one decoded WebhookEvent. */
export function livekitRoomEvent(event: WebhookEvent, receivedAt: Date): RoomEvent {
  const { room, participant, track, egressInfo, ingressInfo, job } = event;
  const facts: Record<string, string | number | boolean> = {};
  const put = (name: string, value: string | number | boolean | undefined) => {
    if (value !== undefined && value !== "" && value !== 0) {
      facts[name] = value;
    }
  };
  if (participant !== undefined) {
    put("participant_kind", ParticipantInfo_Kind[participant.kind]);
    if (participant.disconnectReason !== DisconnectReason.UNKNOWN_REASON) {
      put("disconnect_reason", DisconnectReason[participant.disconnectReason]);
    }
  }
  if (track !== undefined) {
    put("track_sid", track.sid);
    put("track_type", TrackType[track.type]);
    put("track_source", TrackSource[track.source]);
    put("track_name", track.name);
  }
  if (egressInfo !== undefined) {
    put("egress_id", egressInfo.egressId);
    put("egress_status", EgressStatus[egressInfo.status]);
    put("error", egressInfo.error);
  }
  if (ingressInfo !== undefined) {
    put("ingress_id", ingressInfo.ingressId);
    put(
      "ingress_status",
      ingressInfo.state === undefined ? undefined : IngressState_Status[ingressInfo.state.status],
    );
    put("error", ingressInfo.state?.error);
  }
  if (job !== undefined) {
    put("job_id", job.id);
    put("agent_name", job.agentName);
    put("job_status", job.state === undefined ? undefined : JobStatus[job.state.status]);
    put("error", job.state?.error);
  }
  if (event.event === "room_finished" && event.roomEndReason !== RoomEndReason.ROOM_END_UNKNOWN) {
    put("room_end_reason", RoomEndReason[event.roomEndReason]);
  }
  const created = Number(event.createdAt);
  const roomName = room?.name || egressInfo?.roomName || ingressInfo?.roomName || job?.room?.name;
  const identity = participant?.identity || job?.participant?.identity || ingressInfo?.participantIdentity;
  return {
    id: event.id,
    provider: "livekit",
    type: event.event,
    occurred_at: (created > 0 ? new Date(created * 1000) : receivedAt).toISOString(),
    received_at: receivedAt.toISOString(),
    ...optional("room_name", roomName),
    ...optional("room_id", room?.sid || egressInfo?.roomId),
    ...optional("identity", identity),
    ...optional("name", participant?.name),
    ...optional("participant_id", participant?.sid),
    facts: facts as EventFacts,
    // Storage credentials of an egress, an ingress's stream key, a room's TURN password: never kept.
    data: redactPaths(
      toJson(WebhookEventSchema, event, { useProtoFieldName: true }) as Record<string, unknown>,
      sensitivePathsOf(WebhookEventSchema),
    ),
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined || value === "" ? {} : { [key]: value }) as { [P in K]?: string };
}
