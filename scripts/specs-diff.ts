/**
 * `npm run specs:diff` — compares specs/livekit with the RoomService contract LiveKit publishes in the
 * installed `@livekit/protocol` package, and prints what differs, breaking first.
 *
 *   npm run specs:diff                          # against @livekit/protocol
 *   npm run specs:diff -- --package <name>      # against another installed copy (e.g. an npm alias)
 *
 * Exits 1 when a difference is not acknowledged in the ```specs-diff-acknowledged``` block of
 * specs/SOURCES.md (each line: a difference key, then ` — ` and the reason), and when an acknowledgement
 * no longer matches anything (so the list stays true).
 *
 * "Breaking" means our spec has something upstream no longer has, or has it differently (number, type,
 * label): code generated from our spec would then speak a different wire format. "Additive" means upstream
 * has something our spec lacks: nothing breaks, but the tools cannot use it until the spec catches up.
 * The npm package ships messages only, no service descriptors, so new RPCs are inferred from new
 * `…Request` messages declared in upstream's livekit_room.proto.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Contract, rootTypeNames, specContract, upstreamContract } from "./livekit-contract.js";

export type Severity = "breaking" | "additive";

export interface SpecDifference {
  /** Stable identifier, matched against acknowledgements: `field livekit.Room.sid: renumbered 1 → 2`. */
  readonly key: string;
  readonly severity: Severity;
}

export function diffContracts(
  spec: Contract,
  upstream: Contract,
  upstreamRoomMessages: readonly string[] = [],
): SpecDifference[] {
  const out: SpecDifference[] = [];
  const push = (severity: Severity, key: string) => out.push({ key, severity });

  for (const [name, fields] of spec.messages) {
    const theirs = upstream.messages.get(name);
    if (theirs === undefined) {
      push("breaking", `message ${name}: in spec only`);
      continue;
    }
    for (const [field, ours] of fields) {
      const other = theirs.get(field);
      const at = `field ${name}.${field}`;
      if (other === undefined) {
        push("breaking", `${at}: in spec only`);
        continue;
      }
      if (other.number !== ours.number) {
        push("breaking", `${at}: renumbered ${ours.number} → ${other.number}`);
      }
      if (other.type !== ours.type) {
        push("breaking", `${at}: retyped ${ours.type} → ${other.type}`);
      }
      if (other.label !== ours.label) {
        push("breaking", `${at}: label ${ours.label || "(none)"} → ${other.label || "(none)"}`);
      }
    }
    for (const [field, other] of theirs) {
      if (!fields.has(field)) {
        push(
          "additive",
          `field ${name}.${field}: in upstream only (${other.number}, ${other.label ? `${other.label} ` : ""}${other.type})`,
        );
      }
    }
  }
  for (const [name, values] of spec.enums) {
    const theirs = upstream.enums.get(name);
    if (theirs === undefined) {
      continue; // only reachable through a field, which is reported above
    }
    for (const [value, number] of values) {
      const other = theirs.get(value);
      if (other === undefined) {
        push("breaking", `enum ${name}.${value}: in spec only`);
      } else if (other !== number) {
        push("breaking", `enum ${name}.${value}: renumbered ${number} → ${other}`);
      }
    }
    for (const [value, number] of theirs) {
      if (!values.has(value)) {
        push("additive", `enum ${name}.${value}: in upstream only (${number})`);
      }
    }
  }
  for (const name of upstreamRoomMessages) {
    if (name.endsWith("Request") && !spec.messages.has(name)) {
      push("additive", `message ${name}: in upstream only (possible new RPC)`);
    }
  }
  return out.sort((a, b) =>
    a.severity === b.severity ? a.key.localeCompare(b.key) : a.severity === "breaking" ? -1 : 1,
  );
}

/** Message type names that upstream declares in livekit_room.proto, read from the package's typings. */
export function upstreamRoomMessages(packageDir: string): string[] {
  const file = join(packageDir, "src", "gen", "livekit_room_pb.d.ts");
  if (!existsSync(file)) {
    return [];
  }
  return [...readFileSync(file, "utf8").matchAll(/@generated from message (livekit\.[A-Za-z0-9_.]+)/g)].map(
    (m) => m[1] as string,
  );
}

