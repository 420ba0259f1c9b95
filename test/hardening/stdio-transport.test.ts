/**
 * The stdio transport's pieces on in-memory streams (issue 8 items 2, 4 and 12): framing across chunk
 * boundaries, the per-message limit with the id found in a message too large to keep, and the refusal to
 * write a line a client could not read.
 */
import { PassThrough } from "node:stream";
import type { JSONRPCMessage } from "@modelcontextprotocol/server";
import { describe, expect, it } from "vitest";
import { classifyLine, TopLevelIdScanner } from "../../src/jsonrpc-inbound.js";
import { BoundedStdioTransport, LineSplitter } from "../../src/stdio.js";

function split(limit: number, chunks: readonly Buffer[]) {
  const lines: string[] = [];
  const oversized: { bytes: number; id: string | number | undefined }[] = [];
  const splitter = new LineSplitter(
    limit,
    (line) => lines.push(line.toString("utf8")),
    (bytes, id) => oversized.push({ bytes, id }),
  );
  for (const chunk of chunks) {
    splitter.push(chunk);
  }
  return { lines, oversized };
}

describe("framing", () => {
  it("splits lines the same wherever the chunks break", () => {
    const text = '{"a":1}\n{"b":"é"}\n\n{"c":[1,2]}\n';
    const bytes = Buffer.from(text, "utf8");
    for (let at = 0; at <= bytes.length; at++) {
      const { lines } = split(1024, [bytes.subarray(0, at), bytes.subarray(at)]);
      expect(lines, `split at ${at}`).toEqual(['{"a":1}', '{"b":"é"}', "", '{"c":[1,2]}']);
    }
  });

  it("reports a line over the limit with its size and the id found anywhere in it, then goes on", () => {
    const head = Buffer.from('{"jsonrpc":"2.0","method":"tools/call","params":{"x":"');
    const tail = Buffer.from('"},"id":"call-7"}\n{"ok":true}\n');
    const { lines, oversized } = split(64, [head, Buffer.alloc(1000, 0x61), tail]);
    expect(oversized).toEqual([{ bytes: head.length + 1000 + tail.indexOf(0x0a), id: "call-7" }]);
    expect(lines).toEqual(['{"ok":true}']);
  });
});

describe("TopLevelIdScanner", () => {
  const idOf = (json: string) => {
    const scanner = new TopLevelIdScanner();
    for (const byte of Buffer.from(json)) {
      scanner.feed(Buffer.from([byte]));
    }
    return scanner.id();
  };

  it("finds only the top-level id, whatever comes before it", () => {
    expect(idOf('{"id":42,"method":"x"}')).toBe(42);
    expect(idOf('{"params":{"id":1,"s":"\\"id\\":2"},"id":"top"}')).toBe("top");
    expect(idOf('{"method":"x","params":{"id":5}}')).toBeUndefined();
    expect(idOf('{"id":1.5}')).toBeUndefined();
    expect(idOf('{"id":null}')).toBeUndefined();
    expect(idOf('[{"id":1}]')).toBeUndefined();
    expect(idOf('{"\\u0069d":9}')).toBe(9);
  });
});

describe("classifyLine answers what the SDK would drop", () => {
  it("names the JSON-RPC error for each", () => {
    const reply = (line: string) => {
      const inbound = classifyLine(line);
      return inbound.kind === "reply" ? inbound.reply : inbound.kind;
    };
    expect(reply('{"jsonrpc":"2.0","id":1,"method":"ping"}')).toBe("message");
    expect(reply("{")).toMatchObject({ id: null, error: { code: -32700 } });
    expect(reply('{"jsonrpc":"2.0","id":3,"method":"ping","params":null}')).toMatchObject({
      id: 3,
      error: { code: -32600 },
    });
    expect(reply('{"jsonrpc":"2.0","id":{},"method":"ping"}')).toMatchObject({ id: null });
    expect(reply('[{"jsonrpc":"2.0","method":"n"}]')).toBe("ignore");
    expect(reply('{"jsonrpc":"2.0","id":4,"result":{},"extra":1}')).toBe("ignore");
    expect(reply("   ")).toBe("ignore");
  });
});

describe("BoundedStdioTransport", () => {
  function wired(maxOutboundBytes?: number) {
    const input = new PassThrough();
    const output = new PassThrough();
    const written: string[] = [];
    output.on("data", (chunk: Buffer) => written.push(...chunk.toString("utf8").split("\n").filter(Boolean)));
    const transport = new BoundedStdioTransport({
      input,
      output,
      maxInboundBytes: 1024,
      ...(maxOutboundBytes === undefined ? {} : { maxOutboundBytes }),
    });
    const received: JSONRPCMessage[] = [];
    transport.onmessage = (message) => received.push(message);
    return { input, transport, written, received };
  }
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it("delivers valid messages, refuses an oversized one with its id, and closes when stdin ends", async () => {
    const { input, transport, written, received } = wired();
    let closed = false;
    transport.onclose = () => {
      closed = true;
    };
    await transport.start();
    input.write('{"jsonrpc":"2.0","id":1,"method":"ping"}\n');
    input.write(`{"jsonrpc":"2.0","id":2,"method":"ping","params":{"pad":"${"x".repeat(5000)}"}}\n`);
    input.write('{"jsonrpc":"2.0","id":3,"method":"ping"}\n');
    await tick();
    expect(received.map((m) => (m as { id: number }).id)).toEqual([1, 3]);
    expect(written.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ id: 2, error: expect.objectContaining({ code: -32600 }) }),
    ]);
    input.end();
    await tick();
    expect(closed).toBe(true);
  });

  it("never writes a line over the limit: an oversized response becomes an error for the same request", async () => {
    const { transport, written } = wired(64 * 1024);
    await transport.start();
    await transport.send({ jsonrpc: "2.0", id: 7, result: { pad: "x".repeat(100 * 1024) } });
    await transport.send({ jsonrpc: "2.0", id: 8, result: {} });
    expect(written.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ id: 7, error: expect.objectContaining({ code: -32603 }) }),
      { jsonrpc: "2.0", id: 8, result: {} },
    ]);
    expect(Math.max(...written.map((line) => line.length))).toBeLessThan(1024);
    await transport.close();
  });
});
