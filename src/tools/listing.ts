/**
 * Tool listings: what tools/list shows of each tool, cut from the bound tool once: by `npm run generate`
 * into src/generated/<id>/tool_listing.ts (codegen/tool-listing.ts), or here for tools bound already.
 */
import type { BoundTool, ListedTool, ServedTool } from "./define.js";
import { leanInputSchema, leanOutputSchema } from "./lean-schemas.js";

/** The listing of one bound tool: its surface with lean schemas, its targets and handout. */
export function listingOf(tool: BoundTool): ListedTool {
  return {
    name: tool.baseName,
    title: tool.title,
    description: tool.description,
    annotations: tool.annotations,
    inputSchema: leanInputSchema(tool.inputSchema),
    outputSchema: leanOutputSchema(tool.outputSchema),
    targets: tool.targets,
    ...(tool.handsOut === undefined ? {} : { handsOut: tool.handsOut }),
  };
}

/** Tools bound already (tests, per-request tenants in HTTP mode), served as they are. */
export function servedTools(tools: readonly BoundTool[]): ServedTool[] {
  return tools.map((tool) => ({
    ...listingOf(tool),
    name: tool.name,
    baseName: tool.baseName,
    provider: tool.provider,
    bind: async () => tool,
  }));
}
