/**
 * `rooms-mcp [provider] --http …`: turns the parsed command line and environment into a running HTTP
 * server, says on stderr what it serves and where, and shuts it down gracefully on SIGTERM or SIGINT.
 */
import { assembleTools } from "../assemble.js";
import { auditLog } from "../control/audit.js";
import type { ControlOptions } from "../control/options.js";
import { roomScope } from "../control/scope.js";
import { selectTools } from "../control/selection.js";
import { isArgumentError } from "../errors.js";
import { webhookRoute } from "../events/receiver.js";
import { type EventRuntime, startEvents } from "../events/runtime.js";
import { log } from "../log.js";
import type { AnyDescriptor } from "../providers/catalog.js";
import type { Env } from "../providers/provider.js";
import { type AnyProvider, PROVIDERS, providerById } from "../providers/registry.js";
import { secretScrubber } from "../secrets.js";
import type { ServerInfo } from "../server.js";
import { stderrAccessLog } from "./access-log.js";
import { type AuthGate, OPEN_GATE, staticTokenGate } from "./auth.js";
import { createOAuthResourceServer, type OAuthResourceServer } from "./oauth.js";
import { type HttpOptions, isLoopbackHost } from "./options.js";
import { type HttpServer, type HttpServerConfig, startHttpServer, type ToolSource } from "./server.js";
import { createTenantBinder, TENANT_HEADERS, type TenantBinder } from "./tenant.js";

export interface HttpRunArgs {
  readonly options: HttpOptions;
  readonly control: ControlOptions;
  /** The provider named on the command line (plain tool names), or undefined for all (prefixed). */
  readonly only: AnyDescriptor | undefined;
  readonly env: Env;
  readonly info: ServerInfo;
}

/** Everything start-up decides, with the notices for stderr. Throws on a configuration problem. */
export async function buildHttpConfig(
  args: HttpRunArgs,
): Promise<{ config: HttpServerConfig; notices: string[]; events: EventRuntime | undefined }> {
  const { options, control, only, env } = args;
  const notices: string[] = [];
  const operatorSecrets = [
    ...options.tokens,
    ...(options.stateKey === undefined ? [] : [Buffer.from(options.stateKey).toString("utf8")]),
  ];
  let source: ToolSource;
  let readiness: HttpServerConfig["readiness"];
  let secrets: string[];
  let events: EventRuntime | undefined;
  if (options.credentials === "env") {
    const assembled = assembleTools(env, {
      providers: PROVIDERS,
      only,
      selection: control.selection,
      rooms: control.rooms,
    });
    notices.push(...assembled.notices);
    secrets = [...assembled.secrets, ...operatorSecrets];
    source = { kind: "env", tools: assembled.tools, secrets };
    // A wait ends a second before the request's deadline, so it can still say that it timed out.
    events = await startEvents(env, assembled.served, {
      listening: true,
      maxWaitMs: Math.max(1_000, options.requestTimeoutMs - 1_000),
    });
    notices.push(...events.notices);
    secrets.push(...events.secrets);
    const providers = [...new Set(assembled.tools.map((t) => t.provider))];
    readiness =
      providers.length > 0
        ? { ready: true, providers }
        : { ready: false, providers, problem: "no provider credentials are set" };
  } else {
    const providers = only === undefined ? PROVIDERS : [providerById(only.id)];
    const ignored = providers
      .flatMap((p) => Object.keys(TENANT_HEADERS[p.id]))
      .filter((v) => (env[v] ?? "") !== "");
    if (ignored.length > 0) {
      notices.push(`--credentials per-request: ${ignored.join(", ")} ignored (each request brings its own).`);
    }
    // Webhooks carry no tenant: one tenant's events must never reach another, so none are received here.
    notices.push(
      "--credentials per-request: webhooks are not received and list_events has nothing to list; wait_for_event polls each tenant's API.",
    );
    const binder = createTenantBinder({
      providers,
      prefixed: only === undefined,
      env,
      livekitHosts: options.livekitHosts,
      scope: control.rooms === undefined ? undefined : roomScope(control.rooms),
    });
    secrets = operatorSecrets;
    source = { kind: "per-request", binder: selectedBinder(binder, providers, control, operatorSecrets) };
    readiness = { ready: true, providers: providers.map((p) => p.id) };
  }
  let oauth: OAuthResourceServer | undefined;
  if (options.oauth !== undefined) {
    oauth = await createOAuthResourceServer(options.oauth);
  }
  if (options.stateKey === undefined && !isLoopbackHost(options.host)) {
    notices.push(
      "ROOMS_MCP_STATE_KEY is not set: a confirmation asked by this process can only be answered by it. Behind a " +
        "load balancer, set the same 32+ byte ROOMS_MCP_STATE_KEY on every replica.",
    );
  }
  return {
    notices,
    events,
    config: {
      options,
      info: args.info,
      source,
      confirm: control.confirm,
      audit: auditLog(control.auditLog, secretScrubber(secrets, 8)),
      gate: combinedGate(options, oauth),
      oauth,
      accessLog: stderrAccessLog(),
      readiness,
      ...(events === undefined
        ? {}
        : {
            events: events.access,
            roomAllowed: control.rooms === undefined ? undefined : roomScope(control.rooms).allows,
            webhooks: webhookRoute({ endpoints: events.endpoints, store: events.access.store }),
          }),
    },
  };
}

