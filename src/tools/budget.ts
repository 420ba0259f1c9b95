/**
 * The result budget: no tool result's text may exceed ROOMS_MCP_MAX_RESULT_BYTES. MCP clients cap what
 * they hand to the model (Claude Code: 25,000 tokens by default) and a result over the cap is useless to
 * the agent, so a result that would be larger is cut at an element boundary instead: trailing items of
 * its largest lists and maps are left out (a long string is shortened only when nothing else is left),
 * and a `truncated` note says what was left out and how to get it. The result stays valid JSON of the
 * same shape, so it still matches the tool's output schema; it never becomes an error.
 *
 * List tools size their pages to the budget themselves (pages.ts), so their cut lands where
 * `next_cursor` continues; the cut here is the guard every other result goes through.
 */
import { isRecord } from "../json.js";
import type { JsonSchema } from "./define.js";

export const MAX_RESULT_BYTES_VARIABLE = "ROOMS_MCP_MAX_RESULT_BYTES";

/**
 * 40,000 bytes: JSON full of ids and base64 runs as low as ~2 bytes per token, so this stays under
 * 20,000 tokens, well below Claude Code's 25,000-token default cap, with room for the client's framing.
 */
export const DEFAULT_MAX_RESULT_BYTES = 40_000;

/** Below this not even an empty page with its cursor and note fits. */
export const MIN_MAX_RESULT_BYTES = 4_096;

/** Above this a result (carried twice in its message) could pass the 8 MiB a client reads in one message. */
export const MAX_MAX_RESULT_BYTES = 3 * 1024 * 1024;

/** What a `truncated` note and a cursor may add after a page was sized (pages.ts keeps this free). */
export const NOTE_RESERVE_BYTES = 700;

