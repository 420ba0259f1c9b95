/**
 * HTTP mode, 2026-07-28: a client's `subscriptions/listen` stream for a room's events resource hears
 * `notifications/resources/updated` when a webhook of that room arrives.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  LIVEKIT_TEST_KEY,
  LIVEKIT_TEST_SECRET,
  livekitEventBody,
  postLivekitWebhook,
} from "../harness/webhooks.js";
import { connectHttp, type InProcessServer, startInProcess, TEST_TOKEN } from "../http/helpers.js";

let server: InProcessServer;

beforeAll(async () => {
  server = await startInProcess(["livekit", "--toolsets", "events"], {
    LIVEKIT_URL: "http://127.0.0.1:9",
    LIVEKIT_API_KEY: LIVEKIT_TEST_KEY,
    LIVEKIT_API_SECRET: LIVEKIT_TEST_SECRET,
    ROOMS_MCP_HTTP_TOKENS: TEST_TOKEN,
  });
});
afterAll(async () => {
  await server?.close();
});

describe("event resource updates over HTTP", () => {
  it("reach an open listen stream that asked for the room's resource", async () => {
    const client = await connectHttp(server.url, "/mcp", {
      era: "modern",
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
    });
    try {
      const updated: string[] = [];
      client.setNotificationHandler("notifications/resources/updated", (n) => {
        updated.push(String(n.params.uri));
      });
      const uri = "rooms-mcp://events/livekit/design-review-42";
      const subscription = await client.listen({ resourceSubscriptions: [uri] });
      expect(subscription.honoredFilter.resourceSubscriptions).toEqual([uri]);
      await postLivekitWebhook(server.url, livekitEventBody({ identity: "x", room: "standup" }));
      await postLivekitWebhook(server.url, livekitEventBody({ identity: "y" }));
      await expect.poll(() => updated, { timeout: 5_000 }).toEqual([uri]);
      await subscription.close();
    } finally {
      await client.close();
    }
  });
});
