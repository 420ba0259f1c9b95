/**
 * specs:apply end to end: a copy of specs/livekit reduced to what @livekit/protocol 1.44.0 has (installed as
 * `livekit-protocol-1-44`) gets the installed 1.52.1's additions written back in, compiles with buf, and is
 * then the very contract of today's specs. Breaking differences are refused with nothing written, today's
 * specs have nothing to apply, and no TODO that specs:apply writes is left in specs/livekit.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Contract,
  type Fields,
  loadUpstreamPackage,
  rootTypeNames,
  specContract,
  upstreamContract,
} from "../scripts/livekit-contract.js";
import {
  applyEdits,
  buildSpecs,
  type Edit,
  eventMessagesOf,
  indexSpecs,
  removeDeclaration,
  type SpecIndex,
  servicesOf,
  specsApply,
  TODO,
} from "../scripts/specs-apply.js";
import { diffContracts, readAcknowledgements } from "../scripts/specs-diff.js";

const SPECS = join("specs", "livekit");
const acknowledged = readAcknowledgements(readFileSync(join("specs", "SOURCES.md"), "utf8"));
const scratchDirs: string[] = [];

function copyOf(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), "specs-apply-test-"));
  scratchDirs.push(copy);
  cpSync(dir, copy, { recursive: true });
  return copy;
}

function contents(dir: string): Record<string, string> {
  const names = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((n) => n.endsWith(".proto"));
  return Object.fromEntries(names.sort().map((name) => [name, readFileSync(join(dir, name), "utf8")]));
}

function build(dir: string): { contract: Contract; index: SpecIndex } {
  const registry = buildSpecs(dir);
  return {
    contract: specContract(servicesOf(registry), eventMessagesOf(registry)),
    index: indexSpecs(registry, dir),
  };
}

/** The contract as plain sorted data, so that toEqual compares every message, field, value and file. */
function plain(contract: Contract): unknown {
  const fields = (f: Fields) => [...f].sort(([a], [b]) => a.localeCompare(b));
  const sorted = <V, W>(m: ReadonlyMap<string, V>, map: (v: V) => W) =>
    [...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, map(v)]);
  return {
    rpcs: sorted(contract.rpcs, (v) => v),
    messages: sorted(contract.messages, fields),
    holders: sorted(contract.holders, fields),
    enums: sorted(contract.enums, (values) => [...values]),
    files: sorted(contract.files, (v) => v),
  };
}

function scopeAndName(key: string): [string, string] {
  const dot = key.lastIndexOf(".");
  return [key.slice(0, dot), key.slice(dot + 1)];
}

/** Removes from a copy of the specs what `older` lacks: fields, enum values, and types its services do not reach. */
async function reduceTo(dir: string, packageName: string): Promise<void> {
  const { contract, index } = build(dir);
  const older = await loadUpstreamPackage(packageName);
  const theirs = upstreamContract(older.module, rootTypeNames(), older.declarations);
  // An RPC's request and response stay declared even where `older` lacks them (StartEgressRequest and
  // TransferSIPParticipantResponse are newer than 1.44.0), emptied: specs:apply fills them, it never writes RPCs.
  const keep = new Set([
    ...theirs.messages.keys(),
    ...theirs.holders.keys(),
    ...theirs.enums.keys(),
    ...rootTypeNames(),
  ]);
  const removedTypes = [...index.types.keys()].filter((t) => !keep.has(t));
  const inRemoved = (name: string) => removedTypes.some((t) => name.startsWith(`${t}.`));
  const edits: Edit[] = [];
  for (const typeName of removedTypes.filter((t) => !inRemoved(t))) {
    edits.push(removeDeclaration(index, index.types.get(typeName) ?? { file: "", start: 0, end: 0 }));
  }
  const removedField = (key: string) => {
    const [owner, field] = scopeAndName(key);
    const theirFields = theirs.messages.get(owner) ?? theirs.holders.get(owner);
    return !inRemoved(key) && !theirFields?.has(field);
  };
  // A oneof that loses every member goes as a whole (an empty oneof does not compile).
  const emptiedOneofs = [...index.oneofs.keys()].filter((key) => {
    const [owner, oneof] = scopeAndName(key);
    const members = [...(contract.messages.get(owner) ?? [])].filter(([, shape]) => shape.oneof === oneof);
    return members.length > 0 && members.every(([field]) => removedField(`${owner}.${field}`));
  });
  for (const key of emptiedOneofs) {
    edits.push(removeDeclaration(index, index.oneofs.get(key) ?? { file: "", start: 0, end: 0 }));
  }
  const inEmptiedOneof = (key: string) => {
    const [owner, field] = scopeAndName(key);
    const oneof = contract.messages.get(owner)?.get(field)?.oneof ?? "";
    return oneof !== "" && emptiedOneofs.includes(`${owner}.${oneof}`);
  };
  for (const [key, span] of index.fields) {
    if (removedField(key) && !inEmptiedOneof(key)) {
      edits.push(removeDeclaration(index, span));
    }
  }
  for (const [key, span] of index.values) {
    const [owner, value] = scopeAndName(key);
    if (!inRemoved(key) && !theirs.enums.get(owner)?.has(value)) {
      edits.push(removeDeclaration(index, span));
    }
  }
  expect(contract.messages.size).toBeGreaterThan(0);
  for (const [file, lines] of applyEdits(index.lines, edits)) {
    writeFileSync(join(dir, file), lines.join("\n"));
  }
}

