/**
 * A flat, comparable model of the LiveKit contract — every message and enum the RPCs of every service in
 * LIVEKIT_SERVICES reach, field by field — read either from our descriptors (protobuf-es v2: the generated
 * code, or a buf build of a copy of specs/livekit) or from LiveKit's own published generated code
 * (`@livekit/protocol`, protobuf-es v1 classes, plus the facts only its .d.ts files keep).
 *
 * specs:diff, specs:apply and the wire-compat test all compare this one model, so adding a service to
 * LIVEKIT_SERVICES extends all three.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import {
  type DescEnum,
  type DescField,
  type DescMessage,
  type DescService,
  ScalarType,
} from "@bufbuild/protobuf";
import { LIVEKIT_EVENT_MESSAGES, LIVEKIT_SERVICES } from "../src/providers/livekit/services.js";

export interface FieldShape {
  readonly number: number;
  /** `string`, `int64`, `enum livekit.TrackType`, `message livekit.Room`, `map<string, string>`, … */
  readonly type: string;
  /** `""` (implicit presence), `optional`, `repeated` or `map`. */
  readonly label: string;
  /** The proto3 JSON name. */
  readonly jsonName: string;
  /** The oneof the field belongs to; `""` for none (a proto3 `optional` field counts as none). */
  readonly oneof: string;
  /** Whether a repeated numeric or enum field is packed; false for every other field. */
  readonly packed: boolean;
  readonly deprecated: boolean;
}

/** Field name → shape, in declaration order. */
export type Fields = ReadonlyMap<string, FieldShape>;

export interface Contract {
  /** RPC name → `Request → Response` type names (our spec only: the npm package has no service descriptors). */
  readonly rpcs: ReadonlyMap<string, string>;
  /** Message type name → its fields, for every message the RPCs reach. */
  readonly messages: ReadonlyMap<string, Fields>;
  /**
   * Messages that are not reached themselves but hold a reached nested type (ClientInfo holds
   * ClientInfo.Capability), with the fields they declare: none in our spec, all of them upstream.
   */
  readonly holders: ReadonlyMap<string, Fields>;
  /** Enum type name → value name → number, in declaration order. */
  readonly enums: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Type name (message, holder or enum) → the proto file that declares it, without `.proto`. */
  readonly files: ReadonlyMap<string, string>;
}

const SCALAR_NAMES: Readonly<Record<number, string>> = {
  [ScalarType.DOUBLE]: "double",
  [ScalarType.FLOAT]: "float",
  [ScalarType.INT64]: "int64",
  [ScalarType.UINT64]: "uint64",
  [ScalarType.INT32]: "int32",
  [ScalarType.FIXED64]: "fixed64",
  [ScalarType.FIXED32]: "fixed32",
  [ScalarType.BOOL]: "bool",
  [ScalarType.STRING]: "string",
  [ScalarType.BYTES]: "bytes",
  [ScalarType.UINT32]: "uint32",
  [ScalarType.SFIXED32]: "sfixed32",
  [ScalarType.SFIXED64]: "sfixed64",
  [ScalarType.SINT32]: "sint32",
  [ScalarType.SINT64]: "sint64",
};

function scalarName(scalar: number): string {
  return SCALAR_NAMES[scalar] ?? `scalar(${scalar})`;
}

/** Whether a field of this (model) type can be packed: numeric scalars and enums. */
export function packable(type: string): boolean {
  return type.startsWith("enum ") || (type in SCALAR_TYPES && type !== "string" && type !== "bytes");
}
const SCALAR_TYPES: Readonly<Record<string, true>> = Object.fromEntries(
  Object.values(SCALAR_NAMES).map((name) => [name, true]),
);

/** The type name of the message or enum a shape's type refers to (the map value for maps), if any. */
export function referencedType(type: string): string | undefined {
  return /(?:message|enum) ([\w.]+)>?$/.exec(type)?.[1];
}

/**
 * The roots of the closure: the request and response type names of every RPC, and the messages no RPC carries
 * (webhook events), each once.
 */
export function rootTypeNames(
  services: readonly DescService[] = LIVEKIT_SERVICES,
  events: readonly DescMessage[] = LIVEKIT_EVENT_MESSAGES,
): string[] {
  const names = services.flatMap((s) => s.methods.flatMap((m) => [m.input.typeName, m.output.typeName]));
  return [...new Set([...names, ...events.map((m) => m.typeName)])];
}

// ---------------------------------------------------------------------------------------------------------------
// Our side: protobuf-es v2 descriptors.

