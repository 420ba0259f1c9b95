// Proves specs/livekit is wire-identical to LiveKit's own published generated code (@livekit/protocol 1.52.1,
// protobuf-es v1): first by comparing descriptors field by field, then by pushing filled messages through
// both implementations in binary and JSON.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  create,
  type DescEnum,
  type DescField,
  type DescFile,
  type DescMessage,
  equals,
  fromBinary,
  fromJson,
  isFieldSet,
  type JsonValue,
  type Message,
  ScalarType,
  toBinary,
  toJson,
} from "@bufbuild/protobuf";
import { FieldDescriptorProto_Label } from "@bufbuild/protobuf/wkt";
import * as upstream from "@livekit/protocol";
import { describe, expect, it } from "vitest";
import { file_livekit_agent_dispatch } from "../../src/generated/livekit/livekit_agent_dispatch_pb.js";
import {
  file_livekit_models,
  ParticipantInfo_Kind,
  ParticipantInfoSchema,
  TrackSource,
} from "../../src/generated/livekit/livekit_models_pb.js";
import {
  CreateRoomRequestSchema,
  file_livekit_room,
  RoomService,
  SendDataRequestSchema,
} from "../../src/generated/livekit/livekit_room_pb.js";

// ---------------------------------------------------------------------------------------------------------------
// The few protobuf-es v1 shapes we touch. @livekit/protocol brings its own v1 runtime, whose types are not
// importable next to our v2 one, so they are described structurally here.

interface TheirEnumType {
  readonly typeName: string;
  readonly values: readonly { readonly no: number; readonly name: string }[];
}
type TheirMapValue =
  | { readonly kind: "scalar"; readonly T: number }
  | { readonly kind: "enum"; readonly T: TheirEnumType }
  | { readonly kind: "message"; readonly T: TheirMessageType };
type TheirField = {
  readonly no: number;
  readonly name: string;
  readonly jsonName: string;
  readonly repeated: boolean;
  readonly packed: boolean;
  readonly opt: boolean;
  readonly oneof?: { readonly name: string };
} & (
  | { readonly kind: "scalar"; readonly T: number }
  | { readonly kind: "enum"; readonly T: TheirEnumType }
  | { readonly kind: "message"; readonly T: TheirMessageType }
  | { readonly kind: "map"; readonly K: number; readonly V: TheirMapValue }
);
interface TheirMessage {
  toBinary(): Uint8Array;
  toJson(options?: { emitDefaultValues?: boolean; useProtoFieldName?: boolean }): JsonValue;
}
interface TheirMessageType {
  readonly typeName: string;
  readonly fields: { list(): readonly TheirField[] };
  new (data?: Record<string, unknown>): TheirMessage;
  fromBinary(bytes: Uint8Array, options?: { readUnknownFields?: boolean }): TheirMessage;
  fromJson(json: JsonValue, options?: { ignoreUnknownFields?: boolean }): TheirMessage;
}

const theirExports = upstream as unknown as Record<string, unknown>;

// "livekit.ParticipantInfo.State" is exported as ParticipantInfo_State.
function theirExportName(typeName: string): string {
  return typeName.replace(/^livekit\./, "").replaceAll(".", "_");
}
function theirMessage(typeName: string): TheirMessageType {
  const t = theirExports[theirExportName(typeName)] as TheirMessageType | undefined;
  if (t?.typeName !== typeName) {
    throw new Error(`@livekit/protocol has no message ${typeName}`);
  }
  return t;
}
// v1 exports enums as plain TS enums; their descriptors are only reachable through the fields that use them.
const theirEnums = new Map<string, TheirEnumType>();
for (const value of Object.values(theirExports)) {
  const fields = (value as Partial<TheirMessageType> | undefined)?.fields;
  if (typeof fields?.list !== "function") {
    continue;
  }
  for (const f of fields.list()) {
    if (f.kind === "enum") {
      theirEnums.set(f.T.typeName, f.T);
    }
    if (f.kind === "map" && f.V.kind === "enum") {
      theirEnums.set(f.V.T.typeName, f.V.T);
    }
  }
}
function theirEnum(typeName: string): TheirEnumType {
  const t = theirEnums.get(typeName);
  if (!t) {
    throw new Error(`@livekit/protocol has no enum ${typeName}`);
  }
  return t;
}

