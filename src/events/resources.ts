/**
 * A room's recent events as MCP resources: `rooms-mcp://events/<provider>/<room>` (a LiveKit room name, a
 * 100ms room id or name) reads the newest events of that room, newest last, in the summary view the tools
 * return. Listed are the rooms with events among the newest the store holds. The room scope applies.
 */
import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/server";
import type { ProviderId } from "../providers/provider.js";
import type { EventAccess } from "./access.js";
import { eventView, inRoomScope, matchesFilter, type StoredEvent } from "./event.js";

/** How many events a read shows, and how far back the listing looks for rooms. */
const READ_EVENTS = 50;
const LISTING_WINDOW = 1_000;

export interface EventResourceProvider {
  readonly id: ProviderId;
  readonly displayName: string;
}

export function eventResourceUri(provider: ProviderId, room: string): string {
  return `rooms-mcp://events/${provider}/${encodeURIComponent(room)}`;
}

export function registerEventResources(
  server: McpServer,
  access: EventAccess,
  providers: readonly EventResourceProvider[],
  roomAllowed: ((name: string) => boolean) | undefined,
): void {
  for (const provider of providers) {
    if (!access.receiving.has(provider.id)) {
      continue;
    }
    const template = new ResourceTemplate(`rooms-mcp://events/${provider.id}/{room}`, {
      list: async () => {
        const rooms = new Map<string, string>();
        for (const event of await access.store.newest(LISTING_WINDOW)) {
          const room = event.room_name ?? event.room_id;
          if (event.provider === provider.id && room !== undefined && inRoomScope(event, roomAllowed)) {
            rooms.set(room, event.occurred_at);
          }
        }
        return {
          resources: [...rooms].map(([room]) => ({
            uri: eventResourceUri(provider.id, room),
            name: `${provider.displayName} events: ${room}`,
            mimeType: "application/json",
          })),
        };
      },
    });
    server.registerResource(
      `${provider.id}-room-events`,
      template,
      {
        title: `${provider.displayName} room events`,
        description: `The newest ${READ_EVENTS} events of one ${provider.displayName} room, from its webhooks.`,
        mimeType: "application/json",
      },
      async (uri, variables) => {
        const room = decodeURIComponent(String(variables.room ?? ""));
        const events = (await access.store.newest(LISTING_WINDOW))
          .filter((e) =>
            matchesFilter({ provider: provider.id, room, ...(roomAllowed ? { roomAllowed } : {}) }, e),
          )
          .slice(-READ_EVENTS)
          .map((e) => eventView(e));
        return {
          contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify({ room, events }) }],
        };
      },
    );
  }
}

/** The resource URIs an event changes: its room by name and by id. */
export function eventResourceUris(event: StoredEvent): string[] {
  return [event.room_name, event.room_id]
    .filter((room): room is string => room !== undefined && room !== "")
    .map((room) => eventResourceUri(event.provider, room));
}

/**
 * Advertises that event resources can be subscribed to. On a 2026-07-28 request the SDK's listen router
 * then honours `resourceSubscriptions` on `subscriptions/listen`; each serving entry publishes the updates
 * (stdio: {@link notifyEventResourceUpdates}; HTTP: the server's handler.notify). A 2025-era HTTP client has
 * no stream to be told on, so its `resources/subscribe` is refused, saying so.
 */
export function advertiseEventResourceUpdates(server: McpServer, perConnection: boolean): void {
  server.server.registerCapabilities({ resources: { subscribe: true } });
  if (!perConnection) {
    const refuse = () => {
      throw new Error(
        "resource subscriptions need a connection that lasts: over HTTP, open a subscriptions/listen stream " +
          "(protocol 2026-07-28), or read the resource again",
      );
    };
    server.server.setRequestHandler("resources/subscribe", refuse);
    server.server.setRequestHandler("resources/unsubscribe", refuse);
  }
}

/**
 * Update notifications for one long-lived server instance (stdio): `notifications/resources/updated` for a
 * room's events resource when an event of that room arrives. A 2025-era client is told only about the
 * resources it subscribed to (`resources/subscribe`); on a 2026-07-28 connection the SDK's listen router
 * delivers them to the `subscriptions/listen` streams that asked for them. Call before the instance connects.
 */
export function notifyEventResourceUpdates(
  server: McpServer,
  access: EventAccess,
  providers: ReadonlySet<ProviderId>,
  roomAllowed: ((name: string) => boolean) | undefined,
): void {
  const subscribed = new Set<string>();
  server.server.setRequestHandler("resources/subscribe", (request) => {
    subscribed.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler("resources/unsubscribe", (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });
  let unsubscribe: (() => void) | undefined;
  let closed = false;
  void access.store
    .subscribe((event) => {
      if (!providers.has(event.provider) || !inRoomScope(event, roomAllowed)) {
        return;
      }
      // A 2025-era client has introduced itself (initialize); a 2026-07-28 one has not.
      const modern = server.server.getClientVersion() === undefined;
      for (const uri of eventResourceUris(event)) {
        if (modern || subscribed.has(uri)) {
          server.server.sendResourceUpdated({ uri }).catch(() => undefined);
        }
      }
    })
    .then((stop) => {
      unsubscribe = stop;
      if (closed) {
        stop();
      }
    });
  const previous = server.server.onclose;
  server.server.onclose = () => {
    closed = true;
    unsubscribe?.();
    previous?.();
  };
}
