/**
 * Checking a value an upstream sent against the JSON Schema the contract documents for it, with the first
 * problems said in one line. ajv is loaded, and each schema compiled, on first use: start-up (tools/list)
 * needs neither.
 */
import { createRequire } from "node:module";
import type { Ajv2020, ValidateFunction } from "ajv/dist/2020.js";

let ajv: Ajv2020 | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

function compile(schema: object): ValidateFunction {
  if (ajv === undefined) {
    const { Ajv2020: Ajv } = createRequire(import.meta.url)(
      "ajv/dist/2020.js",
    ) as typeof import("ajv/dist/2020.js");
    ajv = new Ajv({ strict: false, validateFormats: false });
  }
  return ajv.compile(schema);
}

/** Undefined when `value` matches `schema`, else its first few problems (`/id must be string; …`). */
export function schemaProblems(schema: object, value: unknown): string | undefined {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = compile(schema);
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