/** Runs the server for the CLI: errors are named on stderr (exit 2), SIGTERM drains and exits 0. */
export async function runHttp(args: HttpRunArgs): Promise<void> {
  let built: Awaited<ReturnType<typeof buildHttpConfig>>;
  let running: HttpServer;
  try {
    built = await buildHttpConfig(args);
    running = await startHttpServer(built.config);
  } catch (error) {
    const what = isArgumentError(error)
      ? `${error.argument}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
    process.stderr.write(`rooms-mcp: ${what}\n`);
    process.exitCode = 2;
    return;
  }
  for (const notice of built.notices) {
    log("warn", notice);
  }
  const { options } = args;
  const auth =
    options.oauth !== undefined ? "oauth" : options.tokens.length > 0 ? "bearer tokens" : "none (loopback)";
  log("info", "serving on http", {
    url: `${running.url}/mcp`,
    credentials: options.credentials,
    auth,
    providers: built.config.readiness.providers.join(","),
    read_only: args.control.selection.readOnly,
    rooms: args.control.rooms?.join(","),
    confirm: args.control.confirm,
    audit: built.config.audit.destination,
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      process.exit(1);
    }
    stopping = true;
    log("info", "shutting down: finishing calls in flight", { signal, grace_ms: options.shutdownGraceMs });
    void running
      .close()
      .then(() => built.events?.close())
      .finally(() => process.exit(0));
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

/** Operator tokens and OAuth can both be configured: a request passes with either. */
function combinedGate(options: HttpOptions, oauth: OAuthResourceServer | undefined): AuthGate {
  const tokens = options.tokens.length > 0 ? staticTokenGate(options.tokens) : undefined;
  if (oauth === undefined) {
    return tokens ?? OPEN_GATE;
  }
  if (tokens === undefined) {
    return oauth.gate;
  }
  return async (authorization) => {
    const byToken = await tokens(authorization);
    return byToken instanceof Response ? oauth.gate(authorization) : byToken;
  };
}

/**
 * The start-up selection (--read-only, --toolsets, --tools, --exclude-tools) applied to every tenant's
 * tools, and the operator's own secrets scrubbed from every tenant's results too.
 */
function selectedBinder(
  binder: TenantBinder,
  providers: readonly AnyProvider[],
  control: ControlOptions,
  operatorSecrets: readonly string[],
): TenantBinder {
  const selected = selectTools(
    providers.map((provider) => ({
      id: provider.id,
      toolsets: provider.toolsets,
      tools: binder.template
        .filter((t) => t.provider === provider.id)
        .map((t) => ({ name: t.name, baseName: t.baseName, readOnly: t.annotations.readOnlyHint })),
    })),
    control.selection,
  );
  return {
    template: binder.template.filter((t) => selected.has(t.name)),
    bind(header) {
      const tenant = binder.bind(header);
      return {
        ...tenant,
        tools: tenant.tools.filter((t) => selected.has(t.name)),
        secrets: [...tenant.secrets, ...operatorSecrets],
      };
    },
  };
}
