/**
 * The bench's baseline for cold start: the MCP SDK rooms-mcp uses, serving one tool over stdio, as a
 * minimal server would be written. Nothing of rooms-mcp is loaded.
 */
import { fromJsonSchema, McpServer } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";

serveStdio(() => {
  const server = new McpServer({ name: "one-tool", version: "0.0.0" }, { capabilities: { tools: {} } });
  server.registerTool(
    "echo",
    {
      title: "Echo",
      description: "Return the text given.",
      inputSchema: fromJsonSchema<{ text?: string }>({
        type: "object",
        properties: { text: { type: "string" } },
        additionalProperties: false,
      }),
    },
    async ({ text }) => ({ content: [{ type: "text", text: text ?? "" }] }),
  );
  return server;
});
