#!/usr/bin/env node
/**
 * `rooms-mcp [<provider>]` — the stdio MCP server (providers: src/providers/catalog.ts; a provider's code
 * loads on its first call, its tools are listed from the generated listing).
 *
 * With a provider, serves that provider's tools under their plain names. Without one, serves every provider
 * whose credentials are set, with names prefixed (`livekit_`, `hms_`) so nothing collides.
 */
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { assembleTools } from "./assemble.js";
import { type AuditLog, auditLog } from "./control/audit.js";
import { CONTROL_FLAGS, parseControl } from "./control/options.js";
import { roomScope } from "./control/scope.js";
import { isArgumentError } from "./errors.js";
import { parseWebhookOptions, WEBHOOK_FLAGS, type WebhookListenOptions } from "./events/options.js";
import { EVENT_VARIABLES, type EventRuntime, startEvents } from "./events/runtime.js";
import { HTTP_FLAGS, parseHttpOptions } from "./http/options.js";
import { log } from "./log.js";
import { type AnyDescriptor, CATALOG, entryByCommand } from "./providers/catalog.js";
import { secretScrubber } from "./secrets.js";
import { createRoomsServer } from "./server.js";
import { BoundedStdioTransport } from "./stdio.js";
import { maxResultBytes } from "./tools/budget.js";
import { PACKAGE_VERSION } from "./version.js";

const COMMANDS = CATALOG.map((p) => p.command).join(" | ");

function usage(): string {
  const all = CATALOG;
  const providers = all.map((provider) => {
    const variables = provider.environment
      .map((v) => `      ${v.name.padEnd(22)} ${v.description}${v.secret ? " (secret)" : ""}`)
      .join("\n");
    return `  rooms-mcp ${provider.command.padEnd(9)} ${provider.displayName} tools\n${variables}`;
  });
  const prefixes = CATALOG.map((p) => p.toolPrefix).join(" / ");
  const flags = [...CONTROL_FLAGS, ...HTTP_FLAGS, ...WEBHOOK_FLAGS].map(
    ([flag, variable, meaning]) => `  ${flag.padEnd(20)} ${variable.padEnd(34)} ${meaning}`,
  );
  const events = [...EVENT_VARIABLES, ...all.flatMap((p) => p.events.environment)].map(
    (v) => `  ${v.name.padEnd(28)} ${v.description}${v.secret ? " (secret)" : ""}`,
  );
  const toolsets = all.map(
    (p) => `  ${p.command}: ${p.toolsets.map((t) => `${t.name}${t.byDefault ? "*" : ""}`).join(", ")}`,
  );
  return `Usage: rooms-mcp [${COMMANDS}] [options] [--help] [--version]

An MCP server for operating live voice and video rooms: over stdio, or over Streamable HTTP with --http.

${providers.join("\n")}
  rooms-mcp           every provider whose credentials are set, tools prefixed ${prefixes}


Options (flags win over the environment):
${flags.join("\n")}

Toolsets (* = served by default):
${toolsets.join("\n")}

  ROOMS_MCP_MAX_RESULT_BYTES  the most bytes of text one tool result may have (default 40000); larger
                           results are cut at an element boundary and say so
  ROOMS_MCP_LOG_LEVEL      debug, info (default), warn, error or silent; logs go to stderr

Events (list_events, wait_for_event; webhooks on /webhooks/<provider>):
${events.join("\n")}
`;
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(usage());
    return;
  }
  if (argv.includes("--version")) {
    process.stdout.write(`${PACKAGE_VERSION}\n`);
    return;
  }
  let assembled: ReturnType<typeof assembleTools>;
  let control: ReturnType<typeof parseControl>["options"];
  let audit: AuditLog;
  let webhooks: WebhookListenOptions | undefined;
  try {
    const parsed = parseControl(argv, process.env);
    control = parsed.options;
    maxResultBytes(process.env); // an unusable budget stops start-up here, named, not on the first call
    const listen = parseWebhookOptions(parsed.rest, process.env);
    webhooks = listen.options;
    const http = parseHttpOptions(listen.rest, process.env);
    const [command, extra] = http.rest;
    const entry = command === undefined ? undefined : entryByCommand(command);
    if ((command !== undefined && entry === undefined) || extra !== undefined) {
      const unexpected = entry === undefined ? command : extra;
      process.stderr.write(`rooms-mcp: unexpected argument ${JSON.stringify(unexpected)}\n\n${usage()}`);
      process.exitCode = 2;
      return;
    }
    // The provider named; without one, every provider (each is served if configured).
    const only: AnyDescriptor | undefined = entry;
    if (http.options !== undefined && webhooks !== undefined) {
      throw new Error(
        "--webhook-port is for stdio mode: with --http, webhooks are served on /webhooks/<provider>",
      );
    }
    if (http.options !== undefined) {
      // HTTP mode assembles its own tools (per request, in hosted mode): src/http/run.ts.
      const info = { name: "rooms-mcp", version: PACKAGE_VERSION };
      const options = http.options;
      // Loaded only in HTTP mode: stdio start-up need not pay for the HTTP server, auth and OAuth code.
      void import("./http/run.js").then(({ runHttp }) =>
        runHttp({ options, control, only, env: process.env, info }),
      );
      return;
    }
    assembled = assembleTools(process.env, {
      providers: CATALOG,
      only,
      selection: control.selection,
      rooms: control.rooms,
    });
    audit = auditLog(control.auditLog, secretScrubber(assembled.secrets, 8));
  } catch (error) {
    // Configuration problems (a half-set credential, an unknown toolset, an unusable URL) are fatal and
    // named, never echoed.
    const what = isArgumentError(error) ? `${error.argument}: ${error.message}` : errorText(error);
    process.stderr.write(`rooms-mcp: ${what}\n`);
    process.exitCode = 2;
    return;
  }
  void serve(assembled, control, audit, webhooks);
}

