/**
 * The generated tool listings (src/generated/<id>/tool_listing.ts) against the manifests they come from, and
 * the lazy binding that serves them: a tool is listed from data and bound, with its provider's code, on the
 * first call of any of the provider's tools.
 */
import { describe, expect, it, vi } from "vitest";
import { bindProvider, serveProvider } from "../../src/assemble.js";
import { roomScope } from "../../src/control/scope.js";
import type { AnyDescriptor } from "../../src/providers/catalog.js";
import { PROVIDERS } from "../../src/providers/registry.js";
import { listingOf } from "../../src/tools/listing.js";

describe.each(PROVIDERS.map((p) => [p.id, p] as const))("%s tool listing", (_id, provider) => {
  it("is what the manifest lists (else: npm run generate)", () => {
    expect(provider.listing()).toEqual(bindProvider(provider, undefined).map(listingOf));
  });

  it("serves under a room scope exactly the tools the manifest confines", () => {
    const scope = roomScope(["team-*"]);
    const served = serveProvider(provider, undefined, "", scope).map((t) => t.name);
    expect(served).toEqual(bindProvider(provider, undefined, "", scope).map((t) => t.name));
    expect(served.length).toBeLessThan(provider.listing().length);
  });
});

/** A descriptor over a real provider whose module load is counted, and may fail. */
function countedDescriptor(failFirst: boolean) {
  const [real] = PROVIDERS as [AnyDescriptor & (typeof PROVIDERS)[number], ...unknown[]];
  let failures = failFirst ? 1 : 0;
  const load = vi.fn(async () => {
    if (failures > 0) {
      failures -= 1;
      throw new Error("module failed to load");
    }
    return real;
  });
  const configured = real.configFromEnv({}, { standalone: true });
  const config = configured.kind === "configured" ? configured.config : undefined;
  return { descriptor: { ...real, load } as AnyDescriptor, load, real, config };
}

describe("lazy binding", () => {
  it("loads the provider once, on the first bind, for all its tools", async () => {
    const { descriptor, load, config } = countedDescriptor(false);
    const tools = serveProvider(descriptor, config, "p_");
    expect(load).not.toHaveBeenCalled();
    const [first, second] = tools;
    const bound = await first?.bind();
    await second?.bind();
    await first?.bind();
    expect(load).toHaveBeenCalledTimes(1);
    expect(bound?.name).toBe(first?.name);
    expect(first?.name.startsWith("p_")).toBe(true);
  });

  it("tries a failed load again on the next call", async () => {
    const { descriptor, load, config } = countedDescriptor(true);
    const [tool] = serveProvider(descriptor, config);
    await expect(tool?.bind()).rejects.toThrow("module failed to load");
    await expect(tool?.bind()).resolves.toMatchObject({ name: tool?.name });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("says a listed tool the manifest lacks is a stale listing", async () => {
    const { descriptor, real, config } = countedDescriptor(false);
    const ghost = { ...real.listing()[0], name: "no_such_tool" } as ReturnType<
      AnyDescriptor["listing"]
    >[number];
    const stale = { ...descriptor, listing: () => [ghost] } as AnyDescriptor;
    const [tool] = serveProvider(stale, config);
    await expect(tool?.bind()).rejects.toThrow(
      /no_such_tool is in the generated tool listing.*npm run generate/,
    );
  });
});
