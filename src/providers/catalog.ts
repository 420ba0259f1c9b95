/**
 * The providers this server knows, by name only, with each module loaded when first needed: `rooms-mcp
 * livekit` never loads the 100ms code, and what a start-up does not need is not paid for. The names live
 * here once; each provider module (src/providers/<id>/index.ts) takes its own from here, and the registry
 * (registry.ts) lists the loaded modules for the tests and scripts that walk every provider.
 */
import type { ProviderId } from "./provider.js";
import type { AnyProvider } from "./registry.js";

export interface ProviderNames {
  readonly id: ProviderId;
  /** How people name the vendor: in error texts, help and docs. */
  readonly displayName: string;
  /** The word `rooms-mcp <command>` takes to serve only this provider. */
  readonly command: string;
  /** Prefix of its tool names when several providers are served together. */
  readonly toolPrefix: string;
}

export interface CatalogEntry extends ProviderNames {
  /** Loads the provider module (once; later calls get the same module). */
  load(): Promise<AnyProvider>;
}

/** Keyed by id, so the type makes every id have exactly one entry. */
export const PROVIDER_NAMES: { readonly [Id in ProviderId]: ProviderNames } = {
  livekit: { id: "livekit", displayName: "LiveKit", command: "livekit", toolPrefix: "livekit_" },
  hms: { id: "hms", displayName: "100ms", command: "100ms", toolPrefix: "hms_" },
};

const LOADERS: { readonly [Id in ProviderId]: () => Promise<AnyProvider> } = {
  livekit: async () => (await import("./livekit/index.js")).livekitProvider as AnyProvider,
  hms: async () => (await import("./hms/index.js")).hmsProvider as AnyProvider,
};

/** In the order their tools are listed. */
export const CATALOG: readonly CatalogEntry[] = (Object.keys(PROVIDER_NAMES) as ProviderId[]).map((id) => ({
  ...PROVIDER_NAMES[id],
  load: LOADERS[id],
}));

export function entryByCommand(command: string): CatalogEntry | undefined {
  return CATALOG.find((entry) => entry.command === command);
}

/** Every provider module, loaded (help, and serving every provider whose credentials are set). */
export function loadAll(): Promise<AnyProvider[]> {
  return Promise.all(CATALOG.map((entry) => entry.load()));
}
