/**
 * What a running server gives the event tools through their call context: the store, and for which
 * providers webhooks actually reach it (a receiver is listening with its settings configured). Without
 * webhooks, wait_for_event polls the API where it can.
 */
import type { ProviderId } from "../providers/provider.js";
import type { EventStore } from "./store.js";

export interface EventAccess {
  readonly store: EventStore;
  /** Providers whose webhooks are received (on /webhooks/<id> of the HTTP server or --webhook-port). */
  readonly receiving: ReadonlySet<ProviderId>;
  /** How often a polled wait looks at the API. */
  readonly pollIntervalMs: number;
  /** The longest a wait may last here (HTTP mode: below the request deadline). */
  readonly maxWaitMs?: number;
}

export const DEFAULT_POLL_INTERVAL_MS = 2_000;
