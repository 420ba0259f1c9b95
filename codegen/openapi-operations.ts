/**
 * OpenAPI 3.1 → per-operation tool schemas: the rules, kept apart from file I/O so they can be unit-tested.
 *
 * For every operation this derives what a tool and its client need:
 * - `inputSchema`: path, query and JSON-body parameters as ONE flat object (MCP tool arguments are one
 *   object), with the spec's descriptions; no top-level combinators and no `$ref`s.
 * - `outputSchema`: the 200 response schema, inlined.
 * - `requestBodySchema`: the body schema as the spec has it (combinators kept), for validating fixtures.
 * - `sensitivePaths` / `sensitiveArgumentPaths`: where `x-sensitive: true` values sit in the response and
 *   in the arguments, so redaction follows the spec instead of a hand-written list.
 *
 * Input is a dereferenced document (see {@link loadDereferencedSpec}): redocly inlines every `$ref`, with
 * sibling keywords (e.g. a property's own `description`) winning over the referenced schema's.
 */
import { bundle, createConfig } from "@redocly/openapi-core";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A location in a JSON value: property names, `[]` for every array item, `*` for every map value. */
export type ValuePath = readonly string[];

export interface OperationSchemas {
  readonly method: string;
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  readonly bodyParams: readonly string[];
  readonly inputSchema: JsonObject;
  readonly outputSchema: JsonObject;
  readonly requestBodySchema?: JsonObject;
  readonly sensitivePaths?: readonly ValuePath[];
  readonly sensitiveArgumentPaths?: readonly ValuePath[];
}

export interface SpecOperations {
  readonly operations: Readonly<Record<string, OperationSchemas>>;
  /** The one schema every error response shares (a generator restriction: see {@link errorSchemaOf}). */
  readonly errorSchema: JsonObject;
}

const METHODS = ["get", "put", "post", "delete", "patch"] as const;

/**
 * Keywords that are not JSON Schema 2020-12 (`example`, `discriminator`, `xml`, `externalDocs`, `x-*`) or that
 * strict validators refuse (`format`: ajv's strict mode rejects formats it does not know; the spec's patterns
 * already say the same thing).
 */
const DROPPED = new Set(["example", "discriminator", "xml", "externalDocs", "format"]);
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"] as const;
const COMBINATORS = ["allOf", "anyOf", "oneOf", "not"] as const;

/** Loads an OpenAPI file with every `$ref` inlined; fails on unresolvable references. */
export async function loadDereferencedSpec(file: string): Promise<JsonObject> {
  const config = await createConfig({});
  const result = await bundle({ ref: file, config, dereference: true });
  const unresolved = result.problems.filter((p) => p.severity === "error");
  if (unresolved.length > 0) {
    throw new Error(`${file}: ${unresolved.map((p) => p.message).join("; ")}`);
  }
  return result.bundle.parsed as JsonObject;
}

/**
 * The payload of the document's one webhook (`webhooks.<name>.post` request body) as a JSON Schema, with
 * where its `x-sensitive` values sit. Throws when the document declares no webhook or more than one.
 */
export function webhookFromSpec(doc: JsonObject): { schema: JsonObject; sensitivePaths: ValuePath[] } {
  const webhooks = Object.entries(object(doc.webhooks, "webhooks"));
  const [entry, ...more] = webhooks;
  if (entry === undefined || more.length > 0) {
    throw new Error("webhooks: expected exactly one webhook (the event every delivery carries)");
  }
  const [name, item] = entry;
  const post = object(object(item, `webhooks.${name}`).post, `webhooks.${name}.post`);
  const body = object(post.requestBody, `webhooks.${name}.post.requestBody`);
  const sensitivePaths: ValuePath[] = [];
  const schema = toToolSchema(jsonSchemaOf(body, `webhooks.${name}.post.requestBody`), [], sensitivePaths);
  return { schema, sensitivePaths };
}

/** Every operation of a dereferenced document, keyed by operationId. */
export function operationsFromSpec(doc: JsonObject): SpecOperations {
  const operations: Record<string, OperationSchemas> = {};
  const errorSchemas: { where: string; schema: JsonObject }[] = [];
  for (const [path, item] of Object.entries(object(doc.paths, "paths"))) {
    const pathItem = object(item, path);
    for (const method of METHODS) {
      if (pathItem[method] === undefined) {
        continue;
      }
      const op = object(pathItem[method], `${method} ${path}`);
      const id = op.operationId;
      if (typeof id !== "string") {
        throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      }
      if (id in operations) {
        throw new Error(`operationId ${id} is used twice`);
      }
      const where = `${id} (${method.toUpperCase()} ${path})`;
      operations[id] = operationSchemas(method.toUpperCase(), path, pathItem, op, where);
      errorSchemas.push(...errorResponseSchemas(op, where));
    }
  }
  return { operations, errorSchema: errorSchemaOf(errorSchemas) };
}

