/**
 * `npm run specs:apply` — writes what the installed `@livekit/protocol` adds to our contract into
 * specs/livekit/*.proto as proto source: new fields of messages we declare, new values of enums we declare,
 * the new messages and enums those fields reach, and changed deprecated marks. Every written declaration
 * gets a `// TODO(specs:apply): describe` line above it: comments become the tool-argument docs agents read,
 * so a person writes them (test/specs-apply.test.ts fails while one is left).
 *
 *   npm run specs:apply                          # from @livekit/protocol into specs/livekit
 *   npm run specs:apply -- --package <name>      # from another installed copy (e.g. an npm alias)
 *   npm run specs:apply -- --check               # print what would be written; exit 1 if anything
 *   npm run specs:apply -- --dir <path>          # into another copy of specs/livekit
 *
 * Never written: differences acknowledged in specs/SOURCES.md (e.g. CreateRoomRequest.egress), and new RPCs
 * (a person decides on the RPC and its tool). Breaking differences (renumbered, retyped, removed, …) make it
 * refuse: it lists them, exits 1 and changes nothing. Edits go into a scratch copy, compiled with buf and
 * compared with upstream again after each round, until nothing applicable is left; only then are the changed
 * files written (so a failure at any point leaves them as they were).
 *
 * New types go in the file upstream declares them in (a new file if we have none yet), after the upstream
 * declaration that precedes them; imports are added where a file starts using another file's types.
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createFileRegistry,
  type DescMessage,
  type DescService,
  type FileRegistry,
  fromBinary,
} from "@bufbuild/protobuf";
import {
  type DescriptorProto,
  type EnumDescriptorProto,
  FileDescriptorSetSchema,
} from "@bufbuild/protobuf/wkt";
import { LIVEKIT_EVENT_MESSAGES, LIVEKIT_SERVICES } from "../src/providers/livekit/services.js";
import {
  type Contract,
  type FieldShape,
  type Fields,
  loadUpstreamPackage,
  packable,
  referencedType,
  rootTypeNames,
  specContract,
  type UpstreamDeclarations,
  upstreamContract,
} from "./livekit-contract.js";
import {
  type Acknowledgement,
  diffContracts,
  matches,
  readAcknowledgements,
  type SpecDifference,
  upstreamServiceMessages,
} from "./specs-diff.js";

export const TODO = "// TODO(specs:apply): describe";

// ---------------------------------------------------------------------------------------------------------------
// Compiling a copy of specs/livekit.

const BUF = createRequire(import.meta.url).resolve("@bufbuild/buf/bin/buf");

/** Compiles the .proto files under `dir` with buf (source info included, for the line spans). */
export function buildSpecs(dir: string): FileRegistry {
  const scratch = mkdtempSync(join(tmpdir(), "specs-build-"));
  try {
    const out = join(scratch, "image.binpb");
    const run = spawnSync(process.execPath, [BUF, "build", dir, "-o", out], { encoding: "utf8" });
    if (run.status !== 0) {
      throw new Error(`buf build ${dir} failed:\n${run.stderr}`);
    }
    return createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(out)));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The services of LIVEKIT_SERVICES, as a build of another copy of the specs declares them. */
export function servicesOf(registry: FileRegistry): DescService[] {
  return LIVEKIT_SERVICES.map((s) => {
    const service = registry.getService(s.typeName);
    if (service === undefined) {
      throw new Error(`the compiled specs lack ${s.typeName}`);
    }
    return service;
  });
}

