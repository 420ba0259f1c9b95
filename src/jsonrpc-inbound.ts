/**
 * What to do with one line a client sent: hand a valid JSON-RPC message to the MCP SDK, or answer it with
 * the JSON-RPC 2.0 error the spec names. The SDK's own stdio reader drops what it cannot parse without an
 * answer (invalid JSON, batches, a wrong `jsonrpc`, ids that are null, fractional or objects, `params: null`),
 * so a client waiting on such a request would wait forever.
 */
import {
  type JSONRPCErrorResponse,
  type JSONRPCMessage,
  ProtocolErrorCode,
  parseJSONRPCMessage,
} from "@modelcontextprotocol/server";

/** A reply for a message that has no usable id. JSON-RPC 2.0 says `null`; MCP ids are strings or integers. */
export type ErrorReply = Omit<JSONRPCErrorResponse, "id"> & { readonly id: string | number | null };

export type Inbound =
  | { readonly kind: "message"; readonly message: JSONRPCMessage }
  /** Answer with this (an array for a batch), and tell the operator why. */
  | { readonly kind: "reply"; readonly reply: ErrorReply | ErrorReply[]; readonly why: string }
  /** Nothing to answer (a malformed response, a batch of notifications); `blank` lines are not even noted. */
  | { readonly kind: "ignore"; readonly why: string; readonly blank?: true };

const MEMBERS = new Set(["jsonrpc", "id", "method", "params", "result", "error"]);

/** Classifies one line (without its newline). */
export function classifyLine(line: string): Inbound {
  if (line.trim() === "") {
    return { kind: "ignore", why: "blank line", blank: true };
  }
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return {
      kind: "reply",
      reply: errorReply(null, ProtocolErrorCode.ParseError, "Parse error: the line is not valid JSON"),
      why: "a line that is not JSON",
    };
  }
  if (Array.isArray(value)) {
    return classifyBatch(value);
  }
  return classifyObject(value);
}

/** The reply to a message too large to read: its id when one could be found, else null. */
export function oversizedReply(id: string | number | undefined, bytes: number, limit: number): ErrorReply {
  return errorReply(
    id ?? null,
    ProtocolErrorCode.InvalidRequest,
    `Invalid Request: the message is ${bytes} bytes, more than the ${limit} bytes this server reads in one message`,
    { limit_bytes: limit },
  );
}

function classifyObject(value: unknown): Inbound {
  try {
    return { kind: "message", message: parseJSONRPCMessage(value) };
  } catch {
    // Not a message the SDK accepts: find out why, to answer with the right error.
  }
  if (typeof value !== "object" || value === null) {
    return invalid(null, "a message must be a JSON object");
  }
  const message = value as Record<string, unknown>;
  const id = usableId(message.id);
  if (!("method" in message) && ("result" in message || "error" in message)) {
    // A response the client sent us: JSON-RPC never answers a response.
    return { kind: "ignore", why: "a malformed response from the client" };
  }
  if (message.jsonrpc !== "2.0") {
    return invalid(id, `"jsonrpc" must be "2.0"`);
  }
  if ("id" in message && id === null) {
    return invalid(null, `"id" must be a string or an integer (not null, a fraction, an object or an array)`);
  }
  if (typeof message.method !== "string") {
    return invalid(id, `"method" must be a string`);
  }
  if (
    "params" in message &&
    (typeof message.params !== "object" || message.params === null || Array.isArray(message.params))
  ) {
    return invalid(id, `"params" must be an object when present, not ${typeOf(message.params)}`);
  }
  const unexpected = Object.keys(message).filter((key) => !MEMBERS.has(key));
  if (unexpected.length > 0) {
    return invalid(
      id,
      `unexpected member${unexpected.length > 1 ? "s" : ""} ${unexpected.map((k) => JSON.stringify(k)).join(", ")}`,
    );
  }
  return invalid(id, "not a valid JSON-RPC request");
}

/** MCP has had no JSON-RPC batching since 2025-06-18: every request in a batch gets its own refusal. */
function classifyBatch(batch: readonly unknown[]): Inbound {
  if (batch.length === 0) {
    return invalid(null, "an empty batch");
  }
  const replies: ErrorReply[] = [];
  for (const item of batch) {
    const record =
      typeof item === "object" && item !== null && !Array.isArray(item)
        ? (item as Record<string, unknown>)
        : undefined;
    const isNotification = record !== undefined && typeof record.method === "string" && !("id" in record);
    if (isNotification) {
      continue; // never answered, also in a batch
    }
    replies.push(
      errorReply(
        usableId(record?.id),
        ProtocolErrorCode.InvalidRequest,
        "Invalid Request: batches are not supported (MCP removed JSON-RPC batching); send each message on its own line",
      ),
    );
  }
  if (replies.length === 0) {
    return { kind: "ignore", why: "a batch of notifications (batches are not supported)" };
  }
  return { kind: "reply", reply: replies, why: "a batch (not supported)" };
}

