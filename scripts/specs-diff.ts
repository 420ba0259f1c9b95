/**
 * `npm run specs:diff` — compares specs/livekit with the contract LiveKit publishes in the installed
 * `@livekit/protocol` package, for every service in LIVEKIT_SERVICES, and prints what differs, breaking first.
 *
 *   npm run specs:diff                          # against @livekit/protocol
 *   npm run specs:diff -- --package <name>      # against another installed copy (e.g. an npm alias)
 *
 * Exits 1 when a difference is not acknowledged in the ```specs-diff-acknowledged``` block of
 * specs/SOURCES.md (each line: a difference key, then ` — ` and the reason), and when an acknowledgement
 * no longer matches anything (so the list stays true).
 *
 * "Breaking" means our spec has something upstream no longer has, or has it differently (number, type,
 * label, JSON name, oneof, packing): code generated from our spec would then speak a different wire format.
 * "Additive" means upstream has something our spec lacks, or marks a field deprecated differently: nothing
 * breaks, but the tools cannot use it until the spec catches up (`npm run specs:apply` writes these in).
 * The npm package ships messages only, no service descriptors, so new RPCs are inferred from new
 * `…Request` messages declared in the upstream files that declare our services.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DescService } from "@bufbuild/protobuf";
import { LIVEKIT_SERVICES } from "../src/providers/livekit/services.js";
import {
  type Contract,
  loadUpstreamPackage,
  rootTypeNames,
  specContract,
  type UpstreamDeclarations,
  upstreamContract,
} from "./livekit-contract.js";

export type Severity = "breaking" | "additive";

export interface SpecDifference {
  /** Stable identifier, matched against acknowledgements: `field livekit.Room.sid: renumbered 1 → 2`. */
  readonly key: string;
  readonly severity: Severity;
}

export function diffContracts(
  spec: Contract,
  upstream: Contract,
  upstreamServiceMessages: readonly string[] = [],
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
      if (other.jsonName !== ours.jsonName) {
        push("breaking", `${at}: json name ${ours.jsonName} → ${other.jsonName}`);
      }
      if (other.oneof !== ours.oneof) {
        push("breaking", `${at}: oneof ${ours.oneof || "(none)"} → ${other.oneof || "(none)"}`);
      }
      if (other.packed !== ours.packed) {
        push("breaking", `${at}: packed ${ours.packed} → ${other.packed}`);
      }
      if (other.deprecated !== ours.deprecated) {
        push("additive", `${at}: ${other.deprecated ? "deprecated upstream" : "deprecated in spec only"}`);
      }
    }
    for (const [field, other] of theirs) {
      if (!fields.has(field)) {
        push(
          "additive",
          `field ${name}.${field}: in upstream only (${other.number}, ${other.label && other.label !== "map" ? `${other.label} ` : ""}${other.type})`,
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
  for (const name of upstreamServiceMessages) {
    if (name.endsWith("Request") && !spec.messages.has(name)) {
      push("additive", `message ${name}: in upstream only (possible new RPC)`);
    }
  }
  return out.sort((a, b) =>
    a.severity === b.severity ? a.key.localeCompare(b.key) : a.severity === "breaking" ? -1 : 1,
  );
}

/** Message type names that upstream declares in the files that declare our services (livekit_room, …). */
export function upstreamServiceMessages(
  declarations: UpstreamDeclarations,
  services: readonly DescService[] = LIVEKIT_SERVICES,
): string[] {
  const serviceFiles = new Set(services.map((s) => s.file.name));
  return [...declarations.fileOf]
    .filter(([name, file]) => serviceFiles.has(file) && declarations.messages.has(name))
    .map(([name]) => name);
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
  const services = LIVEKIT_SERVICES.map((s) => s.typeName).join(", ");
  const lines = [`## LiveKit ${services}: specs/livekit vs ${upstreamLabel}`, ""];
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
  const upstream = await loadUpstreamPackage(packageName);
  const theirs = upstreamContract(upstream.module, rootTypeNames(), upstream.declarations);
  const candidates = upstreamServiceMessages(upstream.declarations);
  return { differences: diffContracts(specContract(), theirs, candidates), version: upstream.version };
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
