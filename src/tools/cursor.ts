/**
 * Opaque page cursors. A cursor carries everything the next page needs (nothing is kept in the process
 * between calls, so any replica of the server can continue a listing): the tool it belongs to, the query
 * of the listing (its filter arguments), where the next page starts, and facts the tool re-checks before
 * continuing (e.g. the sid of the LiveKit room it was made for, so a room closed and opened again under
 * the same name is noticed).
 *
 * It is base64url JSON with a checksum. The checksum is not a signature: a forged cursor could only ask
 * for what the caller may ask for anyway. It makes a damaged or edited cursor a clear error instead of a
 * wrong page. Every mismatch is an ArgumentError on `cursor` that says what to do.
 */
import { createHash } from "node:crypto";
import { ArgumentError } from "../errors.js";
import { isRecord, parseJson } from "../json.js";

export interface CursorState {
  /** `<provider>/<tool>`, e.g. `livekit/list_participants` (prefix-free, so any serving mode accepts it). */
  readonly tool: string;
  /** The listing's query arguments (filters, the room); absent ones are left out. */
  readonly query: Readonly<Record<string, unknown>>;
  /** Where the next page starts: the last key returned, or the vendor's own `start` value. */
  readonly after: string;
  /** Facts the tool checks before continuing (LiveKit: `room_sid`). */
  readonly pins?: Readonly<Record<string, string>>;
}

const VERSION = 1;
const CHECKSUM_CHARS = 10;

const START_OVER = "or leave cursor out to start from the first page";

export function encodeCursor(state: CursorState): string {
  const payload = JSON.stringify([VERSION, state.tool, state.query, state.after, state.pins ?? {}]);
  return `${Buffer.from(payload, "utf8").toString("base64url")}.${checksum(payload)}`;
}

/** The cursor's state, if it is intact and was made by `tool`; an ArgumentError on `cursor` otherwise. */
export function decodeCursor(cursor: string, tool: string): CursorState {
  const [body = "", sum, ...rest] = cursor.split(".");
  const payload = Buffer.from(body, "base64url").toString("utf8");
  if (sum === undefined || rest.length > 0 || checksum(payload) !== sum) {
    throw new ArgumentError(
      "cursor",
      `this is not a cursor this server gave out (it is damaged or was edited): pass next_cursor exactly as returned, ${START_OVER}`,
    );
  }
  const parsed = parseJson(payload);
  if (!Array.isArray(parsed) || parsed[0] !== VERSION) {
    throw new ArgumentError("cursor", `this cursor is from another version of the server: ${START_OVER}`);
  }
  const [, madeBy, query, after, pins] = parsed as [number, unknown, unknown, unknown, unknown];
  if (typeof madeBy !== "string" || !isRecord(query) || typeof after !== "string" || !isRecord(pins)) {
    throw new ArgumentError("cursor", `this cursor is not well-formed: ${START_OVER}`);
  }
  if (madeBy !== tool) {
    throw new ArgumentError(
      "cursor",
      `this cursor continues ${toolName(madeBy)}, not ${toolName(tool)}: pass it to ${toolName(madeBy)}, ${START_OVER}`,
    );
  }
  return { tool, query, after, pins: pins as Record<string, string> };
}

/**
 * The query a call continues: the cursor's, where the call repeats it or leaves arguments out. An argument
 * given with a different value would change the listing under the cursor, so it is refused, naming it.
 */
export function continuedQuery(
  state: CursorState,
  given: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined) {
      continue;
    }
    const before = state.query[name];
    if (canonical(before) !== canonical(value)) {
      const was = before === undefined ? `without ${name}` : `with ${name} ${JSON.stringify(before)}`;
      throw new ArgumentError(
        "cursor",
        `this cursor continues a listing made ${was}: a cursor keeps the arguments of its first page, so ` +
          `repeat them or leave them out, ${START_OVER} with ${name} ${JSON.stringify(value)}`,
      );
    }
  }
  return { ...state.query };
}

/** The query arguments worth keeping in a cursor: those given. */
export function queryOf(
  args: Readonly<Record<string, unknown>>,
  names: readonly string[],
): Record<string, unknown> {
  return Object.fromEntries(
    names.filter((name) => args[name] !== undefined).map((name) => [name, args[name]]),
  );
}

function checksum(payload: string): string {
  return createHash("sha256").update(payload).digest("base64url").slice(0, CHECKSUM_CHARS);
}

/** `livekit/list_rooms` → `list_rooms`: how the agent knows the tool (served names may carry a prefix). */
function toolName(tool: string): string {
  return tool.slice(tool.indexOf("/") + 1);
}

/** JSON with sorted keys, so that equal arguments compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    isRecord(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}