/** Starts the event side (store, webhook listener), then MCP on stdio; a start-up failure exits 2, named. */
async function serve(
  assembled: ReturnType<typeof assembleTools>,
  control: ReturnType<typeof parseControl>["options"],
  audit: AuditLog,
  webhooks: WebhookListenOptions | undefined,
): Promise<void> {
  let events: EventRuntime;
  let listener: { url: string; close(): Promise<void> } | undefined;
  try {
    events = await startEvents(process.env, assembled.served, { listening: webhooks !== undefined });
    if (webhooks !== undefined) {
      const [{ webhookRoute }, { startWebhookListener }] = await Promise.all([
        import("./events/receiver.js"),
        import("./events/listener.js"),
      ]);
      listener = await startWebhookListener(
        webhookRoute({ endpoints: events.endpoints, store: events.access.store }),
        webhooks,
      );
    }
  } catch (error) {
    process.stderr.write(`rooms-mcp: ${errorText(error)}\n`);
    process.exitCode = 2;
    return;
  }
  for (const notice of [...assembled.notices, ...events.notices]) {
    log("warn", notice);
  }
  const handle = serveStdio(
    () =>
      createRoomsServer(
        { name: "rooms-mcp", version: PACKAGE_VERSION },
        assembled.tools,
        [...assembled.secrets, ...events.secrets],
        {
          confirm: control.confirm,
          audit,
          events: events.access,
          roomAllowed: control.rooms === undefined ? undefined : roomScope(control.rooms).allows,
          notifyResourceUpdates: true,
        },
      ),
    {
      // Our own stdio framing: an oversized or malformed line is refused, never the end of the session.
      transport: new BoundedStdioTransport(),
      onerror: (error) => log("error", "transport error", { error: error.message }),
    },
  );
  log("info", "serving on stdio", {
    tools: assembled.tools.length,
    read_only: control.selection.readOnly,
    rooms: control.rooms?.join(","),
    confirm: control.confirm,
    audit: audit.destination,
    events: events.access.store.kind,
    webhooks: listener === undefined ? undefined : `${listener.url}/webhooks/<provider>`,
  });
  const shutdown = () => {
    void Promise.allSettled([handle.close(), listener?.close(), events.close()]).finally(() =>
      process.exit(0),
    );
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  // The client closing stdin ends the session; the webhook listener and a Redis connection must not keep
  // the process alive after it.
  process.stdin.once("end", shutdown);
  process.stdin.once("close", shutdown);
}

/** An Error's message without its class name (start-up errors are read by people). */
function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

void main(process.argv.slice(2));
