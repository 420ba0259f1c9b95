/**
 * The stdio transport `serveStdio` runs on, in place of the SDK's StdioServerTransport, which ends the whole
 * session when one line exceeds its 10 MB read buffer (the process exits 0, every call in flight is lost) and
 * drops malformed messages without an answer.
 *
 * Here a line over the limit is discarded as it streams by (never buffered whole) and refused with a JSON-RPC
 * error carrying its id when one can be found; malformed lines are answered as JSON-RPC 2.0 says
 * (jsonrpc-inbound.ts); and no line is written that a client could not read. Everything else behaves like the
 * SDK's transport: newline-delimited JSON, stdout backpressure, closing when stdin ends.
 */
import type { Readable, Writable } from "node:stream";
import {
  isJSONRPCErrorResponse,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  ProtocolErrorCode,
  type Transport,
} from "@modelcontextprotocol/server";
import { classifyLine, type ErrorReply, oversizedReply, TopLevelIdScanner } from "./jsonrpc-inbound.js";
import { log } from "./log.js";
import { MAX_MESSAGE_BYTES } from "./result-size.js";

/** The largest message read: far above any real tool call here, far below what could exhaust memory. */
export const MAX_INBOUND_MESSAGE_BYTES = 4 * 1024 * 1024;

export interface BoundedStdioOptions {
  readonly input?: Readable;
  readonly output?: Writable;
  readonly maxInboundBytes?: number;
  readonly maxOutboundBytes?: number;
}

const NEWLINE = 0x0a;

export class BoundedStdioTransport implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: ((message: JSONRPCMessage) => void) | undefined;

  private readonly input: Readable;
  private readonly output: Writable;
  private readonly maxInbound: number;
  private readonly maxOutbound: number;
  private readonly lines: LineSplitter;
  private started = false;
  private closed = false;

  constructor(options: BoundedStdioOptions = {}) {
    this.input = options.input ?? process.stdin;
    this.output = options.output ?? process.stdout;
    this.maxInbound = options.maxInboundBytes ?? MAX_INBOUND_MESSAGE_BYTES;
    this.maxOutbound = options.maxOutboundBytes ?? MAX_MESSAGE_BYTES;
    this.lines = new LineSplitter(
      this.maxInbound,
      (line) => this.onLine(line),
      (bytes, id) => this.onOversized(bytes, id),
    );
  }

  async start(): Promise<void> {
    if (this.started) {
      throw new Error("BoundedStdioTransport already started");
    }
    this.started = true;
    if (this.input.readableEnded || this.input.destroyed) {
      setImmediate(this.onInputEnd);
    }
    this.input.on("data", this.onData);
    this.input.on("error", this.onInputError);
    this.input.on("end", this.onInputEnd);
    this.input.on("close", this.onInputEnd);
    this.output.on("error", this.onOutputError);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) {
      throw new Error("BoundedStdioTransport is closed");
    }
    let line = `${JSON.stringify(message)}\n`;
    if (Buffer.byteLength(line) > this.maxOutbound) {
      const replacement = this.replacementFor(message, Buffer.byteLength(line));
      if (replacement === undefined) {
        return;
      }
      line = `${JSON.stringify(replacement)}\n`;
    }
    await this.write(line);
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.input.off("data", this.onData);
    this.input.off("error", this.onInputError);
    this.input.off("end", this.onInputEnd);
    this.input.off("close", this.onInputEnd);
    // Late write failures after close are of no interest; keep one listener so they cannot crash the process.
    this.output.off("error", this.onOutputError);
    this.output.on("error", () => undefined);
    if (this.input.listenerCount("data") === 0) {
      this.input.pause();
    }
    this.onclose?.();
  }

  private readonly onData = (chunk: Buffer | string): void => {
    this.lines.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk);
  };

  private readonly onInputError = (error: Error): void => {
    this.onerror?.(error);
  };

  private readonly onInputEnd = (): void => {
    void this.close().catch(() => undefined);
  };

  private readonly onOutputError = (error: Error): void => {
    if (this.closed) {
      return;
    }
    this.onerror?.(error);
    void this.close().catch(() => undefined);
  };

  private onLine(line: Buffer): void {
    if (this.closed) {
      return;
    }
    const inbound = classifyLine(line.toString("utf8").replace(/\r$/, ""));
    if (inbound.kind === "message") {
      try {
        this.onmessage?.(inbound.message);
      } catch (error) {
        this.onerror?.(error instanceof Error ? error : new Error(String(error)));
      }
      return;
    }
    if (inbound.kind === "ignore" && inbound.blank === true) {
      return;
    }
    log("warn", "refused a client message", { why: inbound.why });
    if (inbound.kind === "reply") {
      this.reply(inbound.reply);
    }
  }

  private onOversized(bytes: number, id: string | number | undefined): void {
    if (this.closed) {
      return;
    }
    log("warn", "refused a client message", { why: "too large", bytes, limit: this.maxInbound });
    this.reply(oversizedReply(id, bytes, this.maxInbound));
  }

  private reply(reply: ErrorReply | ErrorReply[]): void {
    this.write(`${JSON.stringify(reply)}\n`).catch((error: unknown) => {
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    });
  }

  /** A response too large to send becomes an error for the same request; anything else is dropped. */
  private replacementFor(message: JSONRPCMessage, bytes: number): JSONRPCMessage | undefined {
    const problem = `a ${bytes}-byte message, more than the ${this.maxOutbound} bytes a client reads in one message`;
    if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) {
      if (message.id !== undefined) {
        log("warn", "refused to send an oversized response", { bytes, limit: this.maxOutbound });
        return {
          jsonrpc: "2.0",
          id: message.id,
          error: {
            code: ProtocolErrorCode.InternalError,
            message: `Internal error: the answer would be ${problem}`,
          },
        };
      }
    }
    this.onerror?.(new Error(`dropped ${problem}`));
    return undefined;
  }

  /** Writes one line, waiting for stdout to drain when it asks to. */
  private write(line: string): Promise<void> {
    if (this.closed) {
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) {
          return;
        }
        settled = true;
        this.output.off("error", onError);
        this.output.off("drain", onDrain);
        if (error === undefined) {
          resolve();
        } else {
          reject(error);
        }
      };
      const onError = (error: Error) => settle(error);
      const onDrain = () => settle();
      this.output.once("error", onError);
      if (this.output.write(line)) {
        settle();
      } else {
        this.output.once("drain", onDrain);
      }
    });
  }
}

