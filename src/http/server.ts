/**
 * The Streamable HTTP server: MCP on `/mcp` through the SDK's `createMcpHandler` (stateless, one server
 * instance per request, both the 2026-07-28 and the 2025-era protocol), `/healthz` and `/readyz` for load
 * balancers. In front of MCP, in this order: Host and Origin validation (DNS rebinding), OAuth metadata,
 * authentication, per-request narrowing, per-request credentials, a body limit and a deadline. Nothing
 * lives in the process between requests except what every replica computes alike, so any replica answers
 * any request.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createMcpHandler,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  validateHostHeader,
  validateOriginHeader,
} from "@modelcontextprotocol/server";
import { createArgumentValidator, createResultValidator } from "../argument-validator.js";
import type { AuditLog } from "../control/audit.js";
import { type ConfirmMode, confirmationCodec } from "../control/confirm.js";
import type { EventAccess } from "../events/access.js";
import { inRoomScope } from "../events/event.js";
import { WEBHOOK_PATH_PREFIX, type WebhookRoute } from "../events/receiver.js";
import { eventResourceUris } from "../events/resources.js";
import { createSecretScrubber } from "../secrets.js";
import { type CallControl, createRoomsServer, type ServerInfo } from "../server.js";
import type { ServedTool } from "../tools/define.js";
import { type AccessEntry, type AccessLog, mcpMethodOf } from "./access-log.js";
import type { AuthGate, Principal } from "./auth.js";
import {
  isMcpPath,
  type Narrowing,
  NarrowingError,
  narrowedNames,
  narrowingKey,
  narrowingOf,
} from "./narrowing.js";
import { jsonRpcError, readBody, sendJson, sendWebResponse, toWebRequest } from "./node-bridge.js";
import type { OAuthResourceServer } from "./oauth.js";
import type { HttpOptions } from "./options.js";
import { sharedValidator } from "./shared-validator.js";
import { type TenantBinder, TenantError } from "./tenant.js";

/** Where a request's tools come from: the operator's credentials (shared), or the request's own. */
export type ToolSource =
  | { readonly kind: "env"; readonly tools: readonly ServedTool[]; readonly secrets: readonly string[] }
  | { readonly kind: "per-request"; readonly binder: TenantBinder };

export interface HttpServerConfig {
  readonly options: HttpOptions;
  readonly info: ServerInfo;
  readonly source: ToolSource;
  readonly confirm: ConfirmMode;
  readonly audit: AuditLog;
  readonly gate: AuthGate;
  readonly oauth?: OAuthResourceServer | undefined;
  readonly accessLog: AccessLog;
  /** Vendor webhooks on /webhooks/<provider> (env credentials only: per-request tenants bring none). */
  readonly webhooks?: WebhookRoute | undefined;
  /** The event store the event tools read. */
  readonly events?: EventAccess | undefined;
  /** The operator's room scope (--rooms), for the rooms' event resources. */
  readonly roomAllowed?: ((name: string) => boolean) | undefined;
  /** What /readyz says: whether the providers are configured, and which. */
  readonly readiness: {
    readonly ready: boolean;
    readonly providers: readonly string[];
    readonly problem?: string;
  };
}

export interface HttpServer {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  readonly server: Server;
  /** Stops accepting, lets calls in flight finish within the grace period, then closes everything. */
  close(): Promise<void>;
}

/** One request's tools and what guards them, handed to the server factory. */
interface RequestPlan {
  readonly tools: readonly ServedTool[];
  readonly secrets: readonly string[];
  readonly control: CallControl;
  /** Per-request mode: the providers whose credentials the request brought. */
  readonly tenantProviders?: readonly string[];
}

const NARROWING_CACHE_SIZE = 256;

