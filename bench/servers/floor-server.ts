/**
 * The bench's floor for a call: the same MCP SDK, one tool that fetches a LiveKit answer (JSON, as the
 * server sends it), parses it and returns it whole as one text block. No token, no validation, no view:
 * the least any server returning that answer must do.
 */
import { fromJsonSchema, McpServer } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";

const base = process.env.LIVEKIT_URL ?? "http://127.0.0.1:7880";

serveStdio(() => {
  const server = new McpServer({ name: "floor", version: "0.0.0" }, { capabilities: { tools: {} } });
  server.registerTool(
    "fetch",
    {
      description: "Call a RoomService RPC and return its answer.",
      inputSchema: fromJsonSchema<{ rpc: string; body?: Record<string, unknown> }>({
        type: "object",
        properties: { rpc: { type: "string" }, body: { type: "object" } },
        required: ["rpc"],
      }),
    },
    async ({ rpc, body }) => {
      const response = await fetch(`${base}/twirp/livekit.RoomService/${rpc}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body ?? {}),
      });
      const answer: unknown = JSON.parse(await response.text());
      return { content: [{ type: "text", text: JSON.stringify(answer) }] };
    },
  );
  return server;
});
