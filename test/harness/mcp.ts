/**
 * A real MCP client connected to a real rooms-mcp server instance, in memory.
 */
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { createRoomsServer } from "../../src/server.js";
import type { BoundTool } from "../../src/tools/define.js";

export interface ConnectedClient {
  readonly client: Client;
  close(): Promise<void>;
}

export async function connectClient(
  tools: readonly BoundTool[],
  secrets: readonly string[] = [],
): Promise<ConnectedClient> {
  const server = createRoomsServer({ name: "rooms-mcp-test", version: "0.0.0" }, tools, secrets);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "rooms-mcp-tests", version: "0.0.0" });
  await server.connect(serverTransport);
  await client.connect(clientTransport);
  return {
    client,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}