function invalid(id: string | number | null, problem: string): Inbound {
  return {
    kind: "reply",
    reply: errorReply(id, ProtocolErrorCode.InvalidRequest, `Invalid Request: ${problem}`),
    why: `an invalid request: ${problem}`,
  };
}

function errorReply(
  id: string | number | null,
  code: number,
  message: string,
  data?: Record<string, unknown>,
): ErrorReply {
  return { jsonrpc: "2.0", id, error: { code, message, ...(data === undefined ? {} : { data }) } };
}

/** An id a reply can carry: MCP's string or integer; anything else cannot be echoed, so null. */
export function usableId(id: unknown): string | number | null {
  return typeof id === "string" || (typeof id === "number" && Number.isSafeInteger(id)) ? id : null;
}

function typeOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
/** Longer ids or keys are not what we look for: stop keeping them. */
const MAX_CAPTURE = 256;

/**
 * Finds the top-level `"id"` of a JSON object fed in chunks, keeping only a few bytes, so that a message too
 * large to read can still be refused with its own id (and the client's waiting request is answered).
 */
export class TopLevelIdScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private topIsObject = false;
  private expectKey = false;
  private keyBytes: number[] | undefined;
  private lastKey: string | undefined;
  private capture: number[] | undefined;
  private captured: string | undefined;

  feed(chunk: Uint8Array): void {
    if (this.captured !== undefined) {
      return;
    }
    for (const byte of chunk) {
      this.step(byte);
      if (this.captured !== undefined) {
        return;
      }
    }
  }

  /** The id, when the object had a usable one in what was fed. */
  id(): string | number | undefined {
    if (this.captured === undefined) {
      return undefined;
    }
    try {
      return usableId(JSON.parse(this.captured)) ?? undefined;
    } catch {
      return undefined;
    }
  }

  private step(byte: number): void {
    if (this.inString) {
      this.keep(byte);
      if (this.escaped) {
        this.escaped = false;
      } else if (byte === BACKSLASH) {
        this.escaped = true;
      } else if (byte === QUOTE) {
        this.inString = false;
        if (this.keyBytes !== undefined) {
          this.lastKey = decodeKey(this.keyBytes);
          this.keyBytes = undefined;
        }
        return;
      }
      if (this.keyBytes !== undefined && this.keyBytes.length < MAX_CAPTURE) {
        this.keyBytes.push(byte);
      }
      return;
    }
    if (this.capture !== undefined && this.depth === 1 && (byte === COMMA || byte === CLOSE_BRACE)) {
      this.captured = Buffer.from(this.capture).toString("utf8");
      this.capture = undefined;
      return;
    }
    this.keep(byte);
    switch (byte) {
      case QUOTE:
        this.inString = true;
        if (this.depth === 1 && this.expectKey) {
          this.keyBytes = [];
          this.expectKey = false;
        }
        break;
      case OPEN_BRACE:
      case OPEN_BRACKET:
        this.depth++;
        if (this.depth === 1) {
          this.topIsObject = byte === OPEN_BRACE;
          this.expectKey = this.topIsObject;
        }
        break;
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        this.depth--;
        break;
      case COLON:
        if (this.depth === 1 && this.lastKey === "id" && this.capture === undefined) {
          this.capture = [];
        }
        break;
      case COMMA:
        if (this.depth === 1 && this.topIsObject) {
          this.expectKey = true;
        }
        break;
    }
  }

  /** Bytes of the id's value, once its `:` was seen; a value longer than any id is given up on. */
  private keep(byte: number): void {
    if (this.capture === undefined) {
      return;
    }
    if (this.capture.length >= MAX_CAPTURE) {
      this.capture = undefined;
      this.lastKey = undefined;
      return;
    }
    this.capture.push(byte);
  }
}

function decodeKey(bytes: readonly number[]): string | undefined {
  try {
    return JSON.parse(`"${Buffer.from(bytes).toString("utf8")}"`) as string;
  } catch {
    return undefined;
  }
}
