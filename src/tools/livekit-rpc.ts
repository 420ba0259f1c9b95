/**
 * `rpcTool`: defines a LiveKit tool from one generated RoomService method.
 *
 * By default a tool is the identity over the contract: its arguments are the RPC request in proto3 JSON
 * form with proto field names, and its result is the response in the same form (defaults included, as
 * LiveKit's own server emits them). An entry only adds code where the tool's contract differs from the
 * RPC's (`toRequest`, `checkResponse`), and states the least grant the call needs.
 */
import {
  type DescMessage,
  type DescMethodUnary,
  fromJson,
  type JsonValue,
  type MessageShape,
  toJson,
} from "@bufbuild/protobuf";
import { ArgumentError, isUpstreamError } from "../errors.js";
import type { LiveKitClient } from "../providers/livekit/client.js";
import { jsonSchemaOf } from "../providers/livekit/services.js";
import { type GrantKind, grantFor } from "../providers/livekit/token.js";
import {
  type InputShape,
  type JsonSchema,
  shapeInputSchema,
  type Tool,
  type ToolArguments,
  type ToolText,
} from "./define.js";

export interface RpcToolSpec<I extends DescMessage, O extends DescMessage> extends ToolText {
  /** The generated RoomService method, e.g. `RoomService.method.createRoom`. */
  readonly rpc: DescMethodUnary<I, O>;
  /** The grant LiveKit enforces for this RPC; `roomAdmin` is scoped to the request's room. */
  readonly grant: GrantKind;
  /** How the input schema is cut from the request schema. */
  readonly input?: InputShape;
  /** Arguments → request, where they are not simply the request in JSON form. */
  readonly toRequest?: (args: ToolArguments) => MessageShape<I>;
  /** Looks at a successful response and throws UpstreamError where it really reports a failure. */
  readonly checkResponse?: (response: MessageShape<O>, request: MessageShape<I>) => void;
  /** Advice appended to upstream errors, by Twirp code, telling the agent what to do next. */
  readonly errorHints?: Readonly<Partial<Record<string, string>>>;
  /** Per-call timeout, for RPCs that wait on participants. */
  readonly timeoutMs?: (request: MessageShape<I>) => number;
}

/** Advice for errors any RoomService call can meet. */
const COMMON_HINTS: Readonly<Record<string, string>> = {
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

export function rpcTool<I extends DescMessage, O extends DescMessage>(
  spec: RpcToolSpec<I, O>,
): Tool<LiveKitClient> {
  const { rpc } = spec;
  const operation = `${rpc.parent.typeName}/${rpc.name}`;
  const requestSchema = schemaOf(rpc.input, operation);
  const outputSchema = schemaOf(rpc.output, operation);
  const hints = { ...COMMON_HINTS, ...spec.errorHints };
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    annotations: spec.annotations,
    inputSchema: shapeInputSchema(requestSchema, spec.input ?? {}, spec.name),
    outputSchema,
    operation,
    async call(client, args, signal) {
      const request = spec.toRequest ? spec.toRequest(args) : requestFromArguments(rpc.input, args);
      const grant = grantFor(spec.grant, roomsOf(request));
      try {
        const response = await client.call(rpc, request, grant, {
          signal,
          timeoutMs: spec.timeoutMs?.(request),
        });
        spec.checkResponse?.(response, request);
        return toJson(rpc.output, response, RESULT_JSON) as Record<string, unknown>;
      } catch (error) {
        // A more specific hint (set where the error was made) wins over the per-code one.
        if (!isUpstreamError(error) || error.hint !== undefined) {
          throw error;
        }
        const hint = hints[error.code];
        throw hint === undefined ? error : error.withHint(hint);
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

function schemaOf(desc: DescMessage, operation: string): JsonSchema {
  try {
    return jsonSchemaOf(desc);
  } catch (error) {
    throw new Error(`${operation}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The room names a request addresses, read by field name so that every request type works. */
function roomsOf(request: object): { room?: string; destination_room?: string } {
  const { room, destinationRoom } = request as { room?: unknown; destinationRoom?: unknown };
  return {
    ...(typeof room === "string" ? { room } : {}),
    ...(typeof destinationRoom === "string" ? { destination_room: destinationRoom } : {}),
  };
}
