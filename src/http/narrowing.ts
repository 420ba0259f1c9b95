/**
 * Per-request narrowing: a caller may ask for less than the server serves, never for more. By URL path,
 * as GitHub's server does (`/mcp/readonly`, `/mcp/x/{toolsets}`, `/mcp/x/{toolsets}/readonly`), or by
 * header (`X-MCP-Readonly`, `X-MCP-Toolsets`, `X-MCP-Tools`, `X-MCP-Exclude-Tools`). Each is a selection
 * (src/control/selection.ts) over the tools the server was started with, so an unknown or unserved name
 * is refused with the message start-up would give, and the result is always a subset.
 */
import { type SelectableProvider, type SelectionOptions, selectTools } from "../control/selection.js";
import { providerById } from "../providers/registry.js";
import type { ServedTool } from "../tools/define.js";

export class NarrowingError extends Error {
  override readonly name = "NarrowingError";
}

/** One request's narrowing, parsed; `undefined` parts ask for nothing. */
export interface Narrowing {
  readonly readOnly: boolean;
  /** From the path and from the header: both apply (each can only take away). */
  readonly selections: readonly SelectionOptions[];
}

const BASE = "/mcp";

/** Whether the path is one this server answers MCP on. */
export function isMcpPath(pathname: string): boolean {
  return pathname === BASE || pathname.startsWith(`${BASE}/`);
}

/** The narrowing a request asks for, from its path and headers; throws NarrowingError on a bad one. */
export function narrowingOf(pathname: string, header: (name: string) => string | null): Narrowing {
  const selections: SelectionOptions[] = [];
  let readOnly = false;
  const parts = pathname
    .slice(BASE.length)
    .split("/")
    .filter((p) => p !== "");
  if (parts[0] === "x") {
    const toolsets = names(decodeURIComponent(parts[1] ?? ""));
    if (toolsets.length === 0) {
      throw new NarrowingError(
        "/mcp/x/ needs a toolset, e.g. /mcp/x/rooms or /mcp/x/livekit:rooms,hms:rooms",
      );
    }
    selections.push({ readOnly: false, toolsets, tools: undefined, excludeTools: [] });
    parts.splice(0, 2);
  }
  if (parts[0] === "readonly") {
    readOnly = true;
    parts.shift();
  }
  if (parts.length > 0) {
    throw new NarrowingError(
      `unknown path ${JSON.stringify(pathname)}: use /mcp, /mcp/readonly, /mcp/x/{toolsets} or /mcp/x/{toolsets}/readonly`,
    );
  }
  const flag = header("x-mcp-readonly");
  if (flag !== null) {
    const value = flag.trim().toLowerCase();
    if (!["1", "true", "0", "false"].includes(value)) {
      throw new NarrowingError(`X-MCP-Readonly must be true or false; not ${JSON.stringify(flag)}`);
    }
    readOnly ||= value === "1" || value === "true";
  }
  const toolsets = optionalNames(header("x-mcp-toolsets"));
  const tools = optionalNames(header("x-mcp-tools"));
  const excludeTools = optionalNames(header("x-mcp-exclude-tools")) ?? [];
  if (toolsets !== undefined || tools !== undefined || excludeTools.length > 0) {
    selections.push({ readOnly: false, toolsets, tools, excludeTools });
  }
  return { readOnly, selections };
}

/** A stable key for caching the narrowed names of one narrowing. */
export function narrowingKey(narrowing: Narrowing, readOnly: boolean): string {
  return JSON.stringify([narrowing.readOnly || readOnly, narrowing.selections]);
}

/**
 * The names of the tools left after narrowing `served` (the tools the server was started with). Throws
 * NarrowingError naming an unknown toolset or tool.
 */
export function narrowedNames(
  served: readonly ServedTool[],
  narrowing: Narrowing,
  readOnly: boolean,
): Set<string> {
  const providers = selectable(served);
  let names = new Set(served.map((t) => t.name));
  for (const selection of narrowing.selections) {
    // With no toolsets named, a selection starts from everything served, not from the defaults.
    const toolsets = selection.toolsets ?? (selection.tools === undefined ? ["all"] : undefined);
    let chosen: Set<string>;
    try {
      chosen = selectTools(providers, { ...selection, toolsets });
    } catch (error) {
      throw new NarrowingError(
        error instanceof Error ? error.message.replace("`rooms-mcp --help`", "tools/list") : String(error),
      );
    }
    names = new Set([...names].filter((n) => chosen.has(n)));
  }
  if (narrowing.readOnly || readOnly) {
    names = new Set(served.filter((t) => names.has(t.name) && t.annotations.readOnlyHint).map((t) => t.name));
  }
  return names;
}

function selectable(served: readonly ServedTool[]): SelectableProvider[] {
  const byProvider = new Map<string, ServedTool[]>();
  for (const tool of served) {
    byProvider.set(tool.provider, [...(byProvider.get(tool.provider) ?? []), tool]);
  }
  return [...byProvider].map(([id, tools]) => ({
    id,
    toolsets: providerById(id as Parameters<typeof providerById>[0]).toolsets,
    tools: tools.map((t) => ({ name: t.name, baseName: t.baseName, readOnly: t.annotations.readOnlyHint })),
  }));
}

function optionalNames(value: string | null): string[] | undefined {
  if (value === null) {
    return undefined;
  }
  const list = names(value);
  return list.length === 0 ? undefined : list;
}

function names(value: string): string[] {
  return value
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}