function operationSchemas(
  method: string,
  path: string,
  pathItem: JsonObject,
  op: JsonObject,
  where: string,
): OperationSchemas {
  const properties: Record<string, JsonObject> = {};
  const required: string[] = [];
  const argumentSecrets: ValuePath[] = [];
  const add = (name: string, schema: JsonObject, isRequired: boolean) => {
    if (name in properties) {
      throw new Error(`${where}: two parameters are named "${name}"`);
    }
    properties[name] = schema;
    if (isRequired) {
      required.push(name);
    }
  };

  const pathParams: string[] = [];
  const queryParams: string[] = [];
  for (const parameter of parametersOf(pathItem, op, where)) {
    const name = String(parameter.name);
    if (parameter.in === "path") {
      pathParams.push(name);
    } else if (parameter.in === "query") {
      queryParams.push(name);
    } else {
      throw new Error(
        `${where}: parameter "${name}" is in ${String(parameter.in)}; only path and query are supported`,
      );
    }
    const schema = toToolSchema(object(parameter.schema, `${where} ${name}`), [name], argumentSecrets);
    if (parameter.in === "path") {
      checkPathParameter(schema, `${where} path parameter "${name}"`);
    }
    const description =
      typeof parameter.description === "string"
        ? cleanDescription(parameter.description)
        : schema.description;
    add(
      name,
      { ...schema, ...(typeof description === "string" ? { description } : {}) },
      parameter.in === "path" || parameter.required === true,
    );
  }

  const bodyParams: string[] = [];
  let requestBodySchema: JsonObject | undefined;
  if (op.requestBody !== undefined) {
    const body = object(op.requestBody, `${where} requestBody`);
    const raw = jsonSchemaOf(body, `${where} requestBody`);
    requestBodySchema = toToolSchema(raw, [], []);
    const bodyRequired = body.required === true ? stringList(raw.required) : [];
    // Only the body's own properties become arguments; its top-level combinators (e.g. "peer_id or role")
    // cannot be said in a flat schema, so the tool checks them and the body schema keeps them.
    for (const [name, property] of Object.entries(object(raw.properties ?? {}, `${where} body properties`))) {
      bodyParams.push(name);
      add(name, toToolSchema(object(property, name), [name], argumentSecrets), bodyRequired.includes(name));
    }
  }

  const outputSecrets: ValuePath[] = [];
  const outputSchema = toToolSchema(successSchema(op, where), [], outputSecrets);
  if (outputSchema.type !== "object") {
    throw new Error(`${where}: the 200 response is not a JSON object`);
  }
  for (const keyword of [...COMBINATORS, "$ref"]) {
    if (keyword in outputSchema) {
      throw new Error(`${where}: the 200 response schema has top-level ${keyword}`);
    }
  }

  const summary = typeof op.summary === "string" ? cleanDescription(op.summary) : undefined;
  const inputSchema: JsonObject = {
    type: "object",
    ...(summary !== undefined ? { description: summary } : {}),
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
  return {
    method,
    path,
    pathParams,
    queryParams,
    bodyParams,
    inputSchema,
    outputSchema,
    ...(requestBodySchema !== undefined ? { requestBodySchema } : {}),
    ...(outputSecrets.length > 0 ? { sensitivePaths: outputSecrets } : {}),
    ...(argumentSecrets.length > 0 ? { sensitiveArgumentPaths: argumentSecrets } : {}),
  };
}

/**
 * Values a path parameter must refuse: URL parsing collapses `.` and `..` segments (`/rooms/..` is `/`), and
 * some servers decode `%2F` back into a separator, so each would address another endpoint.
 */
export const PATH_CHANGING_VALUES = [
  ".",
  "..",
  "a/b",
  "a\\b",
  "%2e%2e",
  "a%2Fb",
  "a?b",
  "a#b",
  "a\nb",
  "\u0000",
  "",
];

/**
 * Every path parameter must say, with a `pattern`, what an id looks like, and that pattern must refuse every
 * value of {@link PATH_CHANGING_VALUES}: then the argument validator refuses them before anything is sent.
 */
function checkPathParameter(schema: JsonObject, where: string): void {
  if (schema.type !== "string" || typeof schema.pattern !== "string") {
    throw new Error(`${where} needs type: string and a pattern saying what an id looks like`);
  }
  // As ajv compiles patterns (unicode mode).
  const pattern = new RegExp(schema.pattern, "u");
  const accepted = PATH_CHANGING_VALUES.filter((value) => pattern.test(value));
  if (accepted.length > 0) {
    throw new Error(
      `${where} accepts ${accepted.map((v) => JSON.stringify(v)).join(", ")}, which would change the request ` +
        "path: its pattern must refuse /, \\, ., .., %, ?, # and control characters",
    );
  }
}

/** Path-item parameters, overridden by operation parameters of the same name and location. */
function parametersOf(pathItem: JsonObject, op: JsonObject, where: string): JsonObject[] {
  const byKey = new Map<string, JsonObject>();
  for (const list of [pathItem.parameters, op.parameters]) {
    for (const entry of (list as Json[] | undefined) ?? []) {
      const parameter = object(entry, `${where} parameter`);
      byKey.set(`${String(parameter.in)}:${String(parameter.name)}`, parameter);
    }
  }
  return [...byKey.values()];
}

function successSchema(op: JsonObject, where: string): JsonObject {
  const responses = object(op.responses, `${where} responses`);
  if (responses["200"] === undefined) {
    throw new Error(`${where} has no 200 response`);
  }
  return jsonSchemaOf(object(responses["200"], `${where} 200`), `${where} 200`);
}

function errorResponseSchemas(op: JsonObject, where: string): { where: string; schema: JsonObject }[] {
  return Object.entries(object(op.responses, `${where} responses`))
    .filter(([status]) => /^[45]/.test(status))
    .map(([status, response]) => ({
      where: `${where} ${status}`,
      schema: toToolSchema(jsonSchemaOf(object(response, status), `${where} ${status}`), [], []),
    }));
}

/** The generated client maps every error the same way, so every error response must share one schema. */
function errorSchemaOf(schemas: readonly { where: string; schema: JsonObject }[]): JsonObject {
  const first = schemas[0];
  if (first === undefined) {
    throw new Error("the spec declares no error responses");
  }
  const text = JSON.stringify(first.schema);
  const other = schemas.find((s) => JSON.stringify(s.schema) !== text);
  if (other !== undefined) {
    throw new Error(`${other.where}: error schema differs from ${first.where}'s`);
  }
  return first.schema;
}

function jsonSchemaOf(holder: JsonObject, where: string): JsonObject {
  const content = object(holder.content, `${where} content`);
  return object(object(content["application/json"], `${where} application/json`).schema, `${where} schema`);
}

/**
 * A dereferenced OpenAPI schema as a plain JSON Schema 2020-12 tool schema (see {@link DROPPED}), recording
 * where `x-sensitive: true` sits. Below a sensitive node nothing more is recorded: the whole value is secret.
 */
export function toToolSchema(
  node: JsonObject,
  at: ValuePath,
  secrets: ValuePath[] | undefined,
  ancestors: readonly JsonObject[] = [],
): JsonObject {
  if (ancestors.includes(node)) {
    throw new Error(`recursive schema at ${at.join(".") || "(root)"} is not supported`);
  }
  if ("$ref" in node) {
    throw new Error(`unresolved $ref ${String(node.$ref)} at ${at.join(".") || "(root)"}`);
  }
  let record = secrets;
  if (node["x-sensitive"] === true && record !== undefined) {
    record.push(at);
    record = undefined;
  }
  const chain = [...ancestors, node];
  const child = (value: Json | undefined, segment: string[]): JsonObject =>
    toToolSchema(object(value, [...at, ...segment].join(".")), [...at, ...segment], record, chain);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("x-") || DROPPED.has(key)) {
      continue;
    }
    if (key === "properties") {
      out.properties = Object.fromEntries(
        Object.entries(object(value, "properties")).map(([name, schema]) => [name, child(schema, [name])]),
      );
    } else if (key === "items" || key === "additionalProperties" || key === "not") {
      out[key] =
        typeof value === "boolean"
          ? value
          : child(value, key === "items" ? ["[]"] : key === "not" ? [] : ["*"]);
    } else if ((SCHEMA_LISTS as readonly string[]).includes(key)) {
      out[key] = (value as Json[]).map((entry) => child(entry, key === "prefixItems" ? ["[]"] : []));
    } else if (key === "description" && typeof value === "string") {
      out[key] = cleanDescription(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * YAML block scalars keep the spec's line wrapping; agents read descriptions as flowing text. Joins wrapped
 * lines, keeps paragraph breaks and list items, and trims.
 */
export function cleanDescription(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\n(?![*-] )/g, " ").replace(/[ \t]+/g, " "))
    .join("\n\n");
}

function object(value: Json | undefined, what: string): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${what} is not an object`);
  }
  return value;
}

function stringList(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
