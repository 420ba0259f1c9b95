/**
 * `boundedRequest` (src/http-request.ts) never throws: what the tool-level fault tests cannot reach (a header
 * Node refuses, a signal already aborted, a refused connection) ends as an outcome saying nothing was sent.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { boundedRequest } from "../src/http-request.js";

const LIMITS = { timeoutMs: 2_000, maxResponseBytes: 1024 };
const init = (headers: Record<string, string> = {}) => ({ method: "POST", headers, body: "{}" });

describe("boundedRequest", () => {
  it("answers a header Node refuses to send as not sent, instead of throwing", async () => {
    const exchange = await boundedRequest(
      new URL("http://127.0.0.1:9/x"),
      init({ authorization: "Bearer a\nb" }),
      LIMITS,
      undefined,
    );
    expect(exchange).toMatchObject({ kind: "network", phase: "headers", delivery: "not_sent" });
  });

  it("sends nothing for a caller that gave up already, and says a refused connection sent nothing", async () => {
    const aborted = AbortSignal.abort();
    expect(await boundedRequest(new URL("http://127.0.0.1:9/x"), init(), LIMITS, aborted)).toEqual({
      kind: "canceled",
      delivery: "not_sent",
    });
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await boundedRequest(new URL(`http://127.0.0.1:${port}/x`), init(), LIMITS, undefined)).toEqual({
      kind: "network",
      phase: "headers",
      delivery: "not_sent",
      reason: "ECONNREFUSED",
    });
  });

  it("stops reading past the byte cap, and answers within the deadline or says which phase it missed", async () => {
    const server = createServer((req, res) => {
      if (req.url === "/big") {
        res.writeHead(200).end("x".repeat(4096));
      } else if (req.url === "/slow-body") {
        res.writeHead(200);
        res.write("partial");
      }
      // /silent: never answers
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const quick = { timeoutMs: 200, maxResponseBytes: 1024 };
    try {
      expect(await boundedRequest(new URL(`${base}/big`), init(), quick, undefined)).toMatchObject({
        kind: "too_large",
        bytes: 4096,
      });
      expect(await boundedRequest(new URL(`${base}/silent`), init(), quick, undefined)).toEqual({
        kind: "timeout",
        phase: "headers",
      });
      expect(await boundedRequest(new URL(`${base}/slow-body`), init(), quick, undefined)).toEqual({
        kind: "timeout",
        phase: "body",
        status: 200,
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
