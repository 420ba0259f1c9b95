/**
 * 100ms webhooks: unsigned, so proved by the dashboard's secret header (compared in constant time) and an
 * optional source allowlist; checked against the payload in specs/100ms/openapi.yaml, with download links
 * and stream keys redacted by the spec's marks.
 */
import { describe, expect, it } from "vitest";
import { hmsWebhookVerifier } from "../../src/providers/hms/webhook.js";
import { hmsWebhookSettingsFromEnv } from "../../src/providers/hms/webhook-settings.js";
import { rejection } from "../harness/webhooks.js";

const SECRET = "test-hms-webhook-secret-value";

function verifierFor(env: Record<string, string>) {
  const settings = hmsWebhookSettingsFromEnv(env);
  if (settings.kind !== "configured") {
    throw new Error(`not configured: ${JSON.stringify(settings)}`);
  }
  return hmsWebhookVerifier(settings.config);
}

const body = (type = "peer.join.success", data: Record<string, unknown> = {}) =>
  JSON.stringify({
    version: "2.0",
    id: "6c75de35-b778-4fb0-88ae-114c28dc285f",
    account_id: "acct-1",
    app_id: "app-1",
    timestamp: "2026-11-30T17:04:15Z",
    type,
    data: {
      room_id: "6741a0c2e5f14b9d8a3c7e21",
      room_name: "town-hall",
      session_id: "6741a0d9e5f14b9d8a3c7e30",
      peer_id: "c1d2e3f4",
      user_id: "user-ken",
      user_name: "Ken",
      role: "guest",
      ...data,
    },
  });

describe("100ms webhook settings", () => {
  it("are absent without HMS_WEBHOOK_SECRET, and refuse half or weak settings", () => {
    expect(hmsWebhookSettingsFromEnv({})).toEqual({ kind: "absent" });
    expect(hmsWebhookSettingsFromEnv({ HMS_WEBHOOK_SECRET_HEADER: "x-a" }).kind).toBe("invalid");
    expect(hmsWebhookSettingsFromEnv({ HMS_WEBHOOK_SECRET: "short" }).kind).toBe("invalid");
    expect(
      hmsWebhookSettingsFromEnv({ HMS_WEBHOOK_SECRET: SECRET, HMS_WEBHOOK_SECRET_HEADER: "bad header" }).kind,
    ).toBe("invalid");
    expect(
      hmsWebhookSettingsFromEnv({ HMS_WEBHOOK_SECRET: SECRET, HMS_WEBHOOK_ALLOWED_IPS: "10.0.0.0/33" }).kind,
    ).toBe("invalid");
  });
});

describe("100ms webhook verification", () => {
  const verifier = verifierFor({ HMS_WEBHOOK_SECRET: SECRET });
  const receive = (text: string, headers: Record<string, string>, remoteAddress = "127.0.0.1") =>
    verifier.receive({ headers, body: Buffer.from(text), remoteAddress }, new Date());

  it("accepts a delivery with the secret header, and decodes it", async () => {
    const event = await receive(body(), { "x-webhook-secret": SECRET });
    expect(event).toMatchObject({
      id: "6c75de35-b778-4fb0-88ae-114c28dc285f",
      provider: "hms",
      type: "peer.join.success",
      occurred_at: "2026-11-30T17:04:15.000Z",
      room_id: "6741a0c2e5f14b9d8a3c7e21",
      room_name: "town-hall",
      session_id: "6741a0d9e5f14b9d8a3c7e30",
      identity: "user-ken",
      participant_id: "c1d2e3f4",
      facts: { role: "guest" },
    });
  });

  it("refuses a missing or wrong secret", async () => {
    expect((await rejection(receive(body(), {}))).status).toBe(401);
    expect((await rejection(receive(body(), { "x-webhook-secret": `${SECRET}x` }))).status).toBe(401);
    expect((await rejection(receive(body(), { "x-webhook-secret": "" }))).status).toBe(401);
  });

  it("uses the header the operator named", async () => {
    const named = verifierFor({ HMS_WEBHOOK_SECRET: SECRET, HMS_WEBHOOK_SECRET_HEADER: "X-Our-Hook" });
    const ok = await named.receive(
      { headers: { "x-our-hook": SECRET }, body: Buffer.from(body()) },
      new Date(),
    );
    expect(ok.type).toBe("peer.join.success");
    const wrongHeader = named.receive(
      { headers: { "x-webhook-secret": SECRET }, body: Buffer.from(body()) },
      new Date(),
    );
    expect((await rejection(wrongHeader)).status).toBe(401);
  });

  it("refuses deliveries from outside the allowlist", async () => {
    const listed = verifierFor({
      HMS_WEBHOOK_SECRET: SECRET,
      HMS_WEBHOOK_ALLOWED_IPS: "34.100.213.146/32, 10.1.0.0/16",
    });
    const from = (address: string) =>
      listed.receive(
        { headers: { "x-webhook-secret": SECRET }, body: Buffer.from(body()), remoteAddress: address },
        new Date(),
      );
    await expect(from("34.100.213.146")).resolves.toMatchObject({ type: "peer.join.success" });
    await expect(from("::ffff:10.1.200.3")).resolves.toMatchObject({ type: "peer.join.success" });
    expect((await rejection(from("34.100.213.147"))).status).toBe(403);
  });

  it("refuses what is not the documented event (400), with the secret right", async () => {
    const headers = { "x-webhook-secret": SECRET };
    expect((await rejection(receive("not json", headers))).status).toBe(400);
    expect((await rejection(receive(JSON.stringify({ type: "peer.join.success" }), headers))).status).toBe(
      400,
    );
    expect(
      (await rejection(receive(body("peer.join.success", { duration: "long" }), headers))).message,
    ).toMatch(/duration/);
  });

  it("keeps no download link, stream key or recorder URL (the spec's x-sensitive marks)", async () => {
    const event = await receive(
      body("recording.success", {
        recording_path: "s3://bucket/rec.mp4",
        recording_presigned_url: "https://storage.example/rec.mp4?X-Signature=test-signature-value",
        meeting_url: "https://app.example/meet?token=test-meeting-token",
        rtmp: [{ url: "rtmp://live.example/app", stream_key: "test-stream-key" }],
      }),
      { "x-webhook-secret": SECRET },
    );
    const text = JSON.stringify(event);
    expect(text).not.toContain("test-signature-value");
    expect(text).not.toContain("test-meeting-token");
    expect(text).not.toContain("test-stream-key");
    expect(event.facts.recording_path).toBe("s3://bucket/rec.mp4");
  });
});
