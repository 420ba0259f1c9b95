/**
 * `operationTool`: defines a 100ms tool from one generated OpenAPI operation (src/generated/hms).
 *
 * By default a tool is the identity over the contract: its arguments are the operation's path, query and
 * body parameters as one flat object (OpenAPI property names), and its result is the 200 body, with every
 * `x-sensitive` value redacted by the client. An entry names a `run` from the provider's workflows only
 * where the tool is more than one call.
 */
import { isUpstreamError, UpstreamError } from "../../errors.js";
import { type HmsOperationId, hmsOperations } from "../../generated/hms/operations.js";
import type { HmsClient } from "../../providers/hms/client.js";
import type { HmsErrorHints } from "../../providers/hms/errors.js";
import { requestFromArguments } from "../../providers/hms/request.js";
import { collectSecrets } from "../../redact.js";
import { schemaProblems } from "../../schema-check.js";
import { secretScrubber } from "../../secrets.js";
import { advise } from "../advice.js";
import {
  checkRelationNames,
  type InputShape,
  type JsonSchema,
  shapeInputSchema,
  type Tool,
  type ToolArguments,
  type ToolText,
} from "../define.js";
import type { ArgumentRelation } from "../relations.js";

export interface OperationToolSpec<Id extends HmsOperationId> extends ToolText {
  /** The generated operation, by its operationId. */
  readonly operation: Id;
  /**
   * How the input schema is cut from the operation's flat parameter schema. `required` replaces the
   * operation's own required list when given (e.g. to make a path parameter one of two alternatives).
   */
  readonly input?: InputShape;
  readonly relations?: readonly ArgumentRelation[];
  /** Changes to the output schema, where the tool returns more than the operation (merged over properties). */
  readonly outputProperties?: Readonly<Record<string, JsonSchema>>;
  /** The workflow that runs the tool where it is more than one call of its operation (workflows.ts). */
  readonly run?: (
    client: HmsClient,
    args: ToolArguments,
    signal: AbortSignal,
  ) => Promise<Record<string, unknown>>;
  /** Advice appended to upstream errors, by code. */
  readonly errorHints?: HmsErrorHints;
}

/** Advice for errors any 100ms call can meet (the client already advises on 401, 5xx and timeouts). */
const COMMON_HINTS: HmsErrorHints = {
  "400": "100ms refused the request as sent (the message and details say what): fix it and call again.",
  "403":
    "The credentials are valid but not allowed to do this, or the room is disabled (update_room with enabled: true " +
    "re-enables it).",
  "404": "What the call names does not exist: the list tools (list_rooms, list_sessions, …) show what does.",
  "409": "This conflicts with the current state (the message says how): read that state, then decide.",
  "422": "100ms could not process these values (the message says which): fix them and call again.",
  "429":
    "100ms is limiting the request rate: wait before trying again (as long as Retry-After says, when it is given).",
  unavailable: "Check HMS_API_URL and the network connection, then retry.",
  canceled: "The call was canceled before 100ms answered; call again if it is still needed.",
};

/** A status 100ms does not document for this call: probably not 100ms answering. */
function fallback(error: UpstreamError): string {
  const status = error.status === undefined ? "" : ` HTTP ${error.status}`;
  return (
    `100ms does not document the answer${status} for this call: check that HMS_API_URL points at the 100ms API ` +
    "(https://api.100ms.live/v2); the message quotes what came back."
  );
}

export function operationTool<Id extends HmsOperationId>(spec: OperationToolSpec<Id>): Tool<HmsClient> {
  const operation = hmsOperations[spec.operation];
  const generated = operation.inputSchema;
  const omitted = new Set(spec.input?.omit ?? []);
  const required =
    spec.input?.required ?? stringList(generated.required).filter((name) => !omitted.has(name));

  const inputSchema = shapeInputSchema(
    // The operation's summary describes the tool's arguments only when the tool is that one operation.
    spec.run === undefined ? generated : { ...generated, description: undefined },
    { ...spec.input, required },
    spec.name,
  );
  const relations = spec.relations ?? [];
  checkRelationNames(relations, inputSchema, spec.name);
  const outputSchema = withProperties(operation.outputSchema, spec.outputProperties);
  const checkOutput = outputChecker(spec.name, outputSchema);
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    annotations: spec.annotations,
    inputSchema,
    outputSchema,
    operation: `hms/${spec.operation}`,
    relations,
    async call(client, args, signal) {
      try {
        const result =
          spec.run !== undefined
            ? await spec.run(client, args, signal)
            : await client.call(spec.operation, requestFromArguments(spec.operation, args), { signal });
        checkOutput(result);
        return result;
      } catch (error) {
        if (!isUpstreamError(error)) {
          throw error;
        }
        throw advise(scrubSecrets(error, collectSecrets(args, operation.sensitiveArgumentPaths)), {
          toolName: spec.name,
          annotations: spec.annotations,
          inputSchema,
          providerHints: COMMON_HINTS,
          toolHints: spec.errorHints ?? {},
          fallback,
        });
      }
    },
  };
}

/**
 * A 200 body that does not match the documented schema is 100ms (or whatever HMS_API_URL points at) answering
 * outside its contract: said as such, instead of the SDK's output-validation error, which would read as if
 * an argument were wrong. Compiled on first use.
 */
function outputChecker(toolName: string, schema: JsonSchema): (result: unknown) => void {
  return (result) => {
    const problem = schemaProblems(schema, result);
    if (problem === undefined) {
      return;
    }
    throw new UpstreamError({
      provider: "hms",
      code: "bad_response",
      status: 200,
      message: `the 100ms API answered ${toolName} with a body that does not match its documented schema: ${problem}`,
      hint:
        "Check that HMS_API_URL points at the 100ms API (https://api.100ms.live/v2); if it does, 100ms has changed " +
        "this answer and the tool needs updating. An action probably took effect: check before repeating it.",
    });
  };
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
  const { provider, code, status, hint, outcomeUnknown, cause } = error;
  return new UpstreamError({
    provider,
    code,
    status,
    hint,
    outcomeUnknown,
    cause,
    message: scrub(error.message),
    details: scrubValue(error.details) as Record<string, unknown>,
  });
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