/**
 * Newline-delimited framing with a per-line limit. A line that grows past the limit is not kept: its bytes
 * only pass through an id scanner until its newline, and it is then reported with its size.
 */
export class LineSplitter {
  private chunks: Buffer[] = [];
  private size = 0;
  private oversized: { scanner: TopLevelIdScanner; bytes: number } | undefined;

  constructor(
    private readonly maxBytes: number,
    private readonly onLine: (line: Buffer) => void,
    private readonly onOversized: (bytes: number, id: string | number | undefined) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start <= chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      const piece = chunk.subarray(start, end);
      if (this.oversized !== undefined) {
        this.oversized.scanner.feed(piece);
        this.oversized.bytes += piece.length;
      } else if (this.size + piece.length > this.maxBytes) {
        const scanner = new TopLevelIdScanner();
        for (const kept of this.chunks) {
          scanner.feed(kept);
        }
        scanner.feed(piece);
        this.oversized = { scanner, bytes: this.size + piece.length };
        this.chunks = [];
        this.size = 0;
      } else if (piece.length > 0) {
        this.chunks.push(piece);
        this.size += piece.length;
      }
      if (newline === -1) {
        return;
      }
      this.endLine();
      start = newline + 1;
    }
  }

  private endLine(): void {
    const oversized = this.oversized;
    if (oversized !== undefined) {
      this.oversized = undefined;
      this.onOversized(oversized.bytes, oversized.scanner.id());
      return;
    }
    const line =
      this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    this.size = 0;
    this.onLine(line);
  }
}
