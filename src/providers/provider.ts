/**
 * What a provider is to the rest of the server, in two parts: a descriptor (src/providers/<id>/descriptor.ts)
 * with what a start-up needs (settings, the generated tool listing, webhook settings), small to load, and the
 * provider module (src/providers/<id>/index.ts: manifest, client, event tools) it loads on the first call.
 * The catalog (catalog.ts) lists the descriptors, the registry (registry.ts) the loaded modules; nothing
 * else names providers.
 */
import type { RoomRef } from "../control/scope.js";
import type { EventFilter, RoomEvent } from "../events/event.js";
import type { WebhookVerifier } from "../events/webhook.js";
import type { ListedTool, Manifest, ToolsetDefinition, ToolTargets } from "../tools/define.js";

/**
 * A provider's one id: in code, in folders (src/providers/<id>, src/tools/<id>, test/fixtures/<id>,
 * test/toolsnaps/<id>) and in errors. The registry's type makes every id have exactly one module.
 */
export type ProviderId = "livekit" | "hms";

export type Env = Readonly<Record<string, string | undefined>>;

export type ConfigResult<T> =
  | { readonly kind: "configured"; readonly config: T; readonly notice?: string }
  | { readonly kind: "absent" }
  | { readonly kind: "invalid"; readonly problem: string };

/** An environment variable a provider reads, for --help and the docs. */
export interface EnvVariable {
  readonly name: string;
  readonly description: string;
  /** Its value is a credential: scrubbed from every result, never logged. */
  readonly secret: boolean;
}

/** How record mode points a provider at its recording proxy, and what of each exchange to keep. */
export interface RecordTarget {
  /** The environment variable holding the upstream URL, and its default. */
  readonly urlVariable: string;
  readonly defaultUrl: string;
  /** Extra request facts worth keeping (LiveKit: the grants inside the token). */
  describeAuth?(authorization: string | undefined): Promise<Record<string, unknown>>;
  /** Request body fields that differ on every call (the runner then only checks they are present). */
  readonly volatileFields?: readonly string[];
  /** Secret values one exchange carries by the provider's spec (100ms: `x-sensitive` values). */
  sensitiveValues?(exchange: { request: RecordedRequest; response: { body?: unknown } }): string[];
}

export interface RecordedRequest {
  readonly method: string;
  /** Below the API base URL, with the query. */
  readonly path: string;
  readonly body?: unknown;
}

/**
 * What the server knows of a provider before its first call: enough to read its settings, list its tools,
 * select them and receive its webhooks. `load()` brings in the rest.
 */
export interface ProviderDescriptor<Config> {
  readonly id: ProviderId;
  /** How people name the vendor: in error texts, help and docs. */
  readonly displayName: string;
  /** The word `rooms-mcp <command>` takes to serve only this provider. */
  readonly command: string;
  /** Prefix of its tool names when several providers are served together (`livekit_`, `hms_`). */
  readonly toolPrefix: string;
  readonly environment: readonly EnvVariable[];
  /** What to set to configure it, in words (`LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET`). */
  readonly credentials: string;
  /**
   * Settings from the environment. `standalone`: the operator asked for this provider alone (it may then
   * fall back to a local default); otherwise an unset provider is simply absent.
   */
  configFromEnv(env: Env, mode: { readonly standalone: boolean }): ConfigResult<Config>;
  /** Credential values that must never appear in a result, even if an upstream echoes them. */
  secretsOf(config: Config): string[];
  /** Named groups of its tools, for --toolsets. */
  readonly toolsets: readonly ToolsetDefinition[];
  /** Its webhook receiver's settings. */
  readonly events: EventSettings<Config>;
  /**
   * Its tools as tools/list shows them, with their targets: generated from its manifest by `npm run
   * generate` (src/generated/<id>/tool_listing.ts), so listing them loads none of the manifest's code.
   */
  listing(): readonly ListedTool[];
  /** The whole provider: its manifest, client and event tools (loaded once). */
  load(): Promise<Provider<Config, unknown>>;
}

export interface Provider<Config, Client> extends ProviderDescriptor<Config> {
  createClient(config: Config): Client;
  readonly manifest: Manifest<Client>;
  /** What each tool acts on, by tool name (room scope, confirmations, audit). */
  readonly targets: Readonly<Record<string, ToolTargets>>;
  /**
   * A room's id and name from a room id or the id of something in it (the kinds its targets' `belongsTo`
   * names), for room scope where tools take ids: read from the API, never acted on.
   */
  resolveRoom?(
    client: Client,
    ref: RoomRef,
    signal: AbortSignal,
  ): Promise<{ readonly id: string; readonly name: string }>;
  readonly record: RecordTarget;
  /** Its webhooks and what can be learnt without them (src/events/, list_events and wait_for_event). */
  readonly events: ProviderEvents<Config, Client>;
}

/**
 * How a provider's webhooks are received: settings read at start-up, and a verifier whose code may load with
 * the first delivery (lazyVerifier, src/events/webhook.ts).
 */
export interface EventSettings<Config> {
  /** Settings of the receiver beyond the provider's credentials, for --help and the docs. */
  readonly environment: readonly EnvVariable[];
  /** The receiver for `/webhooks/<id>`; absent when its settings are not set. */
  webhook(env: Env, config: Config): ConfigResult<WebhookVerifier>;
  /** What to set on the vendor's side to send webhooks here, in a sentence (tool errors, notices). */
  readonly setup: string;
}

/** What a provider's webhooks say, how they are verified, and which waits its API can answer by polling. */
export interface ProviderEvents<Config, Client> extends EventSettings<Config> {
  /** Every event type the vendor sends, for the tools' descriptions. */
  readonly types: readonly string[];
  /**
   * The filter arguments of list_events and wait_for_event, in the contract's own names (LiveKit `room`,
   * `identity`; 100ms `room_id`, `user_id`, `peer_id`), each mapped to what it selects on.
   */
  readonly filters: readonly EventFilterArgument[];
  /** Waits the API can answer by asking again, by event type, where no webhooks reach the server. */
  readonly polls: Readonly<Record<string, EventPoll<Client>>>;
}

export interface EventFilterArgument {
  readonly name: string;
  /** What it selects: a field of the flat event, or a fact of it. */
  readonly selects:
    | { readonly field: "room" | "identity" | "participant_id" | "session_id" }
    | { readonly fact: string };
  readonly description: string;
  /** The argument names rooms (by name or by id), for room scope. */
  readonly names?: "roomNames" | "roomIds";
}

/**
 * One wait answered by polling: which filter fields it needs, and one look at the API that says whether the
 * awaited state holds now (then the event that stands for it) or not yet (undefined).
 */
export interface EventPoll<Client> {
  /** Filter arguments the poll cannot do without: each entry one argument, or alternatives of which one is needed. */
  readonly needs: readonly (string | readonly string[])[];
  /** What it checks, in words (the tool result says it polled, and for what). */
  readonly checks: string;
  check(client: Client, filter: EventFilter, signal: AbortSignal): Promise<RoomEvent | undefined>;
}