/** The contract as specs/livekit defines it: the generated services by default, or those of another build. */
export function specContract(
  services: readonly DescService[] = LIVEKIT_SERVICES,
  events: readonly DescMessage[] = LIVEKIT_EVENT_MESSAGES,
): Contract {
  const messages = new Map<string, Fields>();
  const enums = new Map<string, ReadonlyMap<string, number>>();
  const files = new Map<string, string>();
  const parents: DescMessage[] = [];
  const visitEnum = (desc: DescEnum): void => {
    if (enums.has(desc.typeName)) {
      return;
    }
    enums.set(desc.typeName, new Map(desc.values.map((v) => [v.name, v.number])));
    files.set(desc.typeName, desc.file.name);
    if (desc.parent) {
      parents.push(desc.parent);
    }
  };
  const visit = (desc: DescMessage): void => {
    if (messages.has(desc.typeName)) {
      return;
    }
    messages.set(desc.typeName, specFields(desc));
    files.set(desc.typeName, desc.file.name);
    if (desc.parent) {
      parents.push(desc.parent);
    }
    for (const field of desc.fields) {
      const enumType = fieldEnum(field);
      if (enumType) {
        visitEnum(enumType);
      }
      const messageType = fieldMessage(field);
      if (messageType) {
        visit(messageType);
      }
    }
  };
  const rpcs = new Map<string, string>();
  for (const method of services.flatMap((s) => s.methods)) {
    rpcs.set(
      `${method.parent.typeName}/${method.name}`,
      `${method.input.typeName} → ${method.output.typeName}`,
    );
    visit(method.input);
    visit(method.output);
  }
  for (const message of events) {
    visit(message);
  }
  const holders = new Map<string, Fields>();
  for (const parent of parents) {
    if (!messages.has(parent.typeName) && !holders.has(parent.typeName)) {
      holders.set(parent.typeName, specFields(parent));
      files.set(parent.typeName, parent.file.name);
      if (parent.parent) {
        parents.push(parent.parent);
      }
    }
  }
  return { rpcs, messages, holders, enums, files };
}

function specFields(desc: DescMessage): Fields {
  return new Map(desc.fields.map((f) => [f.name, specField(f)]));
}

function fieldEnum(field: DescField): DescEnum | undefined {
  if (field.fieldKind === "enum") {
    return field.enum;
  }
  if (
    (field.fieldKind === "list" && field.listKind === "enum") ||
    (field.fieldKind === "map" && field.mapKind === "enum")
  ) {
    return field.enum;
  }
  return undefined;
}

function fieldMessage(field: DescField): DescMessage | undefined {
  if (field.fieldKind === "message") {
    return field.message;
  }
  if (
    (field.fieldKind === "list" && field.listKind === "message") ||
    (field.fieldKind === "map" && field.mapKind === "message")
  ) {
    return field.message;
  }
  return undefined;
}