// ---------------------------------------------------------------------------------------------------------------
// Facts that @livekit/protocol does not carry: it ships messages only (services come from a separate plugin), so
// the service is pinned here from livekit/protocol protobufs/livekit_room.proto at d74e7cdb (see specs/SOURCES.md).
const UPSTREAM_ROOM_SERVICE: readonly (readonly [method: string, input: string, output: string])[] = [
  ["CreateRoom", "CreateRoomRequest", "Room"],
  ["ListRooms", "ListRoomsRequest", "ListRoomsResponse"],
  ["DeleteRoom", "DeleteRoomRequest", "DeleteRoomResponse"],
  ["ListParticipants", "ListParticipantsRequest", "ListParticipantsResponse"],
  ["GetParticipant", "RoomParticipantIdentity", "ParticipantInfo"],
  ["RemoveParticipant", "RoomParticipantIdentity", "RemoveParticipantResponse"],
  ["MutePublishedTrack", "MuteRoomTrackRequest", "MuteRoomTrackResponse"],
  ["UpdateParticipant", "UpdateParticipantRequest", "ParticipantInfo"],
  ["UpdateSubscriptions", "UpdateSubscriptionsRequest", "UpdateSubscriptionsResponse"],
  ["SendData", "SendDataRequest", "SendDataResponse"],
  ["UpdateRoomMetadata", "UpdateRoomMetadataRequest", "Room"],
  ["ForwardParticipant", "ForwardParticipantRequest", "ForwardParticipantResponse"],
  ["MoveParticipant", "MoveParticipantRequest", "MoveParticipantResponse"],
  ["PerformRpc", "PerformRpcRequest", "PerformRpcResponse"],
];

// The only places where our contract deliberately differs from upstream. Each must stay justified: the
// "still needed" tests fail once upstream drops what an entry excludes.
type Exclusion =
  | {
      readonly typeName: string;
      readonly field: { readonly number: number; readonly name: string };
      readonly reason: string;
    }
  | { readonly typeName: string; readonly field: "all"; readonly reason: string };
const EXCLUSIONS: readonly Exclusion[] = [
  {
    typeName: "livekit.CreateRoomRequest",
    field: { number: 6, name: "egress" },
    reason:
      "request-only auto-egress sub-tree (RoomEgress and ~20 egress/storage types) that rooms-mcp never sends; kept as reserved 6",
  },
  {
    typeName: "livekit.ClientInfo",
    field: "all",
    reason:
      "declared only to hold ClientInfo.Capability (ParticipantInfo.capabilities); client SDK details are out of scope",
  },
  {
    typeName: "livekit.DataPacket",
    field: "all",
    reason:
      "declared only to hold DataPacket.Kind (SendDataRequest.kind); the realtime data packet is out of scope",
  },
];

function excludedField(typeName: string, number: number): boolean {
  return EXCLUSIONS.some((e) => e.typeName === typeName && (e.field === "all" || e.field.number === number));
}

// ---------------------------------------------------------------------------------------------------------------
// What RoomService reaches in our descriptors: request/response types and everything their fields use, plus
// the messages that merely hold a reached nested enum (ClientInfo for ClientInfo.Capability, ...).

const ourFiles: readonly DescFile[] = [file_livekit_room, file_livekit_models, file_livekit_agent_dispatch];

