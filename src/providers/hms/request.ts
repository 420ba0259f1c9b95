/**
 * Flat tool arguments ↔ one generated operation's path, query and body, and requests ↔ operations.
 */
import {
  type HmsOperation,
  type HmsOperationId,
  hmsOperationIds,
  hmsOperations,
} from "../../generated/hms/operations.js";
import type { HmsRequest } from "./client.js";

/**
 * Splits flat arguments (OpenAPI property names) into the operation's path, query and body parts. An
 * operation with a request body always sends one (`{}` when empty), as the API expects.
 */
export function requestFromArguments<Id extends HmsOperationId>(
  id: Id,
  args: Readonly<Record<string, unknown>>,
): HmsRequest<Id> {
  const { pathParams, queryParams, bodyParams, requestBodySchema } = hmsOperations[id];
  const pick = (names: readonly string[]) =>
    Object.fromEntries(names.filter((name) => args[name] !== undefined).map((name) => [name, args[name]]));
  return {
    ...(pathParams.length > 0 ? { path: pick(pathParams) } : {}),
    ...(queryParams.length > 0 ? { query: pick(queryParams) } : {}),
    ...(requestBodySchema !== undefined ? { body: pick(bodyParams) } : {}),
  } as HmsRequest<Id>;
}

const ROUTES = hmsOperationIds.map((id) => {
  const operation = hmsOperations[id];
  const pattern = new RegExp(`^${operation.path.replace(/\{[^}]+\}/g, "[^/]+")}$`);
  return { id, operation, pattern };
});

/** The operation a method and path below the base URL (query ignored) address, if any. */
export function operationOfRequest(
  method: string,
  path: string,
): { readonly id: HmsOperationId; readonly operation: HmsOperation } | undefined {
  const bare = path.split("?")[0] ?? "";
  const upper = method.toUpperCase();
  return ROUTES.find((route) => route.operation.method.toUpperCase() === upper && route.pattern.test(bare));
}
