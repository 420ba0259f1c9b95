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
import { ArgumentError, withHint } from "../../errors.js";
import type { LiveKitClient } from "../../providers/livekit/client.js";
import type { LiveKitErrorHints } from "../../providers/livekit/errors.js";
import { jsonSchemaOf, operationName } from "../../providers/livekit/services.js";
import { type GrantKind, grantFor, type TargetRooms } from "../../providers/livekit/token.js";
import {
  checkRelationNames,
  type InputShape,
  shapeInputSchema,
  type Tool,
  type ToolArguments,
  type ToolText,
} from "../define.js";
import type { ArgumentRelation } from "../relations.js";

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
  /** Per-call timeout, for RPCs that wait on participants. */
  readonly timeoutMs?: (request: MessageShape<I>) => number;
}

/** Advice for errors any LiveKit call can meet. */
const COMMON_HINTS: LiveKitErrorHints = {
  unauthenticated:
    "Check that LIVEKIT_API_KEY and LIVEKIT_API_SECRET are a key pair of the server at LIVEKIT_URL " +
    '(a "permissions denied" message instead means the server refused the grant of this call).',
  unavailable: "Check that LIVEKIT_URL points at a running LiveKit server, then retry.",
  timeout: "The server did not answer in time; check whether the change happened before retrying.",
  bad_route:
    "The server does not offer this RPC: it may be older than this tool, or LIVEKIT_URL may point at something other than LiveKit.",
};

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
  const hints = { ...COMMON_HINTS, ...spec.errorHints };
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    annotations: spec.annotations,
    inputSchema,
    outputSchema: jsonSchemaOf(rpc.output),
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
        return toJson(rpc.output, response, RESULT_JSON) as Record<string, unknown>;
      } catch (error) {
        throw withHint(error, hints);
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
