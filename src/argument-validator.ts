/**
 * Validates tool arguments against their JSON Schema with messages that name the argument.
 *
 * The MCP SDK validates with AJV too, but reports e.g. "data must NOT have additional properties"; an agent
 * needs "unknown argument \"romo\"" to fix its call. Plugged into the SDK through `fromJsonSchema`.
 */
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from "@modelcontextprotocol/server";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";

export function createArgumentValidator(): jsonSchemaValidator {
  // allErrors: report every problem in one round trip instead of one per call.
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
  return {
    getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
      const validate = ajv.compile(schema as object);
      return (input) =>
        validate(input)
          ? { valid: true, data: input as T, errorMessage: undefined }
          : { valid: false, data: undefined, errorMessage: describeErrors(validate.errors ?? []) };
    },
  };
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
