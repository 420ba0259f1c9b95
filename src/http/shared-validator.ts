/**
 * One validator (of arguments, or of results) for every per-request server instance. HTTP mode builds a server per request, and
 * compiling a tool's JSON Schemas takes tens of milliseconds (LiveKit's room schemas are large), so compiled
 * validators are kept for the life of the process, keyed by the schema's JSON. They depend only on the
 * schemas, which every replica compiles alike: nothing of any caller is kept.
 */
import type { JsonSchemaType, JsonSchemaValidator, jsonSchemaValidator } from "@modelcontextprotocol/server";

export function sharedValidator(inner: jsonSchemaValidator): jsonSchemaValidator {
  const compiled = new Map<string, JsonSchemaValidator<unknown>>();
  return {
    getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
      const key = JSON.stringify(schema);
      let validate = compiled.get(key);
      if (validate === undefined) {
        validate = inner.getValidator<unknown>(schema);
        compiled.set(key, validate);
      }
      return validate as JsonSchemaValidator<T>;
    },
  };
}
