/**
 * The event side of a running server, from the environment: the store (in-process, or Redis Streams with
 * REDIS_URL), the webhook endpoints of the providers it serves, and what the event tools are told.
 */
import { parseDuration } from "../duration.js";
import type { AnyDescriptor } from "../providers/catalog.js";
import type { Env, EnvVariable, ProviderId } from "../providers/provider.js";
import { DEFAULT_POLL_INTERVAL_MS, type EventAccess } from "./access.js";
import { memoryEventStore } from "./memory-store.js";
import type { WebhookEndpoint } from "./receiver.js";
import { DEFAULT_RETENTION, type EventStore, type Retention } from "./store.js";

/** The settings of the event store and the polled waits, for --help and the registry manifest. */
export const EVENT_VARIABLES: readonly EnvVariable[] = [
  {
    name: "REDIS_URL",
    description: "Redis for the event store, shared by every replica (default: this process only)",
    // It may carry a password (redis://:password@host).
    secret: true,
  },
  {
    name: "ROOMS_MCP_EVENTS_MAX",
    description: `events kept (default ${DEFAULT_RETENTION.maxEvents})`,
    secret: false,
  },
  {
    name: "ROOMS_MCP_EVENTS_MAX_AGE",
    description: "how long events are kept, e.g. 6h (default 24h)",
    secret: false,
  },
  {
    name: "ROOMS_MCP_POLL_INTERVAL_MS",
    description: `how often a wait without webhooks polls the API (default ${DEFAULT_POLL_INTERVAL_MS}, at least 250)`,
    secret: false,
  },
];

export interface EventRuntime {
  readonly access: EventAccess;
  readonly endpoints: readonly WebhookEndpoint[];
  readonly notices: readonly string[];
  /** Values to scrub from every result and log line (a password in REDIS_URL). */
  readonly secrets: readonly string[];
  close(): Promise<void>;
}

export interface ServedProvider {
  readonly provider: AnyDescriptor;
  readonly config: unknown;
}

/**
 * `listening`: this process receives webhooks (HTTP mode, or --webhook-port). With a shared store the other
 * replicas may receive them even when this one does not, so the providers with webhook settings count as
 * receiving either way.
 */
export async function startEvents(
  env: Env,
  served: readonly ServedProvider[],
  options: { readonly listening: boolean; readonly maxWaitMs?: number },
): Promise<EventRuntime> {
  const retention = retentionFromEnv(env);
  const pollIntervalMs = pollIntervalFromEnv(env);
  const notices: string[] = [];
  const endpoints: WebhookEndpoint[] = [];
  for (const { provider, config } of served) {
    const webhook = provider.events.webhook(env, config);
    if (webhook.kind === "invalid") {
      throw new Error(`${provider.displayName} webhooks: ${webhook.problem}`);
    }
    endpoints.push({
      provider: provider.id,
      segment: provider.command,
      displayName: provider.displayName,
      verifier: webhook.kind === "configured" ? webhook.config : undefined,
      notEnabled: provider.events.setup,
    });
  }
  const url = (env.REDIS_URL ?? "").trim();
  const store: EventStore = url === "" ? memoryEventStore(retention) : await openRedis(url, retention);
  const shared = store.kind === "redis";
  const receiving = new Set<ProviderId>(
    options.listening || shared
      ? endpoints.filter((e) => e.verifier !== undefined).map((e) => e.provider)
      : [],
  );
  for (const endpoint of endpoints) {
    if (endpoint.verifier === undefined && (options.listening || shared)) {
      notices.push(`${endpoint.displayName} webhooks are off: ${endpoint.notEnabled}`);
    }
  }
  return {
    access: {
      store,
      receiving,
      pollIntervalMs,
      ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
    },
    endpoints,
    notices,
    secrets: redisSecrets(url),
    close: () => store.close(),
  };
}

async function openRedis(url: string, retention: Retention): Promise<EventStore> {
  // Loaded only when asked for: a server without REDIS_URL never pays for the client.
  const { redisEventStore } = await import("./redis-store.js");
  try {
    return await redisEventStore({ url, retention });
  } catch (error) {
    throw new Error(`REDIS_URL: cannot connect to ${redisHost(url)}: ${(error as Error).message}`);
  }
}

function redisSecrets(url: string): string[] {
  if (url === "") {
    return [];
  }
  try {
    const { password } = new URL(url);
    return password === "" ? [] : [decodeURIComponent(password), url];
  } catch {
    return [url];
  }
}

/** The URL without its credentials, for messages. */
export function redisHost(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === "/" ? "" : parsed.pathname}`;
  } catch {
    return "(an unparseable URL)";
  }
}

function retentionFromEnv(env: Env): Retention {
  const max = (env.ROOMS_MCP_EVENTS_MAX ?? "").trim();
  const age = (env.ROOMS_MCP_EVENTS_MAX_AGE ?? "").trim();
  const maxEvents = max === "" ? DEFAULT_RETENTION.maxEvents : Number(max);
  if (!Number.isInteger(maxEvents) || maxEvents < 1 || maxEvents > 10_000_000) {
    throw new Error(
      `ROOMS_MCP_EVENTS_MAX must be a whole number from 1 to 10000000, not ${JSON.stringify(max)}`,
    );
  }
  const maxAgeSeconds = age === "" ? DEFAULT_RETENTION.maxAgeSeconds : parseDuration(age);
  if (maxAgeSeconds === undefined || maxAgeSeconds < 1) {
    throw new Error(
      `ROOMS_MCP_EVENTS_MAX_AGE must be a duration like 3600, 90m, 6h or 7d, not ${JSON.stringify(age)}`,
    );
  }
  return { maxEvents, maxAgeSeconds };
}

function pollIntervalFromEnv(env: Env): number {
  const raw = (env.ROOMS_MCP_POLL_INTERVAL_MS ?? "").trim();
  if (raw === "") {
    return DEFAULT_POLL_INTERVAL_MS;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 250 || value > 60_000) {
    throw new Error(
      `ROOMS_MCP_POLL_INTERVAL_MS must be a whole number from 250 to 60000, not ${JSON.stringify(raw)}`,
    );
  }
  return value;
}
