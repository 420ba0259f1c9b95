/**
 * What a provider's webhook receiver is to the HTTP layer: it verifies one raw delivery and decodes it into a
 * {@link RoomEvent}, or refuses it with the status the vendor should see. The body arrives as the raw bytes
 * that were sent: signatures are over those bytes, never over a re-serialisation.
 */
import { onceAsync } from "../once.js";
import type { RoomEvent } from "./event.js";

export interface WebhookDelivery {
  /** Header names in lower case; repeated headers joined by the HTTP layer. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
  /** The peer address the request came from (for source allowlists). */
  readonly remoteAddress?: string | undefined;
}

export interface WebhookVerifier {
  /** Verifies and decodes; throws {@link WebhookRejection} when the delivery is not to be stored. */
  receive(delivery: WebhookDelivery, receivedAt: Date): Promise<RoomEvent>;
}

/** A delivery refused: 401 when it is not proven to come from the vendor, 400 when it cannot be read. */
export class WebhookRejection extends Error {
  constructor(
    readonly status: 400 | 401 | 403,
    message: string,
  ) {
    super(message);
    this.name = "WebhookRejection";
  }
}

/**
 * A verifier whose code loads with the first delivery, so a start-up that receives none never pays for it
 * (LiveKit's decodes with the generated protobuf code, 100ms's checks the spec's schema). A failed load is
 * tried again with the next delivery.
 */
export function lazyVerifier(load: () => Promise<WebhookVerifier>): WebhookVerifier {
  const verifier = onceAsync(load);
  return {
    async receive(delivery, receivedAt) {
      return (await verifier()).receive(delivery, receivedAt);
    },
  };
}
