/**
 * `npm run surface:diff` — what a change does to the tools agents see: compares the surface the current
 * code produces with the committed snapshots (test/toolsnaps/) and prints a Markdown report fit for a pull
 * request, each change marked breaking or additive.
 *
 * Breaking = a call or a reading of the result that worked before may fail or mean something else now:
 * a tool or argument removed, an argument retyped or newly required, an enum value removed, an output
 * field removed or retyped, a tool newly allowed to write or destroy. Everything else is additive.
 */
import { fileURLToPath } from "node:url";
import { collectSurface, readSnapshots, type Surface, type ToolSnapshot } from "./tool-surface.js";

export type Severity = "breaking" | "additive";

export interface SurfaceChange {
  readonly provider: string;
  readonly tool: string;
  readonly severity: Severity;
  readonly what: string;
}

type Schema = Record<string, unknown>;

export function diffSurfaces(before: Surface, after: Surface): SurfaceChange[] {
  const changes: SurfaceChange[] = [];
  const providers = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const provider of providers) {
    const old = new Map((before[provider] ?? []).map((t) => [t.name, t]));
    const now = new Map((after[provider] ?? []).map((t) => [t.name, t]));
    const add = (tool: string, severity: Severity, what: string) =>
      changes.push({ provider, tool, severity, what });
    for (const [name, tool] of now) {
      const previous = old.get(name);
      if (previous === undefined) {
        add(name, "additive", "tool added");
      } else {
        diffTool(previous, tool, (severity, what) => add(name, severity, what));
      }
    }
    for (const name of old.keys()) {
      if (!now.has(name)) {
        add(name, "breaking", "tool removed");
      }
    }
  }
  return changes;
}

function diffTool(
  before: ToolSnapshot,
  after: ToolSnapshot,
  add: (severity: Severity, what: string) => void,
): void {
  diffInput(before.inputSchema, after.inputSchema, "", add);
  diffOutput(before.outputSchema ?? {}, after.outputSchema ?? {}, "", add);
  const was = before.annotations ?? {};
  const is = after.annotations ?? {};
  for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"]) {
    if (was[hint] === is[hint]) {
      continue;
    }
    // Clients gate confirmations on these: losing read-only or gaining destructive must be reviewed.
    const riskier =
      (hint === "readOnlyHint" && is[hint] !== true) ||
      (hint === "destructiveHint" && is[hint] === true) ||
      (hint === "idempotentHint" && is[hint] !== true);
    add(riskier ? "breaking" : "additive", `annotation ${hint}: ${String(was[hint])} → ${String(is[hint])}`);
  }
  if (before.title !== after.title) {
    add("additive", `title changed: "${before.title}" → "${after.title}"`);
  }
  if (before.description !== after.description) {
    add("additive", "description changed");
  }
}

function diffInput(
  before: Schema,
  after: Schema,
  path: string,
  add: (s: Severity, what: string) => void,
): void {
  const was = properties(before);
  const is = properties(after);
  const wasRequired = new Set(required(before));
  const isRequired = new Set(required(after));
  for (const [name, schema] of Object.entries(is)) {
    const at = join(path, name);
    const previous = was[name];
    if (previous === undefined) {
      add(
        isRequired.has(name) ? "breaking" : "additive",
        `argument \`${at}\` added${isRequired.has(name) ? " (required)" : ""}`,
      );
      continue;
    }
    if (isRequired.has(name) && !wasRequired.has(name)) {
      add("breaking", `argument \`${at}\` is now required`);
    }
    if (!isRequired.has(name) && wasRequired.has(name)) {
      add("additive", `argument \`${at}\` is now optional`);
    }
    diffValue(previous, schema, at, "argument", add, "input");
  }
  for (const name of Object.keys(was)) {
    if (!(name in is)) {
      add("breaking", `argument \`${join(path, name)}\` removed`);
    }
  }
}