function specField(field: DescField): FieldShape {
  const common = {
    number: field.number,
    jsonName: field.jsonName,
    oneof: field.oneof?.name ?? "",
    deprecated: field.deprecated,
  };
  const presence = field.proto.proto3Optional ? "optional" : "";
  switch (field.fieldKind) {
    case "scalar":
      return { ...common, type: scalarName(field.scalar), label: presence, packed: false };
    case "enum":
      return { ...common, type: `enum ${field.enum.typeName}`, label: presence, packed: false };
    case "message":
      return { ...common, type: `message ${field.message.typeName}`, label: presence, packed: false };
    case "list": {
      const type =
        field.listKind === "scalar"
          ? scalarName(field.scalar)
          : field.listKind === "enum"
            ? `enum ${field.enum.typeName}`
            : `message ${field.message.typeName}`;
      return { ...common, type, label: "repeated", packed: packable(type) && field.packed };
    }
    case "map": {
      const value =
        field.mapKind === "scalar"
          ? scalarName(field.scalar)
          : field.mapKind === "enum"
            ? `enum ${field.enum.typeName}`
            : `message ${field.message.typeName}`;
      return { ...common, type: `map<${scalarName(field.mapKey)}, ${value}>`, label: "map", packed: false };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Upstream: @livekit/protocol's protobuf-es v1 classes and .d.ts files.

/** What only the package's .d.ts files keep (the v1 runtime drops it). */
export interface UpstreamDeclarations {
  /** Every message and enum the package declares → its proto file without `.proto`, in declaration order. */
  readonly fileOf: ReadonlyMap<string, string>;
  /** The messages among them (the rest are enums). */
  readonly messages: ReadonlySet<string>;
  /** `livekit.Message.field` for every field marked `[deprecated = true]`. */
  readonly deprecated: ReadonlySet<string>;
}

/** Reads the `@generated from …` lines of every `src/gen/**\/*_pb.d.ts` of an installed package. */
export function scanDeclarations(packageDir: string): UpstreamDeclarations {
  const genDir = join(packageDir, "src", "gen");
  const fileOf = new Map<string, string>();
  const messages = new Set<string>();
  const deprecated = new Set<string>();
  for (const path of typingsUnder(genDir)) {
    const protoFile = relative(genDir, path)
      .replace(/_pb\.d\.ts$/, "")
      .replaceAll("\\", "/");
    let current = "";
    for (const line of readFileSync(path, "utf8").split("\n")) {
      const decl = /@generated from (message|enum) ([\w.]+)\s*$/.exec(line);
      if (decl?.[1] && decl[2]) {
        fileOf.set(decl[2], protoFile);
        if (decl[1] === "message") {
          messages.add(decl[2]);
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
  return { fileOf, messages, deprecated };
}

function typingsUnder(dir: string): string[] {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        return typingsUnder(path);
      }
      return entry.name.endsWith("_pb.d.ts") ? [path] : [];
    });
}

/** The slice of a protobuf-es v1 field description that the model needs. */
interface V1Field {
  no: number;
  name: string;
  jsonName: string;
  kind: "scalar" | "enum" | "message" | "map";
  T: number | V1Type;
  K?: number;
  V?: { kind: "scalar" | "enum" | "message"; T: number | V1Type };
  repeated?: boolean;
  opt?: boolean;
  packed?: boolean;
  oneof?: { name: string };
}
interface V1Type {
  typeName: string;
  fields?: { list(): V1Field[] };
  values?: { no: number; name: string }[];
}

/**
 * The contract as LiveKit's published package defines it, walked from the same root type names.
 * `module` is the imported package (any 1.x version of `@livekit/protocol`), `declarations` its scanned typings.
 */
export function upstreamContract(
  module: Record<string, unknown>,
  roots: readonly string[],
  declarations: UpstreamDeclarations,
): Contract {
  const byName = new Map<string, V1Type>();
  for (const value of Object.values(module)) {
    const type = value as Partial<V1Type> | null;
    if (
      (typeof value === "function" || typeof value === "object") &&
      typeof type?.typeName === "string" &&
      type.fields
    ) {
      byName.set(type.typeName, value as V1Type);
    }
  }
  const messages = new Map<string, Fields>();
  const enums = new Map<string, ReadonlyMap<string, number>>();
  const reach = (t: number | V1Type, kind: string): void => {
    if (typeof t === "number") {
      return;
    }
    if (kind === "enum" && !enums.has(t.typeName)) {
      enums.set(t.typeName, new Map((t.values ?? []).map((v) => [v.name, v.no])));
    }
    if (kind === "message") {
      visit(t);
    }
  };
  const visit = (type: V1Type): void => {
    if (messages.has(type.typeName) || !type.fields) {
      return;
    }
    const list = type.fields.list();
    messages.set(type.typeName, upstreamFields(type.typeName, list, declarations));
    for (const f of list) {
      if (f.kind === "map" && f.V) {
        reach(f.V.T, f.V.kind);
      } else {
        reach(f.T, f.kind);
      }
    }
  };
  for (const root of roots) {
    const type = byName.get(root);
    if (type) {
      visit(type);
    }
  }
  // Holders: the enclosing messages of reached types that are not reached themselves.
  const holders = new Map<string, Fields>();
  const pending = [...messages.keys(), ...enums.keys()];
  for (const name of pending) {
    const parent = byName.get(name.slice(0, name.lastIndexOf(".")));
    if (parent?.fields && !messages.has(parent.typeName) && !holders.has(parent.typeName)) {
      holders.set(parent.typeName, upstreamFields(parent.typeName, parent.fields.list(), declarations));
      pending.push(parent.typeName);
    }
  }
  const files = new Map<string, string>();
  for (const name of [...messages.keys(), ...holders.keys(), ...enums.keys()]) {
    const file = declarations.fileOf.get(name);
    if (file !== undefined) {
      files.set(name, file);
    }
  }
  return { rpcs: new Map(), messages, holders, enums, files };
}

function upstreamFields(owner: string, list: readonly V1Field[], declarations: UpstreamDeclarations): Fields {
  return new Map(list.map((f) => [f.name, upstreamField(owner, f, declarations)]));
}

function upstreamField(owner: string, f: V1Field, declarations: UpstreamDeclarations): FieldShape {
  const typeOf = (kind: string, t: number | V1Type): string =>
    typeof t === "number" ? scalarName(t) : `${kind} ${t.typeName}`;
  const common = {
    number: f.no,
    jsonName: f.jsonName,
    oneof: f.oneof?.name ?? "",
    deprecated: declarations.deprecated.has(`${owner}.${f.name}`),
  };
  if (f.kind === "map" && f.V) {
    const type = `map<${scalarName(f.K ?? 0)}, ${typeOf(f.V.kind, f.V.T)}>`;
    return { ...common, type, label: "map", packed: false };
  }
  const type = typeOf(f.kind, f.T);
  const label = f.repeated ? "repeated" : f.opt ? "optional" : "";
  // v1 reports `packed` on singular fields too; it only means something for repeated ones.
  return { ...common, type, label, packed: f.repeated === true && packable(type) && f.packed === true };
}

/** An installed copy of `@livekit/protocol` (under its own name or an npm alias). */
export interface UpstreamPackage {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly module: Record<string, unknown>;
  readonly declarations: UpstreamDeclarations;
}

export async function loadUpstreamPackage(name: string): Promise<UpstreamPackage> {
  const dir = packageDirOf(name);
  const { version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string };
  const module = (await import(name)) as Record<string, unknown>;
  return { name, version, dir, module, declarations: scanDeclarations(dir) };
}

/** The installed package's directory (its exports map hides package.json from resolution). */
function packageDirOf(packageName: string): string {
  let dir = dirname(createRequire(import.meta.url).resolve(packageName));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`cannot find the directory of package ${packageName}`);
    }
    dir = parent;
  }
  return dir;
}