function reachable(): { messages: Map<string, DescMessage>; enums: Map<string, DescEnum> } {
  const messages = new Map<string, DescMessage>();
  const enums = new Map<string, DescEnum>();
  const addParents = (parent: DescMessage | undefined): void => {
    for (let p = parent; p; p = p.parent) {
      messages.set(p.typeName, p);
    }
  };
  const visit = (desc: DescMessage): void => {
    if (messages.has(desc.typeName)) {
      return;
    }
    messages.set(desc.typeName, desc);
    addParents(desc.parent);
    for (const field of desc.fields) {
      const e = fieldEnum(field);
      if (e) {
        enums.set(e.typeName, e);
        addParents(e.parent);
      }
      const m = fieldMessage(field);
      if (m) {
        visit(m);
      }
    }
  };
  for (const method of RoomService.methods) {
    visit(method.input);
    visit(method.output);
  }
  return { messages, enums };
}

function fieldEnum(field: DescField): DescEnum | undefined {
  if (field.fieldKind === "enum") {
    return field.enum;
  }
  if (field.fieldKind === "list" && field.listKind === "enum") {
    return field.enum;
  }
  if (field.fieldKind === "map" && field.mapKind === "enum") {
    return field.enum;
  }
  return undefined;
}
function fieldMessage(field: DescField): DescMessage | undefined {
  if (field.fieldKind === "message") {
    return field.message;
  }
  if (field.fieldKind === "list" && field.listKind === "message") {
    return field.message;
  }
  if (field.fieldKind === "map" && field.mapKind === "message") {
    return field.message;
  }
  return undefined;
}

function declaredTypes(): string[] {
  const names: string[] = [];
  const walk = (m: DescMessage): void => {
    names.push(m.typeName);
    for (const e of m.nestedEnums) {
      names.push(e.typeName);
    }
    for (const n of m.nestedMessages) {
      walk(n);
    }
  };
  for (const file of ourFiles) {
    for (const e of file.enums) {
      names.push(e.typeName);
    }
    for (const m of file.messages) {
      walk(m);
    }
  }
  return names.sort();
}

const closure = reachable();
const closureMessages = [...closure.messages.keys()].sort();
const closureEnums = [...closure.enums.keys()].sort();

// ---------------------------------------------------------------------------------------------------------------
// One normalized shape per field, built the same way from both sides so that toEqual shows any difference.

interface FieldShape {
  number: number;
  name: string;
  jsonName: string;
  kind: "scalar" | "enum" | "message" | "map";
  type: string;
  mapKey?: string;
  repeated: boolean;
  optional: boolean;
  oneof: string | undefined;
  packed?: boolean;
}

const scalarName = (t: number): string => ScalarType[t] ?? `scalar#${t}`;
// Packing only exists for repeated numeric and enum fields.
const packable = (kind: FieldShape["kind"], type: string): boolean =>
  kind === "enum" || (kind === "scalar" && type !== "STRING" && type !== "BYTES");

function ourShape(field: DescField): FieldShape {
  const repeated = field.proto.label === FieldDescriptorProto_Label.REPEATED && field.fieldKind !== "map";
  let kind: FieldShape["kind"];
  let type: string;
  let mapKey: string | undefined;
  switch (field.fieldKind) {
    case "scalar":
      [kind, type] = ["scalar", scalarName(field.scalar)];
      break;
    case "enum":
      [kind, type] = ["enum", field.enum.typeName];
      break;
    case "message":
      [kind, type] = ["message", field.message.typeName];
      break;
    case "list":
      kind = field.listKind;
      type =
        field.listKind === "scalar"
          ? scalarName(field.scalar)
          : field.listKind === "enum"
            ? field.enum.typeName
            : field.message.typeName;
      break;
    case "map":
      kind = "map";
      mapKey = scalarName(field.mapKey);
      type =
        field.mapKind === "scalar"
          ? scalarName(field.scalar)
          : field.mapKind === "enum"
            ? field.enum.typeName
            : field.message.typeName;
      break;
  }
  const shape: FieldShape = {
    number: field.number,
    name: field.name,
    jsonName: field.jsonName,
    kind,
    type,
    repeated,
    optional: field.proto.proto3Optional === true,
    oneof: field.oneof?.name,
  };
  if (mapKey !== undefined) {
    shape.mapKey = mapKey;
  }
  if (field.fieldKind === "list" && packable(kind, type)) {
    shape.packed = field.packed;
  }
  return shape;
}

