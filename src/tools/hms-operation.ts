/**
 * `operationTool`: defines a 100ms tool from one generated OpenAPI operation (src/generated/hms).
 *
 * By default a tool is the identity over the contract: its arguments are the operation's path, query and
 * body parameters as one flat object (OpenAPI property names), and its result is the 200 body, with every
 * `x-sensitive` value redacted by the client. An entry only adds code where the tool's contract differs
 * from the operation's (`check`, `run`).
 */
import { isUpstreamError, UpstreamError } from "../errors.js";
import { type HmsOperationId, hmsOperations } from "../generated/hms/operations.js";
import type { HmsClient, HmsRequest } from "../providers/hms/client.js";
import { collectSecrets } from "../providers/hms/redact.js";
import { secretScrubber } from "../secrets.js";
import {
  type InputShape,
  type JsonSchema,
  shapeInputSchema,
  type Tool,
  type ToolArguments,
  type ToolText,
} from "./define.js";

export interface OperationToolSpec<Id extends HmsOperationId> extends ToolText {
  /** The generated operation, by its operationId. */
  readonly operation: Id;
  /**
   * How the input schema is cut from the operation's flat parameter schema. `required` replaces the
   * operation's own required list when given (e.g. to make a path parameter one of two alternatives).
   */
  readonly input?: InputShape;
  /** Changes to the output schema, where the tool returns more than the operation (merged over properties). */
  readonly outputProperties?: Readonly<Record<string, JsonSchema>>;
  /** Checks what JSON Schema cannot say (one of two arguments, at least one field); throws ArgumentError. */
  readonly check?: (args: ToolArguments) => void;
  /** Runs the tool where it is more than one call of its operation. */
  readonly run?: (
    client: HmsClient,
    args: ToolArguments,
    signal: AbortSignal,
  ) => Promise<Record<string, unknown>>;
  /** Advice appended to upstream errors, by 100ms code (the HTTP status as a string), `timeout` or `unavailable`. */
  readonly errorHints?: Readonly<Partial<Record<string, string>>>;
}

/** Advice for errors any 100ms call can meet (the client already advises on 401, 5xx and timeouts). */
const COMMON_HINTS: Readonly<Record<string, string>> = {
  "403":
    "The credentials are valid but not allowed to do this, or the room is disabled (update_room with enabled: true " +
    "re-enables it).",
  "429": "100ms is limiting the request rate; wait a little before trying again.",
  unavailable: "Check HMS_API_URL and the network connection, then retry.",
};

export function operationTool<Id extends HmsOperationId>(spec: OperationToolSpec<Id>): Tool<HmsClient> {
  const operation = hmsOperations[spec.operation];
  const generated = operation.inputSchema;
  const omitted = new Set(spec.input?.omit ?? []);
  const required =
    spec.input?.required ?? stringList(generated.required).filter((name) => !omitted.has(name));
  const hints = { ...COMMON_HINTS, ...spec.errorHints };
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    annotations: spec.annotations,
    inputSchema: shapeInputSchema(
      // The operation's summary describes the tool's arguments only when the tool is that one operation.
      spec.run === undefined ? generated : { ...generated, description: undefined },
      { ...spec.input, required },
      spec.name,
    ),
    outputSchema: withProperties(operation.outputSchema, spec.outputProperties),
    operation: `hms/${spec.operation}`,
    async call(client, args, signal) {
      spec.check?.(args);
      try {
        if (spec.run !== undefined) {
          return await spec.run(client, args, signal);
        }
        return await client.call(spec.operation, requestFromArguments(spec.operation, args), { signal });
      } catch (error) {
        if (!isUpstreamError(error)) {
          throw error;
        }
        const scrubbed = scrubSecrets(error, collectSecrets(args, operation.sensitiveArgumentPaths));
        // A more specific hint (set where the error was made) wins over the per-code one.
        if (scrubbed.hint !== undefined) {
          throw scrubbed;
        }
        const hint = hints[scrubbed.code];
        throw hint === undefined ? scrubbed : scrubbed.withHint(hint);
      }
    },
  };
}

/**
 * Splits flat tool arguments into the operation's path, query and body parts. An operation with a request
 * body always sends one (`{}` when empty), as the API expects.
 */
export function requestFromArguments<Id extends HmsOperationId>(id: Id, args: ToolArguments): HmsRequest<Id> {
  const { pathParams, queryParams, bodyParams, requestBodySchema } = hmsOperations[id];
  const pick = (names: readonly string[]) =>
    Object.fromEntries(names.filter((name) => args[name] !== undefined).map((name) => [name, args[name]]));
  return {
    ...(pathParams.length > 0 ? { path: pick(pathParams) } : {}),
    ...(queryParams.length > 0 ? { query: pick(queryParams) } : {}),
    ...(requestBodySchema !== undefined ? { body: pick(bodyParams) } : {}),
  } as HmsRequest<Id>;
}

function withProperties(
  schema: JsonSchema,
  extra: Readonly<Record<string, JsonSchema>> | undefined,
): JsonSchema {
  if (extra === undefined) {
    return schema;
  }
  return { ...schema, properties: { ...(schema.properties as Record<string, JsonSchema>), ...extra } };
}

/** Secrets the caller sent (e.g. bucket credentials) must not come back in an error that quotes the request. */
function scrubSecrets(error: UpstreamError, secrets: readonly string[]): UpstreamError {
  if (!secrets.some((s) => s.length >= 4)) {
    return error;
  }
  const scrub = secretScrubber(secrets, 4);
  const scrubValue = (value: unknown): unknown => {
    if (typeof value === "string") {
      return scrub(value);
    }
    if (Array.isArray(value)) {
      return value.map(scrubValue);
    }
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubValue(item)]));
    }
    return value;
  };
  const { provider, code, status, hint, cause } = error;
  return new UpstreamError({
    provider,
    code,
    status,
    hint,
    cause,
    message: scrub(error.message),
    details: scrubValue(error.details) as Record<string, unknown>,
  });
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
