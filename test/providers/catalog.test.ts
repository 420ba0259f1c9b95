/**
 * The catalog (descriptors, each provider module loaded on its first call) and the registry (every module,
 * loaded) describe the same providers: same ids, names, commands and prefixes, and a descriptor loads
 * exactly the registry's module, which carries the descriptor's own settings.
 */
import { describe, expect, it } from "vitest";
import { CATALOG, descriptorById, entryByCommand } from "../../src/providers/catalog.js";
import { PROVIDERS, providerById } from "../../src/providers/registry.js";

describe("provider catalog", () => {
  it("lists the registry's providers, in its order, under the same names", () => {
    expect(CATALOG.map((e) => e.id)).toEqual(PROVIDERS.map((p) => p.id));
    for (const provider of PROVIDERS) {
      const descriptor = descriptorById(provider.id);
      for (const key of [
        "displayName",
        "command",
        "toolPrefix",
        "credentials",
        "environment",
        "toolsets",
      ] as const) {
        expect(provider[key], `${provider.id} ${key}`).toBe(descriptor[key]);
      }
    }
  });

  it("loads, for each entry, the module the registry lists", async () => {
    for (const entry of CATALOG) {
      expect(await entry.load()).toBe(providerById(entry.id));
    }
  });

  it("finds entries by their command word only", () => {
    expect(entryByCommand("100ms")?.id).toBe("hms");
    expect(entryByCommand("livekit")?.id).toBe("livekit");
    expect(entryByCommand("hms")).toBeUndefined();
  });
});
