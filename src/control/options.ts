/**
 * Operator control from the command line and the environment (flags win): what is served, which rooms,
 * whether to ask before destructive actions, where the audit log goes. An unknown flag or value stops
 * start-up naming what is accepted.
 */
import type { Env } from "../providers/provider.js";
import { CONFIRM_MODES, type ConfirmMode } from "./confirm.js";
import type { SelectionOptions } from "./selection.js";

const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"];

export interface ControlOptions {
  readonly selection: SelectionOptions;
  /** Room scope patterns; undefined: every room. */
  readonly rooms: readonly string[] | undefined;
  readonly confirm: ConfirmMode;
  readonly auditLog: string | undefined;
}

export class OptionsError extends Error {
  override readonly name = "OptionsError";
}

/** The flags, for --help: flag, environment variable, meaning. */
export const CONTROL_FLAGS: readonly (readonly [string, string, string])[] = [
  ["--read-only", "ROOMS_MCP_READ_ONLY=1", "serve only tools that change nothing (wins over the rest)"],
  [
    "--toolsets a,b",
    "ROOMS_MCP_TOOLSETS",
    "toolsets to serve (`all`; `default,events` adds to the defaults; `livekit:rooms`); default: each provider's defaults",
  ],
  ["--tools a,b", "ROOMS_MCP_TOOLS", "tools to serve besides the toolsets (alone: exactly these)"],
  ["--exclude-tools a,b", "ROOMS_MCP_EXCLUDE_TOOLS", "tools never to serve"],
  [
    "--rooms PATTERN,…",
    "ROOMS_MCP_ROOMS",
    "confine calls to these rooms (globs over LiveKit names, 100ms ids or names)",
  ],
  [
    "--confirm MODE",
    "ROOMS_MCP_CONFIRM",
    "auto (default): ask before destructive actions where the client can; always: refuse where it cannot; never",
  ],
  [
    "",
    "ROOMS_MCP_AUDIT_LOG=path",
    "append the audit log (JSON lines) to this file, owner-only; default stderr",
  ],
];

const VALUED = {
  "--toolsets": "ROOMS_MCP_TOOLSETS",
  "--tools": "ROOMS_MCP_TOOLS",
  "--exclude-tools": "ROOMS_MCP_EXCLUDE_TOOLS",
  "--rooms": "ROOMS_MCP_ROOMS",
  "--confirm": "ROOMS_MCP_CONFIRM",
} as const;

/**
 * Reads the control flags out of `argv` (both `--flag value` and `--flag=value`), and the environment for
 * what no flag set. Returns the options and the arguments that are not control flags.
 */
export function parseControl(argv: readonly string[], env: Env): { options: ControlOptions; rest: string[] } {
  const given = new Map<string, string>();
  let readOnlyFlag = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    if (flag === "--read-only" && inline === undefined) {
      readOnlyFlag = true;
    } else if (flag in VALUED) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith("--")) {
        throw new OptionsError(`${flag} needs a value`);
      }
      given.set(flag, value);
    } else {
      rest.push(arg);
    }
  }
  const read = (flag: keyof typeof VALUED): string | undefined => {
    const value = given.get(flag) ?? env[VALUED[flag]];
    return value === undefined || value.trim() === "" ? undefined : value;
  };
  const list = (flag: keyof typeof VALUED) => {
    const value = read(flag);
    return value === undefined
      ? undefined
      : value
          .split(",")
          .map((v) => v.trim())
          .filter((v) => v !== "");
  };
  const confirm = read("--confirm") ?? "auto";
  if (!(CONFIRM_MODES as readonly string[]).includes(confirm)) {
    throw new OptionsError(
      `--confirm / ROOMS_MCP_CONFIRM must be ${CONFIRM_MODES.join(", ")}; not ${JSON.stringify(confirm)}`,
    );
  }
  const readOnlyEnv = env.ROOMS_MCP_READ_ONLY ?? "";
  if (!["", "0", "1", "true", "false"].includes(readOnlyEnv)) {
    throw new OptionsError(
      `ROOMS_MCP_READ_ONLY must be 1, true, 0 or false; not ${JSON.stringify(readOnlyEnv)}`,
    );
  }
  // log.ts reads the level itself; an unknown one would silently mean "info".
  const logLevel = env.ROOMS_MCP_LOG_LEVEL ?? "";
  if (!["", ...LOG_LEVELS].includes(logLevel)) {
    throw new OptionsError(
      `ROOMS_MCP_LOG_LEVEL must be ${LOG_LEVELS.join(", ")}; not ${JSON.stringify(logLevel)}`,
    );
  }
  const rooms = list("--rooms");
  if (rooms !== undefined && rooms.length === 0) {
    throw new OptionsError("--rooms needs at least one pattern");
  }
  return {
    options: {
      selection: {
        readOnly: readOnlyFlag || readOnlyEnv === "1" || readOnlyEnv === "true",
        toolsets: list("--toolsets"),
        tools: list("--tools"),
        excludeTools: list("--exclude-tools") ?? [],
      },
      rooms,
      confirm: confirm as ConfirmMode,
      auditLog:
        env.ROOMS_MCP_AUDIT_LOG === undefined || env.ROOMS_MCP_AUDIT_LOG === ""
          ? undefined
          : env.ROOMS_MCP_AUDIT_LOG,
    },
    rest,
  };
}
