#!/usr/bin/env node
/**
 * `rooms-mcp [livekit | 100ms]` — the stdio MCP server.
 *
 * With a provider, serves that provider's tools under their plain names. Without one, serves every provider
 * whose credentials are set, with names prefixed (`livekit_`, `hms_`) so nothing collides.
 */
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { isArgumentError } from "./errors.js";
import { log } from "./log.js";
import { createRoomsServer } from "./server.js";
import { assembleTools, PROVIDER_NAMES, type ProviderName } from "./toolsets.js";
import { PACKAGE_VERSION } from "./version.js";

const USAGE = `Usage: rooms-mcp [livekit | 100ms] [--help] [--version]

An MCP server (stdio) for operating live LiveKit and 100ms rooms.

  rooms-mcp livekit   LiveKit RoomService tools (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET;
                      with none set, a local \`livekit-server --dev\` is assumed)
  rooms-mcp 100ms     100ms REST API tools (HMS_MANAGEMENT_TOKEN, or HMS_ACCESS_KEY + HMS_SECRET;
                      HMS_API_URL overrides https://api.100ms.live/v2)
  rooms-mcp           every provider whose credentials are set, tools prefixed livekit_ / hms_
`;

function main(argv: readonly string[]): void {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(USAGE);
    return;
  }
  if (argv.includes("--version")) {
    process.stdout.write(`${PACKAGE_VERSION}\n`);
    return;
  }
  const unknown = argv.filter((a) => !(PROVIDER_NAMES as readonly string[]).includes(a));
  if (unknown.length > 0 || argv.length > 1) {
    process.stderr.write(
      `rooms-mcp: unexpected argument ${JSON.stringify(unknown[0] ?? argv[1])}\n\n${USAGE}`,
    );
    process.exitCode = 2;
    return;
  }
  let assembled: ReturnType<typeof assembleTools>;
  try {
    assembled = assembleTools(process.env, argv[0] as ProviderName | undefined);
  } catch (error) {
    // Configuration problems (a half-set credential, an unusable URL) are fatal and named, never echoed.
    const what = isArgumentError(error) ? `${error.argument}: ${error.message}` : String(error);
    process.stderr.write(`rooms-mcp: ${what}\n`);
    process.exitCode = 2;
    return;
  }
  for (const notice of assembled.notices) {
    log("warn", notice);
  }
  const handle = serveStdio(
    () =>
      createRoomsServer({ name: "rooms-mcp", version: PACKAGE_VERSION }, assembled.tools, assembled.secrets),
    { onerror: (error) => log("error", "transport error", { error: error.message }) },
  );
  log("info", "serving on stdio", { tools: assembled.tools.length });
  const shutdown = () => {
    void handle.close().finally(() => process.exit(0));
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

main(process.argv.slice(2));
