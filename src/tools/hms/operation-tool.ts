/**
 * `operationTool`: defines a 100ms tool from one generated OpenAPI operation (src/generated/hms).
 *
 * By default a tool is the identity over the contract: its arguments are the operation's path, query and
 * body parameters as one flat object (OpenAPI property names), and its result is the 200 body, with every
 * `x-sensitive` value redacted by the client. An entry names a `run` from the provider's workflows only
 * where the tool is more than one call.
 */
import { isUpstreamError, UpstreamError, withHint } from "../../errors.js";
import { type HmsOperationId, hmsOperations } from "../../generated/hms/operations.js";
import type { HmsClient } from "../../providers/hms/client.js";
import type { HmsErrorHints } from "../../providers/hms/errors.js";
import { collectSecrets } from "../../providers/hms/redact.js";
import { requestFromArguments } from "../../providers/hms/request.js";
import { secretScrubber } from "../../secrets.js";
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
  const inputSchema = shapeInputSchema(
    // The operation's summary describes the tool's arguments only when the tool is that one operation.
    spec.run === undefined ? generated : { ...generated, description: undefined },
    { ...spec.input, required },
    spec.name,
  );
  const relations = spec.relations ?? [];
  checkRelationNames(relations, inputSchema, spec.name);
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    annotations: spec.annotations,
    inputSchema,
    outputSchema: withProperties(operation.outputSchema, spec.outputProperties),
    operation: `hms/${spec.operation}`,
    relations,
    async call(client, args, signal) {
      try {
        if (spec.run !== undefined) {
          return await spec.run(client, args, signal);
        }
        return await client.call(spec.operation, requestFromArguments(spec.operation, args), { signal });
      } catch (error) {
        if (!isUpstreamError(error)) {
          throw error;
        }
        throw withHint(scrubSecrets(error, collectSecrets(args, operation.sensitiveArgumentPaths)), hints);
      }
    },
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