export interface Acknowledgement {
  readonly pattern: string;
  readonly reason: string;
}

/** The acknowledged differences: lines `<key pattern> — <reason>` inside the fenced block. */
export function readAcknowledgements(sourcesMarkdown: string): Acknowledgement[] {
  const block = /```specs-diff-acknowledged\n([\s\S]*?)```/.exec(sourcesMarkdown)?.[1] ?? "";
  return block
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith("#"))
    .map((line) => {
      const [pattern = "", reason = ""] = line.split(" — ");
      return { pattern: pattern.trim(), reason: reason.trim() };
    });
}

/** Whether an acknowledgement pattern covers a difference key; `*` matches any run of non-space characters. */
export function matches(pattern: string, key: string): boolean {
  const regex = new RegExp(`^${pattern.split("*").map(escapeRegExp).join("[^ ]*")}$`);
  // Keys may end in a parenthetical detail, e.g. "(6, message livekit.RoomEgress)"; patterns need not repeat it.
  return regex.test(key.replace(/ \(.*\)$/, ""));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function renderSpecsReport(
  differences: readonly SpecDifference[],
  acknowledged: readonly Acknowledgement[],
  upstreamLabel: string,
): { text: string; unacknowledged: SpecDifference[]; stale: Acknowledgement[] } {
  const isAcked = (d: SpecDifference) => acknowledged.some((a) => matches(a.pattern, d.key));
  const unacknowledged = differences.filter((d) => !isAcked(d));
  const stale = acknowledged.filter((a) => !differences.some((d) => matches(a.pattern, d.key)));
  const lines = [`## LiveKit RoomService: specs/livekit vs ${upstreamLabel}`, ""];
  if (differences.length === 0) {
    lines.push("No differences.", "");
  }
  for (const severity of ["breaking", "additive"] as const) {
    const group = differences.filter((d) => d.severity === severity);
    if (group.length === 0) {
      continue;
    }
    lines.push(`### ${severity === "breaking" ? "Breaking" : "Additive"} (${group.length})`, "");
    for (const d of group) {
      lines.push(`- ${d.key}${isAcked(d) ? " _(acknowledged in specs/SOURCES.md)_" : ""}`);
    }
    lines.push("");
  }
  if (stale.length > 0) {
    lines.push("### Stale acknowledgements", "", ...stale.map((a) => `- ${a.pattern}`), "");
  }
  lines.push(
    unacknowledged.length === 0 && stale.length === 0
      ? "Every difference is acknowledged in specs/SOURCES.md."
      : `${unacknowledged.length} unacknowledged difference(s), ${stale.length} stale acknowledgement(s): update ` +
          "specs/livekit (then `npm run generate`) or acknowledge them with a reason in specs/SOURCES.md.",
    "",
  );
  return { text: lines.join("\n"), unacknowledged, stale };
}

/** Loads an installed copy of the package by name and compares it with our spec. */
export async function compareWithPackage(
  packageName: string,
): Promise<{ differences: SpecDifference[]; version: string }> {
  const packageDir = packageDirOf(packageName);
  const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
    version: string;
  };
  const module = (await import(packageName)) as Record<string, unknown>;
  const upstream = upstreamContract(module, rootTypeNames());
  return { differences: diffContracts(specContract(), upstream, upstreamRoomMessages(packageDir)), version };
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const index = process.argv.indexOf("--package");
  const packageName = index > 0 ? (process.argv[index + 1] ?? "") : "@livekit/protocol";
  const { differences, version } = await compareWithPackage(packageName);
  const acknowledged = readAcknowledgements(readFileSync(join("specs", "SOURCES.md"), "utf8"));
  const report = renderSpecsReport(differences, acknowledged, `${packageName}@${version}`);
  process.stdout.write(report.text);
  if (report.unacknowledged.length > 0 || report.stale.length > 0) {
    process.exitCode = 1;
  }
}
