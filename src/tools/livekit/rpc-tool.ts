/**
 * `rpcTool`: defines a LiveKit tool from one generated RPC of any service in LIVEKIT_SERVICES.
 *
 * By default a tool is the identity over the contract: its arguments are the RPC request in proto3 JSON
 * form with proto field names, and its result is the response in the same form (defaults included, as
 * LiveKit's own server emits them). An entry states the least grant the call needs, and names a mapping
 * only where the tool's contract differs from the RPC's (`toRequest`, `checkResponse`).
 */
import {
  type DescMessage,
  type DescMethodUnary,
  fromJson,
  type JsonValue,
  type MessageShape,
  toJson,
} from "@bufbuild/protobuf";
import { ArgumentError } from "../../errors.js";
import type { LiveKitClient } from "../../providers/livekit/client.js";
import type { LiveKitErrorHints } from "../../providers/livekit/errors.js";
import { jsonSchemaOf, operationName, sensitivePathsOf } from "../../providers/livekit/services.js";
import { type GrantKind, grantFor, type TargetRooms } from "../../providers/livekit/token.js";
import { redactPaths } from "../../redact.js";
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
import { omitFromResult, omitFromSchema, type ResultShape, redactedPaths } from "./result-shape.js";

export interface RpcToolSpec<I extends DescMessage, O extends DescMessage> extends ToolText {
  /** The generated method, e.g. `RoomService.method.createRoom`. */
  readonly rpc: DescMethodUnary<I, O>;
  /** The grant LiveKit enforces for this RPC; `roomAdmin` is scoped to the request's rooms. */
  readonly grant: GrantKind;
  /** How the input schema is cut from the request schema. */
  readonly input?: InputShape;
  readonly relations?: readonly ArgumentRelation[];
  /** Arguments → request, where they are not simply the request in JSON form. */
  readonly toRequest?: (args: ToolArguments) => MessageShape<I>;
  /** Looks at a successful response and throws UpstreamError where it really reports a failure. */
  readonly checkResponse?: (response: MessageShape<O>, request: MessageShape<I>) => void;
  /** Advice appended to upstream errors, by code, telling the agent what to do next. */
  readonly errorHints?: LiveKitErrorHints;
  /** A sentence every successful result carries as `note`: what the call really did (and did not). */
  readonly note?: string;
  /** Per-call timeout, for RPCs that wait on participants (undefined: the configured deadline). */
  readonly timeoutMs?: (request: MessageShape<I>) => number | undefined;
  /** How the result is cut from the response: fields left out, sensitive fields deliberately kept. */
  readonly result?: ResultShape;
}

/** Advice for errors any LiveKit call can meet: every Twirp code, and the ones this client adds. */
const COMMON_HINTS: LiveKitErrorHints = {
  unauthenticated:
    "Check that LIVEKIT_API_KEY and LIVEKIT_API_SECRET are a key pair of the server at LIVEKIT_URL " +
    '(a "permissions denied" message instead means the server refused the grant of this call).',
  unavailable: "Check that LIVEKIT_URL points at a running LiveKit server, then retry.",
  timeout:
    "The server did not answer in time; check whether the change happened before retrying (LIVEKIT_TIMEOUT_MS " +
    "sets the deadline).",
  bad_route:
    "The server does not offer this RPC: it may be older than this tool, or LIVEKIT_URL may point at something other than LiveKit.",
  resource_exhausted:
    "LiveKit is limiting requests or a quota is used up: wait before calling again (as long as Retry-After says, " +
    "when it is given).",
  permission_denied:
    "The server refused this call's grant: the API key may lack this permission (on LiveKit Cloud, check the key's " +
    "permissions in the project settings).",
  invalid_argument: "LiveKit refused an argument (the message says which): fix it and call again.",
  malformed: "LiveKit could not read the request: the server may be older than this tool; check its version.",
  not_found:
    "What the call names (room, participant or track) does not exist now: list_rooms and list_participants show what does.",
  already_exists: "It exists already: use the existing one, or choose another name.",
  failed_precondition:
    "The room or participant is not in a state that allows this (the message says why); change that first.",
  aborted:
    "LiveKit aborted the call because of a conflicting change: read the current state, then try again.",
  out_of_range:
    "A value is outside the range LiveKit accepts (the message says which): fix it and call again.",
  unimplemented:
    "This server does not implement this call: some RPCs exist only on LiveKit Cloud or on newer servers.",
  internal:
    "LiveKit failed, or something in front of it answered instead (see the message): check LIVEKIT_URL and the " +
    "server's logs.",
  unknown: "LiveKit failed without saying why: check the server's logs, then try again.",
  data_loss: "LiveKit reported lost or corrupt data: check the server's logs before relying on the result.",
  deadline_exceeded: "LiveKit ran out of time on its side: try again in a little while.",
  canceled: "LiveKit canceled the call before it finished: try again.",
  connection_lost:
    "Check the network path to LIVEKIT_URL; the connection broke before the answer was complete.",
};

