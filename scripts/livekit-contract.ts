/**
 * A flat, comparable model of the LiveKit contract — every message and enum the RPCs of every service in
 * LIVEKIT_SERVICES reach, field by
 * field — read either from our generated code (protobuf-es v2 descriptors of specs/livekit) or from
 * LiveKit's own published generated code (`@livekit/protocol`, protobuf-es v1 classes).
 */
import { type DescEnum, type DescField, type DescMessage, ScalarType } from "@bufbuild/protobuf";
import { LIVEKIT_SERVICES, rootMessages } from "../src/providers/livekit/services.js";

export interface FieldShape {
  readonly number: number;
  /** `string`, `int64`, `enum livekit.TrackType`, `message livekit.Room`, `map<string, string>`, … */
  readonly type: string;
  /** `""` (implicit presence), `optional`, `repeated` or `map`. */
  readonly label: string;
}

export interface Contract {
  /** RPC name → `Request → Response` type names (our spec only: the npm package has no service descriptors). */
  readonly rpcs: ReadonlyMap<string, string>;
  /** Message type name → field name → shape. */
  readonly messages: ReadonlyMap<string, ReadonlyMap<string, FieldShape>>;
  /** Enum type name → value name → number. */
  readonly enums: ReadonlyMap<string, ReadonlyMap<string, number>>;
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

/** The roots of the closure: the request and response type names of every RPC in our spec. */
export function rootTypeNames(): string[] {
  return rootMessages().map((m) => m.typeName);
}

/** The contract as specs/livekit defines it (through the generated descriptors). */
export function specContract(): Contract {
  const messages = new Map<string, Map<string, FieldShape>>();
  const enums = new Map<string, Map<string, number>>();
  const visitEnum = (desc: DescEnum) => {
    if (!enums.has(desc.typeName)) {
      enums.set(desc.typeName, new Map(desc.values.map((v) => [v.name, v.number])));
    }
  };
  const visit = (desc: DescMessage) => {
    if (messages.has(desc.typeName)) {
      return;
    }
    const fields = new Map<string, FieldShape>();
    messages.set(desc.typeName, fields);
    for (const field of desc.fields) {
      fields.set(field.name, specField(field));
      const element = field.fieldKind === "list" || field.fieldKind === "map" ? field : undefined;
      if (field.fieldKind === "enum") {
        visitEnum(field.enum);
      }
      if (field.fieldKind === "message") {
        visit(field.message);
      }
      if (element?.fieldKind === "list" && element.listKind === "enum") {
        visitEnum(element.enum);
      }
      if (element?.fieldKind === "list" && element.listKind === "message") {
        visit(element.message);
      }
      if (element?.fieldKind === "map" && element.mapKind === "enum") {
        visitEnum(element.enum);
      }
      if (element?.fieldKind === "map" && element.mapKind === "message") {
        visit(element.message);
      }
    }
  };
  const rpcs = new Map<string, string>();
  for (const method of LIVEKIT_SERVICES.flatMap((s) => s.methods)) {
    rpcs.set(
      `${method.parent.typeName}/${method.name}`,
      `${method.input.typeName} → ${method.output.typeName}`,
    );
    visit(method.input);
    visit(method.output);
  }
  return { rpcs, messages, enums };
}

function specField(field: DescField): FieldShape {
  switch (field.fieldKind) {
    case "scalar":
      return {
        number: field.number,
        type: scalarName(field.scalar),
        label: field.proto.proto3Optional ? "optional" : "",
      };
    case "enum":
      return {
        number: field.number,
        type: `enum ${field.enum.typeName}`,
        label: field.proto.proto3Optional ? "optional" : "",
      };
    case "message":
      return {
        number: field.number,
        type: `message ${field.message.typeName}`,
        label: field.proto.proto3Optional ? "optional" : "",
      };
    case "list": {
      const element =
        field.listKind === "scalar"
          ? scalarName(field.scalar)
          : field.listKind === "enum"
            ? `enum ${field.enum.typeName}`
            : `message ${field.message.typeName}`;
      return { number: field.number, type: element, label: "repeated" };
    }
    case "map": {
      const value =
        field.mapKind === "scalar"
          ? scalarName(field.scalar)
          : field.mapKind === "enum"
            ? `enum ${field.enum.typeName}`
            : `message ${field.message.typeName}`;
      return { number: field.number, type: `map<${scalarName(field.mapKey)}, ${value}>`, label: "map" };
    }
  }
}

/** The slice of a protobuf-es v1 field description that the model needs. */
interface V1Field {
  no: number;
  name: string;
  kind: "scalar" | "enum" | "message" | "map";
  T: number | V1Type;
  K?: number;
  V?: { kind: "scalar" | "enum" | "message"; T: number | V1Type };
  repeated?: boolean;
  opt?: boolean;
}
interface V1Type {
  typeName: string;
  fields?: { list(): V1Field[] };
  values?: { no: number; name: string }[];
}

/**
 * The contract as LiveKit's published package defines it, walked from the same root type names.
 * `module` is the imported package (any 1.x version of `@livekit/protocol`).
 */
export function upstreamContract(module: Record<string, unknown>, roots: readonly string[]): Contract {
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
  const messages = new Map<string, Map<string, FieldShape>>();
  const enums = new Map<string, Map<string, number>>();
  const typeOf = (kind: string, t: number | V1Type): string => {
    if (typeof t === "number") {
      return scalarName(t);
    }
    if (kind === "enum") {
      if (!enums.has(t.typeName)) {
        enums.set(t.typeName, new Map((t.values ?? []).map((v) => [v.name, v.no])));
      }
      return `enum ${t.typeName}`;
    }
    visit(t);
    return `message ${t.typeName}`;
  };
  const visit = (type: V1Type) => {
    if (messages.has(type.typeName) || !type.fields) {
      return;
    }
    const fields = new Map<string, FieldShape>();
    messages.set(type.typeName, fields);
    for (const f of type.fields.list()) {
      if (f.kind === "map" && f.V) {
        fields.set(f.name, {
          number: f.no,
          type: `map<${scalarName(f.K ?? 0)}, ${typeOf(f.V.kind, f.V.T)}>`,
          label: "map",
        });
      } else {
        const label = f.repeated ? "repeated" : f.opt ? "optional" : "";
        fields.set(f.name, { number: f.no, type: typeOf(f.kind, f.T), label });
      }
    }
  };
  for (const root of roots) {
    const type = byName.get(root);
    if (type) {
      visit(type);
    }
  }
  return { rpcs: new Map(), messages, enums };
}
