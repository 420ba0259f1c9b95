/**
 * Which tools a run serves: read-only, toolsets, individual tools and exclusions, as the operator chose
 * them. Unknown names stop start-up with a message naming them; nothing is silently ignored.
 */
import type { ToolsetDefinition } from "../tools/define.js";

export interface SelectionOptions {
  /** Serve only tools that change nothing. Wins over everything else. */
  readonly readOnly: boolean;
  /**
   * Toolset names (`rooms`, or `livekit:rooms` for one provider; `all`; `default`, the toolsets served when
   * none are named, so `default,events` adds to them); undefined: the defaults.
   */
  readonly toolsets: readonly string[] | undefined;
  /** Tool names served in addition to the toolsets (alone: exactly these tools). */
  readonly tools: readonly string[] | undefined;
  readonly excludeTools: readonly string[];
}

export const DEFAULT_SELECTION: SelectionOptions = {
  readOnly: false,
  toolsets: undefined,
  tools: undefined,
  excludeTools: [],
};

/** One served provider, as selection sees it. */
export interface SelectableProvider {
  readonly id: string;
  readonly toolsets: readonly ToolsetDefinition[];
  /** Tool names as served (prefixed in multi-provider mode), with the manifest name and read-only flag. */
  readonly tools: readonly { readonly name: string; readonly baseName: string; readonly readOnly: boolean }[];
}

export class SelectionError extends Error {
  override readonly name = "SelectionError";
}

/** The served names of the selected tools, in manifest order. Throws SelectionError naming unknown names. */
export function selectTools(
  providers: readonly SelectableProvider[],
  options: SelectionOptions,
): Set<string> {
  const chosen = new Set<string>();
  const knownToolsets = new Set([
    "all",
    "default",
    ...providers.flatMap((p) => p.toolsets.flatMap((t) => [t.name, `${p.id}:${t.name}`])),
  ]);
  const knownTools = new Set(providers.flatMap((p) => p.tools.flatMap((t) => [t.name, t.baseName])));
  const unknown = (kind: string, names: readonly string[], known: Set<string>, hint: string) => {
    const missing = names.filter((n) => !known.has(n));
    if (missing.length > 0) {
      throw new SelectionError(
        `unknown ${kind} ${missing.map((n) => JSON.stringify(n)).join(", ")}; ${hint}`,
      );
    }
  };
  const toolsetNames = [...knownToolsets]
    .filter((n) => !n.includes(":"))
    .sort()
    .join(", ");
  unknown("toolset", options.toolsets ?? [], knownToolsets, `known: ${toolsetNames}`);
  unknown(
    "tool",
    [...(options.tools ?? []), ...options.excludeTools],
    knownTools,
    "see `rooms-mcp --help` for the tools",
  );

  const toolsets = options.toolsets ?? (options.tools === undefined ? undefined : []);
  for (const provider of providers) {
    const wanted = (set: ToolsetDefinition) =>
      toolsets === undefined
        ? set.byDefault
        : toolsets.includes("all") ||
          (toolsets.includes("default") && set.byDefault) ||
          toolsets.includes(set.name) ||
          toolsets.includes(`${provider.id}:${set.name}`);
    const inToolsets = new Set(provider.toolsets.filter(wanted).flatMap((set) => set.tools));
    for (const tool of provider.tools) {
      const named = (list: readonly string[] | undefined) =>
        list?.includes(tool.name) === true || list?.includes(tool.baseName) === true;
      const selected =
        (inToolsets.has(tool.baseName) || named(options.tools)) && !named(options.excludeTools);
      if (selected && (tool.readOnly || !options.readOnly)) {
        chosen.add(tool.name);
      }
    }
  }
  return chosen;
}
