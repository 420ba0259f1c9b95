/**
 * Gates on the declarative manifest, for every provider: each generated operation is mapped to a tool or
 * excluded with a reason (and no exclusion is stale); every tool is fully described; every schema is one
 * that MCP clients and LLM providers accept.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { LIVEKIT_SERVICES } from "../src/providers/livekit/services.js";
import { PROVIDERS } from "../src/providers/registry.js";
import { LIVEKIT_SERVICE_MANIFESTS } from "../src/tools/livekit/index.js";

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
    const ajv = new Ajv2020({ strict: true, strictTypes: false, allowUnionTypes: true });
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
  it("are exactly one per service in specs/livekit, in the same order", () => {
    expect(LIVEKIT_SERVICE_MANIFESTS.map((m) => m.service.typeName)).toEqual(
      LIVEKIT_SERVICES.map((s) => s.typeName),
    );
  });

  it("map only RPCs of their own service", () => {
    for (const manifest of LIVEKIT_SERVICE_MANIFESTS) {
      const prefix = `${manifest.service.typeName}/`;
      const stray = [...manifest.tools.map((t) => t.operation), ...manifest.excluded.map((e) => e.operation)];
      expect(stray.filter((op) => !op.startsWith(prefix))).toEqual([]);
    }
  });
});