function theirShape(f: TheirField): FieldShape {
  let type: string;
  let mapKey: string | undefined;
  switch (f.kind) {
    case "scalar":
      type = scalarName(f.T);
      break;
    case "enum":
    case "message":
      type = f.T.typeName;
      break;
    case "map":
      mapKey = scalarName(f.K);
      type = f.V.kind === "scalar" ? scalarName(f.V.T) : f.V.T.typeName;
      break;
  }
  const shape: FieldShape = {
    number: f.no,
    name: f.name,
    jsonName: f.jsonName,
    kind: f.kind,
    type,
    repeated: f.repeated,
    optional: f.opt,
    oneof: f.oneof?.name,
  };
  if (mapKey !== undefined) {
    shape.mapKey = mapKey;
  }
  if (f.repeated && packable(f.kind, type)) {
    shape.packed = f.packed;
  }
  return shape;
}

const byNumber = (a: FieldShape, b: FieldShape): number => a.number - b.number;

// ---------------------------------------------------------------------------------------------------------------
// Facts only visible in @livekit/protocol's .d.ts files: which proto file declares each type, and which
// fields are deprecated (the v1 runtime keeps neither).

const protocolGenDir = join(
  dirname(createRequire(import.meta.url).resolve("@livekit/protocol")),
  "..",
  "src",
  "gen",
);

function scanUpstreamDeclarations(): { fileOf: Map<string, string>; deprecated: Set<string> } {
  const fileOf = new Map<string, string>();
  const deprecated = new Set<string>();
  for (const name of readdirSync(protocolGenDir).filter((n) => n.endsWith("_pb.d.ts"))) {
    const protoFile = name.replace(/_pb\.d\.ts$/, "");
    let current = "";
    for (const line of readFileSync(join(protocolGenDir, name), "utf8").split("\n")) {
      const decl = /@generated from (message|enum) ([\w.]+)\s*$/.exec(line);
      if (decl?.[2]) {
        fileOf.set(decl[2], protoFile);
        if (decl[1] === "message") {
          current = decl[2];
        }
        continue;
      }
      const field = /@generated from field: .*?(\w+) = \d+ \[(.*)\];/.exec(line);
      if (field?.[1] && field[2]?.includes("deprecated = true")) {
        deprecated.add(`${current}.${field[1]}`);
      }
    }
  }
  return { fileOf, deprecated };
}
const upstreamDecls = scanUpstreamDeclarations();

// ---------------------------------------------------------------------------------------------------------------
// A deterministic filler: every field gets a non-default value derived from its number, so a field that one
// side does not know (or knows under another number, name or type) changes the round-tripped result.

const MAX_DEPTH = 6;

function scalarValue(type: ScalarType, seed: number, name: string, index: number): unknown {
  switch (type) {
    case ScalarType.STRING:
      return `x-${name}-${seed}`;
    case ScalarType.BYTES:
      return Uint8Array.from({ length: 16 }, (_, i) => (seed * 31 + i * 7) & 0xff);
    case ScalarType.BOOL:
      return index === 0;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return seed + 0.5;
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      // Beyond 32 bits and negative, so a 64-bit field mistyped as 32-bit or unsigned cannot survive.
      return -(BigInt(seed) * 1_000_000_007n);
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return BigInt(seed) * 1_000_000_007n;
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return -seed;
    default:
      return seed;
  }
}

