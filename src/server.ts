/**
 * Server assembly: registers bound tools on an MCP server and maps every outcome to a tool result.
 *
 * Success → `structuredContent` (matching the tool's outputSchema) plus one compact JSON text block.
 * Failure of any kind → `isError: true` with one text block an agent can act on. Nothing a tool does can
 * crash the process or surface as a JSON-RPC error, and configured secrets are scrubbed from every text.
 */
import { type CallToolResult, fromJsonSchema, McpServer } from "@modelcontextprotocol/server";
import { createArgumentValidator } from "./argument-validator.js";
import { isArgumentError, isUpstreamError } from "./errors.js";
import { log } from "./log.js";
import { providerById } from "./providers/registry.js";
import { secretScrubber } from "./secrets.js";
import type { BoundTool, ToolArguments } from "./tools/define.js";

export interface ServerInfo {
  readonly name: string;
  readonly version: string;
}

/**
 * Builds one MCP server instance. `secrets` are credential values that must never appear in a result, even
 * if an upstream echoes them back.
 */
export function createRoomsServer(
  info: ServerInfo,
  tools: readonly BoundTool[],
  secrets: readonly string[] = [],
): McpServer {
  const server = new McpServer(
    { name: info.name, version: info.version },
    {
      capabilities: { tools: {} },
      instructions:
        "Tools operate live rooms on real servers. Read-only tools are safe to call freely; tools marked destructive " +
        "disconnect people or end sessions, so confirm the target (room, identity) first.",
    },
  );
  const scrub = secretScrubber(secrets, 8);
  const validator = createArgumentValidator();
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: fromJsonSchema<ToolArguments>(tool.inputSchema, validator),
        outputSchema: fromJsonSchema<Record<string, unknown>>(tool.outputSchema, validator),
        annotations: { title: tool.title, ...tool.annotations },
      },
      async (args, ctx) => {
        const started = Date.now();
        try {
          const result = await tool.invoke(args, ctx.mcpReq.signal);
          log("info", "tool call", { tool: tool.name, outcome: "ok", ms: Date.now() - started });
          return successResult(result, scrub);
        } catch (error) {
          log("info", "tool call", { tool: tool.name, outcome: outcomeOf(error), ms: Date.now() - started });
          return errorResult(error, tool.name, scrub);
        }
      },
    );
  }
  return server;
}

function successResult(result: Record<string, unknown>, scrub: (text: string) => string): CallToolResult {
  const text = scrub(JSON.stringify(result));
  // If a secret had to be scrubbed, the structured copy is rebuilt from the scrubbed text.
  const structuredContent =
    text === JSON.stringify(result) ? result : (JSON.parse(text) as Record<string, unknown>);
  return { content: [{ type: "text", text }], structuredContent };
}

function errorResult(error: unknown, toolName: string, scrub: (text: string) => string): CallToolResult {
  return { content: [{ type: "text", text: scrub(describeError(error, toolName)) }], isError: true };
}

/** One message per failure, saying what failed, the vendor's own code and words, and what to do. */
export function describeError(error: unknown, toolName: string): string {
  if (isArgumentError(error)) {
    return `Invalid argument "${error.argument}": ${sentence(error.message)}`;
  }
  if (isUpstreamError(error)) {
    const status = error.status === undefined ? "" : ` (HTTP ${error.status})`;
    // raw_message only repeats the message with LiveKit's "twirp error unknown: " prefix still on.
    const { raw_message: _, ...shown } = error.details;
    const details = Object.keys(shown).length === 0 ? "" : ` Details: ${JSON.stringify(shown)}.`;
    const hint = error.hint === undefined ? "" : ` ${error.hint}`;
    return `${providerById(error.provider).displayName} error ${error.code}${status}: ${sentence(error.message)}${details}${hint}`;
  }
  // A bug of ours, not the caller's: say so, and log it for the operator.
  log("error", "tool failed unexpectedly", {
    tool: toolName,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  return `Internal error in ${toolName}: ${error instanceof Error ? error.message : String(error)}`;
}

function sentence(text: string): string {
  const trimmed = text.trimEnd();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function outcomeOf(error: unknown): string {
  if (isUpstreamError(error)) {
    return `${error.provider}:${error.code}`;
  }
  if (isArgumentError(error)) {
    return "invalid_argument";
  }
  return "internal";
}
