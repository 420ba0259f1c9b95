/**
 * The audit log: one JSON line per call that changes state (or was refused before it could), written before
 * its result is returned. `ROOMS_MCP_AUDIT_LOG=path` appends to a file created owner-only and synced per
 * line; without it the lines go to stderr. The file is opened before the call acts, so a log that cannot be
 * written stops the call first: nothing acts unrecorded.
 */
import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { PolicyError } from "../errors.js";
import type { ToolArguments, ToolTargets } from "../tools/define.js";

export interface AuditEntry {
  readonly time: string;
  readonly client: { readonly name?: string; readonly version?: string };
  readonly tool: string;
  readonly provider: string;
  readonly target: Record<string, unknown>;
  readonly arguments: Record<string, unknown>;
  readonly outcome: "ok" | "error" | "refused";
  /** The vendor's code (or invalid_argument, refused, internal) when the outcome is not ok. */
  readonly code?: string;
  readonly confirmed: boolean;
  readonly duration_ms: number;
  readonly reason?: string;
}

/** An open audit record: written when the call ends. */
export interface AuditRecord {
  write(entry: AuditEntry): void;
}

export interface AuditLog {
  /** Where lines go, for the start-up notice. */
  readonly destination: string;
  /** Called before a state-changing call acts; throws PolicyError when the log cannot be written. */
  begin(): AuditRecord;
}

export function auditLog(path: string | undefined, scrub: (text: string) => string): AuditLog {
  if (path === undefined || path === "") {
    return {
      destination: "stderr",
      begin: () => ({
        write: (entry) => process.stderr.write(`rooms-mcp audit ${scrub(JSON.stringify(entry))}\n`),
      }),
    };
  }
  // Fail at start-up, not on the first destructive call, when the file cannot be created.
  closeSync(openSync(path, "a", 0o600));
  return {
    destination: path,
    begin() {
      let fd: number;
      try {
        fd = openSync(path, "a", 0o600);
      } catch (error) {
        throw new PolicyError(
          `the audit log ${path} cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)}), ` +
            "so this call was not made: nothing was sent",
        );
      }
      return {
        write(entry) {
          try {
            writeSync(fd, `${scrub(JSON.stringify(entry))}\n`);
            fsyncSync(fd);
          } finally {
            closeSync(fd);
          }
        },
      };
    },
  };
}

/** Arguments as the audit log keeps them: targets as given, short plain values kept, payloads summarised. */
export function auditedArguments(targets: ToolTargets, args: ToolArguments): Record<string, unknown> {
  const named = new Set([
    ...(targets.roomNames ?? []),
    ...(targets.roomIds ?? []),
    ...Object.keys(targets.belongsTo ?? {}),
    ...(targets.subjects ?? []),
    "reason",
  ]);
  return Object.fromEntries(
    Object.entries(args).map(([name, value]) => [name, named.has(name) ? value : summarised(value)]),
  );
}

/** The target of a call: its rooms, what in them it names (sessions, egresses) and subjects, from the tool's targets. */
export function auditTarget(targets: ToolTargets, args: ToolArguments): Record<string, unknown> {
  const names = [
    ...(targets.roomNames ?? []),
    ...(targets.roomIds ?? []),
    ...Object.keys(targets.belongsTo ?? {}),
    ...(targets.subjects ?? []),
  ];
  return Object.fromEntries(names.filter((n) => args[n] !== undefined).map((n) => [n, args[n]]));
}

const SHORT = 64;

function summarised(value: unknown): unknown {
  if (typeof value === "boolean" || typeof value === "number" || value === null) {
    return value;
  }
  if (typeof value === "string") {
    // Short identifiers and enum values stay; anything longer is a payload and only its size is kept.
    return value.length <= SHORT && !/\s/.test(value) ? value : `[${Buffer.byteLength(value)} bytes]`;
  }
  return `[${Array.isArray(value) ? "array" : "object"}, ${Buffer.byteLength(JSON.stringify(value))} bytes]`;
}
