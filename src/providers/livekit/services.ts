/**
 * The LiveKit Twirp services this server speaks: the one list every walker of the contract reads (tool
 * builder, schema lookups, route matching, wire-compat, specs:diff, specs:apply, the fixture harness).
 *
 * The list is generated from specs/livekit (every service a .proto declares), so adding a service is adding
 * its .proto and its manifest under src/tools/livekit/ (CONTRIBUTING.md, "Add a LiveKit service"); the
 * manifest gate fails until every RPC of it has a tool or a reasoned exclusion.
 */
import type { DescMessage, DescMethod, DescService } from "@bufbuild/protobuf";
import {
  eventMessages,
  jsonSchemaTexts,
  sensitivePaths,
  services,
} from "../../generated/livekit/tool_schemas.js";
import type { ValuePath } from "../../redact.js";

export const LIVEKIT_SERVICES: readonly DescService[] = services;

/**
 * Messages of the contract that no RPC carries: what LiveKit posts to webhooks. They are roots of the contract
 * beside the RPCs' requests and responses, so wire-compat, specs:diff and specs:apply cover them too.
 */
export const LIVEKIT_EVENT_MESSAGES: readonly DescMessage[] = eventMessages;

/** Twirp routes are `/twirp/<package>.<Service>/<Method>`, below an optional base-path prefix. */
const ROUTE = /\/twirp\/([A-Za-z0-9_.]+)\/([A-Za-z0-9_]+)$/;

/** The service method a request path addresses (query ignored), if it is one of ours. */
export function methodOfPath(path: string): DescMethod | undefined {
  const match = ROUTE.exec(path.split("?")[0] ?? "");
  if (match === null) {
    return undefined;
  }
  const service = LIVEKIT_SERVICES.find((s) => s.typeName === match[1]);
  return service?.methods.find((m) => m.name === match[2]);
}

/** `livekit.RoomService/CreateRoom`: how manifests and coverage gates name an RPC. */
export function operationName(method: DescMethod): string {
  return `${method.parent.typeName}/${method.name}`;
}

/** Every RPC of every service, by operation name. */
export function allOperations(): string[] {
  return LIVEKIT_SERVICES.flatMap((service) => service.methods.map(operationName));
}

/** The request and response messages of every RPC, and the event messages, each once: the roots of the contract. */
export function rootMessages(): DescMessage[] {
  const byName = new Map<string, DescMessage>();
  for (const method of LIVEKIT_SERVICES.flatMap((s) => s.methods)) {
    byName.set(method.input.typeName, method.input);
    byName.set(method.output.typeName, method.output);
  }
  for (const message of LIVEKIT_EVENT_MESSAGES) {
    byName.set(message.typeName, message);
  }
  return [...byName.values()];
}

const parsedSchemas = new Map<string, Record<string, unknown>>();

/** The generated JSON Schema of a request or response message, by type name (parsed once, on first use). */
export function jsonSchemaByName(typeName: string): Record<string, unknown> {
  let schema = parsedSchemas.get(typeName);
  if (schema === undefined) {
    const text = jsonSchemaTexts[typeName];
    if (text === undefined) {
      throw new Error(`no generated JSON Schema for ${typeName}`);
    }
    schema = JSON.parse(text) as Record<string, unknown>;
    parsedSchemas.set(typeName, schema);
  }
  return schema;
}

/** The type names that have a generated JSON Schema: every RPC's request and response. */
export function jsonSchemaNames(): string[] {
  return Object.keys(jsonSchemaTexts);
}

/** The generated JSON Schema of a request or response message. */
export function jsonSchemaOf(desc: DescMessage): Record<string, unknown> {
  return jsonSchemaByName(desc.typeName);
}

/** Where a response carries fields the contract marks `@sensitive` (redacted from every result). */
export function sensitivePathsOf(desc: DescMessage): readonly ValuePath[] {
  return sensitivePaths[desc.typeName] ?? [];
}
