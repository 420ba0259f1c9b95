/** surface:diff on constructed before/after surfaces: every kind of change, classified. */
import { describe, expect, it } from "vitest";
import { diffSurfaces, renderSurfaceReport } from "../scripts/surface-diff.js";
import type { Surface, ToolSnapshot } from "../scripts/tool-surface.js";

const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };

function tool(name: string, overrides: Partial<ToolSnapshot> = {}): ToolSnapshot {
  return {
    name,
    title: `Title of ${name}`,
    description: `Description of ${name}`,
    annotations: READ,
    inputSchema: {
      type: "object",
      properties: {
        room: { type: "string" },
        limit: { type: "integer" },
        kind: { type: "string", enum: ["reliable", "lossy"] },
      },
      required: ["room"],
    },
    outputSchema: {
      type: "object",
      properties: {
        rooms: {
          type: "array",
          items: { type: "object", properties: { sid: { type: "string" }, size: { type: "integer" } } },
        },
        last: { type: "string" },
      },
    },
    ...overrides,
  };
}

describe("diffSurfaces", () => {
  it("reports nothing for identical surfaces", () => {
    const surface: Surface = { livekit: [tool("list_rooms")] };
    expect(diffSurfaces(surface, structuredClone(surface))).toEqual([]);
    expect(renderSurfaceReport([])).toContain("No change");
  });

  it("classifies added and removed tools", () => {
    const changes = diffSurfaces({ livekit: [tool("a"), tool("b")] }, { livekit: [tool("a"), tool("c")] });
    expect(changes).toEqual([
      { provider: "livekit", tool: "c", severity: "additive", what: "tool added" },
      { provider: "livekit", tool: "b", severity: "breaking", what: "tool removed" },
    ]);
  });

  it("classifies argument changes", () => {
    const before = tool("t");
    const after = tool("t", {
      inputSchema: {
        type: "object",
        properties: {
          room: { type: "string" },
          limit: { type: "string" },
          kind: { type: "string", enum: ["reliable", "best_effort"] },
          topic: { type: "string" },
          identity: { type: "string" },
        },
        required: ["room", "identity", "kind"],
      },
    });
    const whats = diffSurfaces({ p: [before] }, { p: [after] }).map((c) => `${c.severity}: ${c.what}`);
    expect(whats).toEqual([
      "breaking: argument `limit` type changed: integer → string",
      "breaking: argument `kind` is now required",
      'additive: argument `kind` gained value(s) "best_effort"',
      'breaking: argument `kind` lost value(s) "lossy"',
      "additive: argument `topic` added",
      "breaking: argument `identity` added (required)",
    ]);
  });

  it("classifies output changes, nested in arrays", () => {
    const after = tool("t", {
      outputSchema: {
        type: "object",
        properties: {
          rooms: {
            type: "array",
            items: { type: "object", properties: { sid: { type: "integer" }, name: { type: "string" } } },
          },
          next: { type: "string" },
        },
      },
    });
    const whats = diffSurfaces({ p: [tool("t")] }, { p: [after] }).map((c) => `${c.severity}: ${c.what}`);
    expect(whats).toEqual([
      "breaking: output field `rooms[].sid` type changed: string → integer",
      "additive: output field `rooms[].name` added",
      "breaking: output field `rooms[].size` removed",
      "additive: output field `next` added",
      "breaking: output field `last` removed",
    ]);
  });

  it("treats losing read-only or gaining destructive as breaking, and text edits as additive", () => {
    const after = tool("t", {
      annotations: { ...READ, readOnlyHint: false, destructiveHint: true },
      description: "Now says more.",
    });
    const whats = diffSurfaces({ p: [tool("t")] }, { p: [after] }).map((c) => `${c.severity}: ${c.what}`);
    expect(whats).toEqual([
      "breaking: annotation readOnlyHint: true → false",
      "breaking: annotation destructiveHint: false → true",
      "additive: description changed",
    ]);
  });

  it("renders a Markdown report grouped by severity", () => {
    const report = renderSurfaceReport(diffSurfaces({ livekit: [tool("a")] }, { livekit: [tool("b")] }));
    expect(report).toBe(
      [
        "## Tool surface",
        "",
        "1 breaking, 1 additive change(s).",
        "",
        "### Breaking",
        "",
        "- **livekit** `a`: tool removed",
        "",
        "### Additive",
        "",
        "- **livekit** `b`: tool added",
        "",
      ].join("\n"),
    );
  });
});
