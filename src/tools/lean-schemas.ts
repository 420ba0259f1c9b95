/**
 * The schemas tools/list advertises, cut to what a client and its model use, so that the whole tool list
 * stays small (most clients send every tool's schemas to the model with every request):
 *
 * - Input schemas keep everything that validates or explains an argument; only `title`, `examples` and
 *   the top-level description (the request message's comment, which the tool description says better)
 *   go.
 * - Output schemas keep the shape of the result: field names and JSON types. They drop descriptions,
 *   titles, examples, enums (the input schemas state the values arguments take) and validation-only
 *   keywords (patterns, ranges, formats): the result is produced by this server from a validated
 *   answer, so those never fail, and what fields mean is in the tool descriptions, which every client
 *   shows. Nested objects are spelled out to a depth ({@link OBJECT_DEPTH}, {@link PAGE_DEPTH}); deeper
 *   ones are typed `object`, which every client accepts and which is true of them. A page declares
 *   `truncated` (budget.ts); a whole object is open and may carry it.
 */
import { isRecord } from "../json.js";
import type { JsonSchema } from "./define.js";

/**
 * How many object levels below the top an output schema spells out. A list's page (the result carries
 * `next_cursor`) is this server's own shape, its items the compact views it picks (views.ts): those are
 * spelled out to the item's tracks. A vendor object returned whole is typed field by field at its top.
 */
export const OBJECT_DEPTH = 0;
export const PAGE_DEPTH = 2;

const INPUT_DROPPED = new Set(["title", "examples"]);

const OUTPUT_DROPPED = new Set([
  // The input schemas state the values an argument takes; results show the values there are.
  "enum",
  "description",
  "title",
  "examples",
  "deprecated",
  "default",
  "$comment",
  "pattern",
  "format",
  "contentEncoding",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
]);

/**
 * A whole vendor object is typed by its top-level fields, and open like the objects below them: the
 * vendor adds fields over time, and 100ms documents its objects as open (which fields it always sends is
 * the vendor's to change, so that is left unsaid too).
 */
const OBJECT_DROPPED = new Set([...OUTPUT_DROPPED, "additionalProperties", "required"]);

/** Keywords whose value is a map of schemas, and keywords whose value is one schema. */
const SCHEMA_MAPS = new Set(["properties"]);
const SCHEMAS = new Set(["items", "additionalProperties"]);

export function leanInputSchema(schema: JsonSchema): JsonSchema {
  const { description: _, ...rest } = schema;
  return strip(rest, INPUT_DROPPED, Number.POSITIVE_INFINITY, 0) as JsonSchema;
}

export function leanOutputSchema(schema: JsonSchema): JsonSchema {
  const page = isRecord(schema.properties) && "next_cursor" in schema.properties;
  const lean = (
    page ? strip(schema, OUTPUT_DROPPED, PAGE_DEPTH, 0) : strip(schema, OBJECT_DROPPED, OBJECT_DEPTH, 0)
  ) as JsonSchema;
  // A page is closed, so it declares the note the budget may add. A whole object is open (it may carry
  // the note without saying so), and a result with no properties is never cut.
  if (!page || !isRecord(lean.properties)) {
    return lean;
  }
  return { ...lean, properties: { ...lean.properties, truncated: { type: "string" } } };
}

function isObjectSchema(node: Record<string, unknown>): boolean {
  const { type } = node;
  return type === "object" || (Array.isArray(type) && type.includes("object"));
}

/** A copy without the dropped keywords; object schemas `depth` levels below the root become `{type}`. */
function strip(node: unknown, dropped: ReadonlySet<string>, depth: number, level: number): unknown {
  if (!isRecord(node)) {
    return node;
  }
  const objectLevel = isObjectSchema(node);
  if (objectLevel && level > depth) {
    return { type: node.type };
  }
  const below = objectLevel ? level + 1 : level;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (dropped.has(key)) {
      continue;
    }
    if (SCHEMA_MAPS.has(key) && isRecord(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [name, strip(child, dropped, depth, below)]),
      );
    } else if (SCHEMAS.has(key) && isRecord(value)) {
      // An array's items sit at the array's level: a list of rooms is as deep as one room.
      out[key] = strip(value, dropped, depth, key === "items" ? level : below);
    } else {
      out[key] = value;
    }
  }
  return out;
}