let reduced = "";
let today: Contract;

beforeAll(async () => {
  today = build(SPECS).contract;
  reduced = copyOf(SPECS);
  await reduceTo(reduced, "livekit-protocol-1-44");
});

afterAll(() => {
  for (const dir of scratchDirs) {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("specs:apply", () => {
  it("reduces a copy of the specs to exactly what @livekit/protocol 1.44.0 has", async () => {
    const { contract } = build(reduced);
    const older = await loadUpstreamPackage("livekit-protocol-1-44");
    const theirs = upstreamContract(older.module, rootTypeNames(), older.declarations);
    // Besides the acknowledged CreateRoomRequest.egress, only what a reduction keeps: the two RPC messages
    // 1.44.0 lacks (declared, empty), and deprecation marks 1.44.0 did not have yet.
    expect(diffContracts(contract, theirs).map((d) => d.key)).toEqual([
      "message livekit.StartEgressRequest: in spec only",
      "message livekit.TransferSIPParticipantResponse: in spec only",
      "field livekit.CreateRoomRequest.egress: in upstream only (6, message livekit.RoomEgress)",
      "field livekit.CreateSIPParticipantRequest.media_encryption: deprecated in spec only",
      "field livekit.EncodingOptions.audio_quality: deprecated in spec only",
      "field livekit.EncodingOptions.video_quality: deprecated in spec only",
      "field livekit.SIPDispatchRuleInfo.media_encryption: deprecated in spec only",
      "field livekit.SIPDispatchRuleUpdate.media_encryption: deprecated in spec only",
      "field livekit.SIPInboundTrunkInfo.media_encryption: deprecated in spec only",
      "field livekit.SIPInboundTrunkUpdate.media_encryption: deprecated in spec only",
      "field livekit.SIPOutboundTrunkInfo.media_encryption: deprecated in spec only",
      "field livekit.SIPOutboundTrunkUpdate.media_encryption: deprecated in spec only",
    ]);
    expect(contract.messages.has("livekit.DataTrackSchemaId")).toBe(false);
    expect(contract.holders.has("livekit.ClientInfo")).toBe(false);
  });

  it("writes 1.52.1's additions back into the reduced copy: wire-identical to today's specs, every one marked", async () => {
    const dir = copyOf(reduced);
    const before = build(dir).index;
    const outcome = await specsApply({ dir, packageName: "@livekit/protocol", check: false, acknowledged });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.leftOver).toEqual([]);
    expect([...outcome.written].sort()).toEqual([
      "livekit_agent.proto",
      "livekit_agent_dispatch.proto",
      "livekit_egress.proto",
      "livekit_ingress.proto",
      "livekit_models.proto",
      "livekit_room.proto",
      "livekit_sip.proto",
      "livekit_webhook.proto",
    ]);
    expect(outcome.report).toContain("message livekit.ClientInfo: new, holds livekit.ClientInfo.Capability");

    // It compiles, and every message, field (number, type, label, JSON name, oneof, packing, deprecation),
    // enum value, holder and declaring file is today's.
    const after = build(dir);
    expect(plain(after.contract)).toEqual(plain(today));

    // Every declaration that was written carries the TODO line right above it.
    const added = (name: keyof Pick<SpecIndex, "types" | "fields" | "values">) =>
      [...after.index[name]].filter(([key]) => !before[name].has(key));
    const unmarked = [...added("types"), ...added("fields"), ...added("values")].filter(([, span]) => {
      const above = after.index.lines.get(span.file)?.[span.start - 1] ?? "";
      return !above.trim().startsWith(TODO);
    });
    expect(added("fields").length).toBeGreaterThan(10);
    expect(unmarked.map(([key]) => key)).toEqual([]);
    // Acknowledged differences stay out: egress is still only reserved.
    expect(after.index.fields.has("livekit.CreateRoomRequest.egress")).toBe(false);

    // Applying again finds nothing.
    const again = await specsApply({ dir, packageName: "@livekit/protocol", check: true, acknowledged });
    expect([again.exitCode, again.applied]).toEqual([0, []]);
  });

  it("writes a new file with its import, a member into an existing oneof, and a deprecated mark", async () => {
    const dir = copyOf(SPECS);
    const edit = (file: string, from: string, to: string) => {
      const path = join(dir, file);
      const text = readFileSync(path, "utf8");
      expect(text).toContain(from);
      writeFileSync(path, text.replace(from, to));
    };
    // livekit_agent.proto only holds the job types a dispatch's state reaches.
    rmSync(join(dir, "livekit_agent.proto"));
    edit("livekit_agent_dispatch.proto", 'import "livekit_agent.proto";\n', "");
    edit("livekit_agent_dispatch.proto", "  repeated Job jobs = 1;\n", "");
    edit("livekit_webhook.proto", 'import "livekit_agent.proto";\n', "");
    edit("livekit_webhook.proto", "  Job job = 12;\n", "");
    edit("livekit_models.proto", "    // A custom encoding name.\n    string custom = 2;\n", "");
    edit("livekit_models.proto", "bool recorder = 8 [deprecated = true];", "bool recorder = 8;");

    const outcome = await specsApply({ dir, packageName: "@livekit/protocol", check: false, acknowledged });
    expect(outcome.exitCode).toBe(0);
    expect([...outcome.written].sort()).toEqual([
      "livekit_agent.proto",
      "livekit_agent_dispatch.proto",
      "livekit_models.proto",
      "livekit_webhook.proto",
    ]);
    expect(plain(build(dir).contract)).toEqual(plain(today));
    const written = contents(dir);
    expect(written["livekit_agent_dispatch.proto"]).toMatch(/\nimport "livekit_agent\.proto";\n/);
    expect(written["livekit_agent.proto"]).toMatch(
      /^\/\/ [\s\S]*\npackage livekit;\n[\s\S]*option go_package[\s\S]*import "livekit_models\.proto";/,
    );
  });

  it("--check lists what would be written, exits 1 and writes nothing", async () => {
    const dir = copyOf(reduced);
    const before = contents(dir);
    const outcome = await specsApply({ dir, packageName: "@livekit/protocol", check: true, acknowledged });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.written).toEqual([]);
    expect(outcome.report).toContain("### Would write");
    expect(outcome.report).toContain("field livekit.CreateRoomRequest.tags: in upstream only");
    expect(contents(dir)).toEqual(before);
  });

  it("refuses a breaking difference: reports it, exits 1, and leaves every file as it was", async () => {
    const dir = copyOf(reduced);
    const room = join(dir, "livekit_room.proto");
    const text = readFileSync(room, "utf8");
    expect(text).toContain("  uint32 max_participants = 3;\n");
    writeFileSync(
      room,
      text.replace("  uint32 max_participants = 3;\n", "  uint32 max_participants = 30;\n"),
    );
    const before = contents(dir);
    const outcome = await specsApply({ dir, packageName: "@livekit/protocol", check: false, acknowledged });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.breaking).toEqual(["field livekit.CreateRoomRequest.max_participants: renumbered 30 → 3"]);
    expect(outcome.written).toEqual([]);
    expect(outcome.report).toContain("Nothing was written");
    expect(contents(dir)).toEqual(before);
  });

  it("finds nothing to apply in today's specs (--check, from the command line)", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/specs-apply.ts", "--check"], {
      encoding: "utf8",
    });
    expect(run.stdout).toContain("Nothing to apply.");
    expect(run.status).toBe(0);
  });

  it("leaves no undescribed declaration in specs/livekit", () => {
    const marked = Object.entries(contents(SPECS)).flatMap(([file, text]) =>
      text
        .split("\n")
        .map((line, i) => ({ line, at: `${file}:${i + 1}` }))
        .filter(({ line }) => line.includes("TODO(specs:apply)"))
        .map(({ at }) => at),
    );
    expect(marked, "describe these for agents (see MAINTAINING.md)").toEqual([]);
  });
});
