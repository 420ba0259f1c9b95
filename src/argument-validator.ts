/**
 * Validates tool arguments against their JSON Schema with messages that name the argument, and tool results
 * against their output schema.
 *
 * The MCP SDK validates with AJV too, but reports e.g. "data must NOT have additional properties"; an agent
 * needs "unknown argument \"romo\"" to fix its call. Plugged into the SDK through `fromJsonSchema`.
 */
import { createRequire } from "node:module";
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from "@modelcontextprotocol/server";
import type { Ajv2020, ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { normalizeArguments } from "./argument-forms.js";

/** A compiler over one ajv, loaded on first use: every tool is registered at start-up, few are called, and
 * ajv is a large CommonJS graph; tools/list is answered without it. */
function lazyCompiler(): (schema: JsonSchemaType) => ValidateFunction {
  let ajv: Ajv2020 | undefined;
  return (schema) => {
    if (ajv === undefined) {
      const { Ajv2020 } = createRequire(import.meta.url)(
        "ajv/dist/2020.js",
      ) as typeof import("ajv/dist/2020.js");
      // allErrors: report every problem in one round trip instead of one per call.
      ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
    }
    return ajv.compile(schema as object);
  };
}

/**
 * Results are this server's own, built from a validated answer: checked against the output schema as they
 * are, without the argument forms or the surrogate scan arguments need.
 */
export function createResultValidator(): jsonSchemaValidator {
  const compile = lazyCompiler();
  return {
    getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
      let validate: ValidateFunction | undefined;
      return (value) => {
        validate ??= compile(schema);
        return validate(value)
          ? { valid: true, data: value as T, errorMessage: undefined }
          : { valid: false, data: undefined, errorMessage: describeErrors(validate.errors ?? []) };
      };
    },
  };
}

export function createArgumentValidator(): jsonSchemaValidator {
  const compile = lazyCompiler();
  return {
    getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
      let validate: ValidateFunction | undefined;
      return (raw) => {
        validate ??= compile(schema);
        let input: unknown = raw;
        let valid = validate(input);
        if (!valid) {
          // null for an optional argument, or an object sent as JSON text, read as the client meant it.
          input = normalizeArguments(schema, raw);
          valid = input !== raw && validate(input);
        }
        const problems = valid ? [] : [describeErrors(validate.errors ?? [])];
        problems.push(...unpairedSurrogates(input, ""));
        return problems.length === 0
          ? { valid: true, data: input as T, errorMessage: undefined }
          : { valid: false, data: undefined, errorMessage: problems.join("; ") };
      };
    },
  };
}

/** An unpaired UTF-16 surrogate: JSON can carry it (`"\ud800"`), but no request can encode it faithfully. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Arguments holding one are refused before anything is sent: URL encoding throws on them, and UTF-8 encoding
 * silently turns them into U+FFFD, which would name another room or identity than the one given.
 */
function unpairedSurrogates(value: unknown, at: string): string[] {
  if (typeof value === "string") {
    return LONE_SURROGATE.test(value)
      ? [
          `argument "${at || "(arguments)"}" contains an unpaired UTF-16 surrogate, which is not valid Unicode`,
        ]
      : [];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => unpairedSurrogates(item, `${at}[${i}]`));
  }
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => {
      const path = at === "" ? key : `${at}.${key}`;
      return LONE_SURROGATE.test(key)
        ? [`argument name "${key.replace(LONE_SURROGATE, "\uFFFD")}" contains an unpaired UTF-16 surrogate`]
        : unpairedSurrogates(item, path);
    });
  }
  return [];
}

function describeErrors(errors: readonly ErrorObject[]): string {
  const unique = [...new Set(errors.map(describeError))];
  return unique.join("; ");
}

function describeError(error: ErrorObject): string {
  const at = argumentPath(error.instancePath);
  switch (error.keyword) {
    case "required":
      return `missing required argument "${join(at, String(error.params.missingProperty))}"`;
    case "additionalProperties":
      return `unknown argument "${join(at, String(error.params.additionalProperty))}"`;
    case "pattern":
      return `argument "${at}" must match the pattern ${String(error.params.pattern)}`;
    case "enum":
      return `argument "${at}" must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return at === ""
        ? `arguments ${error.message ?? "are invalid"}`
        : `argument "${at}" ${error.message ?? "is invalid"}`;
  }
}

/** `/participant_tracks/0/track_sids` → `participant_tracks[0].track_sids`. */
function argumentPath(instancePath: string): string {
  return instancePath
    .split("/")
    .slice(1)
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce(
      (path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path === "" ? part : `${path}.${part}`),
      "",
    );
}

function join(path: string, name: string): string {
  return path === "" ? name : `${path}.${name}`;
}
