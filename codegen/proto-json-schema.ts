/**
 * Protobuf descriptor → JSON Schema, for MCP tool input and output schemas.
 *
 * The schema describes a message in its proto3 JSON form with the *proto field names* (snake_case), which is
 * what tools accept as arguments and return as structuredContent. Choices, each made so that the schema is
 * accepted by every major LLM provider and by the MCP SDK's validator without warnings:
 * - 64-bit integers are decimal strings (JSON numbers lose precision past 2^53); 32-bit integers are
 *   integers with their exact range (no non-standard `format` such as "uint32").
 * - enums are their value names; bytes are base64 strings; maps are objects keyed by string.
 * - everything is inlined (no `$ref`), and no `anyOf`/`oneOf`/`allOf` is ever emitted: a proto `oneof`
 *   becomes plain optional properties with the rule stated in their descriptions.
 * - objects are closed (`additionalProperties: false`) so a misspelt argument is reported, not ignored.
 * - proto comments become `description`s; upstream-deprecated fields carry `deprecated: true`.
 */
import { type DescEnum, type DescField, type DescMessage, ScalarType } from "@bufbuild/protobuf";
import { getComments } from "@bufbuild/protoplugin";

/** A JSON Schema object as emitted here (draft 2020-12 keywords only). */
export type JsonSchema = { [keyword: string]: unknown };

const INT32 = { type: "integer", minimum: -2147483648, maximum: 2147483647 } as const;
const UINT32 = { type: "integer", minimum: 0, maximum: 4294967295 } as const;
const INT64 = { type: "string", pattern: "^-?[0-9]+$" } as const;
const UINT64 = { type: "string", pattern: "^[0-9]+$" } as const;

/** Nesting depth after which a (recursive) message is described instead of expanded. */
const MAX_DEPTH = 8;

/** The JSON Schema of a message, with its own comment as the top-level description. */
export function messageJsonSchema(message: DescMessage): JsonSchema {
  return withDescription(objectSchema(message, [message.typeName]), commentOf(message));
}

function objectSchema(message: DescMessage, path: readonly string[]): JsonSchema {
  const wellKnown = wellKnownSchema(message);
  if (wellKnown) {
    return wellKnown;
  }
  const properties: Record<string, JsonSchema> = {};
  for (const field of message.fields) {
    properties[field.name] = fieldSchema(field, path);
  }
  return { type: "object", properties, additionalProperties: false };
}

function fieldSchema(field: DescField, path: readonly string[]): JsonSchema {
  let schema: JsonSchema;
  switch (field.fieldKind) {
    case "scalar":
      schema = scalarSchema(field.scalar);
      break;
    case "enum":
      schema = enumSchema(field.enum);
      break;
    case "message":
      schema = nestedMessageSchema(field.message, path);
      break;
    case "list":
      schema = {
        type: "array",
        items:
          field.listKind === "scalar"
            ? scalarSchema(field.scalar)
            : field.listKind === "enum"
              ? enumSchema(field.enum)
              : nestedMessageSchema(field.message, path),
      };
      break;
    case "map":
      schema = {
        type: "object",
        additionalProperties:
          field.mapKind === "scalar"
            ? scalarSchema(field.scalar)
            : field.mapKind === "enum"
              ? enumSchema(field.enum)
              : nestedMessageSchema(field.message, path),
      };
      break;
  }
  let description = commentOf(field);
  if (field.oneof !== undefined) {
    const others = field.oneof.fields.filter((f) => f !== field).map((f) => f.name);
    description = join(description, `Set at most one of: ${[field.name, ...others].join(", ")}.`);
  }
  schema = withDescription(schema, description);
  if (field.deprecated) {
    schema = { ...schema, deprecated: true };
  }
  return schema;
}

function nestedMessageSchema(message: DescMessage, path: readonly string[]): JsonSchema {
  if (path.includes(message.typeName) || path.length >= MAX_DEPTH) {
    // Recursion cannot be inlined; say what the value is instead of expanding forever.
    return {
      type: "object",
      description: `A ${message.typeName} message (not expanded: nested too deeply).`,
    };
  }
  return objectSchema(message, [...path, message.typeName]);
}

function scalarSchema(scalar: ScalarType): JsonSchema {
  switch (scalar) {
    case ScalarType.STRING:
      return { type: "string" };
    case ScalarType.BOOL:
      return { type: "boolean" };
    case ScalarType.BYTES:
      return { type: "string", contentEncoding: "base64" };
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return { type: "number" };
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return { ...INT32 };
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return { ...UINT32 };
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return { ...INT64 };
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return { ...UINT64 };
  }
}

function enumSchema(desc: DescEnum): JsonSchema {
  return { type: "string", enum: desc.values.map((v) => v.name) };
}

/** The few well-known types with a special JSON form; anything else from google.protobuf fails loudly. */
function wellKnownSchema(message: DescMessage): JsonSchema | undefined {
  switch (message.typeName) {
    case "google.protobuf.Timestamp":
      return { type: "string", format: "date-time" };
    case "google.protobuf.Duration":
      return { type: "string", pattern: "^-?[0-9]+(\\.[0-9]{1,9})?s$" };
    default:
      if (message.typeName.startsWith("google.protobuf.")) {
        throw new Error(`no JSON Schema mapping for well-known type ${message.typeName}; add one`);
      }
      return undefined;
  }
}

/** A line `@sensitive` in a field's comment marks a credential: redacted from every result. */
const SENSITIVE_MARK = /^\s*@sensitive\b.*$/m;

function isSensitive(field: DescField): boolean {
  return SENSITIVE_MARK.test(getComments(field).leading ?? "");
}

/**
 * Where the fields marked `@sensitive` sit in a message's JSON form (proto field names; `[]` for list
 * elements, `*` for map values), through nested messages. Recursion stops at a type already on the path.
 */
export function sensitivePaths(message: DescMessage, seen: readonly string[] = []): string[][] {
  if (seen.includes(message.typeName)) {
    return [];
  }
  const paths: string[][] = [];
  const within = [...seen, message.typeName];
  for (const field of message.fields) {
    if (isSensitive(field)) {
      paths.push([field.name]);
      continue;
    }
    const nested =
      field.fieldKind === "message"
        ? { message: field.message, step: [] as string[] }
        : field.fieldKind === "list" && field.listKind === "message"
          ? { message: field.message, step: ["[]"] }
          : field.fieldKind === "map" && field.mapKind === "message"
            ? { message: field.message, step: ["*"] }
            : undefined;
    if (nested !== undefined) {
      for (const path of sensitivePaths(nested.message, within)) {
        paths.push([field.name, ...nested.step, ...path]);
      }
    }
  }
  return paths;
}

function commentOf(desc: DescMessage | DescField): string | undefined {
  const text = getComments(desc).leading?.replace(SENSITIVE_MARK, "");
  if (text === undefined) {
    return undefined;
  }
  // Proto comments are wrapped at ~100 columns; an LLM reads them better as one paragraph per blank line.
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) =>
      p
        .split("\n")
        .map((line) => line.trim())
        .join(" ")
        .trim(),
    )
    .filter((p) => p.length > 0);
  return paragraphs.length > 0 ? paragraphs.join("\n\n") : undefined;
}

function withDescription(schema: JsonSchema, description: string | undefined): JsonSchema {
  return description === undefined ? schema : { ...schema, description };
}

function join(a: string | undefined, b: string): string {
  return a === undefined ? b : `${a} ${b}`;
}
