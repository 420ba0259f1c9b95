/**
 * Gates on the declarative manifest, for every provider: each generated operation is mapped to a tool or
 * excluded with a reason (and no exclusion is stale); every tool is fully described; every schema is one
 * that MCP clients and LLM providers accept.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { allOperations, LIVEKIT_SERVICES } from "../src/providers/livekit/services.js";
import { PROVIDERS } from "../src/providers/registry.js";
import {
  LIVEKIT_LOCAL_TOOLS,
  LIVEKIT_SERVICE_MANIFESTS,
  livekitManifest,
} from "../src/tools/livekit/index.js";

const NAME = /^[a-z0-9_]{1,64}$/;

describe.each(PROVIDERS.map((p) => [p.id, p.manifest] as const))("%s manifest", (_, toolset) => {
  it("maps every generated operation to a tool or excludes it with a reason", () => {
    const mapped = new Set(toolset.tools.map((t) => t.operation));
    const excluded = new Set(toolset.excluded.map((e) => e.operation));
    const uncovered = toolset.operations.filter((op) => !mapped.has(op) && !excluded.has(op));
    expect(
      uncovered,
      "operations with neither a tool nor an exclusion: add a tool, or an exclusion with a reason",
    ).toEqual([]);
    const stale = [...excluded].filter((op) => !toolset.operations.includes(op) || mapped.has(op));
    expect(stale, "exclusions of operations that no longer exist or now have a tool: remove them").toEqual(
      [],
    );
    const unknown = [...mapped].filter((op) => !toolset.operations.includes(op));
    expect(unknown, "tools mapped to operations the generated code does not have").toEqual([]);
    for (const { reason } of toolset.excluded) {
      expect(reason.length).toBeGreaterThan(10);
    }
  });

  it("names every tool uniquely in [a-z0-9_]{1,64}", () => {
    const names = toolset.tools.map((t) => t.name);
    expect(names.filter((n) => !NAME.test(n))).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(toolset.tools.map((t) => [t.name, t] as const))("%s is fully described", (_, tool) => {
    expect(tool.title.length).toBeGreaterThan(3);
    expect(tool.description.length).toBeGreaterThan(40);
    for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
      expect(typeof tool.annotations[hint], hint).toBe("boolean");
    }
    if (tool.annotations.readOnlyHint) {
      expect(tool.annotations.destructiveHint).toBe(false);
    }
  });

  it.each(toolset.tools.map((t) => [t.name, t] as const))("%s has schemas clients accept", (_, tool) => {
    // date-time is the one standard format the generated schemas use (google.protobuf.Timestamp).
    const ajv = new Ajv2020({
      strict: true,
      strictTypes: false,
      allowUnionTypes: true,
      formats: { "date-time": true },
    });
    for (const [which, schema] of [
      ["input", tool.inputSchema],
      ["output", tool.outputSchema],
    ] as const) {
      expect(schema.type, `${which} schema is an object`).toBe("object");
      for (const keyword of ["anyOf", "oneOf", "allOf", "not", "$ref"]) {
        expect(schema[keyword], `${which} schema has top-level ${keyword}`).toBeUndefined();
      }
      expect(() => ajv.compile(schema), `${which} schema compiles`).not.toThrow();
    }
  });
});

describe("LiveKit service manifests", () => {
  it("are exactly one per service in specs/livekit (in the order their tools are listed)", () => {
    expect(LIVEKIT_SERVICE_MANIFESTS.map((m) => m.service.typeName).sort()).toEqual(
      LIVEKIT_SERVICES.map((s) => s.typeName).sort(),
    );
  });

  it("give every tool that calls no RPC a local/ operation, outside every service manifest", () => {
    const inServices = new Set(LIVEKIT_SERVICE_MANIFESTS.flatMap((m) => m.tools.map((t) => t.name)));
    const rpcs = new Set(allOperations());
    for (const tool of LIVEKIT_LOCAL_TOOLS) {
      expect(tool.operation, tool.name).toMatch(/^local\/[A-Z][A-Za-z]+$/);
      expect(rpcs.has(tool.operation), tool.name).toBe(false);
      expect(inServices.has(tool.name), `${tool.name} is in a service manifest`).toBe(false);
    }
    // Every tool is either an RPC's or a local one; nothing else reaches the manifest.
    const local = new Set(LIVEKIT_LOCAL_TOOLS.map((t) => t.operation));
    const stray = livekitManifest.tools.filter((t) => !rpcs.has(t.operation) && !local.has(t.operation));
    expect(stray.map((t) => t.name)).toEqual([]);
  });

  it("map only RPCs of their own service", () => {
    for (const manifest of LIVEKIT_SERVICE_MANIFESTS) {
      const prefix = `${manifest.service.typeName}/`;
      const stray = [...manifest.tools.map((t) => t.operation), ...manifest.excluded.map((e) => e.operation)];
      expect(stray.filter((op) => !op.startsWith(prefix))).toEqual([]);
    }
  });
});

describe.each(PROVIDERS.map((p) => [p.id, p] as const))("%s toolsets and targets", (_, provider) => {
  const names = provider.manifest.tools.map((t) => t.name);

  it("put every tool in exactly one toolset, and name only tools", () => {
    const listed = provider.toolsets.flatMap((set) => set.tools);
    expect(
      listed.filter((name) => !names.includes(name)),
      "toolsets naming no tool",
    ).toEqual([]);
    for (const name of names) {
      expect(
        listed.filter((n) => n === name),
        `${name} in exactly one toolset`,
      ).toHaveLength(1);
    }
    expect(new Set(provider.toolsets.map((s) => s.name)).size).toBe(provider.toolsets.length);
    expect(provider.toolsets.some((s) => s.byDefault)).toBe(true);
  });

  it("describe what every tool acts on, with arguments the tool has", () => {
    expect(Object.keys(provider.targets).sort()).toEqual([...names].sort());
    for (const tool of provider.manifest.tools) {
      const targets = provider.targets[tool.name] ?? {};
      const properties = Object.keys((tool.inputSchema.properties ?? {}) as object);
      const named = [
        ...(targets.roomNames ?? []),
        ...(targets.roomIds ?? []),
        ...Object.keys(targets.belongsTo ?? {}),
        ...(targets.subjects ?? []),
        ...(targets.confirm?.when === undefined ? [] : [targets.confirm.when.argument]),
      ];
      expect(
        named.filter((n) => !properties.includes(n)),
        `${tool.name}: targets name no argument`,
      ).toEqual([]);
      if (targets.belongsTo !== undefined) {
        expect(
          provider.resolveRoom,
          `${tool.name}: belongsTo needs the provider's resolveRoom`,
        ).toBeDefined();
      }
    }
  });

  it("ask before every destructive tool", () => {
    const unasked = provider.manifest.tools.filter(
      (t) => t.annotations.destructiveHint && provider.targets[t.name]?.confirm === undefined,
    );
    expect(unasked.map((t) => t.name)).toEqual([]);
  });
});
