/**
 * Hosted multi-tenant mode (`--credentials per-request`): each request brings its provider credentials in
 * headers, and gets clients made for it alone; nothing built from one tenant's credentials outlives its
 * request. A LiveKit URL must name a host the operator allowed (`ROOMS_MCP_LIVEKIT_HOSTS`) before anything
 * is sent, redirects are never followed (src/http-limits.ts), and the 100ms API URL is the operator's,
 * never a tenant's: a request cannot make this server call anywhere else.
 */
import { createHash } from "node:crypto";
import { bindProvider } from "../assemble.js";
import type { RoomScope } from "../control/scope.js";
import { PolicyError } from "../errors.js";
import { toHttpBaseUrl } from "../providers/livekit/url.js";
import type { Env, ProviderId } from "../providers/provider.js";
import type { AnyProvider } from "../providers/registry.js";
import type { BoundTool, ServedTool } from "../tools/define.js";
import { servedTools } from "../tools/listing.js";

/** The header carrying each credential variable, per provider (the type makes every provider have one). */
export const TENANT_HEADERS: { readonly [Id in ProviderId]: Readonly<Record<string, string>> } = {
  livekit: {
    LIVEKIT_URL: "X-LiveKit-URL",
    LIVEKIT_API_KEY: "X-LiveKit-API-Key",
    LIVEKIT_API_SECRET: "X-LiveKit-API-Secret",
  },
  hms: {
    HMS_MANAGEMENT_TOKEN: "X-HMS-Management-Token",
    HMS_ACCESS_KEY: "X-HMS-Access-Key",
    HMS_SECRET: "X-HMS-Secret",
  },
};

export class TenantError extends Error {
  override readonly name = "TenantError";
}

export interface TenantTools {
  readonly tools: ServedTool[];
  /** This tenant's credential values: scrubbed from its results. */
  readonly secrets: string[];
  /** A digest of the credentials, binding confirmations to the tenant that was asked (never logged). */
  readonly fingerprint: string;
  /** The providers the request brought credentials for. */
  readonly providers: string[];
}

export interface TenantBinder {
  /** The tools as listed (bound to clients that refuse every call): the names narrowing works on. */
  readonly template: ServedTool[];
  bind(header: (name: string) => string | null): TenantTools;
}

/**
 * `providers`: those served (one, or all with prefixed names). `env`: the operator's environment; its
 * credential variables are ignored here (a tenant never runs on the operator's keys), its other settings
 * (timeouts, LIVEKIT_WIRE_FORMAT, HMS_API_URL) apply to every tenant.
 */
export function createTenantBinder(options: {
  readonly providers: readonly AnyProvider[];
  readonly prefixed: boolean;
  readonly env: Env;
  readonly livekitHosts: readonly string[];
  readonly scope: RoomScope | undefined;
}): TenantBinder {
  const { providers, prefixed, scope } = options;
  const credentialVariables = new Set(Object.values(TENANT_HEADERS).flatMap((h) => Object.keys(h)));
  const shared: Record<string, string | undefined> = Object.fromEntries(
    Object.entries(options.env).filter(([name]) => !credentialVariables.has(name)),
  );
  if (providers.some((p) => p.id === "livekit") && options.livekitHosts.length === 0) {
    throw new TenantError(
      "--credentials per-request serves LiveKit, so set ROOMS_MCP_LIVEKIT_HOSTS to the hosts a tenant's LiveKit " +
        "URL may name (e.g. *.livekit.cloud): no other host is ever called",
    );
  }
  const allowed = options.livekitHosts.map(hostPattern);
  const bindAll = (clientOf: (provider: AnyProvider) => unknown) =>
    providers.flatMap((provider) =>
      bindProvider(provider, clientOf(provider), prefixed ? provider.toolPrefix : "", scope),
    );
  // Listed once: a request's tools are the template's, each bound to that request's clients.
  const template = servedTools(bindAll((provider) => refusingClient(provider)));
  return {
    template,
    bind(header) {
      const secrets: string[] = [];
      const given: string[] = [];
      const brought: string[] = [];
      const clients = new Map<string, unknown>();
      for (const provider of providers) {
        const headers = TENANT_HEADERS[provider.id];
        const env: Record<string, string | undefined> = { ...shared };
        for (const [variable, name] of Object.entries(headers)) {
          const value = header(name);
          if (value !== null && value.trim() !== "") {
            env[variable] = value.trim();
            given.push(`${name}\0${value.trim()}`);
          }
        }
        const configured = provider.configFromEnv(env, { standalone: false });
        if (configured.kind === "invalid") {
          throw new TenantError(`${provider.displayName}: ${inHeaderNames(configured.problem, headers)}`);
        }
        if (configured.kind === "absent") {
          continue;
        }
        if (provider.id === "livekit") {
          checkLiveKitHost((configured.config as { url: string }).url, allowed, options.livekitHosts);
        }
        clients.set(provider.id, provider.createClient(configured.config));
        secrets.push(...provider.secretsOf(configured.config));
        brought.push(provider.id);
      }
      return {
        tools: withBound(
          template,
          bindAll((provider) => clients.get(provider.id) ?? refusingClient(provider)),
        ),
        secrets,
        fingerprint: createHash("sha256").update(given.sort().join("\n")).digest("base64url"),
        providers: brought,
      };
    },
  };
}