export async function startHttpServer(config: HttpServerConfig): Promise<HttpServer> {
  const { options, source } = config;
  const plans = new AsyncLocalStorage<RequestPlan>();
  const handler = createMcpHandler(
    () => {
      const plan = plans.getStore();
      if (plan === undefined) {
        throw new Error("no request plan: the MCP handler was reached outside a request");
      }
      return createRoomsServer(config.info, plan.tools, plan.secrets, plan.control);
    },
    { maxRequestBodySize: options.maxBodyBytes },
  );
  // Open `subscriptions/listen` streams (2026-07-28) hear when a room's events resource changes: every
  // replica reads the shared store, so each tells the streams open on it.
  const stopResourceUpdates =
    config.events === undefined
      ? undefined
      : await config.events.store.subscribe((event) => {
          if (inRoomScope(event, config.roomAllowed)) {
            for (const uri of eventResourceUris(event)) {
              handler.notify.resourceUpdated(uri);
            }
          }
        });
  const allowedHosts = [...localhostAllowedHostnames(), ...options.allowedHosts, ...bindHostnames(options)];
  const allowedOrigins = [...localhostAllowedOrigins(), ...options.allowedOrigins];
  // Without a shared key, confirmations started here finish only here (README: load balancing).
  const stateKey = options.stateKey ?? randomBytes(32);
  const template = source.kind === "env" ? source.tools : source.binder.template;
  const validator = sharedValidator(createArgumentValidator());
  const resultValidator = sharedValidator(createResultValidator());
  const narrowed = new Map<string, Set<string>>();
  const namesFor = (narrowing: Narrowing, principal: Principal): Set<string> => {
    const key = narrowingKey(narrowing, principal.readOnly);
    let names = narrowed.get(key);
    if (names === undefined) {
      names = narrowedNames(template, narrowing, principal.readOnly);
      if (narrowed.size >= NARROWING_CACHE_SIZE) {
        narrowed.clear();
      }
      narrowed.set(key, names);
    }
    return names;
  };

  let draining = false;
  let active = 0;
  const idle: (() => void)[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const entry: Partial<Mutable<AccessEntry>> = {
      request_id: randomUUID(),
      method: req.method ?? "GET",
      request_bytes: 0,
      ...(req.socket.remoteAddress === undefined ? {} : { remote: req.socket.remoteAddress }),
    };
    const mcpMethod = mcpMethodOf(single(req.headers["mcp-method"]));
    if (mcpMethod !== undefined) {
      entry.mcp_method = mcpMethod;
    }
    res.once("close", () => {
      config.accessLog({
        time: new Date().toISOString(),
        request_id: entry.request_id as string,
        method: entry.method as string,
        path: entry.path ?? "?",
        status: res.statusCode,
        duration_ms: Math.round((performance.now() - started) * 10) / 10,
        request_bytes: entry.request_bytes ?? 0,
        ...(entry.mcp_method === undefined ? {} : { mcp_method: entry.mcp_method }),
        ...(entry.principal === undefined ? {} : { principal: entry.principal }),
        ...(entry.tenant_providers === undefined ? {} : { tenant_providers: entry.tenant_providers }),
        ...(entry.outcome === undefined ? {} : { outcome: entry.outcome }),
        ...(entry.remote === undefined ? {} : { remote: entry.remote }),
      });
    });
    res.setHeader("x-request-id", entry.request_id as string);
    if (draining) {
      res.setHeader("connection", "close");
    }
    const refuse = (
      status: number,
      outcome: string,
      message: string,
      headers: Record<string, string> = {},
    ) => {
      entry.outcome = outcome;
      sendJson(res, status, jsonRpcError(message), headers);
    };

    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://localhost");
    } catch {
      refuse(400, "bad_path", "The request path is not valid");
      return;
    }
    entry.path = url.pathname;
    const method = (req.method ?? "GET").toUpperCase();

    // Webhooks come from the vendors under this server's public name, proved by their own signature or
    // secret (not a browser, so not a DNS-rebinding target): before Host checks and MCP authentication.
    if (config.webhooks !== undefined && url.pathname.startsWith(WEBHOOK_PATH_PREFIX)) {
      entry.outcome = await config.webhooks(req, res, url.pathname);
      return;
    }
    // Probes come from load balancers under any Host; they reveal nothing but up/ready.
    if (url.pathname === "/healthz" && (method === "GET" || method === "HEAD")) {
      sendJson(res, 200, { status: "ok", version: config.info.version });
      return;
    }
    if (url.pathname === "/readyz" && (method === "GET" || method === "HEAD")) {
      const { ready, providers, problem } = config.readiness;
      if (draining) {
        sendJson(res, 503, { status: "draining" });
      } else {
        sendJson(res, ready ? 200 : 503, {
          status: ready ? "ready" : "not_ready",
          providers,
          ...(problem === undefined ? {} : { problem }),
        });
      }
      return;
    }

    const host = validateHostHeader(single(req.headers.host), allowedHosts);
    if (!host.ok) {
      refuse(
        403,
        "bad_host",
        `${host.message}. This server answers to ${allowedHosts.join(", ")}; its operator can add names with ROOMS_MCP_HTTP_ALLOWED_HOSTS.`,
      );
      return;
    }
    const origin = validateOriginHeader(single(req.headers.origin), allowedOrigins);
    if (!origin.ok) {
      refuse(
        403,
        "bad_origin",
        `${origin.message}. Browser pages may call this server only from ${allowedOrigins.join(", ")} (ROOMS_MCP_HTTP_ALLOWED_ORIGINS).`,
      );
      return;
    }
    const webUrl = new URL(
      `${url.pathname}${url.search}`,
      `http://${single(req.headers.host) ?? "localhost"}`,
    );
    if (config.oauth !== undefined && url.pathname.startsWith("/.well-known/")) {
      const metadata = config.oauth.metadataResponse(new Request(webUrl, { method }));
      if (metadata !== undefined) {
        await sendWebResponse(res, metadata, AbortSignal.timeout(options.requestTimeoutMs));
        return;
      }
    }
    if (!isMcpPath(url.pathname)) {
      entry.outcome = "not_found";
      sendJson(res, 404, { error: "not found: MCP is served on /mcp; health on /healthz and /readyz" });
      return;
    }

    const principal = await config.gate(single(req.headers.authorization) ?? null);
    if (principal instanceof Response) {
      entry.outcome = principal.status === 403 ? "forbidden" : "unauthenticated";
      await sendWebResponse(res, principal, AbortSignal.timeout(options.requestTimeoutMs));
      return;
    }
    entry.principal = principal.id;

    const header = (name: string) => single(req.headers[name.toLowerCase()]) ?? null;
    let plan: RequestPlan;
    try {
      const names = namesFor(narrowingOf(url.pathname, header), principal);
      plan = planFor(names, principal, header);
    } catch (error) {
      if (error instanceof NarrowingError || error instanceof TenantError) {
        refuse(400, error instanceof NarrowingError ? "bad_narrowing" : "bad_credentials", error.message);
        return;
      }
      throw error;
    }
    if (plan.tenantProviders !== undefined) {
      entry.tenant_providers = plan.tenantProviders;
    }

    const read = await readBody(req, options.maxBodyBytes);
    if (read.kind === "too_large") {
      refuse(413, "too_large", `The request body is larger than ${options.maxBodyBytes} bytes`, {
        connection: "close",
      });
      return;
    }
    if (read.kind === "aborted") {
      entry.outcome = "client_aborted";
      res.destroy();
      return;
    }
    entry.request_bytes = read.body.byteLength;

    const deadline = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.abort(new DOMException("request deadline passed", "TimeoutError"));
    }, options.requestTimeoutMs);
    const onClose = () => {
      if (!res.writableFinished) {
        deadline.abort(new DOMException("client went away", "AbortError"));
      }
    };
    res.once("close", onClose);
    try {
      const request = toWebRequest(req, webUrl, read.body, deadline.signal);
      const timeout = new Promise<"timeout">((resolve) => {
        deadline.signal.addEventListener("abort", () => resolve("timeout"), { once: true });
      });
      const answered = await Promise.race([plans.run(plan, () => handler.fetch(request)), timeout]);
      if (answered === "timeout") {
        if (timedOut && !res.headersSent) {
          refuse(
            504,
            "timeout",
            `The request took longer than ${options.requestTimeoutMs} ms (ROOMS_MCP_HTTP_REQUEST_TIMEOUT_MS) and was stopped; an action may still have taken effect, so check before repeating it`,
          );
        }
        return;
      }
      await sendWebResponse(res, answered, deadline.signal);
      if (timedOut) {
        entry.outcome = "timeout";
      }
    } finally {
      clearTimeout(timer);
      res.off("close", onClose);
    }
  };

  const planFor = (
    names: Set<string>,
    principal: Principal,
    header: (name: string) => string | null,
  ): RequestPlan => {
    let tools: readonly ServedTool[];
    let secrets: readonly string[];
    let fingerprint = "";
    let tenantProviders: readonly string[] | undefined;
    let audit = config.audit;
    if (source.kind === "env") {
      tools = source.tools.filter((t) => names.has(t.name));
      secrets = source.secrets;
    } else {
      const tenant = source.binder.bind(header);
      tools = tenant.tools.filter((t) => names.has(t.name));
      secrets = tenant.secrets;
      fingerprint = tenant.fingerprint;
      tenantProviders = tenant.providers;
      audit = scrubbedAudit(config.audit, tenant.secrets);
    }
    // A confirmation asked of one caller (and tenant) can only be answered by the same one.
    const key = createHmac("sha256", stateKey).update(`${principal.id}\0${fingerprint}`).digest();
    return {
      tools,
      secrets,
      control: {
        confirm: config.confirm,
        audit,
        codec: confirmationCodec(key),
        validator,
        resultValidator,
        events: config.events,
        roomAllowed: config.roomAllowed,
      },
      ...(tenantProviders === undefined ? {} : { tenantProviders }),
    };
  };

  const server = createServer((req, res) => {
    active++;
    let done = false;
    const finish = () => {
      if (done) {
        return;
      }
      done = true;
      active--;
      if (active === 0) {
        for (const resolve of idle.splice(0)) {
          resolve();
        }
      }
    };
    res.once("close", finish);
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        sendJson(res, 500, jsonRpcError("Internal server error", -32603));
      } else {
        res.destroy();
      }
      process.stderr.write(
        `rooms-mcp error http request failed error=${JSON.stringify(error instanceof Error ? error.message : String(error))}\n`,
      );
    });
  });
  // Slow clients cannot hold a socket open indefinitely while sending headers or body.
  server.headersTimeout = Math.min(15_000, options.requestTimeoutMs + 1_000);
  server.requestTimeout = options.requestTimeoutMs + 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}`,
    server,
    close() {
      closing ??= (async () => {
        draining = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (active > 0) {
          await Promise.race([
            new Promise<void>((resolve) => idle.push(resolve)),
            new Promise<void>((resolve) => setTimeout(resolve, options.shutdownGraceMs).unref()),
          ]);
        }
        server.closeAllConnections();
        stopResourceUpdates?.();
        await handler.close();
        await stopped;
      })();
      return closing;
    },
  };
}

/** The audit log, with one tenant's credentials scrubbed from its lines too. */
function scrubbedAudit(audit: AuditLog, secrets: readonly string[]): AuditLog {
  if (secrets.length === 0) {
    return audit;
  }
  const scrub = createSecretScrubber(secrets);
  return {
    destination: audit.destination,
    begin() {
      const record = audit.begin();
      return { write: (entry) => record.write(scrub.value(entry)) };
    },
  };
}

/** A specific bind address is also a name clients may use (0.0.0.0 and :: are not). */
function bindHostnames(options: HttpOptions): string[] {
  const host = options.host.toLowerCase();
  if (host === "0.0.0.0" || host === "::" || host === "[::]") {
    return [];
  }
  return [host.includes(":") && !host.startsWith("[") ? `[${host}]` : host];
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
