/**
 * The tool surface: every tool exactly as `tools/list` shows it to an MCP client, served as the CLI serves
 * it (from the generated tool listings, src/generated/<id>/tool_listing.ts). The snapshot test compares it
 * with test/toolsnaps/, and `npm run surface:diff` reports how it changed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { serveProvider } from "../src/assemble.js";
import { CATALOG } from "../src/providers/catalog.js";
import { connectClient } from "../test/harness/mcp.js";

/** One tool as an agent sees it; the committed snapshot format. */
export interface ToolSnapshot {
  readonly name: string;
  readonly title?: string | undefined;
  readonly description?: string | undefined;
  readonly annotations?: Record<string, unknown> | undefined;
  readonly inputSchema: Record<string, unknown>;
  readonly outputSchema?: Record<string, unknown> | undefined;
}

/** Provider id → its tools' snapshots, in manifest order. */
export type Surface = Record<string, ToolSnapshot[]>;

export const SNAPSHOT_DIR = "test/toolsnaps";

export async function collectSurface(): Promise<Surface> {
  const surface: Surface = {};
  for (const provider of CATALOG) {
    // Listing never calls a tool, so the tools need no settings.
    const mcp = await connectClient(serveProvider(provider, undefined));
    const { tools: listed } = await mcp.client.listTools();
    await mcp.close();
    surface[provider.id] = listed.map((tool) => ({
      name: tool.name,
      title: tool.title,
      description: tool.description,
      annotations: tool.annotations,
      inputSchema: tool.inputSchema,
      outputSchema: tool.outputSchema,
    }));
  }
  return surface;
}

/** The committed snapshots, as a Surface (providers and tools in directory order). */
export function readSnapshots(dir: string = SNAPSHOT_DIR): Surface {
  const surface: Surface = {};
  for (const provider of listDir(dir)) {
    surface[provider] = listDir(join(dir, provider))
      .filter((file) => file.endsWith(".json"))
      .map((file) => JSON.parse(readFileSync(join(dir, provider, file), "utf8")) as ToolSnapshot);
  }
  return surface;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
