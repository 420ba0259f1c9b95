/**
 * Logging to stderr only: on a stdio MCP server stdout carries JSON-RPC and nothing else.
 * One line per event, `rooms-mcp <level> <message> key=value…`; ROOMS_MCP_LOG_LEVEL picks the threshold.
 */

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = Exclude<keyof typeof LEVELS, "silent">;

function threshold(): number {
  const name = process.env.ROOMS_MCP_LOG_LEVEL ?? "info";
  return name in LEVELS ? LEVELS[name as keyof typeof LEVELS] : LEVELS.info;
}

export function log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  if (LEVELS[level] < threshold()) {
    return;
  }
  const pairs = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === "string" ? JSON.stringify(value) : String(value)}`);
  process.stderr.write(`rooms-mcp ${level} ${message}${pairs.length > 0 ? ` ${pairs.join(" ")}` : ""}\n`);
}
