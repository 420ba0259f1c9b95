#!/usr/bin/env node
/**
 * `rooms-mcp [<provider>]` — the stdio MCP server (providers: src/providers/registry.ts).
 *
 * With a provider, serves that provider's tools under their plain names. Without one, serves every provider
 * whose credentials are set, with names prefixed (`livekit_`, `hms_`) so nothing collides.
 */
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { assembleTools } from "./assemble.js";
import { isArgumentError } from "./errors.js";
import { log } from "./log.js";
import { type AnyProvider, PROVIDERS, providerByCommand } from "./providers/registry.js";
import { createRoomsServer } from "./server.js";
import { PACKAGE_VERSION } from "./version.js";

const COMMANDS = PROVIDERS.map((p) => p.command).join(" | ");

function usage(): string {
  const providers = PROVIDERS.map((provider) => {
    const variables = provider.environment
      .map((v) => `      ${v.name.padEnd(22)} ${v.description}${v.secret ? " (secret)" : ""}`)
      .join("\n");
    return `  rooms-mcp ${provider.command.padEnd(9)} ${provider.displayName} tools\n${variables}`;
  });
  const prefixes = PROVIDERS.map((p) => p.toolPrefix).join(" / ");
  return `Usage: rooms-mcp [${COMMANDS}] [--help] [--version]

An MCP server (stdio) for operating live voice and video rooms.

${providers.join("\n")}
  rooms-mcp           every provider whose credentials are set, tools prefixed ${prefixes}

  ROOMS_MCP_LOG_LEVEL      debug, info (default), warn, error or silent; logs go to stderr
`;
}

function main(argv: readonly string[]): void {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(usage());
    return;
  }
  if (argv.includes("--version")) {
    process.stdout.write(`${PACKAGE_VERSION}\n`);
    return;
  }
  const only: AnyProvider | undefined = argv[0] === undefined ? undefined : providerByCommand(argv[0]);
  if ((argv[0] !== undefined && only === undefined) || argv.length > 1) {
    const unexpected = only === undefined ? argv[0] : argv[1];
    process.stderr.write(`rooms-mcp: unexpected argument ${JSON.stringify(unexpected)}\n\n${usage()}`);
    process.exitCode = 2;
    return;
  }
  let assembled: ReturnType<typeof assembleTools>;
  try {
    assembled = assembleTools(process.env, only);
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