/** The template's tools, each bound to the tool of the same name in `bound` (one request's clients). */
function withBound(template: readonly ServedTool[], bound: readonly BoundTool[]): ServedTool[] {
  const byName = new Map(bound.map((tool) => [tool.name, tool]));
  return template.map((tool) => {
    const own = byName.get(tool.name);
    return own === undefined ? tool : { ...tool, bind: async () => own };
  });
}

/** The headers a tenant sends for a provider, in words (`X-LiveKit-URL, X-LiveKit-API-Key and …`). */
export function tenantHeadersText(provider: AnyProvider): string {
  const names = Object.values(TENANT_HEADERS[provider.id]);
  return provider.id === "hms"
    ? `${names[0]}, or ${names[1]} and ${names[2]}`
    : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/**
 * A client for a provider the request brought no credentials for: whatever a tool uses of it (`call`,
 * `joinTokens.issue`, …) throws a refusal that says what to send, so nothing is ever sent.
 */
function refusingClient(provider: AnyProvider): unknown {
  const refusal = new PolicyError(
    `this server is hosted for many tenants (--credentials per-request): send your ${provider.displayName} ` +
      `credentials with each request, in the headers ${tenantHeadersText(provider)}; nothing was sent`,
  );
  const refusing: unknown = new Proxy(() => undefined, {
    // Not a thenable: awaiting the client itself must not look like a promise.
    get: (_target, property) => (property === "then" ? undefined : refusing),
    apply: () => {
      throw refusal;
    },
  });
  return refusing;
}

function inHeaderNames(problem: string, headers: Readonly<Record<string, string>>): string {
  let text = problem;
  for (const [variable, name] of Object.entries(headers)) {
    text = text.replaceAll(variable, name);
  }
  return text;
}

interface HostPattern {
  readonly host: RegExp;
  /** undefined: the scheme's default port only; "*": any port. */
  readonly port: string | undefined;
}

/** `*.livekit.cloud`, `lk.example.com:7880`, `127.0.0.1:*`: `*.` stands for one DNS label. */
function hostPattern(pattern: string): HostPattern {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+|\*))?$/.exec(pattern);
  if (match === null) {
    throw new TenantError(`ROOMS_MCP_LIVEKIT_HOSTS: ${JSON.stringify(pattern)} is not a host[:port] pattern`);
  }
  const host = (match[1] as string).toLowerCase();
  if (host.includes("*") && !/^\*\.[^*]+$/.test(host)) {
    throw new TenantError(
      `ROOMS_MCP_LIVEKIT_HOSTS: ${JSON.stringify(pattern)}: a wildcard may only open a name, as in *.livekit.cloud`,
    );
  }
  const escaped = host.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/^\*/, "[a-z0-9-]+");
  return { host: new RegExp(`^${escaped}$`), port: match[2] };
}

function checkLiveKitHost(url: string, allowed: readonly HostPattern[], patterns: readonly string[]): void {
  let base: URL;
  try {
    base = new URL(toHttpBaseUrl(url));
  } catch (error) {
    throw new TenantError(
      error instanceof Error ? error.message.replaceAll("LIVEKIT_URL", "X-LiveKit-URL") : "bad URL",
    );
  }
  const port = base.port === "" ? (base.protocol === "https:" ? "443" : "80") : base.port;
  const defaultPort = base.port === "";
  const ok = allowed.some(
    (p) =>
      p.host.test(base.hostname.toLowerCase()) &&
      (p.port === "*" || p.port === port || (p.port === undefined && defaultPort)),
  );
  if (!ok) {
    throw new TenantError(
      `X-LiveKit-URL names ${base.host}, which this server does not call (allowed: ${patterns.join(", ")}); nothing was sent`,
    );
  }
}
