/**
 * The providers this server knows, as descriptors (provider.ts): what a start-up needs of each (settings,
 * generated tool listing, webhook settings), with the provider module loaded on its first call. So
 * `rooms-mcp livekit` lists its tools without loading any manifest, client or 100ms code. The registry
 * (registry.ts) lists the loaded modules for the tests and scripts that walk every provider.
 */
import { hmsDescriptor } from "./hms/descriptor.js";
import { livekitDescriptor } from "./livekit/descriptor.js";
import type { ProviderDescriptor, ProviderId } from "./provider.js";

/** A descriptor seen from outside its provider (its config type stays its own). */
export type AnyDescriptor = ProviderDescriptor<unknown>;

/** Keyed by id, so the type makes every id have exactly one descriptor. */
const BY_ID: { readonly [Id in ProviderId]: AnyDescriptor } = {
  livekit: livekitDescriptor,
  hms: hmsDescriptor,
};

/** In the order their tools are listed. */
export const CATALOG: readonly AnyDescriptor[] = Object.values(BY_ID);

export function descriptorById(id: ProviderId): AnyDescriptor {
  return BY_ID[id];
}

/** The provider `rooms-mcp <command>` names, if any. */
export function entryByCommand(command: string): AnyDescriptor | undefined {
  return CATALOG.find((entry) => entry.command === command);
}
