/**
 * The providers this server knows, every module loaded, in the order their tools are listed. What walks every
 * provider's manifest or client (record mode, the fixture harness, snapshots, README tables, scripts, the tool
 * listing generator) reads this list; serving goes through the catalog (catalog.ts), whose descriptors load
 * these modules on the first call.
 * Adding a provider: its id in provider.ts, its descriptor and module under src/providers/<id>/, one entry
 * here and one in the catalog (CONTRIBUTING.md, "Add a provider").
 */
import { hmsProvider } from "./hms/index.js";
import { livekitProvider } from "./livekit/index.js";
import type { Provider, ProviderId } from "./provider.js";

/**
 * A provider seen from outside its module. Its config and client types stay its own: callers only pass a
 * provider's config back to the same provider's client factory, and its client to its own tools.
 */
export type AnyProvider = Provider<unknown, unknown>;

/** Keyed by id, so the type makes every id have exactly one module. */
const BY_ID: { readonly [Id in ProviderId]: AnyProvider } = {
  livekit: livekitProvider,
  hms: hmsProvider,
};

export const PROVIDERS: readonly AnyProvider[] = Object.values(BY_ID);

export function providerById(id: ProviderId): AnyProvider {
  return BY_ID[id];
}

/** The provider `rooms-mcp <command>` names, if any. */
export function providerByCommand(command: string): AnyProvider | undefined {
  return PROVIDERS.find((provider) => provider.command === command);
}
