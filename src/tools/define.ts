/**
 * The shape every manifest entry ends up in, whatever the provider, and the small helpers entries share.
 *
 * A {@link Tool} is data (name, title, description, annotations, schemas, the generated operation it maps
 * to) plus one `call` that turns validated arguments into the structured result. The server (server.ts)
 * registers {@link ServedTool}s: what tools/list shows of a tool, and its {@link BoundTool} (the tool with its
 * provider client bound), at hand or loaded on the first call.
 */
import type { EventAccess } from "../events/access.js";
import { type ArgumentRelation, checkRelations } from "./relations.js";

/** A JSON Schema object (draft 2020-12), as generated under src/generated/. */
export type JsonSchema = { [keyword: string]: unknown };

/** All four MCP tool annotation hints, always set explicitly (the spec's defaults are the unsafe ones). */
export interface ToolAnnotations {
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: boolean;
}

/** The four kinds of tool this project has; every tool talks to a live server, so all are open-world. */
export const ANNOTATIONS = {
  /** Reads only. */
  read: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  /** Changes state; repeating the call changes nothing more. */
  writeIdempotent: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  /** Changes state; every call acts again (sends another message, calls again). */
  write: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  /** Disconnects people, ends sessions or deletes: confirm the target first. */
  destructive: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  /**
   * Signs a credential locally (a join token): changes nothing on the server but hands out access, so it is
   * not read-only (audited, left out by --read-only); each call mints another; it talks to no server.
   */
  mintsCredential: {
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
} as const satisfies Record<string, ToolAnnotations>;

/**
 * What a call is told besides its arguments. `roomAllowed` is the operator's room scope: a tool that lists
 * rooms and pages itself applies it before paging, so pages, totals and counts cover only rooms in scope.
 */
export interface CallContext {
  readonly roomAllowed?: (name: string) => boolean;
  /** The event store and which providers' webhooks reach it (list_events, wait_for_event). */
  readonly events?: EventAccess;
  /** Reports progress of a long call, when the client asked for progress notifications. */
  readonly progress?: (progress: number, total: number, message: string) => void;
}

/** Tool arguments after the MCP SDK validated them against the input schema. */
export type ToolArguments = Record<string, unknown>;

/** What an agent sees of a tool: the same before and after its client is bound. */
export interface ToolSurface {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly annotations: ToolAnnotations;
  readonly inputSchema: JsonSchema;
  readonly outputSchema: JsonSchema;
}

/** What every manifest entry states in words: the part of the surface that is not derived from a spec. */
export type ToolText = Pick<ToolSurface, "name" | "title" | "description" | "annotations">;

/** A tool of one provider, before its client is bound. */
export interface Tool<Client> extends ToolSurface {
  /** The generated operation this tool maps to, e.g. `livekit.RoomService/CreateRoom` or `hms/listRooms`. */
  readonly operation: string;
  /** Relations between arguments that JSON Schema cannot say; checked before `call` (relations.ts). */
  readonly relations: readonly ArgumentRelation[];
  /**
   * The result property holding the one credential this tool exists to hand out (create_join_token's
   * `token`): the server's scrubbing of tokens from results lets exactly that value through, in that result.
   */
  readonly handsOut?: string;
  /** Runs the tool; the returned object is the result's structuredContent. Throws ArgumentError/UpstreamError. */
  call(
    client: Client,
    args: ToolArguments,
    signal: AbortSignal,
    context?: CallContext,
  ): Promise<Record<string, unknown>>;
}

/** A generated operation deliberately left without a tool, and why (checked by the manifest tests). */
export interface ExcludedOperation {
  readonly operation: string;
  readonly reason: string;
}

/**
 * One provider's manifest: its tools, and the generated operations it deliberately leaves without a tool.
 * `operations` lists every operation the generated code offers, so coverage can be checked.
 */
export interface Manifest<Client> {
  readonly operations: readonly string[];
  readonly tools: readonly Tool<Client>[];
  readonly excluded: readonly ExcludedOperation[];
}

/**
 * What a tool acts on, for room scope, confirmations and the audit log (src/control/). Data per tool, kept
 * beside the manifest in src/tools/<provider>/targets.ts.
 */
export interface ToolTargets {
  /** Arguments naming rooms by name (a string, or an array of strings). */
  readonly roomNames?: readonly string[];
  /** Arguments naming rooms by id (100ms). */
  readonly roomIds?: readonly string[];
  /**
   * Arguments naming things that belong to one room each, by argument: the kind of thing, which the
   * provider's `resolveRoom` reads to find its room (100ms `session`, LiveKit `egress` and `ingress`).
   */
  readonly belongsTo?: Readonly<Record<string, string>>;
  /** Arguments naming who in the room is acted on (identity, peer, role), for the audit log. */
  readonly subjects?: readonly string[];
  /** A result that lists rooms: the array's property, and the fields holding each room's name and id. */
  readonly listsRooms?: { readonly property: string; readonly name: string; readonly id?: string };
  /** A result that names the room it belongs to (checked after a read): the property holding its id. */
  readonly resultRoomId?: string;
  /**
   * What the person is asked before the call (destructive tools): `{argument}` is replaced by that
   * argument's value, and a `[segment]` is shown only when every argument in it was given.
   * `when` narrows the question to calls where one argument has one value.
   */
  readonly confirm?: {
    readonly message: string;
    readonly when?: { readonly argument: string; readonly equals: unknown };
  };
}

/** A named group of one provider's tools, selected with --toolsets (src/control/selection.ts). */
export interface ToolsetDefinition {
  readonly name: string;
  /** A few words, for --help and the README. */
  readonly description: string;
  readonly tools: readonly string[];
  /** In the selection when the operator names no toolsets. */
  readonly byDefault: boolean;
}

/** What the server registers: a tool whose provider client is bound. */
export interface BoundTool extends ToolSurface {
  /** The id of the provider it belongs to. */
  readonly provider: string;
  /** The name in the manifest (served names may carry a provider prefix). */
  readonly baseName: string;
  /** What the tool acts on (room scope, confirmation, audit); empty when the manifest says nothing. */
  readonly targets: ToolTargets;
  /**
   * The result property holding the one credential this tool exists to hand out (create_join_token's
   * `token`): the server's scrubbing of tokens from results lets exactly that value through, in that result.
   */
  readonly handsOut?: string;
  invoke(args: ToolArguments, signal: AbortSignal, context?: CallContext): Promise<Record<string, unknown>>;
}

/**
 * One tool of a provider's generated listing (src/generated/<id>/tool_listing.ts): what tools/list shows
 * (schemas as lean-schemas.ts cuts them, name without prefix) and what the server decides before a call
 * from data alone (targets, the credential it hands out).
 */
export interface ListedTool extends ToolSurface {
  readonly targets: ToolTargets;
  readonly handsOut?: string;
}

/**
 * What the server registers: a tool as tools/list shows it (lean schemas, served name), and how to get the
 * tool bound to its client for a call. Listing and selecting need none of the provider's code; `bind`
 * loads it on the first call (assemble.ts) or has it at hand (listing.ts, `servedTools`).
 */
export interface ServedTool extends ListedTool {
  readonly provider: string;
  /** The name in the manifest (served names may carry a provider prefix). */
  readonly baseName: string;
  bind(): Promise<BoundTool>;
}

/** Binds a provider's tools to its client, optionally prefixing names (multi-provider mode). */
export function bindTools<Client>(
  tools: readonly Tool<Client>[],
  client: Client,
  options: {
    readonly provider: string;
    readonly prefix?: string;
    readonly targets?: Readonly<Record<string, ToolTargets>>;
  },
): BoundTool[] {
  const { provider, prefix = "", targets = {} } = options;
  return tools.map((tool) => ({
    provider,
    name: `${prefix}${tool.name}`,
    baseName: tool.name,
    targets: targets[tool.name] ?? {},
    title: tool.title,
    description: tool.description,
    annotations: tool.annotations,
    inputSchema: tool.inputSchema,
    outputSchema: tool.outputSchema,
    ...(tool.handsOut === undefined ? {} : { handsOut: tool.handsOut }),
    invoke: (args, signal, context) => {
      checkRelations(tool.relations, args);
      return tool.call(client, args, signal, context);
    },
  }));
}

/** How a tool's input schema is cut from a generated request schema. */
export interface InputShape {
  /** Request fields that are not tool arguments (set by the tool, or not for agents). */
  readonly omit?: readonly string[];
  /** Arguments the tool cannot do without (proto3 has no `required`; the tool's contract does). */
  readonly required?: readonly string[];
  /** Keywords merged over a generated property schema, or whole schemas of extra arguments. */
  readonly override?: Readonly<Record<string, JsonSchema>>;
}

/**
 * Derives a tool input schema from a generated message schema: drops omitted and deprecated fields,
 * applies overrides, and marks required arguments (a required string must also be non-empty). Throws at start-up when the manifest names a field the
 * generated schema does not have, so a spec change cannot silently disconnect a manifest entry.
 */
export function shapeInputSchema(generated: JsonSchema, shape: InputShape, context: string): JsonSchema {
  const properties = { ...(generated.properties as Record<string, JsonSchema> | undefined) };
  for (const name of shape.omit ?? []) {
    if (!(name in properties)) {
      throw new Error(`${context}: omitted field "${name}" is not in the schema`);
    }
    delete properties[name];
  }
  for (const [name, schema] of Object.entries(properties)) {
    if (schema.deprecated === true) {
      delete properties[name];
    }
  }
  for (const [name, keywords] of Object.entries(shape.override ?? {})) {
    properties[name] = { ...properties[name], ...keywords };
  }
  const required = shape.required ?? [];
  for (const name of required) {
    const property = properties[name];
    if (property === undefined) {
      throw new Error(`${context}: required argument "${name}" is not in the schema`);
    }
    if (property.type === "string" && property.minLength === undefined) {
      properties[name] = { ...property, minLength: 1 };
    }
  }
  const { description } = generated;
  return {
    type: "object",
    ...(typeof description === "string" ? { description } : {}),
    properties,
    ...(required.length > 0 ? { required: [...required] } : {}),
    additionalProperties: false,
  };
}

/** Fails at start-up when a relation names an argument the input schema lacks (a spec change, a typo). */
export function checkRelationNames(
  relations: readonly ArgumentRelation[],
  inputSchema: JsonSchema,
  context: string,
): void {
  const properties = (inputSchema.properties ?? {}) as Record<string, unknown>;
  for (const relation of relations) {
    for (const name of relation.arguments) {
      if (!(name in properties)) {
        throw new Error(`${context}: relation ${relation.kind} names "${name}", which is no argument`);
      }
    }
  }
}
