/**
 * Access logs: one JSON line per HTTP request on stderr, written when the response ends. They say who asked
 * for what and how it went; they never hold a credential, a token, a header value or a payload (bodies are
 * reduced to their size, the path to its route without the query).
 */

export interface AccessEntry {
  readonly time: string;
  readonly request_id: string;
  readonly method: string;
  /** The path without its query (a query could carry anything). */
  readonly path: string;
  readonly status: number;
  readonly duration_ms: number;
  readonly request_bytes: number;
  /** The MCP method from the Mcp-Method header, when the client sent one (2026-07-28 clients do). */
  readonly mcp_method?: string;
  /** `token#2`, `oauth:<client id>`, `anonymous`: never the credential itself. */
  readonly principal?: string;
  /** The providers whose credentials the request brought (per-request mode). */
  readonly tenant_providers?: readonly string[];
  /** Why the server answered as it did, when it refused or failed (a fixed word, not a message). */
  readonly outcome?: string;
  readonly remote?: string;
}

export type AccessLog = (entry: AccessEntry) => void;

/** Lines go to stderr as `{"type":"access",…}` (stdout is never written in HTTP mode either). */
export function stderrAccessLog(
  write: (line: string) => void = (line) => process.stderr.write(line),
): AccessLog {
  return (entry) => {
    write(`${JSON.stringify({ type: "access", ...entry })}\n`);
  };
}

/** The Mcp-Method header, if it is a plausible method name (it is the client's, so it is checked). */
export function mcpMethodOf(value: string | undefined): string | undefined {
  return value !== undefined && /^[a-z][a-zA-Z/_-]{0,63}$/.test(value) ? value : undefined;
}