/** The event messages of LIVEKIT_EVENT_MESSAGES, as a build of another copy of the specs declares them. */
export function eventMessagesOf(registry: FileRegistry): DescMessage[] {
  return LIVEKIT_EVENT_MESSAGES.map((m) => {
    const message = registry.getMessage(m.typeName);
    if (message === undefined) {
      throw new Error(`the compiled specs lack ${m.typeName}`);
    }
    return message;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Where each declaration sits in the source: lines are 0-based, `end` inclusive.

export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

export interface DeclaredType extends Span {
  readonly kind: "message" | "enum";
  /** Nesting depth: 0 for a top-level declaration. */
  readonly depth: number;
  readonly reservedNumbers: readonly (readonly [start: number, end: number])[];
  readonly reservedNames: readonly string[];
}

export interface SpecIndex {
  /** File name (`livekit_room.proto`) → its lines. */
  readonly lines: ReadonlyMap<string, readonly string[]>;
  /** File name → the files it imports. */
  readonly imports: ReadonlyMap<string, readonly string[]>;
  /** File name → the last line of its header (imports, else options, else package): new imports go below. */
  readonly headerEnd: ReadonlyMap<string, number>;
  readonly types: ReadonlyMap<string, DeclaredType>;
  /** `livekit.Message.field` → span. */
  readonly fields: ReadonlyMap<string, Span>;
  /** `livekit.Message.oneof` → span. */
  readonly oneofs: ReadonlyMap<string, Span>;
  /** `livekit.Enum.VALUE` → span. */
  readonly values: ReadonlyMap<string, Span>;
}

/** Indexes the declarations of the files under `dir` (the compiled imports outside it are left out). */
export function indexSpecs(registry: FileRegistry, dir: string): SpecIndex {
  const lines = new Map<string, readonly string[]>();
  const imports = new Map<string, readonly string[]>();
  const headerEnd = new Map<string, number>();
  const types = new Map<string, DeclaredType>();
  const fields = new Map<string, Span>();
  const oneofs = new Map<string, Span>();
  const values = new Map<string, Span>();
  for (const { proto } of registry.files) {
    const path = join(dir, proto.name);
    if (!existsSync(path)) {
      continue;
    }
    const file = proto.name;
    lines.set(file, readFileSync(path, "utf8").split("\n"));
    imports.set(file, proto.dependency);
    const spans = new Map<string, Span>();
    let header = 0;
    for (const location of proto.sourceCodeInfo?.location ?? []) {
      const [start = 0, , third = 0, fourth] = location.span;
      const span = { file, start, end: fourth === undefined ? start : third };
      const key = location.path.join(".");
      if (!spans.has(key)) {
        spans.set(key, span);
      }
      // Top-level statements: 2 package, 3 import, 8 option.
      if (location.path.length >= 1 && [2, 3, 8].includes(location.path[0] ?? -1)) {
        header = Math.max(header, span.end);
      }
    }
    headerEnd.set(file, header);
    const spanAt = (path: readonly number[]): Span => {
      const span = spans.get(path.join("."));
      if (span === undefined) {
        throw new Error(`${file}: no source span for path ${path.join(".")}`);
      }
      return span;
    };
    const walkEnum = (e: EnumDescriptorProto, scope: string, path: number[], depth: number): void => {
      const name = `${scope}.${e.name}`;
      types.set(name, { ...spanAt(path), kind: "enum", depth, reservedNumbers: [], reservedNames: [] });
      e.value.forEach((v, i) => {
        values.set(`${name}.${v.name}`, spanAt([...path, 2, i]));
      });
    };
    const walkMessage = (m: DescriptorProto, scope: string, path: number[], depth: number): void => {
      const name = `${scope}.${m.name}`;
      types.set(name, {
        ...spanAt(path),
        kind: "message",
        depth,
        reservedNumbers: m.reservedRange.map((r) => [r.start, r.end] as const),
        reservedNames: m.reservedName,
      });
      m.field.forEach((f, i) => {
        fields.set(`${name}.${f.name}`, spanAt([...path, 2, i]));
      });
      m.oneofDecl.forEach((o, i) => {
        // The synthetic oneofs of proto3 `optional` fields have no source of their own.
        const span = spans.get([...path, 8, i].join("."));
        if (span) {
          oneofs.set(`${name}.${o.name}`, span);
        }
      });
      m.nestedType.forEach((n, i) => {
        if (n.options?.mapEntry !== true) {
          walkMessage(n, name, [...path, 3, i], depth + 1);
        }
      });
      m.enumType.forEach((e, i) => {
        walkEnum(e, name, [...path, 4, i], depth + 1);
      });
    };
    proto.messageType.forEach((m, i) => {
      walkMessage(m, proto.package, [4, i], 0);
    });
    proto.enumType.forEach((e, i) => {
      walkEnum(e, proto.package, [5, i], 0);
    });
  }
  return { lines, imports, headerEnd, types, fields, oneofs, values };
}

/** The first line of a declaration's leading `//` comment (the declaration's own line if it has none). */
function commentStart(index: SpecIndex, span: Span): number {
  const lines = index.lines.get(span.file) ?? [];
  let line = span.start;
  while (line > 0 && (lines[line - 1] ?? "").trim().startsWith("//")) {
    line--;
  }
  return line;
}

// ---------------------------------------------------------------------------------------------------------------
// Edits: replace lines [from, to) of a file with new lines (from === to inserts).

export interface Edit {
  readonly file: string;
  readonly from: number;
  readonly to: number;
  readonly lines: readonly string[];
}

/** An edit that removes a declaration with its leading comment (for reducing a copy of the specs). */
export function removeDeclaration(index: SpecIndex, span: Span): Edit {
  const lines = index.lines.get(span.file) ?? [];
  const from = commentStart(index, span);
  // Between blank lines, one of them goes too, so top-level declarations stay one blank line apart.
  const blankAround = lines[from - 1]?.trim() === "" && lines[span.end + 1]?.trim() === "";
  return { file: span.file, from, to: span.end + (blankAround ? 2 : 1), lines: [] };
}

/** Applies edits to file lines; edits at the same line keep the order they are given in. */
export function applyEdits(
  files: ReadonlyMap<string, readonly string[]>,
  edits: readonly Edit[],
): Map<string, string[]> {
  const out = new Map([...files].map(([name, lines]) => [name, [...lines]]));
  const ordered = edits.map((edit, order) => ({ edit, order }));
  // Bottom-up, so earlier line numbers stay valid; at one line, the last edit first so the first ends on top.
  ordered.sort((a, b) => b.edit.from - a.edit.from || b.order - a.order);
  for (const { edit } of ordered) {
    const lines = out.get(edit.file) ?? [];
    lines.splice(edit.from, edit.to - edit.from, ...edit.lines);
    out.set(edit.file, lines);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Planning.

export interface Applied {
  /** The difference it resolves (a specs:diff key), or `message …: new, …` for a type a new field reaches. */
  readonly key: string;
  readonly file: string;
}

export interface Plan {
  /** Unacknowledged breaking differences: when there are any, nothing else is planned. */
  readonly breaking: readonly string[];
  readonly applied: readonly Applied[];
  /** Additive differences left for a person (new RPCs, types outside package livekit). */
  readonly leftOver: readonly string[];
  readonly edits: readonly Edit[];
  /** New files (name → lines). */
  readonly newFiles: ReadonlyMap<string, readonly string[]>;
}

export interface PlanInput {
  readonly index: SpecIndex;
  readonly spec: Contract;
  readonly upstream: Contract;
  readonly declarations: UpstreamDeclarations;
  readonly differences: readonly SpecDifference[];
  readonly acknowledged: readonly Acknowledgement[];
}

const FIELD_ADDED = /^field ([\w.]+)\.(\w+): in upstream only/;
const VALUE_ADDED = /^enum ([\w.]+)\.(\w+): in upstream only/;
const DEPRECATION = /^field ([\w.]+)\.(\w+): deprecated (upstream|in spec only)$/;

/** The proto file of a google.protobuf well-known type, which buf provides. */
const WELL_KNOWN_FILES: Readonly<Record<string, string>> = {
  Any: "any",
  Duration: "duration",
  Empty: "empty",
  FieldMask: "field_mask",
  Struct: "struct",
  Value: "struct",
  ListValue: "struct",
  NullValue: "struct",
  Timestamp: "timestamp",
  DoubleValue: "wrappers",
  FloatValue: "wrappers",
  Int64Value: "wrappers",
  UInt64Value: "wrappers",
  Int32Value: "wrappers",
  UInt32Value: "wrappers",
  BoolValue: "wrappers",
  StringValue: "wrappers",
  BytesValue: "wrappers",
};

function wellKnownFile(typeName: string): string | undefined {
  const file = WELL_KNOWN_FILES[typeName.replace(/^google\.protobuf\./, "")];
  return typeName.startsWith("google.protobuf.") && file ? `google/protobuf/${file}.proto` : undefined;
}

export function planApply(input: PlanInput): Plan {
  const isAcked = (key: string) => input.acknowledged.some((a) => matches(a.pattern, key));
  const open = input.differences.filter((d) => !isAcked(d.key));
  const breaking = open.filter((d) => d.severity === "breaking").map((d) => d.key);
  if (breaking.length > 0) {
    return { breaking, applied: [], leftOver: [], edits: [], newFiles: new Map() };
  }
  const leftOver: string[] = [];
  const newFields: Named[] = [];
  const newValues: Named[] = [];
  const marks: Mark[] = [];
  for (const { key } of open) {
    const field = FIELD_ADDED.exec(key);
    const value = VALUE_ADDED.exec(key);
    const mark = DEPRECATION.exec(key);
    if (field?.[1] && field[2] && input.index.types.has(field[1])) {
      newFields.push({ owner: field[1], name: field[2], key });
    } else if (value?.[1] && value[2] && input.index.types.has(value[1])) {
      newValues.push({ owner: value[1], name: value[2], key });
    } else if (mark?.[1] && mark[2]) {
      marks.push({ owner: mark[1], name: mark[2], key, on: mark[3] === "upstream" });
    } else {
      leftOver.push(key);
    }
  }
  const planner = new Planner(input, isAcked, leftOver);
  const accepted = planner.closeOver(newFields);
  planner.fields(accepted);
  planner.values(newValues);
  const newFileTypes = planner.types();
  planner.marks(marks);
  const newFiles = planner.imports(newFileTypes);
  return { breaking, applied: planner.applied, leftOver, edits: planner.edits, newFiles };
}

interface Mark extends Named {
  /** true: mark the field deprecated; false: drop the mark. */
  readonly on: boolean;
}

/** Collects the edits of one plan; each method handles one kind of addition. */
class Planner {
  readonly edits: Edit[] = [];
  readonly applied: Applied[] = [];
  private readonly needImport = new Map<string, Set<string>>();
  private closure = new Closure();
  private render: Renderer | undefined;

  constructor(
    private readonly input: PlanInput,
    private readonly isAcked: (key: string) => boolean,
    private readonly leftOver: string[],
  ) {}

  private get index(): SpecIndex {
    return this.input.index;
  }

  private get upstream(): Contract {
    return this.input.upstream;
  }

  private get renderer(): Renderer {
    if (this.render === undefined) {
      throw new Error("closeOver() first");
    }
    return this.render;
  }

  private readonly isNewField = (owner: string, name: string): boolean =>
    !this.isAcked(`field ${owner}.${name}: in upstream only`);

  private readonly parentOf = (typeName: string): string | undefined => {
    const parent = scopeOf(typeName);
    const { messages, holders } = this.upstream;
    return messages.has(parent) || holders.has(parent) || this.index.types.has(parent) ? parent : undefined;
  };

  private upstreamShape(owner: string, name: string): FieldShape {
    const shape = fieldsOf(this.upstream, owner).get(name);
    if (shape === undefined) {
      throw new Error(`upstream has no field ${owner}.${name}`);
    }
    return shape;
  }

  /** The file a type is (or will be) declared in: ours, its new parent's, or the one upstream uses. */
  private fileFor(typeName: string): string {
    const declared = this.index.types.get(typeName);
    if (declared) {
      return declared.file;
    }
    const parent = this.parentOf(typeName);
    if (parent) {
      return this.fileFor(parent);
    }
    return wellKnownFile(typeName) ?? `${this.upstream.files.get(typeName)}.proto`;
  }

  /** Notes the import a field of `hostFile` needs for its type. */
  private useType(hostFile: string, shape: FieldShape): void {
    const target = referencedType(shape.type);
    const file = target === undefined ? hostFile : this.fileFor(target);
    if (file !== hostFile) {
      this.needImport.set(hostFile, (this.needImport.get(hostFile) ?? new Set()).add(file));
    }
  }

  /** Finds the new types the fields reach; returns the fields that can be written. */
  closeOver(newFields: readonly Named[]): Named[] {
    const { index, upstream, parentOf, isNewField, leftOver } = this;
    const { closure, accepted } = closureOf(newFields, { index, upstream, parentOf, isNewField, leftOver });
    this.closure = closure;
    const known = new Set<string>([...index.types.keys(), ...closure.types.keys(), ...closure.wellKnown]);
    for (const name of [...known]) {
      for (let dot = name.indexOf("."); dot > 0; dot = name.indexOf(".", dot + 1)) {
        known.add(name.slice(0, dot)); // packages, so that `livekit.X` and `google.protobuf.X` resolve
      }
    }
    this.render = new Renderer(known, this.input.declarations, upstream, closure, isNewField);
    return accepted;
  }

  /** New fields of messages we declare, by message, so that a new oneof is written once with its members. */
  fields(accepted: readonly Named[]): void {
    const { index } = this;
    for (const [owner, unordered] of groupBy(accepted, (f) => f.owner)) {
      const declared = index.types.get(owner) as DeclaredType;
      const theirs = [...fieldsOf(this.upstream, owner)];
      // In upstream's order, so that fields inserted at one place keep it.
      const list = inOrderOf(theirs, unordered);
      const ours = fieldsOf(this.input.spec, owner);
      const writtenOneofs = new Set<string>();
      // Our fields in a oneof are stepped over as the whole oneof block.
      const spanOf = (name: string): Span | undefined => {
        const oneof = ours.get(name)?.oneof;
        return oneof ? index.oneofs.get(`${owner}.${oneof}`) : index.fields.get(`${owner}.${name}`);
      };
      for (const field of list) {
        const shape = this.upstreamShape(owner, field.name);
        this.useType(declared.file, shape);
        this.applied.push({ key: field.key, file: declared.file });
        const oneofSpan = shape.oneof ? index.oneofs.get(`${owner}.${shape.oneof}`) : undefined;
        if (oneofSpan) {
          const siblings = theirs.filter(([, s]) => s.oneof === shape.oneof);
          const at = insertionPoint(index, oneofSpan, siblings, field.name, (n) =>
            index.fields.get(`${owner}.${n}`),
          );
          const lines = this.renderer.field(field.name, shape, owner, declared.depth + 2);
          this.edits.push({ file: declared.file, from: at.line, to: at.line, lines });
        } else if (!shape.oneof || !writtenOneofs.has(shape.oneof)) {
          const at = insertionPoint(index, declared, theirs, field.name, spanOf);
          let lines = this.renderer.field(field.name, shape, owner, declared.depth + 1);
          if (shape.oneof) {
            writtenOneofs.add(shape.oneof);
            const members = list
              .map((f) => [f.name, this.upstreamShape(owner, f.name)] as const)
              .filter(([, s]) => s.oneof === shape.oneof);
            lines = this.renderer.oneof(shape.oneof, members, owner, declared.depth + 1);
          }
          this.edits.push({ file: declared.file, from: at.line, to: at.line, lines });
        }
      }
    }
  }

  /** New values of enums we declare. */
  values(newValues: readonly Named[]): void {
    const { index, upstream } = this;
    const order = newValues.flatMap((v) =>
      [...(upstream.enums.get(v.owner) ?? [])].map(([n]) => `${v.owner}.${n}`),
    );
    const position = (v: Named) => order.indexOf(`${v.owner}.${v.name}`);
    for (const value of [...newValues].sort((a, b) => position(a) - position(b))) {
      const declared = index.types.get(value.owner) as DeclaredType;
      const theirs = [...(upstream.enums.get(value.owner) ?? [])];
      const at = insertionPoint(index, declared, theirs, value.name, (n) =>
        index.values.get(`${value.owner}.${n}`),
      );
      const number = upstream.enums.get(value.owner)?.get(value.name) ?? 0;
      const lines = this.renderer.value(value.name, number, declared.depth + 1);
      this.edits.push({ file: declared.file, from: at.line, to: at.line, lines });
      this.applied.push({ key: value.key, file: declared.file });
    }
  }

  /**
   * New types, in upstream's order; one whose parent is new too is written inside that parent. Returns the
   * types for files we do not have yet (file → declarations).
   */
  types(): Map<string, string[][]> {
    const { index, upstream, closure } = this;
    const upstreamOrder = [...this.input.declarations.fileOf.keys()];
    const newFileTypes = new Map<string, string[][]>();
    for (const typeName of upstreamOrder.filter((t) => closure.types.has(t))) {
      const parent = this.parentOf(typeName);
      const file = this.fileFor(typeName);
      const kind = upstream.enums.has(typeName) ? "enum" : "message";
      this.applied.push({ key: `${kind} ${typeName}: new, ${closure.types.get(typeName)}`, file });
      for (const shape of this.renderer.fieldsWritten(typeName)) {
        this.useType(file, shape);
      }
      if (parent && closure.types.has(parent)) {
        continue;
      }
      const parentSpan = parent ? index.types.get(parent) : undefined;
      const lines = this.renderer.type(typeName, parentSpan ? parentSpan.depth + 1 : 0);
      const fileLines = index.lines.get(file);
      if (fileLines === undefined) {
        newFileTypes.set(file, [...(newFileTypes.get(file) ?? []), lines]);
        continue;
      }
      const siblings = upstreamOrder
        .filter((t) => scopeOf(t) === scopeOf(typeName))
        .map((t) => [t, 0] as const);
      const spanOf = (t: string): Span | undefined => {
        const span = index.types.get(t);
        return span?.file === file ? span : undefined;
      };
      if (parentSpan) {
        // Nested types go first in a message body, as in our files.
        const at = insertionPoint(index, parentSpan, siblings, typeName, spanOf, "top");
        this.edits.push({ file, from: at.line, to: at.line, lines });
      } else {
        // Top-level declarations are separated by blank lines; a file's last line is the empty one after "\n".
        const last = fileLines.at(-1) === "" ? fileLines.length - 1 : fileLines.length;
        const at = insertionPoint(index, { file, start: -1, end: last }, siblings, typeName, spanOf);
        const separated = at.where === "before" ? [...lines, ""] : ["", ...lines];
        this.edits.push({ file, from: at.line, to: at.line, lines: separated });
      }
    }
    return newFileTypes;
  }

  /** Changed deprecated marks on fields we declare. */
  marks(marks: readonly Mark[]): void {
    for (const mark of marks) {
      const span = this.index.fields.get(`${mark.owner}.${mark.name}`);
      const line = span ? this.index.lines.get(span.file)?.[span.start] : undefined;
      if (!span || line === undefined || span.start !== span.end) {
        this.leftOver.push(`${mark.key} (not a one-line field declaration)`);
        continue;
      }
      const lines = [withDeprecated(line, mark.on)];
      this.edits.push({ file: span.file, from: span.start, to: span.start + 1, lines });
      this.applied.push({ key: mark.key, file: span.file });
    }
  }

  /** Imports below the header of a file we have; new files, whole, with theirs. */
  imports(newFileTypes: ReadonlyMap<string, readonly string[][]>): Map<string, string[]> {
    const newFiles = new Map<string, string[]>();
    for (const [file, types] of newFileTypes) {
      const imports = [...(this.needImport.get(file) ?? [])].sort().map((f) => `import "${f}";`);
      newFiles.set(file, [
        ...newFileHeader(this.index, file),
        ...(imports.length > 0 ? ["", ...imports] : []),
        ...types.flatMap((lines) => ["", ...lines]),
        "",
      ]);
    }
    for (const [file, wanted] of this.needImport) {
      const present = new Set(this.index.imports.get(file) ?? []);
      const missing = [...wanted].filter((f) => !present.has(f)).sort();
      if (missing.length === 0 || !this.index.lines.has(file)) {
        continue;
      }
      const at = (this.index.headerEnd.get(file) ?? 0) + 1;
      const lines = missing.map((f) => `import "${f}";`);
      this.edits.push({ file, from: at, to: at, lines: present.size === 0 ? ["", ...lines] : lines });
      this.applied.push({ key: `import ${missing.map((f) => `"${f}"`).join(", ")}`, file });
    }
    return newFiles;
  }
}

/**
 * The types the new fields reach that we do not declare yet, and the fields that can be written. A field that
 * hits a reservation, or whose closure leaves package livekit (well-known types aside), is left for a person.
 */
function closureOf(
  newFields: readonly Named[],
  context: {
    readonly index: SpecIndex;
    readonly upstream: Contract;
    readonly parentOf: (typeName: string) => string | undefined;
    readonly isNewField: (owner: string, name: string) => boolean;
    readonly leftOver: string[];
  },
): { closure: Closure; accepted: Named[] } {
  const { index, upstream, parentOf, isNewField, leftOver } = context;
  const closure = new Closure();
  const accepted: Named[] = [];
  for (const field of newFields) {
    const shape = fieldsOf(upstream, field.owner).get(field.name);
    const declared = index.types.get(field.owner);
    if (shape === undefined || declared === undefined) {
      leftOver.push(field.key);
      continue;
    }
    if (
      declared.reservedNames.includes(field.name) ||
      declared.reservedNumbers.some(([s, e]) => s <= shape.number && shape.number < e)
    ) {
      leftOver.push(`${field.key} (reserved in ${field.owner}: acknowledge it or drop the reservation)`);
      continue;
    }
    const found = new Closure();
    const pending = [{ shape, via: `${field.owner}.${field.name}` }];
    let unsupported: string | undefined;
    for (let next = pending.pop(); next && unsupported === undefined; next = pending.pop()) {
      const typeName = referencedType(next.shape.type);
      if (typeName === undefined || index.types.has(typeName) || closure.reached.has(typeName)) {
        continue;
      }
      if (wellKnownFile(typeName)) {
        found.wellKnown.add(typeName);
        continue;
      }
      if (found.reached.has(typeName)) {
        continue;
      }
      if (!typeName.startsWith("livekit.") || !upstream.files.has(typeName)) {
        unsupported = typeName;
        continue;
      }
      found.types.set(typeName, `reached through ${next.via}`);
      found.reached.add(typeName);
      if (upstream.messages.has(typeName)) {
        for (const [name, fieldShape] of upstream.messages.get(typeName) ?? []) {
          if (isNewField(typeName, name)) {
            pending.push({ shape: fieldShape, via: `${typeName}.${name}` });
          }
        }
      }
      // Enclosing messages we lack are declared too, as holders unless a field reaches them.
      for (let parent = parentOf(typeName); parent && !index.types.has(parent); parent = parentOf(parent)) {
        if (!found.types.has(parent) && !closure.types.has(parent)) {
          found.types.set(parent, `holds ${typeName}`);
        }
      }
    }
    if (unsupported !== undefined) {
      leftOver.push(`${field.key} (reaches ${unsupported}, outside what specs:apply writes)`);
      continue;
    }
    accepted.push(field);
    closure.merge(found);
  }
  return { closure, accepted };
}

interface Named {
  readonly owner: string;
  readonly name: string;
  readonly key: string;
}

/** New types to declare (name → why), the ones among them a field reaches (the rest are holders), WKTs used. */
class Closure {
  readonly types = new Map<string, string>();
  readonly reached = new Set<string>();
  readonly wellKnown = new Set<string>();

  merge(other: Closure): void {
    for (const [name, why] of other.types) {
      // Reached beats "holds": a holder that a later field reaches gets its fields.
      if (!this.types.has(name) || other.reached.has(name)) {
        this.types.set(name, why);
      }
    }
    for (const name of other.reached) {
      this.reached.add(name);
    }
    for (const name of other.wellKnown) {
      this.wellKnown.add(name);
    }
  }
}

function fieldsOf(contract: Contract, typeName: string): Fields {
  return contract.messages.get(typeName) ?? contract.holders.get(typeName) ?? new Map();
}

/** `livekit.A.B` → `livekit.A` (the enclosing message or package). */
function scopeOf(typeName: string): string {
  return typeName.slice(0, Math.max(0, typeName.lastIndexOf(".")));
}

function inOrderOf(order: readonly (readonly [string, unknown])[], items: readonly Named[]): Named[] {
  const position = (item: Named) => order.findIndex(([name]) => name === item.name);
  return [...items].sort((a, b) => position(a) - position(b));
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  }
  return groups;
}

/**
 * Where a new member goes among its siblings: right after the nearest preceding sibling (in upstream's order)
 * that we declare; else before the nearest following one (above its comment); else at the top or bottom of
 * the scope (a message's or enum's body, or a whole file when `scope.start` is -1).
 */
function insertionPoint(
  index: SpecIndex,
  scope: Span,
  upstreamSiblings: readonly (readonly [name: string, unknown])[],
  name: string,
  spanOf: (sibling: string) => Span | undefined,
  fallback: "top" | "bottom" = "bottom",
): { line: number; where: "after" | "before" | "end" } {
  const position = upstreamSiblings.findIndex(([n]) => n === name);
  for (let i = position - 1; i >= 0; i--) {
    const span = spanOf(upstreamSiblings[i]?.[0] ?? "");
    if (span) {
      return { line: span.end + 1, where: "after" };
    }
  }
  for (let i = position + 1; i < upstreamSiblings.length; i++) {
    const span = spanOf(upstreamSiblings[i]?.[0] ?? "");
    if (span) {
      return { line: commentStart(index, span), where: "before" };
    }
  }
  if (scope.start >= 0 && scope.start === scope.end) {
    throw new Error(`${scope.file}:${scope.start + 1}: cannot insert into a one-line declaration`);
  }
  // A body starts on the line after `message X {` and ends before its closing brace.
  return { line: fallback === "top" && scope.start >= 0 ? scope.start + 1 : scope.end, where: "end" };
}

/** Adds or removes `deprecated = true` in a one-line field declaration, keeping its other options. */
function withDeprecated(line: string, on: boolean): string {
  const match = /^(.*?)\s*(?:\[(.*)\])?\s*;(.*)$/.exec(line);
  if (!match) {
    return line;
  }
  const [, head = "", options = "", tail = ""] = match;
  const kept = options
    .split(",")
    .map((o) => o.trim())
    .filter((o) => o.length > 0 && !/^deprecated\s*=/.test(o));
  const all = on ? [...kept, "deprecated = true"] : kept;
  return `${head}${all.length > 0 ? ` [${all.join(", ")}]` : ""};${tail}`;
}

function newFileHeader(index: SpecIndex, file: string): string[] {
  // The file options every LiveKit file carries, taken from a file we have.
  const sample = [...index.lines.values()][0] ?? [];
  const options = sample.filter((line) => line.startsWith("option "));
  const packageLine = sample.find((line) => line.startsWith("package ")) ?? "package livekit;";
  return [
    `// LiveKit types from upstream's ${file}, only the part the services in LIVEKIT_SERVICES reach.`,
    "// Written by specs:apply; names, numbers and types are wire-identical to upstream livekit/protocol",
    "// (see specs/SOURCES.md). Comments are ours and are read by agents as tool-argument docs.",
    "",
    'syntax = "proto3";',
    "",
    packageLine,
    "",
    ...options,
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Proto source for new declarations.

function defaultJsonName(name: string): string {
  return name.replace(/_+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase());
}

class Renderer {
  constructor(
    private readonly known: ReadonlySet<string>,
    private readonly declarations: UpstreamDeclarations,
    private readonly upstream: Contract,
    private readonly closure: Closure,
    private readonly isNewField: (owner: string, name: string) => boolean,
  ) {}

  /**
   * The shortest name that resolves to `target` from inside message `scope`: protobuf looks the first
   * component up from the innermost scope outwards and binds to the first match.
   */
  private nameOf(target: string, scope: string): string {
    const parts = target.split(".");
    for (let take = 1; take < parts.length; take++) {
      const candidate = parts.slice(-take).join(".");
      const first = candidate.split(".")[0] ?? "";
      for (let s = scope; ; s = scopeOf(s)) {
        if (this.known.has(s ? `${s}.${first}` : first)) {
          if ((s ? `${s}.${candidate}` : candidate) === target) {
            return candidate;
          }
          break;
        }
        if (!s) {
          break;
        }
      }
    }
    return `.${target}`;
  }

  private typeRef(type: string, scope: string): string {
    const map = /^map<(\w+), (.+)>$/.exec(type);
    if (map) {
      return `map<${map[1]}, ${this.typeRef(map[2] ?? "", scope)}>`;
    }
    const target = referencedType(type);
    return target === undefined ? type : this.nameOf(target, scope);
  }

  field(name: string, shape: FieldShape, scope: string, depth: number): string[] {
    const indent = "  ".repeat(depth);
    const options: string[] = [];
    if (shape.deprecated) {
      options.push("deprecated = true");
    }
    if (shape.label === "repeated" && packable(shape.type) && !shape.packed) {
      options.push("packed = false");
    }
    if (shape.jsonName !== defaultJsonName(name)) {
      options.push(`json_name = "${shape.jsonName}"`);
    }
    const label = shape.label === "repeated" || shape.label === "optional" ? `${shape.label} ` : "";
    const suffix = options.length > 0 ? ` [${options.join(", ")}]` : "";
    return [
      `${indent}${TODO}`,
      `${indent}${label}${this.typeRef(shape.type, scope)} ${name} = ${shape.number}${suffix};`,
    ];
  }

  oneof(
    name: string,
    members: readonly (readonly [string, FieldShape])[],
    scope: string,
    depth: number,
  ): string[] {
    const indent = "  ".repeat(depth);
    return [
      `${indent}${TODO}`,
      `${indent}oneof ${name} {`,
      ...members.flatMap(([field, shape]) => this.field(field, shape, scope, depth + 1)),
      `${indent}}`,
    ];
  }

  value(name: string, number: number, depth: number): string[] {
    const indent = "  ".repeat(depth);
    return [`${indent}${TODO}`, `${indent}${name} = ${number};`];
  }

  /** The fields a new message gets: all of upstream's but acknowledged ones; none for a holder. */
  fieldsWritten(typeName: string): FieldShape[] {
    return this.fieldList(typeName).map(([, shape]) => shape);
  }

  private fieldList(typeName: string): [string, FieldShape][] {
    if (!this.closure.reached.has(typeName)) {
      return [];
    }
    return [...(this.upstream.messages.get(typeName) ?? [])].filter(([name]) =>
      this.isNewField(typeName, name),
    );
  }

  /** A new message or enum, with the new types nested in it first, as our files do. */
  type(typeName: string, depth: number): string[] {
    const indent = "  ".repeat(depth);
    const short = typeName.slice(typeName.lastIndexOf(".") + 1);
    const values = this.upstream.enums.get(typeName);
    if (values) {
      return [
        `${indent}${TODO}`,
        `${indent}enum ${short} {`,
        ...[...values].flatMap(([name, number]) => this.value(name, number, depth + 1)),
        `${indent}}`,
      ];
    }
    const children = [...this.declarations.fileOf.keys()].filter(
      (t) => this.closure.types.has(t) && scopeOf(t) === typeName,
    );
    const body = children.flatMap((child) => this.type(child, depth + 1));
    const fields = this.fieldList(typeName);
    const oneofsDone = new Set<string>();
    for (const [name, shape] of fields) {
      if (!shape.oneof) {
        body.push(...this.field(name, shape, typeName, depth + 1));
      } else if (!oneofsDone.has(shape.oneof)) {
        oneofsDone.add(shape.oneof);
        const members = fields.filter(([, s]) => s.oneof === shape.oneof);
        body.push(...this.oneof(shape.oneof, members, typeName, depth + 1));
      }
    }
    const note = this.closure.reached.has(typeName)
      ? ""
      : " (holds a reached nested type only; list it in EXCLUSIONS of test/livekit/wire-compat.test.ts)";
    return [`${indent}${TODO}${note}`, `${indent}message ${short} {`, ...body, `${indent}}`];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Running it.

export interface ApplyOptions {
  /** The copy of specs/livekit to read and write. */
  readonly dir: string;
  /** The installed package to apply from (`@livekit/protocol` or an npm alias). */
  readonly packageName: string;
  /** Only report what would be written. */
  readonly check: boolean;
  readonly acknowledged: readonly Acknowledgement[];
}

/** What a run found and did, over all its rounds. */
export interface Summary {
  readonly breaking: readonly string[];
  readonly applied: readonly Applied[];
  readonly leftOver: readonly string[];
}

export interface ApplyOutcome extends Summary {
  /** Files written (relative to the directory); none with `check`, on refusal, or when nothing is new. */
  readonly written: readonly string[];
  readonly report: string;
  readonly exitCode: number;
}

/** Rounds are needed when a new field reaches a type we only held (its fields are then new); a few suffice. */
const MAX_ROUNDS = 5;

export async function specsApply(options: ApplyOptions): Promise<ApplyOutcome> {
  const upstreamPackage = await loadUpstreamPackage(options.packageName);
  const { declarations } = upstreamPackage;
  const label = `${options.packageName}@${upstreamPackage.version}`;
  // Everything happens in a scratch copy; the real files are written only once the copy compiles and
  // has nothing applicable left.
  const scratch = mkdtempSync(join(tmpdir(), "specs-apply-"));
  try {
    cpSync(options.dir, scratch, { recursive: true });
    const applied: Applied[] = [];
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const registry = buildSpecs(scratch);
      const services = servicesOf(registry);
      const events = eventMessagesOf(registry);
      const spec = specContract(services, events);
      const upstream = upstreamContract(
        upstreamPackage.module,
        rootTypeNames(services, events),
        declarations,
      );
      const differences = diffContracts(spec, upstream, upstreamServiceMessages(declarations, services));
      const index = indexSpecs(registry, scratch);
      const plan = planApply({ index, spec, upstream, declarations, differences, ...options });
      if (round === 0 && (plan.breaking.length > 0 || options.check)) {
        const exitCode = plan.breaking.length > 0 || plan.applied.length > 0 ? 1 : 0;
        return { ...plan, written: [], report: renderApplyReport(plan, label, options), exitCode };
      }
      if (plan.breaking.length > 0) {
        throw new Error(`specs:apply: its own edits differ from ${label}: ${plan.breaking.join("; ")}`);
      }
      if (plan.applied.length === 0) {
        const written = writeChanged(scratch, options.dir);
        const summary = { breaking: [], applied, leftOver: plan.leftOver };
        return { ...summary, written, report: renderApplyReport(summary, label, options), exitCode: 0 };
      }
      applied.push(...plan.applied);
      const texts = applyEdits(index.lines, plan.edits);
      for (const [file, lines] of plan.newFiles) {
        texts.set(file, [...lines]);
      }
      writeTexts(scratch, [...texts]);
    }
    throw new Error(`specs:apply: still finding additions after ${MAX_ROUNDS} rounds; nothing was written`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Copies the .proto files of `from` that differ from (or are missing in) `to`; returns their names. */
function writeChanged(from: string, to: string): string[] {
  const names = readdirSync(from, { recursive: true, encoding: "utf8" }).filter((n) => n.endsWith(".proto"));
  const changed = names.filter((name) => {
    const target = join(to, name);
    return !existsSync(target) || readFileSync(target, "utf8") !== readFileSync(join(from, name), "utf8");
  });
  writeTexts(
    to,
    changed.map((name) => [name, readFileSync(join(from, name), "utf8").split("\n")] as const),
  );
  return changed.sort();
}

function writeTexts(dir: string, files: readonly (readonly [string, readonly string[]])[]): void {
  for (const [file, lines] of files) {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, lines.join("\n"));
  }
}

export function renderApplyReport(
  plan: Summary,
  upstreamLabel: string,
  options: Pick<ApplyOptions, "dir" | "check">,
): string {
  const lines = [`## specs:apply: ${options.dir} from ${upstreamLabel}`, ""];
  if (plan.breaking.length > 0) {
    lines.push(
      `### Refused: breaking differences (${plan.breaking.length})`,
      "",
      ...plan.breaking.map((key) => `- ${key}`),
      "",
      "Nothing was written. A person resolves these (see `npm run specs:diff`): fix specs/livekit by hand or " +
        "acknowledge them in specs/SOURCES.md, then run specs:apply again.",
      "",
    );
    return lines.join("\n");
  }
  if (plan.applied.length === 0) {
    lines.push("Nothing to apply.", "");
  } else {
    lines.push(
      `### ${options.check ? "Would write" : "Written"} (${plan.applied.length})`,
      "",
      ...plan.applied.map((a) => `- ${a.key} → ${a.file}`),
      "",
      `Each new declaration carries \`${TODO}\`: replace it with a description for agents, then ` +
        "`npm run generate`.",
      "",
    );
  }
  if (plan.leftOver.length > 0) {
    lines.push(
      `### Left for a person (${plan.leftOver.length})`,
      "",
      ...plan.leftOver.map((key) => `- ${key}`),
      "",
    );
  }
  return lines.join("\n");
}

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outcome = await specsApply({
    dir: argument("--dir") ?? join("specs", "livekit"),
    packageName: argument("--package") ?? "@livekit/protocol",
    check: process.argv.includes("--check"),
    acknowledged: readAcknowledgements(readFileSync(join("specs", "SOURCES.md"), "utf8")),
  });
  process.stdout.write(outcome.report);
  process.exitCode = outcome.exitCode;
}
