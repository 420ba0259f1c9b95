/**
 * Webhook deliveries as the vendors send them, for the tests: LiveKit's signed with LiveKit's own published
 * code (livekit-server-sdk's AccessToken with the body's sha256, the body from @livekit/protocol's
 * WebhookEvent), 100ms's with the dashboard's secret header.
 */
import { createHash } from "node:crypto";
import { WebhookEvent } from "@livekit/protocol";
import { AccessToken } from "livekit-server-sdk";
import { expect } from "vitest";
import { WebhookRejection } from "../../src/events/webhook.js";

export const LIVEKIT_TEST_KEY = "test-webhook-key";
export const LIVEKIT_TEST_SECRET = "test-webhook-secret-of-32-bytes-or-more";

let counter = 0;

/** A participant_joined (or other) event body, proto JSON as LiveKit's server writes it. */
export function livekitEventBody(
  fields: { event?: string; room?: string; identity?: string; id?: string } = {},
): string {
  const event = new WebhookEvent({
    event: fields.event ?? "participant_joined",
    id: fields.id ?? `EV_test_${++counter}`,
    createdAt: BigInt(Math.floor(Date.now() / 1000)),
    room: { sid: "RM_test", name: fields.room ?? "design-review-42" },
    ...(fields.identity === undefined
      ? {}
      : { participant: { sid: `PA_${fields.identity}`, identity: fields.identity, name: fields.identity } }),
  });
  return event.toJsonString();
}

/** The Authorization header LiveKit sends with `body`. */
export async function livekitSignature(
  body: string,
  key = LIVEKIT_TEST_KEY,
  secret = LIVEKIT_TEST_SECRET,
): Promise<string> {
  const token = new AccessToken(key, secret, { ttl: "5m" });
  token.sha256 = createHash("sha256").update(body).digest("base64");
  return token.toJwt();
}

/** Posts a delivery; resolves to the status and the JSON answer. */
export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { method: "POST", body, headers });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
}

export async function postLivekitWebhook(base: string, body: string, authorization?: string) {
  return postWebhook(`${base}/webhooks/livekit`, body, {
    "content-type": "application/webhook+json",
    authorization: authorization ?? (await livekitSignature(body)),
  });
}

/** The refusal a verifier threw (failing the test when it accepted instead). */
export async function rejection(promise: Promise<unknown>): Promise<WebhookRejection> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookRejection);
  return error as WebhookRejection;
}