function enumValue(desc: DescEnum, seed: number): number {
  const nonZero = desc.values.filter((v) => v.number !== 0);
  const pool = nonZero.length > 0 ? nonZero : desc.values;
  return (pool[seed % pool.length] ?? desc.values[0])?.number ?? 0;
}

function fillInit(desc: DescMessage, variant: number, depth: number): Record<string, unknown> | undefined {
  if (depth > MAX_DEPTH) {
    return undefined;
  }
  const init: Record<string, unknown> = {};
  const value = (field: DescField, index: number): unknown => {
    const seed = field.number * 10 + index + variant * 100 + 1;
    switch (field.fieldKind) {
      case "scalar":
        return scalarValue(field.scalar, seed, field.name, index);
      case "enum":
        return enumValue(field.enum, index + variant);
      case "message":
        return fillInit(field.message, variant, depth + 1);
      case "list":
        if (field.listKind === "scalar") {
          return scalarValue(field.scalar, seed, field.name, index);
        }
        if (field.listKind === "enum") {
          return enumValue(field.enum, index + variant);
        }
        return fillInit(field.message, variant, depth + 1);
      case "map":
        if (field.mapKind === "scalar") {
          return scalarValue(field.scalar, seed, field.name, index);
        }
        if (field.mapKind === "enum") {
          return enumValue(field.enum, index + variant);
        }
        return fillInit(field.message, variant, depth + 1);
    }
  };
  for (const field of desc.fields) {
    if (field.oneof) {
      continue;
    }
    if (field.fieldKind === "list") {
      const items = [value(field, 0), value(field, 1)];
      if (items.every((v) => v !== undefined)) {
        init[field.localName] = items;
      }
    } else if (field.fieldKind === "map") {
      const entries: Record<string, unknown> = {};
      for (const i of [0, 1]) {
        const key = String(scalarValue(field.mapKey, field.number * 10 + i + 1, `${field.name}-key`, i));
        entries[key] = value(field, i);
      }
      if (Object.values(entries).every((v) => v !== undefined)) {
        init[field.localName] = entries;
      }
    } else {
      const v = value(field, 0);
      if (v !== undefined) {
        init[field.localName] = v;
      }
    }
  }
  // Each variant sets a different member of every oneof.
  for (const oneof of desc.oneofs) {
    const member = oneof.fields[variant % oneof.fields.length];
    if (!member) {
      continue;
    }
    const v = value(member, 0);
    if (v !== undefined) {
      init[oneof.localName] = { case: member.localName, value: v };
    }
  }
  return init;
}

function filled(desc: DescMessage, variant: number): Message {
  return create(desc, fillInit(desc, variant, 0) as never);
}

// Request and response types of RoomService, each once.
const ioMessages: DescMessage[] = [
  ...new Map(RoomService.methods.flatMap((m) => [m.input, m.output]).map((d) => [d.typeName, d])).values(),
];
const roundTripCases = ioMessages.flatMap((desc) =>
  [0, 1].map((variant) => ({ desc, variant, name: `${desc.typeName} #${variant + 1}` })),
);

// ===============================================================================================================

