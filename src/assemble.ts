/**
 * Which tools a run serves: each provider's generated tool listing, cut to the operator's selection and
 * confined to the room scope (src/control/), each tool bound to a client built from the environment on
 * its provider's first call (so a start-up loads no manifest, client or generated protobuf code).
 */
import {
  checkCallScope,
  checkResultRoom,
  filterListedRooms,
  isScopable,
  type RoomScope,
  roomScope,
} from "./control/scope.js";
import { DEFAULT_SELECTION, type SelectionOptions, selectTools } from "./control/selection.js";
import { onceAsync } from "./once.js";
import type { AnyDescriptor } from "./providers/catalog.js";
import type { Env } from "./providers/provider.js";
import type { AnyProvider } from "./providers/registry.js";
import { type BoundTool, bindTools, type JsonSchema, type ServedTool } from "./tools/define.js";

export interface AssembledTools {
  readonly tools: ServedTool[];
  /** Credential values to scrub from every result. */
  readonly secrets: string[];
  /** Things the operator should know, for stderr. */
  readonly notices: string[];
  /** The providers served, with their settings (for their webhook receivers). */
  readonly served: { readonly provider: AnyDescriptor; readonly config: unknown }[];
}

export interface AssembleOptions {
  /**
   * The providers to serve when `only` is not given: every one whose credentials are set (the CLI passes
   * the catalog; tests may pass the registry's PROVIDERS).
   */
  readonly providers?: readonly AnyDescriptor[];
  /** Serve only this provider, under plain tool names. */
  readonly only?: AnyDescriptor | undefined;
  readonly selection?: SelectionOptions;
  /** Room scope patterns (`--rooms`). */
  readonly rooms?: readonly string[] | undefined;
}

/**
 * `only` set: that provider's tools under their plain names (it may fall back to a local default, as
 * LiveKit does; one without a default needs its credentials). `only` unset: every provider with
 * credentials, names prefixed; none configured still starts, and says what to set. A half-configured
 * provider throws, naming the missing variables; so does a selection naming an unknown toolset or tool.
 */
export function assembleTools(env: Env, options: AssembleOptions = {}): AssembledTools {
  const { only } = options;
  const assembled: AssembledTools = { tools: [], secrets: [], notices: [], served: [] };
  const scope = options.rooms === undefined ? undefined : roomScope(options.rooms);
  const served: { provider: AnyDescriptor; tools: ServedTool[] }[] = [];
  const candidates = only === undefined ? (options.providers ?? []) : [only];
  for (const provider of candidates) {
    const configured = provider.configFromEnv(env, { standalone: only !== undefined });
    if (configured.kind === "invalid") {
      throw new Error(`${provider.displayName}: ${configured.problem}`);
    }
    if (configured.kind === "absent") {
      if (only !== undefined) {
        throw new Error(`${provider.displayName}: set ${provider.credentials}`);
      }
      continue;
    }
    if (configured.notice !== undefined) {
      assembled.notices.push(configured.notice);
    }
    served.push({
      provider,
      tools: serveProvider(provider, configured.config, only === undefined ? provider.toolPrefix : "", scope),
    });
    assembled.secrets.push(...provider.secretsOf(configured.config));
    // The webhook receiver's own secrets (100ms's secret header value) are scrubbed and never logged too.
    for (const variable of provider.events.environment.filter((v) => v.secret)) {
      const value = env[variable.name];
      if (value !== undefined && value !== "") {
        assembled.secrets.push(value);
      }
    }
    assembled.served.push({ provider, config: configured.config });
  }
  const selected = selectTools(
    served.map(({ provider, tools }) => ({
      id: provider.id,
      toolsets: provider.toolsets,
      tools: tools.map((t) => ({ name: t.name, baseName: t.baseName, readOnly: t.annotations.readOnlyHint })),
    })),
    options.selection ?? DEFAULT_SELECTION,
  );
  assembled.tools.push(...served.flatMap(({ tools }) => tools).filter((tool) => selected.has(tool.name)));
  if (only === undefined && served.length === 0) {
    const each = candidates.map((p) => `${p.credentials} for ${p.displayName}`).join("; ");
    assembled.notices.push(`No provider credentials are set, so no tools are served. Set ${each}.`);
  }
  return assembled;
}

/**
 * A provider's tools from its generated listing (under a room scope, only those that can be confined). The
 * provider module loads, its client is built and all its tools are bound on the first call of any of them;
 * a load that fails is tried again on the next call.
 */
export function serveProvider(
  provider: AnyDescriptor,
  config: unknown,
  prefix = "",
  scope?: RoomScope,
): ServedTool[] {
  const bindAll = onceAsync(async (): Promise<ReadonlyMap<string, BoundTool>> => {
    const loaded = await provider.load();
    const tools = bindProvider(loaded, loaded.createClient(config), prefix, scope);
    return new Map(tools.map((tool) => [tool.name, tool]));
  });
  return provider
    .listing()
    .filter((listed) => scope === undefined || isScopable(listed.targets))
    .map((listed) => {
      const name = `${prefix}${listed.name}`;
      return {
        ...listed,
        name,
        baseName: listed.name,
        provider: provider.id,
        async bind() {
          const tool = (await bindAll()).get(name);
          if (tool === undefined) {
            // generate:check keeps the listing and the manifests in step; this is a stale build.
            throw new Error(
              `${name} is in the generated tool listing but not in the manifest (run npm run generate)`,
            );
          }
          return tool;
        },
      };
    });
}

/**
 * A provider's tools bound to its client: with their targets, a `reason` argument on destructive tools
 * (for the audit log), and, under a room scope, only the tools that can be confined, each confined.
 */
export function bindProvider(
  provider: AnyProvider,
  client: unknown,
  prefix = "",
  scope?: RoomScope,
): BoundTool[] {
  const tools = bindTools(provider.manifest.tools, client, {
    provider: provider.id,
    prefix,
    targets: provider.targets,
  }).map(withReason);
  if (scope === undefined) {
    return tools;
  }
  const resolve = provider.resolveRoom?.bind(provider, client);
  return tools
    .filter((tool) => isScopable(tool.targets))
    .map((tool) => ({
      ...tool,
      async invoke(args, signal, context) {
        await checkCallScope(scope, tool.targets, args, resolve, signal);
        const listed = await tool.invoke(args, signal, {
          ...context,
          roomAllowed: (name) => scope.allows(name),
        });
        // Tools that page over the vendor's own pages cannot filter first; their pages are filtered here.
        const result = filterListedRooms(scope, tool.targets, listed);
        await checkResultRoom(scope, tool.targets, result, resolve, signal);
        return result;
      },
    }));
}

const REASON: JsonSchema = {
  type: "string",
  maxLength: 500,
  description: "Why, in a sentence; kept in the audit log, sent to no one.",
};

/** Destructive tools take a `reason` for the audit log; where the API has none, it is never sent. */
function withReason(tool: BoundTool): BoundTool {
  const properties = (tool.inputSchema.properties ?? {}) as Record<string, JsonSchema>;
  if (!tool.annotations.destructiveHint || "reason" in properties) {
    return tool;
  }
  return {
    ...tool,
    inputSchema: { ...tool.inputSchema, properties: { ...properties, reason: REASON } },
    invoke: ({ reason: _, ...args }, signal, context) => tool.invoke(args, signal, context),
  };
}
