/**
 * How a LiveKit tool's result is cut from its RPC's response: response fields the tool leaves out (with the
 * same cut made to the output schema, so results still match it), and sensitive fields it deliberately keeps.
 *
 * Paths are written `items[].state.tracks`: field names joined by dots, `[]` after a repeated field for
 * "every element". Both lists are data in the manifest entries; a path the generated schema or the
 * contract's marks do not have fails at start-up, so a spec change cannot silently disconnect an entry.
 */
import { isRecord } from "../../json.js";
import type { ValuePath } from "../../redact.js";
import type { JsonSchema } from "../define.js";

export interface ResultShape {
  /**
   * Response fields left out of the result and its schema, where they only repeat what the caller sent or
   * would swamp the schema (an egress echoes its whole start request, storage settings included).
   */
  readonly omit?: readonly string[];
  /**
   * Fields marked `@sensitive` that this tool's result keeps, because handing them out is the tool's purpose
   * (create_ingress returns the stream key the encoder needs). Every other mark still redacts.
   */
  readonly reveal?: readonly string[];
}

/** `items[].state.tracks` → `["items", "[]", "state", "tracks"]`, the form redact.ts uses. */
export function parseResultPath(path: string): ValuePath {
  return path.split(".").flatMap((part) => (part.endsWith("[]") ? [part.slice(0, -2), "[]"] : [part]));
}

/** The output schema without the omitted fields; throws when a path names nothing in the schema. */
export function omitFromSchema(schema: JsonSchema, paths: readonly string[], context: string): JsonSchema {
  let result = schema;
  for (const path of paths) {
    result = withoutAt(result, parseResultPath(path), () => {
      throw new Error(`${context}: omitted result field "${path}" is not in the output schema`);
    });
  }
  return result;
}

/** The result without the omitted fields (absent ones are simply absent). */
export function omitFromResult(
  result: Record<string, unknown>,
  paths: readonly string[],
): Record<string, unknown> {
  let out: unknown = result;
  for (const path of paths) {
    out = removeAt(out, parseResultPath(path));
  }
  return out as Record<string, unknown>;
}

/**
 * The sensitive paths still redacted once the revealed ones are kept; throws when a revealed path is not a
 * sensitive path of the response (reveal can only keep what a mark would remove, never anything else).
 */
export function redactedPaths(
  sensitive: readonly ValuePath[],
  reveal: readonly string[],
  context: string,
): readonly ValuePath[] {
  const kept = reveal.map(parseResultPath);
  for (const [i, path] of kept.entries()) {
    if (!sensitive.some((s) => same(s, path))) {
      throw new Error(`${context}: revealed result field "${reveal[i]}" is not marked @sensitive`);
    }
  }
  return sensitive.filter((s) => !kept.some((path) => same(s, path)));
}

function same(a: ValuePath, b: ValuePath): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

function withoutAt(schema: JsonSchema, path: ValuePath, missing: () => never): JsonSchema {
  const [head, ...rest] = path;
  if (head === undefined) {
    return missing();
  }
  if (head === "[]") {
    const items = schema.items;
    if (schema.type !== "array" || !isRecord(items)) {
      return missing();
    }
    return { ...schema, items: withoutAt(items, rest, missing) };
  }
  const properties = schema.properties;
  if (!isRecord(properties) || !(head in properties)) {
    return missing();
  }
  const kept = { ...properties } as Record<string, JsonSchema>;
  if (rest.length === 0) {
    delete kept[head];
  } else {
    kept[head] = withoutAt(kept[head] as JsonSchema, rest, missing);
  }
  return { ...schema, properties: kept };
}

function removeAt(value: unknown, path: ValuePath): unknown {
  const [head, ...rest] = path;
  if (head === undefined) {
    return value;
  }
  if (head === "[]") {
    return Array.isArray(value) ? value.map((item) => removeAt(item, rest)) : value;
  }
  if (!isRecord(value) || !(head in value)) {
    return value;
  }
  if (rest.length === 0) {
    const { [head]: _, ...kept } = value;
    return kept;
  }
  return { ...value, [head]: removeAt(value[head], rest) };
}