describe("LiveKit contract vs @livekit/protocol 1.52.1: structure", () => {
  it("uses upstream's package, syntax and file options", () => {
    for (const file of ourFiles) {
      expect(file.proto.package).toBe("livekit");
      expect(file.proto.syntax).toBe("proto3");
      expect(file.proto.options?.goPackage).toBe("github.com/livekit/protocol/livekit");
      expect(file.proto.options?.csharpNamespace).toBe("LiveKit.Proto");
      expect(file.proto.options?.rubyPackage).toBe("LiveKit::Proto");
    }
  });

  it("has upstream's RoomService methods, in order, with the same request and response types", () => {
    expect(RoomService.typeName).toBe("livekit.RoomService");
    const ours = RoomService.methods.map((m) => [m.name, m.input.typeName, m.output.typeName, m.methodKind]);
    const theirs = UPSTREAM_ROOM_SERVICE.map(([name, i, o]) => [
      name,
      `livekit.${i}`,
      `livekit.${o}`,
      "unary",
    ]);
    expect(ours).toEqual(theirs);
    // The pinned list names types @livekit/protocol really has.
    for (const [, i, o] of theirs) {
      expect(theirMessage(i as string).typeName).toBe(i);
      expect(theirMessage(o as string).typeName).toBe(o);
    }
  });

  it("has every RoomService call that livekit-server-sdk makes, with the request type it sends", () => {
    const sdkDir = dirname(createRequire(import.meta.url).resolve("livekit-server-sdk"));
    const source = readFileSync(join(sdkDir, "RoomServiceClient.js"), "utf8");
    // Calls read `this.rpc.request(svc, "Method", new Request(...)...)`; some pass a prebuilt `req` instead.
    const calls = [...source.matchAll(/svc,\s*"(\w+)",\s*(?:new (\w+)\()?/g)];
    expect(calls.length).toBeGreaterThanOrEqual(12);
    const ours = new Map(RoomService.methods.map((m) => [m.name, m.input.typeName]));
    for (const [, name = "", request] of calls) {
      expect(ours.has(name), `${name} missing from our RoomService`).toBe(true);
      if (request) {
        expect(ours.get(name)).toBe(`livekit.${request}`);
      }
    }
  });

  it("declares exactly the types RoomService reaches (plus enum-holder parents), nothing more", () => {
    expect(declaredTypes()).toEqual([...closureMessages, ...closureEnums].sort());
  });

  it("declares every type in the same proto file as upstream", () => {
    const ours = [...closure.messages.values(), ...closure.enums.values()].map((d) => [
      d.typeName,
      d.file.name,
    ]);
    const theirs = ours.map(([typeName]) => [typeName, upstreamDecls.fileOf.get(typeName ?? "")]);
    expect(ours).toEqual(theirs);
  });

  it.each(closureMessages)("message %s has upstream's fields", (typeName) => {
    const ours = closure.messages.get(typeName);
    if (!ours) {
      throw new Error(typeName);
    }
    const theirs = theirMessage(typeName)
      .fields.list()
      .filter((f) => !excludedField(typeName, f.no))
      .map(theirShape)
      .sort(byNumber);
    expect(ours.fields.map(ourShape).sort(byNumber)).toEqual(theirs);
  });

  it.each(closureEnums)("enum %s has upstream's values", (typeName) => {
    const ours = closure.enums.get(typeName);
    if (!ours) {
      throw new Error(typeName);
    }
    expect(ours.values.map((v) => [v.name, v.number])).toEqual(
      theirEnum(typeName).values.map((v) => [v.name, v.no]),
    );
  });

  it("marks exactly upstream's deprecated fields as deprecated", () => {
    const ours = [...closure.messages.values()]
      .flatMap((m) => m.fields.filter((f) => f.deprecated).map((f) => `${m.typeName}.${f.name}`))
      .sort();
    const theirs = [...upstreamDecls.deprecated]
      .filter((key) => {
        const typeName = key.slice(0, key.lastIndexOf("."));
        if (!closure.messages.has(typeName)) {
          return false;
        }
        const field = theirMessage(typeName)
          .fields.list()
          .find((f) => f.name === key.slice(key.lastIndexOf(".") + 1));
        return field !== undefined && !excludedField(typeName, field.no);
      })
      .sort();
    expect(theirs.length).toBeGreaterThan(0);
    expect(ours).toEqual(theirs);
  });
});

describe("LiveKit contract exclusions are still needed", () => {
  it.each(EXCLUSIONS.map((e) => [e.typeName, e.field === "all" ? "all fields" : e.field.name, e] as const))(
    "%s: %s",
    (typeName, _label, exclusion) => {
      expect(exclusion.reason.length).toBeGreaterThan(20);
      const ours = closure.messages.get(typeName);
      if (!ours) {
        throw new Error(`${typeName} is not part of our contract any more; drop the exclusion`);
      }
      const theirs = theirMessage(typeName).fields.list();
      if (exclusion.field === "all") {
        // Upstream still has fields we leave out, and we still declare none.
        expect(theirs.length).toBeGreaterThan(0);
        expect(ours.fields).toEqual([]);
      } else {
        const { number, name } = exclusion.field;
        expect(theirs.find((f) => f.no === number)?.name).toBe(name);
        expect(ours.fields.find((f) => f.number === number || f.name === name)).toBeUndefined();
        // Reserved, so nobody reuses the number or the name by accident.
        expect(ours.proto.reservedRange.some((r) => r.start <= number && number < r.end)).toBe(true);
        expect(ours.proto.reservedName).toContain(name);
      }
    },
  );
});

describe("LiveKit contract vs @livekit/protocol 1.52.1: round trips", () => {
  it.each(roundTripCases)("$name", ({ desc, variant }) => {
    const theirType = theirMessage(desc.typeName);
    const ours = filled(desc, variant);

    // The filler really sets every field (in a oneof, the member this variant picks).
    for (const field of desc.fields) {
      if (field.oneof && field.oneof.fields[variant % field.oneof.fields.length] !== field) {
        continue;
      }
      expect.soft(isFieldSet(ours, field), `${desc.typeName}.${field.name} left unset`).toBe(true);
    }

    // Binary: ours -> theirs -> ours. Unknown fields are dropped on both reads, so a field that the other side
    // does not know under the same number cannot ride along unnoticed.
    const theirs = theirType.fromBinary(toBinary(desc, ours), { readUnknownFields: false });
    const back = fromBinary(desc, theirs.toBinary(), { readUnknownFields: false });
    expect(equals(desc, ours, back)).toBe(true);

    // Both sides render the same proto3 JSON, camelCase (what clients send) and snake_case with defaults
    // (what LiveKit's Twirp server sends).
    expect(theirs.toJson()).toEqual(toJson(desc, ours));
    expect(theirs.toJson({ useProtoFieldName: true, emitDefaultValues: true })).toEqual(
      toJson(desc, ours, { useProtoFieldName: true, alwaysEmitImplicit: true }),
    );

    // JSON: ours -> theirs -> ours. Strict parsing on both sides: a renamed field must fail, not vanish.
    const theirsFromJson = theirType.fromJson(toJson(desc, ours), { ignoreUnknownFields: false });
    const backFromJson = fromJson(desc, theirsFromJson.toJson(), { ignoreUnknownFields: false });
    expect(equals(desc, ours, backFromJson)).toBe(true);
    const snake = toJson(desc, ours, { useProtoFieldName: true, alwaysEmitImplicit: true });
    const theirsFromSnake = theirType.fromJson(snake, { ignoreUnknownFields: false });
    expect(equals(desc, ours, fromJson(desc, theirsFromSnake.toJson(), { ignoreUnknownFields: false }))).toBe(
      true,
    );
  });
});

describe("LiveKit messages built by @livekit/protocol decode with our contract", () => {
  it("a participant with tracks, permissions and a data track", () => {
    const Theirs = theirMessage("livekit.ParticipantInfo");
    const upstreamKinds = theirExports.ParticipantInfo_Kind as Record<string, number>;
    const theirs = new Theirs({
      sid: "PA_7fJk2mQx",
      identity: "agent-support-1",
      state: 2, // ACTIVE
      tracks: [
        {
          sid: "TR_AMic9",
          type: 0,
          name: "microphone",
          source: 2,
          mimeType: "audio/opus",
          audioFeatures: [3, 4],
        },
        {
          sid: "TR_VCam4",
          type: 1,
          source: 1,
          width: 1280,
          height: 720,
          codecs: [
            { mimeType: "video/VP8", layers: [{ quality: 2, width: 1280, height: 720, bitrate: 1_700_000 }] },
          ],
        },
      ],
      metadata: '{"role":"support"}',
      joinedAt: 1_786_241_201n,
      joinedAtMs: 1_786_241_201_123n,
      name: "Support Agent",
      version: 4,
      permission: { canSubscribe: true, canPublish: true, canPublishData: true, canPublishSources: [1, 2] },
      region: "eu-central",
      isPublisher: true,
      kind: upstreamKinds.AGENT,
      attributes: { "lk.agent.state": "listening" },
      kindDetails: [0],
      dataTracks: [
        {
          pubHandle: 3,
          sid: "DTR_x1",
          name: "telemetry",
          frameEncoding: { value: { case: "custom", value: "my-enc" } },
        },
      ],
      clientProtocol: 1,
      capabilities: [1],
    });
    const bytes = theirs.toBinary();
    const ours = fromBinary(ParticipantInfoSchema, bytes, { readUnknownFields: false });
    expect(ours.kind).toBe(ParticipantInfo_Kind.AGENT);
    expect(ours.tracks.map((t) => t.sid)).toEqual(["TR_AMic9", "TR_VCam4"]);
    expect(ours.permission?.canPublishSources).toEqual([TrackSource.CAMERA, TrackSource.MICROPHONE]);
    expect(ours.joinedAtMs).toBe(1_786_241_201_123n);
    expect(ours.dataTracks[0]?.frameEncoding?.value).toEqual({ case: "custom", value: "my-enc" });
    // Same fields in the same order: re-encoding gives the very same bytes.
    expect(toBinary(ParticipantInfoSchema, ours)).toEqual(bytes);
    expect(toJson(ParticipantInfoSchema, ours)).toEqual(theirs.toJson());
  });

  it("a SendData request as the Node SDK builds it (topic present, 16-byte nonce)", () => {
    const Theirs = theirMessage("livekit.SendDataRequest");
    const nonce = Uint8Array.from({ length: 16 }, (_, i) => 255 - i);
    const theirs = new Theirs({
      room: "standup",
      data: new TextEncoder().encode('{"type":"poll"}'),
      kind: 1, // LOSSY
      destinationIdentities: ["alice", "bob"],
      topic: "",
      nonce,
    });
    const bytes = theirs.toBinary();
    const ours = fromBinary(SendDataRequestSchema, bytes, { readUnknownFields: false });
    // proto3 optional keeps presence: an empty topic is still "set".
    expect(ours.topic).toBe("");
    expect(isFieldSet(ours, SendDataRequestSchema.field.topic)).toBe(true);
    expect(ours.nonce).toEqual(nonce);
    expect(toBinary(SendDataRequestSchema, ours)).toEqual(bytes);
    expect(toJson(SendDataRequestSchema, ours)).toEqual(theirs.toJson());
  });

  it("a CreateRoom request with egress: our reserved field 6 passes through as unknown bytes", () => {
    const Theirs = theirMessage("livekit.CreateRoomRequest");
    const theirs = new Theirs({
      name: "town-hall",
      emptyTimeout: 600,
      maxParticipants: 50,
      egress: { tracks: { filepath: "rec/{track_id}.ogg" } },
      agents: [{ agentName: "notetaker", metadata: "{}", restartPolicy: 1, attributes: { lang: "en" } }],
    });
    const ours = fromBinary(CreateRoomRequestSchema, theirs.toBinary());
    expect(ours.name).toBe("town-hall");
    expect(ours.agents[0]?.attributes).toEqual({ lang: "en" });
    // We do not model egress, but we neither choke on it nor lose it when re-encoding.
    expect(toJson(CreateRoomRequestSchema, ours)).not.toHaveProperty("egress");
    const again = Theirs.fromBinary(toBinary(CreateRoomRequestSchema, ours));
    expect(again.toJson()).toEqual(theirs.toJson());
  });
});
