/**
 * A real MCP client connected to a real rooms-mcp server instance: in memory (the 2025-era handshake), or
 * through the SDK's HTTP handler without a socket (the 2026-07-28 era), optionally able to answer
 * elicitations the way a person would.
 */
import {
  Client,
  type ElicitResult,
  InMemoryTransport,
  StreamableHTTPClientTransport,
} from "@modelcontextprotocol/client";
import { createMcpHandler } from "@modelcontextprotocol/server";
import { type CallControl, createRoomsServer } from "../../src/server.js";
import type { BoundTool, ServedTool } from "../../src/tools/define.js";
import { servedTools } from "../../src/tools/listing.js";

export interface ConnectedClient {
  readonly client: Client;
  close(): Promise<void>;
}

export interface ConnectOptions {
  readonly era?: "legacy" | "modern";
  /** Confirmation mode and audit log, as the CLI passes them. */
  readonly control?: CallControl;
  /** Declares elicitation support and answers each question with this (the person). */
  readonly elicit?: (message: string) => ElicitResult | Promise<ElicitResult>;
}

/** `tools`: bound already (a harness's own client), or served as the CLI serves them (assembleTools). */
export async function connectClient(
  tools: readonly BoundTool[] | readonly ServedTool[],
  secrets: readonly string[] = [],
  options: ConnectOptions = {},
): Promise<ConnectedClient> {
  const served = tools.map((tool) => ("bind" in tool ? tool : (servedTools([tool])[0] as ServedTool)));
  const factory = () =>
    createRoomsServer({ name: "rooms-mcp-test", version: "0.0.0" }, served, secrets, options.control);
  const client = new Client(
    { name: "rooms-mcp-tests", version: "0.0.0" },
    {
      ...(options.elicit === undefined ? {} : { capabilities: { elicitation: { form: {} } } }),
      // The SDK's client speaks 2025-era by default; "modern" pins 2026-07-28.
      ...(options.era === "modern" ? { versionNegotiation: { mode: { pin: "2026-07-28" } } } : {}),
    },
  );
  const { elicit } = options;
  if (elicit !== undefined) {
    client.setRequestHandler("elicitation/create", async (request) => elicit(String(request.params.message)));
  }
  if (options.era === "modern") {
    const handler = createMcpHandler(factory);
    const transport = new StreamableHTTPClientTransport(new URL("http://127.0.0.1/mcp"), {
      fetch: (url, init) => handler.fetch(new Request(url, init)),
    });
    await client.connect(transport);
    return {
      client,
      close: async () => {
        await client.close();
        await handler.close();
      },
    };
  }
  const server = factory();
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
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
