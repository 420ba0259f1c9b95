/**
 * Checking a value an upstream sent against the JSON Schema the contract documents for it, with the first
 * problems said in one line. Compiled on first use, once per schema.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";

const ajv = new Ajv2020({ strict: false, validateFormats: false });
const compiled = new WeakMap<object, ValidateFunction>();

/** Undefined when `value` matches `schema`, else its first few problems (`/id must be string; …`). */
export function schemaProblems(schema: object, value: unknown): string | undefined {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) {
    return undefined;
  }
  return (validate.errors ?? [])
    .slice(0, 3)
    .map((e) => `${e.instancePath || "(body)"} ${e.message ?? "is invalid"}`)
    .join("; ");
}
