/**
 * Compact views: the summary of an object that list tools return by default, and its schema, derived by
 * picking properties of the generated schema (never written by hand), so a spec change reaches both.
 */
import { isRecord } from "../json.js";
import type { JsonSchema } from "./define.js";

/** How much of a free-form text (metadata) a summary keeps; the tool descriptions state it. */
export const SUMMARY_TEXT_CHARS = 100;

/**
 * The named properties of a generated object schema, each optionally replaced (`nested`, e.g. a track
 * list narrowed to its own summary). The result is open (no `additionalProperties: false`): with
 * `detail: "full"` the same items carry every other property too. Throws at start-up when the generated
 * schema lacks a name, so a spec change cannot silently empty a view.
 */
export function pickSchema(
  schema: JsonSchema,
  names: readonly string[],
  context: string,
  nested: Readonly<Record<string, JsonSchema>> = {},
): JsonSchema {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const picked: Record<string, JsonSchema> = {};
  for (const name of names) {
    const property = properties[name];
    if (property === undefined) {
      throw new Error(`${context}: the generated schema has no property "${name}" to show`);
    }
    picked[name] = nested[name] ?? property;
  }
  const required = Array.isArray(schema.required)
    ? (schema.required as string[]).filter((name) => names.includes(name))
    : [];
  return {
    type: schema.type ?? "object",
    properties: picked,
    ...(required.length > 0 ? { required } : {}),
  };
}

/** The schema at a path of properties/items/additionalProperties (`["properties", "tracks", "items"]`). */
export function schemaAt(schema: JsonSchema, path: readonly string[], context: string): JsonSchema {
  let node: unknown = schema;
  for (const key of path) {
    node = isRecord(node) ? node[key] : undefined;
  }
  if (!isRecord(node)) {
    throw new Error(`${context}: no schema at ${path.join(".")}`);
  }
  return node as JsonSchema;
}

/** The named properties of a JSON object, in the given order; absent ones stay absent. */
export function pickFields(
  value: Readonly<Record<string, unknown>>,
  names: readonly string[],
): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of names) {
    if (value[name] !== undefined) {
      picked[name] = value[name];
    }
  }
  return picked;
}

/** A text cut to `max` characters, ending in "…" when it was cut (never inside a surrogate pair). */
export function cutText(text: string, max: number = SUMMARY_TEXT_CHARS): string {
  if (text.length <= max) {
    return text;
  }
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}
