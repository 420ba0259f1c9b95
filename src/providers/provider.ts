/**
 * What a provider is to the rest of the server: one module per vendor (src/providers/<id>/index.ts) that
 * the registry (registry.ts) lists. The CLI, the server, errors, record mode, the fixture harness, the
 * snapshots and the README tables all read providers from there; nothing else names them.
 */
import type { Manifest, ToolsetDefinition, ToolTargets } from "../tools/define.js";

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
  describeAuth?(authorization: string | undefined): Record<string, unknown>;
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

export interface Provider<Config, Client> {
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
  createClient(config: Config): Client;
  readonly manifest: Manifest<Client>;
  /** Named groups of its tools, for --toolsets. */
  readonly toolsets: readonly ToolsetDefinition[];
  /** What each tool acts on, by tool name (room scope, confirmations, audit). */
  readonly targets: Readonly<Record<string, ToolTargets>>;
  /**
   * A room's id and name from its id or a session id, for room scope where the tools take ids (100ms).
   * Absent where rooms are only ever named (LiveKit).
   */
  resolveRoom?(
    client: Client,
    ref: { readonly roomId?: string; readonly sessionId?: string },
    signal: AbortSignal,
  ): Promise<{ readonly id: string; readonly name: string }>;
  readonly record: RecordTarget;
}
