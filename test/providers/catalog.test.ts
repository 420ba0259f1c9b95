/**
 * The catalog (names, and each provider module loaded when first needed) and the registry (every module,
 * loaded) describe the same providers: same ids, names, commands and prefixes, and a catalog entry loads
 * exactly the registry's module.
 */
import { describe, expect, it } from "vitest";
import { CATALOG, entryByCommand, PROVIDER_NAMES } from "../../src/providers/catalog.js";
import { PROVIDERS, providerById } from "../../src/providers/registry.js";

describe("provider catalog", () => {
  it("lists the registry's providers, in its order, under the same names", () => {
    expect(CATALOG.map((e) => e.id)).toEqual(PROVIDERS.map((p) => p.id));
    for (const provider of PROVIDERS) {
      const { id, displayName, command, toolPrefix } = provider;
      expect({ id, displayName, command, toolPrefix }).toEqual(PROVIDER_NAMES[provider.id]);
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