/** Read-only calls can always be repeated; say so where the common advice is about writes. */
const READ_HINTS: LiveKitErrorHints = {
  timeout:
    "This call only reads, so calling it again is safe; if LiveKit is often this slow, raise LIVEKIT_TIMEOUT_MS.",
  connection_lost: "This call only reads, so calling it again is safe.",
};

const FALLBACK = "LiveKit answered with a code this server does not know: the message says what went wrong.";

/** Proto3 JSON options for results: proto field names, and every implicit field, as LiveKit emits them. */
const RESULT_JSON = { useProtoFieldName: true, alwaysEmitImplicit: true } as const;

/** Request fields that name the room a call acts on, whatever the service calls them. */
const ROOM_FIELDS = ["room", "room_name"];
const DESTINATION_FIELDS = ["destination_room"];

export function rpcTool<I extends DescMessage, O extends DescMessage>(
  spec: RpcToolSpec<I, O>,
): Tool<LiveKitClient> {
  const { rpc } = spec;
  const operation = operationName(rpc);
  const inputSchema = shapeInputSchema(jsonSchemaOf(rpc.input), spec.input ?? {}, spec.name);
  const relations = spec.relations ?? [];
  checkRelationNames(relations, inputSchema, spec.name);
  const providerHints = { ...COMMON_HINTS, ...(spec.annotations.readOnlyHint ? READ_HINTS : {}) };
  const omitted = spec.result?.omit ?? [];
  const sensitive = redactedPaths(sensitivePathsOf(rpc.output), spec.result?.reveal ?? [], spec.name);
  const outputSchema = omitFromSchema(jsonSchemaOf(rpc.output), omitted, spec.name);
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    annotations: spec.annotations,
    inputSchema,
    outputSchema: withNote(outputSchema, spec.note),
    operation,
    relations,
    async call(client, args, signal) {
      const request = spec.toRequest ? spec.toRequest(args) : requestFromArguments(rpc.input, args);
      const grant = grantFor(spec.grant, targetRooms(rpc.input, request));
      try {
        const response = await client.call(rpc, request, grant, {
          signal,
          timeoutMs: spec.timeoutMs?.(request),
        });
        spec.checkResponse?.(response, request);
        const result = redactPaths(
          omitFromResult(toJson(rpc.output, response, RESULT_JSON) as Record<string, unknown>, omitted),
          sensitive,
        );
        return spec.note === undefined ? result : { ...result, note: spec.note };
      } catch (error) {
        throw advise(error, {
          toolName: spec.name,
          annotations: spec.annotations,
          inputSchema,
          providerHints,
          toolHints: spec.errorHints ?? {},
          fallback: () => FALLBACK,
        });
      }
    },
  };
}

/** The arguments are the request in proto3 JSON form (proto or JSON field names both parse). */
export function requestFromArguments<I extends DescMessage>(desc: I, args: ToolArguments): MessageShape<I> {
  try {
    return fromJson(desc, args as JsonValue);
  } catch (error) {
    // The SDK already validated against the schema; this catches what JSON Schema cannot say.
    throw new ArgumentError("arguments", error instanceof Error ? error.message : String(error));
  }
}

/** The rooms a request addresses, read through its descriptor so that every service's requests work. */
export function targetRooms(desc: DescMessage, request: object): TargetRooms {
  const read = (names: readonly string[]): string | undefined => {
    for (const field of desc.fields) {
      const value = (request as Record<string, unknown>)[field.localName];
      if (names.includes(field.name) && typeof value === "string" && value !== "") {
        return value;
      }
    }
    return undefined;
  };
  const room = read(ROOM_FIELDS);
  const destinationRoom = read(DESTINATION_FIELDS);
  return {
    ...(room === undefined ? {} : { room }),
    ...(destinationRoom === undefined ? {} : { destinationRoom }),
  };
}

function withNote(schema: JsonSchema, note: string | undefined): JsonSchema {
  if (note === undefined) {
    return schema;
  }
  const properties = { ...(schema.properties as Record<string, JsonSchema> | undefined) };
  properties.note = { type: "string", description: "What the call did, and what it could not do." };
  return { ...schema, properties };
}

/** The JSON form rpcTool gives results, for LiveKit tools that build their result themselves (list-tool.ts). */
export const LIVEKIT_RESULT_JSON = RESULT_JSON;

/** The advice rpcTool attaches to an error, for LiveKit tools that make their calls themselves (list-tool.ts). */
export function adviseLiveKitError(
  error: unknown,
  tool: ToolText & { readonly inputSchema: JsonSchema; readonly errorHints?: LiveKitErrorHints | undefined },
): unknown {
  return advise(error, {
    toolName: tool.name,
    annotations: tool.annotations,
    inputSchema: tool.inputSchema,
    providerHints: { ...COMMON_HINTS, ...(tool.annotations.readOnlyHint ? READ_HINTS : {}) },
    toolHints: tool.errorHints ?? {},
    fallback: () => FALLBACK,
  });
}
