/**
 * HTTP-mode test helpers: rooms-mcp started in this process (startHttpServer, for the fast tests) or as the
 * built CLI (`node dist/cli.js … --http`, for replicas, conformance and packaging), and a real MCP client
 * over Streamable HTTP in either protocol era.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { request as httpRequest } from "node:http";
import { Client, type ElicitResult, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { parseControl } from "../../src/control/options.js";
import type { AccessEntry } from "../../src/http/access-log.js";
import { parseHttpOptions } from "../../src/http/options.js";
import { buildHttpConfig } from "../../src/http/run.js";
import { type HttpServer, startHttpServer } from "../../src/http/server.js";
import { providerByCommand } from "../../src/providers/registry.js";

export const TEST_TOKEN = "test-bearer-token-0123456789abcdef";
export const TEST_STATE_KEY = "test-state-key-that-is-at-least-32-bytes-long";

export interface InProcessServer {
  readonly url: string;
  readonly http: HttpServer;
  readonly access: AccessEntry[];
  close(): Promise<void>;
}

/**
 * rooms-mcp's HTTP mode in this process, from a command line and environment as the CLI would take them
 * (`--http --port 0` is added).
 */
export async function startInProcess(
  argv: readonly string[],
  env: Record<string, string>,
): Promise<InProcessServer> {
  const control = parseControl(argv, env);
  const http = parseHttpOptions(["--http", "--port", "0", ...control.rest], env);
  const [command] = http.rest;
  const only = command === undefined ? undefined : providerByCommand(command);
  if (http.options === undefined) {
    throw new Error("unreachable: --http was given");
  }
  const { config, events } = await buildHttpConfig({
    options: http.options,
    control: control.options,
    only,
    env,
    info: { name: "rooms-mcp", version: "0.0.0-test" },
  });
  const access: AccessEntry[] = [];
  const server = await startHttpServer({ ...config, accessLog: (entry) => access.push(entry) });
  return {
    url: server.url,
    http: server,
    access,
    close: () => server.close().then(() => events?.close()),
  };
}

export interface ConnectOptions {
  readonly era?: "legacy" | "modern";
  readonly headers?: Record<string, string>;
  /** Elicitation support, answered by this (the person). */
  readonly elicit?: (message: string) => ElicitResult;
  /** Each request's URL: lets one client alternate between replicas. */
  readonly route?: (url: URL) => URL;
}

/** A real MCP client on `${url}${path}`; `headers` go on every request. */
export async function connectHttp(
  base: string,
  path = "/mcp",
  options: ConnectOptions = {},
): Promise<Client> {
  const client = new Client(
    { name: "rooms-mcp-http-tests", version: "0.0.0" },
    {
      ...(options.elicit === undefined ? {} : { capabilities: { elicitation: { form: {} } } }),
      ...(options.era === "modern" ? { versionNegotiation: { mode: { pin: "2026-07-28" } } } : {}),
    },
  );
  const { elicit, route } = options;
  if (elicit !== undefined) {
    client.setRequestHandler("elicitation/create", async (request) => elicit(String(request.params.message)));
  }
  const transport = new StreamableHTTPClientTransport(new URL(`${base}${path}`), {
    requestInit: { headers: options.headers ?? {} },
    ...(route === undefined
      ? {}
      : {
          fetch: (input: string | URL | Request, init?: RequestInit) =>
            fetch(route(new URL(input instanceof Request ? input.url : input)), init),
        }),
  });
  await client.connect(transport);
  return client;
}

export interface SpawnedServer {
  readonly url: string;
  readonly child: ChildProcess;
  stderr(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** The built CLI (`dist/cli.js`, or another bin) in HTTP mode on a free port; resolves once it listens. */
export async function spawnServer(
  args: readonly string[],
  env: Record<string, string>,
  command: readonly string[] = [process.execPath, "dist/cli.js"],
): Promise<SpawnedServer> {
  const [program, ...first] = command as [string, ...string[]];
  const child = spawn(program, [...first, ...args, "--http", "--port", "0"], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let stdout = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`rooms-mcp did not start:\n${stderr}`)), 15_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      const found = /serving on http url="(http:\/\/[^"]+)\/mcp"/.exec(stderr);
      if (found !== null) {
        clearTimeout(timer);
        resolve(found[1] as string);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`rooms-mcp exited (${code}) before listening:\n${stderr}`));
    });
  });
  return {
    url,
    child,
    stderr: () => stderr,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) {
          resolve(child.exitCode);
          return;
        }
        child.once("exit", (code) => {
          if (stdout !== "") {
            // HTTP mode writes nothing to stdout; a test reading this would see why.
            stderr += `\n[stdout] ${stdout}`;
          }
          resolve(code);
        });
        child.kill("SIGTERM");
      }),
  };
}

/**
 * A JSON-RPC POST as a client would send it, for the checks a client library would not make. Sent with
 * node:http, since fetch does not let a test set the Host header.
 */
export async function postMcp(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const payload = typeof body === "string" ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "content-length": String(Buffer.byteLength(payload)),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const out = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (typeof value === "string") {
              out.set(name, value);
            }
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: out,
            text: Buffer.concat(chunks).toString("utf8"),
          });
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

export const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "curl", version: "1" } },
};
