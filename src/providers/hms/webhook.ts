/**
 * 100ms webhooks. 100ms does not sign them: what proves a delivery is the secret header the operator set in
 * the dashboard (compared in constant time) and, optionally, the source address (100ms publishes its
 * egress addresses). The envelope and its `data` are checked against the webhook payload documented in
 * specs/100ms/openapi.yaml (`webhooks.hmsEvent`).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { type BlockList, isIP } from "node:net";
import type { EventFacts, RoomEvent } from "../../events/event.js";
import { type WebhookDelivery, WebhookRejection, type WebhookVerifier } from "../../events/webhook.js";
import { hmsWebhookEventSchema, hmsWebhookSensitivePaths } from "../../generated/hms/operations.js";
import { isRecord, parseJson } from "../../json.js";
import { redactPaths } from "../../redact.js";
import { schemaProblems } from "../../schema-check.js";
import type { HmsWebhookSettings } from "./webhook-settings.js";

/** The event types 100ms documents (its webhook guide), for the tools' descriptions. */
export const HMS_EVENT_TYPES = [
  "session.open.success",
  "session.close.success",
  "peer.join.success",
  "peer.leave.success",
  "peer.join.failure",
  "peer.leave.failure",
  "room.end.success",
  "room.end.failure",
  "role.change.success",
  "role.change.failure",
  "recording.success",
  "recording.failed",
  "track.recording.started.success",
  "track.recording.success",
  "track.recording.failure",
  "stream.recording.success",
  "stream.recording.failure",
  "beam.started.success",
  "beam.stopped.success",
  "beam.recording.success",
  "beam.failure",
  "hls.started.success",
  "hls.stopped.success",
  "hls.recording.success",
  "hls.failure",
  "transcription.started.success",
  "transcription.success",
  "transcription.failure",
  "ingest.start.success",
  "ingest.end.success",
  "ingest.start.failure",
  "ingest.failure",
] as const;

export function hmsWebhookVerifier(settings: HmsWebhookSettings): WebhookVerifier {
  // Digests have one length whatever was sent, so the comparison takes the same time for any guess.
  const expected = digest(settings.secret);
  return {
    async receive(delivery: WebhookDelivery, receivedAt: Date): Promise<RoomEvent> {
      if (settings.allowed !== undefined && !addressAllowed(settings.allowed, delivery.remoteAddress)) {
        throw new WebhookRejection(
          403,
          "deliveries are not accepted from this address (HMS_WEBHOOK_ALLOWED_IPS)",
        );
      }
      const given = delivery.headers[settings.header];
      if (given === undefined || !timingSafeEqual(digest(given), expected)) {
        throw new WebhookRejection(401, `the ${settings.header} header is missing or wrong`);
      }
      const body = parseJson(delivery.body.toString("utf8"));
      const problems = body === undefined ? "not JSON" : schemaProblems(hmsWebhookEventSchema, body);
      if (problems !== undefined || !isRecord(body)) {
        throw new WebhookRejection(400, `not a 100ms webhook event: ${problems ?? "not an object"}`);
      }
      // Download links, stream keys and recorder URLs are credentials: they are not kept (the spec's marks).
      return hmsRoomEvent(
        redactPaths(body, hmsWebhookSensitivePaths) as unknown as HmsWebhookBody,
        receivedAt,
      );
    },
  };
}

interface HmsWebhookBody {
  readonly id: string;
  readonly type: string;
  readonly timestamp: string;
  readonly data: Record<string, unknown>;
}

/** Fields of `data` kept as facts (others stay in `data`, shown with detail "full"). */
const FACTS = [
  "role",
  "reason",
  "message",
  "duration",
  "session_duration",
  "recording_path",
  "size",
  "error_code",
  "error_message",
  "error_type",
  "type",
] as const;

export function hmsRoomEvent(body: HmsWebhookBody, receivedAt: Date): RoomEvent {
  const { data } = body;
  const text = (name: string) =>
    typeof data[name] === "string" && data[name] !== "" ? (data[name] as string) : undefined;
  const facts: Record<string, string | number | boolean> = {};
  for (const name of FACTS) {
    const value = data[name];
    if (typeof value === "string" ? value !== "" : typeof value === "number" || typeof value === "boolean") {
      facts[name === "type" ? "peer_type" : name] = value as string | number | boolean;
    }
  }
  const occurred = Date.parse(body.timestamp);
  const fields: Record<string, string | undefined> = {
    room_name: text("room_name"),
    room_id: text("room_id"),
    session_id: text("session_id"),
    identity: text("user_id"),
    name: text("user_name"),
    participant_id: text("peer_id"),
  };
  return {
    id: body.id,
    provider: "hms",
    type: body.type,
    occurred_at: (Number.isNaN(occurred) ? receivedAt : new Date(occurred)).toISOString(),
    received_at: receivedAt.toISOString(),
    ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
    facts: facts as EventFacts,
    data,
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

function addressAllowed(allowed: BlockList, address: string | undefined): boolean {
  if (address === undefined) {
    return false;
  }
  // IPv4 clients of a dual-stack listener arrive as ::ffff:a.b.c.d.
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  return v4 !== undefined
    ? allowed.check(v4, "ipv4")
    : allowed.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}