/** The budget from the environment; an unusable value is an error naming the variable (fail loudly). */
export function maxResultBytes(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env[MAX_RESULT_BYTES_VARIABLE];
  if (raw === undefined || raw.trim() === "") {
    return DEFAULT_MAX_RESULT_BYTES;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < MIN_MAX_RESULT_BYTES || value > MAX_MAX_RESULT_BYTES) {
    throw new Error(
      `${MAX_RESULT_BYTES_VARIABLE} must be a whole number of bytes from ${MIN_MAX_RESULT_BYTES} to ` +
        `${MAX_MAX_RESULT_BYTES} (default ${DEFAULT_MAX_RESULT_BYTES}); got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

/** UTF-8 size of a value's compact JSON text, as the result's text block carries it. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");
}

/** A list or a map in the result that may lose trailing elements. */
interface Collection {
  readonly path: string;
  readonly value: unknown[] | Record<string, unknown>;
  readonly bytes: number;
}

/**
 * The result, cut to at most `maxBytes` of JSON text if it is larger (see the module comment). `schema`
 * tells maps (objects keyed by id, `additionalProperties`) from records, whose properties must all stay.
 * `text`: the result's JSON text, when the caller has it already.
 */
export function fitToBudget(
  result: Record<string, unknown>,
  schema: JsonSchema | undefined,
  maxBytes: number,
  text: string = JSON.stringify(result),
): Record<string, unknown> {
  if (Buffer.byteLength(text, "utf8") <= maxBytes) {
    return result;
  }
  // Work on a copy: the caller's object may be shared (e.g. a cached response).
  const cut = structuredClone(result);
  // A page's own items stay: next_cursor continues after the last of them, so dropping one would skip it.
  const kept = "next_cursor" in cut ? new Set(Object.keys(cut)) : new Set<string>();
  const notes: string[] = [];
  let fitted: Record<string, unknown> = cut;
  for (let target = maxBytes - NOTE_RESERVE_BYTES; target > 0; ) {
    for (let size = jsonBytes(cut); size > target; size = jsonBytes(cut)) {
      const collections = collectionsOf(cut, schema, "").filter((c) => !kept.has(c.path));
      const collection = collectionToCut(collections);
      const text = longestString(cut);
      // Whichever is bigger goes first: a huge metadata string, not the tracks beside it.
      if (text !== undefined && (collection === undefined || text.length >= collection.bytes)) {
        notes.push(shorten(text, size - target));
      } else if (collection !== undefined) {
        notes.push(dropTrailing(collection, size - target));
      } else {
        break;
      }
    }
    fitted = withNote(cut, notes, maxBytes);
    const over = jsonBytes(fitted) - maxBytes;
    if (over <= 0) {
      break;
    }
    // The note came out longer than reserved (many cuts): make room and cut again.
    target -= over;
  }
  return fitted;
}

function withNote(cut: Record<string, unknown>, notes: readonly string[], maxBytes: number) {
  const note =
    `${notes.join("; ")}. Left out to keep the result under ${MAX_RESULT_BYTES_VARIABLE} (${maxBytes} ` +
    "bytes): narrow the call (filters, a smaller limit, one item at a time) to see the rest.";
  const earlier = typeof cut.truncated === "string" ? `${cut.truncated} ` : "";
  return { ...cut, truncated: `${earlier}${note}` };
}

/**
 * The largest non-empty list or map; when it holds a single element, the largest one inside that element
 * instead (one big session keeps its place on the page and loses trailing peers).
 */
function collectionToCut(collections: readonly Collection[]): Collection | undefined {
  const candidates = collections.filter((c) => elementCount(c.value) > 0).sort((a, b) => b.bytes - a.bytes);
  let chosen = candidates[0];
  while (chosen !== undefined && elementCount(chosen.value) === 1) {
    const { path } = chosen;
    const inner = candidates.find((c) => c.path.startsWith(`${path}.`) || c.path.startsWith(`${path}[`));
    if (inner === undefined) {
      break;
    }
    chosen = inner;
  }
  return chosen;
}

/** Removes trailing elements until at least `excess` bytes are gone; returns what was left out, in words. */
function dropTrailing(collection: Collection, excess: number): string {
  const { value, path } = collection;
  if (Array.isArray(value)) {
    const total = value.length;
    let removed = 0;
    while (value.length > 0 && removed < excess) {
      removed += jsonBytes(value.pop()) + 1;
    }
    return `${path}: ${value.length} of ${total} items kept`;
  }
  const keys = Object.keys(value);
  let removed = 0;
  let kept = keys.length;
  while (kept > 0 && removed < excess) {
    kept -= 1;
    const key = keys[kept] as string;
    removed += jsonBytes(key) + jsonBytes(value[key]) + 2;
    delete value[key];
  }
  return `${path}: ${kept} of ${keys.length} entries kept`;
}

function elementCount(value: unknown[] | Record<string, unknown>): number {
  return Array.isArray(value) ? value.length : Object.keys(value).length;
}

/** Every array, and every object the schema declares a map, below `node` (the schema may be absent). */
function collectionsOf(node: unknown, schema: JsonSchema | undefined, path: string): Collection[] {
  if (!isRecord(node)) {
    return [];
  }
  const found: Collection[] = [];
  const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  for (const [key, value] of Object.entries(node)) {
    const at = path === "" ? key : `${path}.${key}`;
    const child = properties[key] ?? additionalSchema(schema);
    if (Array.isArray(value)) {
      found.push({ path: at, value, bytes: jsonBytes(value) });
      const items = child?.items as JsonSchema | undefined;
      value.forEach((item, i) => {
        found.push(...collectionsOf(item, items, `${at}[${i}]`));
      });
    } else if (isRecord(value)) {
      if (child !== undefined && isMapSchema(child)) {
        found.push({ path: at, value, bytes: jsonBytes(value) });
      }
      const entries = child !== undefined && isMapSchema(child) ? additionalSchema(child) : undefined;
      if (entries !== undefined) {
        for (const [entryKey, entry] of Object.entries(value)) {
          found.push(...collectionsOf(entry, entries, `${at}.${entryKey}`));
        }
      } else {
        found.push(...collectionsOf(value, child, at));
      }
    }
  }
  return found;
}

function additionalSchema(schema: JsonSchema | undefined): JsonSchema | undefined {
  const extra = schema?.additionalProperties;
  return isRecord(extra) ? (extra as JsonSchema) : undefined;
}

/** An object keyed by ids (peers by peer id, attributes): entries may go, unlike a record's properties. */
function isMapSchema(schema: JsonSchema): boolean {
  return schema.properties === undefined && isRecord(schema.additionalProperties);
}

interface Text {
  readonly holder: Record<string | number, unknown>;
  readonly key: string | number;
  readonly path: string;
  readonly length: number;
}

/** The longest string anywhere in the result (more than one character), with where it sits. */
function longestString(root: Record<string, unknown>): Text | undefined {
  let longest: Text | undefined;
  const walk = (node: unknown, path: string): void => {
    const entries: [string | number, unknown][] = Array.isArray(node)
      ? node.map((value, i) => [i, value])
      : isRecord(node)
        ? Object.entries(node)
        : [];
    for (const [key, value] of entries) {
      const at = typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`;
      if (typeof value === "string") {
        if (value.length > 1 && value.length > (longest?.length ?? 0)) {
          longest = { holder: node as Record<string | number, unknown>, key, path: at, length: value.length };
        }
      } else {
        walk(value, at);
      }
    }
  };
  walk(root, "");
  return longest;
}

/** Cuts a string by at least `excess` bytes, marked with "…"; returns what was cut, in words. */
function shorten({ holder, key, path }: Text, excess: number): string {
  const text = holder[key] as string;
  // A character is at least one byte, so cutting `excess` characters removes at least `excess` bytes;
  // the "…" put in its place takes three.
  let keep = Math.max(0, text.length - excess - 3);
  if (/[\uD800-\uDBFF]/.test(text.charAt(keep - 1))) {
    keep -= 1;
  }
  holder[key] = `${text.slice(0, keep)}…`;
  return `${path}: cut to ${keep} of ${text.length} characters`;
}
