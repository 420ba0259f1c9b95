/**
 * The webhook endpoints, `POST /webhooks/<provider command>` (`/webhooks/livekit`, `/webhooks/100ms`): the
 * raw body is read under a limit, the provider's verifier proves and decodes it, the store keeps it once,
 * and only then is the vendor told 200. Unproven → 401/403, unreadable → 400, and nothing is stored; a store
 * that cannot be written → 503, so the vendor delivers again. Logs name the provider, type and outcome,
 * never a payload or a header.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody, sendJson } from "../http/node-bridge.js";
import { log } from "../log.js";
import type { ProviderId } from "../providers/provider.js";
import type { EventStore } from "./store.js";
import { WebhookRejection, type WebhookVerifier } from "./webhook.js";

export const WEBHOOK_PATH_PREFIX = "/webhooks/";

/** Vendors' events are small; a megabyte leaves room for a large room's participant list. */
export const DEFAULT_WEBHOOK_BODY_BYTES = 1024 * 1024;

export interface WebhookEndpoint {
  readonly provider: ProviderId;
  /** The path segment, the provider's command word (`livekit`, `100ms`). */
  readonly segment: string;
  readonly displayName: string;
  /** Absent: the provider is served but its webhooks are not set up (the reason, for the 404). */
  readonly verifier: WebhookVerifier | undefined;
  readonly notEnabled?: string;
}

/** Answers a request below /webhooks/; resolves to the access-log outcome. */
export type WebhookRoute = (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<string>;

export function webhookRoute(options: {
  readonly endpoints: readonly WebhookEndpoint[];
  readonly store: EventStore;
  readonly maxBodyBytes?: number;
  readonly now?: () => Date;
}): WebhookRoute {
  const limit = options.maxBodyBytes ?? DEFAULT_WEBHOOK_BODY_BYTES;
  const now = options.now ?? (() => new Date());
  const bySegment = new Map(options.endpoints.map((e) => [e.segment, e]));
  return async (req, res, pathname) => {
    const endpoint = bySegment.get(pathname.slice(WEBHOOK_PATH_PREFIX.length));
    if (endpoint === undefined) {
      sendJson(res, 404, {
        error: `no webhook endpoint here; these are: ${[...bySegment.keys()].map((s) => WEBHOOK_PATH_PREFIX + s).join(", ")}`,
      });
      return "not_found";
    }
    if ((req.method ?? "GET").toUpperCase() !== "POST") {
      sendJson(res, 405, { error: "webhooks are POSTed" }, { allow: "POST" });
      return "bad_method";
    }
    if (endpoint.verifier === undefined) {
      sendJson(res, 404, {
        error: `${endpoint.displayName} webhooks are not enabled here: ${endpoint.notEnabled ?? ""}`,
      });
      return "not_enabled";
    }
    const read = await readBody(req, limit);
    if (read.kind !== "read") {
      if (read.kind === "too_large") {
        sendJson(res, 413, { error: `the body is larger than ${limit} bytes` }, { connection: "close" });
      } else {
        res.destroy();
      }
      return read.kind;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) {
        headers[name] = Array.isArray(value) ? value.join(", ") : value;
      }
    }
    let outcome: string;
    try {
      const event = await endpoint.verifier.receive(
        { headers, body: read.body, remoteAddress: req.socket.remoteAddress },
        now(),
      );
      const { stored } = await options.store.append(event).catch((error: unknown) => {
        throw new StoreUnavailable(error);
      });
      outcome = stored ? "stored" : "duplicate";
      sendJson(res, 200, { stored });
      log("info", "webhook", { provider: endpoint.provider, type: event.type, outcome });
      return outcome;
    } catch (error) {
      if (error instanceof WebhookRejection) {
        sendJson(res, error.status, { error: error.message });
        outcome = error.status === 400 ? "malformed" : "unverified";
      } else if (error instanceof StoreUnavailable) {
        sendJson(
          res,
          503,
          { error: "the event store is unavailable: deliver again" },
          { "retry-after": "5" },
        );
        outcome = "store_unavailable";
        log("error", "webhook not stored", { provider: endpoint.provider, error: error.message });
      } else {
        sendJson(res, 500, { error: "internal error" });
        outcome = "internal";
        log("error", "webhook failed", { provider: endpoint.provider, error: (error as Error).message });
      }
      log("warn", "webhook refused", { provider: endpoint.provider, outcome });
      return outcome;
    }
  };
}

class StoreUnavailable extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}