function diffOutput(
  before: Schema,
  after: Schema,
  path: string,
  add: (s: Severity, what: string) => void,
): void {
  const was = properties(before);
  const is = properties(after);
  for (const [name, schema] of Object.entries(is)) {
    const at = join(path, name);
    const previous = was[name];
    if (previous === undefined) {
      add("additive", `output field \`${at}\` added`);
    } else {
      diffValue(previous, schema, at, "output field", add, "output");
    }
  }
  for (const name of Object.keys(was)) {
    if (!(name in is)) {
      add("breaking", `output field \`${join(path, name)}\` removed`);
    }
  }
}

/** Compares two property schemas: type, enum values, then nested objects and array items. */
function diffValue(
  before: Schema,
  after: Schema,
  at: string,
  noun: string,
  add: (s: Severity, what: string) => void,
  side: "input" | "output",
): void {
  if (typeLabel(before) !== typeLabel(after)) {
    add("breaking", `${noun} \`${at}\` type changed: ${typeLabel(before)} → ${typeLabel(after)}`);
    return;
  }
  const wasEnum = enumValues(before);
  const isEnum = enumValues(after);
  if (wasEnum && isEnum) {
    const added = isEnum.filter((v) => !wasEnum.includes(v));
    const removed = wasEnum.filter((v) => !isEnum.includes(v));
    // A new value an agent may send is additive; a new value it may read back can surprise it, but is
    // still additive by convention (protobuf enums are open).
    if (added.length > 0) {
      add("additive", `${noun} \`${at}\` gained value(s) ${added.join(", ")}`);
    }
    if (removed.length > 0) {
      add("breaking", `${noun} \`${at}\` lost value(s) ${removed.join(", ")}`);
    }
  }
  const nest = side === "input" ? diffInput : diffOutput;
  if (after.type === "object") {
    nest(before, after, at, add);
  }
  const wasItems = before.items as Schema | undefined;
  const isItems = after.items as Schema | undefined;
  if (wasItems && isItems) {
    diffValue(wasItems, isItems, `${at}[]`, noun, add, side);
  }
}

function properties(schema: Schema): Record<string, Schema> {
  return (schema.properties as Record<string, Schema> | undefined) ?? {};
}

function required(schema: Schema): string[] {
  return (schema.required as string[] | undefined) ?? [];
}

function enumValues(schema: Schema): string[] | undefined {
  return Array.isArray(schema.enum) ? schema.enum.map((v) => JSON.stringify(v)) : undefined;
}

function typeLabel(schema: Schema): string {
  const { type } = schema;
  if (Array.isArray(type)) {
    return type.join("|");
  }
  if (type === "array") {
    return `array of ${typeLabel((schema.items as Schema | undefined) ?? {})}`;
  }
  return typeof type === "string" ? type : "any";
}

function join(path: string, name: string): string {
  return path === "" ? name : `${path}.${name}`;
}

/** The Markdown report: a summary line, then breaking and additive changes grouped by tool. */
export function renderSurfaceReport(changes: readonly SurfaceChange[]): string {
  if (changes.length === 0) {
    return "## Tool surface\n\nNo change to the tools agents see.\n";
  }
  const breaking = changes.filter((c) => c.severity === "breaking");
  const additive = changes.filter((c) => c.severity === "additive");
  const lines = [
    "## Tool surface",
    "",
    `${breaking.length} breaking, ${additive.length} additive change(s).`,
    "",
  ];
  for (const [title, group] of [
    ["Breaking", breaking],
    ["Additive", additive],
  ] as const) {
    if (group.length === 0) {
      continue;
    }
    lines.push(`### ${title}`, "");
    for (const change of group) {
      lines.push(`- **${change.provider}** \`${change.tool}\`: ${change.what}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const changes = diffSurfaces(readSnapshots(), await collectSurface());
  process.stdout.write(renderSurfaceReport(changes));
  // Informational by default; `--fail-on-breaking` lets a workflow gate on it.
  if (process.argv.includes("--fail-on-breaking") && changes.some((c) => c.severity === "breaking")) {
    process.exitCode = 1;
  }
}
