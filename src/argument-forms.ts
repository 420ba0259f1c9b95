/**
 * Arguments as clients really send them, read as they meant them (argument-validator.ts applies this only
 * to arguments that fail validation as sent, so well-formed calls are untouched):
 *
 * - `null` for an optional argument means "not given": OpenAI's strict function calling makes models send
 *   null for every field they leave empty. A null where the schema allows null stays.
 * - An object or array argument that arrives as JSON text (some clients encode nested arguments twice) is
 *   decoded, when that is unambiguous: the schema does not take a string there, and the text is JSON of
 *   the type the schema wants.
 *
 * Both apply at every depth the schema describes.
 */
import { isRecord } from "./json.js";

type Schema = Record<string, unknown>;

/** The arguments with nulls dropped and JSON text decoded where the schema says so; `value` if unchanged. */
export function normalizeArguments(schema: unknown, value: unknown): unknown {
  if (!isRecord(schema)) {
    return value;
  }
  if (Array.isArray(value)) {
    const items = schema.items;
    let changed = false;
    const out = value.map((item) => {
      const normalized = normalizeArguments(items, item);
      changed ||= normalized !== item;
      return normalized;
    });
    return changed ? out : value;
  }
  if (!isRecord(value)) {
    return value;
  }
  const properties = isRecord(schema.properties) ? schema.properties : {};
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [name, given] of Object.entries(value)) {
    const property = properties[name] ?? schema.additionalProperties;
    const normalized = normalizeValue(property, given);
    if (normalized === ABSENT) {
      changed = true;
      continue;
    }
    changed ||= normalized !== given;
    out[name] = normalized;
  }
  return changed ? out : value;
}

const ABSENT = Symbol("absent");

function normalizeValue(schema: unknown, value: unknown): unknown {
  if (!isRecord(schema)) {
    return value;
  }
  if (value === null) {
    return allows(schema, "null") ? value : ABSENT;
  }
  if (typeof value === "string" && !allows(schema, "string")) {
    const decoded = decodeContainer(schema, value);
    return decoded === undefined ? value : normalizeArguments(schema, decoded);
  }
  return normalizeArguments(schema, value);
}

/** JSON text of an object or array, where the schema wants exactly that (else undefined). */
function decodeContainer(schema: Schema, text: string): unknown {
  const wantsObject = allows(schema, "object") && types(schema) !== undefined;
  const wantsArray = allows(schema, "array") && types(schema) !== undefined;
  if (!wantsObject && !wantsArray) {
    return undefined;
  }
  const trimmed = text.trim();
  if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) {
    return undefined;
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (Array.isArray(decoded)) {
    return wantsArray ? decoded : undefined;
  }
  return wantsObject && isRecord(decoded) ? decoded : undefined;
}

/** The types a schema names; undefined when it names none (then it takes anything). */
function types(schema: Schema): readonly string[] | undefined {
  const { type } = schema;
  if (typeof type === "string") {
    return [type];
  }
  return Array.isArray(type) ? (type as string[]) : undefined;
}

function allows(schema: Schema, type: string): boolean {
  if (Array.isArray(schema.enum)) {
    return schema.enum.some((v) => (type === "null" ? v === null : typeof v === type));
  }
  const named = types(schema);
  if (named === undefined) {
    return true;
  }
  return named.includes(type) || (type === "number" && named.includes("integer"));
}
