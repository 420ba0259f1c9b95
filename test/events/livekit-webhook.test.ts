/**
 * LiveKit webhooks against LiveKit's own published code: deliveries signed by livekit-server-sdk's
 * AccessToken over bodies written by @livekit/protocol are accepted and decoded; anything unproven or
 * altered is refused before it is read.
 */
import { createHash } from "node:crypto";
import { EgressStatus, WebhookEvent } from "@livekit/protocol";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { livekitWebhookVerifier } from "../../src/providers/livekit/webhook.js";
import {
  LIVEKIT_TEST_KEY,
  LIVEKIT_TEST_SECRET,
  livekitEventBody,
  livekitSignature,
  rejection,
} from "../harness/webhooks.js";

const verifier = livekitWebhookVerifier({ apiKey: LIVEKIT_TEST_KEY, apiSecret: LIVEKIT_TEST_SECRET });
const receive = (body: string, authorization: string | undefined, at = new Date()) =>
  verifier.receive(
    { headers: authorization === undefined ? {} : { authorization }, body: Buffer.from(body) },
    at,
  );

describe("LiveKit webhook verification", () => {
  it("accepts what LiveKit's own code signs, and decodes the event", async () => {
    const body = livekitEventBody({ identity: "maya.chen", id: "EV_accepts" });
    const event = await receive(body, await livekitSignature(body));
    expect(event).toMatchObject({
      id: "EV_accepts",
      provider: "livekit",
      type: "participant_joined",
      room_name: "design-review-42",
      room_id: "RM_test",
      identity: "maya.chen",
      participant_id: "PA_maya.chen",
    });
    expect(event.data).toMatchObject({ event: "participant_joined", participant: { identity: "maya.chen" } });
  });

  it("accepts the token with a Bearer prefix too", async () => {
    const body = livekitEventBody();
    await expect(receive(body, `Bearer ${await livekitSignature(body)}`)).resolves.toMatchObject({
      type: "participant_joined",
    });
  });

  it("refuses a delivery without a signature", async () => {
    expect((await rejection(receive(livekitEventBody(), undefined))).status).toBe(401);
  });

  it("refuses a token signed with another secret, or issued for another key", async () => {
    const body = livekitEventBody();
    const otherSecret = await livekitSignature(body, LIVEKIT_TEST_KEY, "another-secret-of-sufficient-length");
    expect((await rejection(receive(body, otherSecret))).status).toBe(401);
    const otherKey = await livekitSignature(body, "another-key", LIVEKIT_TEST_SECRET);
    expect((await rejection(receive(body, otherKey))).message).toMatch(/API key test-webhook-key/);
  });

  it("refuses a body changed after signing, by one byte", async () => {
    const body = livekitEventBody({ identity: "maya.chen" });
    const signature = await livekitSignature(body);
    const tampered = body.replace("maya.chen", "maya.chem");
    const refused = await rejection(receive(tampered, signature));
    expect([refused.status, refused.message]).toEqual([
      401,
      "the body's SHA-256 is not the one the token was signed for",
    ]);
    // Re-serialised JSON (a proxy that parses and writes again) is not the signed body either.
    const reserialised = JSON.stringify(JSON.parse(body), null, 1);
    expect((await rejection(receive(reserialised, signature))).status).toBe(401);
  });

  it("refuses an expired token (past LiveKit's minute of leeway)", async () => {
    const body = livekitEventBody();
    const signature = await livekitSignature(body);
    const later = new Date(Date.now() + 7 * 60 * 1000);
    expect((await rejection(receive(body, signature, later))).status).toBe(401);
  });

  it("refuses a token without the sha256 claim", async () => {
    const body = livekitEventBody();
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(LIVEKIT_TEST_KEY)
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(LIVEKIT_TEST_SECRET));
    expect((await rejection(receive(body, token))).status).toBe(401);
  });

  it("refuses a signed body that is not a WebhookEvent (400), and one without an id", async () => {
    const sign = async (text: string) => {
      const token = await new SignJWT({ sha256: createHash("sha256").update(text).digest("base64") })
        .setProtectedHeader({ alg: "HS256" })
        .setIssuer(LIVEKIT_TEST_KEY)
        .setExpirationTime("5m")
        .sign(new TextEncoder().encode(LIVEKIT_TEST_SECRET));
      return receive(text, token);
    };
    expect((await rejection(sign("not json"))).status).toBe(400);
    expect((await rejection(sign('{"event": 42}'))).status).toBe(400);
    expect((await rejection(sign('{"event": "room_started"}'))).message).toMatch(/no id/);
  });

  it("keeps no storage credential, stream key or TURN password (the specs' @sensitive marks)", async () => {
    const body = new WebhookEvent({
      event: "egress_ended",
      id: "EV_egress_secrets",
      room: { sid: "RM_1", name: "design-review-42", turnPassword: "test-turn-password" },
      egressInfo: {
        egressId: "EG_1",
        roomName: "design-review-42",
        status: EgressStatus.EGRESS_FAILED,
        error: "upload failed",
        request: {
          case: "roomComposite",
          value: {
            roomName: "design-review-42",
            fileOutputs: [
              {
                output: {
                  case: "s3",
                  value: { accessKey: "test-access-key-01", secret: "test-storage-secret-01" },
                },
              },
            ],
          },
        },
      },
    }).toJsonString();
    const event = await receive(body, await livekitSignature(body));
    const text = JSON.stringify(event);
    expect(text).not.toContain("test-storage-secret-01");
    expect(text).not.toContain("test-access-key-01");
    expect(text).not.toContain("test-turn-password");
    expect(event.facts).toMatchObject({
      egress_id: "EG_1",
      egress_status: "EGRESS_FAILED",
      error: "upload failed",
    });
  });

  it("ignores fields a newer LiveKit adds", async () => {
    const body = JSON.stringify({ ...JSON.parse(livekitEventBody()), somethingNew: { x: 1 } });
    await expect(receive(body, await livekitSignature(body))).resolves.toMatchObject({
      type: "participant_joined",
    });
  });
});
