/**
 * Record mode: `npm run record -- <provider> <tool> --args '<json>' --case <name>`
 *
 * Calls the real server configured in the environment (the same variables `rooms-mcp` reads) through a
 * recording proxy on 127.0.0.1, and writes test/fixtures/<provider>/<tool>/<case>.json with every exchange
 * and the tool's result, ready for the fixture runner. Secrets never reach the file: the Authorization
 * header is dropped (for LiveKit only the token's grant is kept), and every configured credential value
 * is replaced wherever it appears.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { decodeJwt } from "jose";
import type { Env } from "../src/config.js";
import { hmsOperations } from "../src/generated/hms/operations.js";
import { collectSecrets } from "../src/providers/hms/redact.js";
import { secretScrubber } from "../src/secrets.js";
import { createRoomsServer } from "../src/server.js";
import { assembleTools, type ProviderName } from "../src/toolsets.js";

/** How to point a provider at the recording proxy, and what of its requests to keep. */
interface RecordTarget {
  /** The environment variable holding the upstream URL, and its default. */
  readonly urlVariable: string;
  readonly defaultUrl: string;
  /** Environment variables whose values are secrets. */
  readonly secretVariables: readonly string[];
  /** Extra request facts worth keeping (LiveKit: the grant inside the token). */
  describeAuth?(authorization: string | undefined): Record<string, unknown>;
  /** Request body fields that differ on every call (the runner then only checks they are present). */
  readonly volatileFields?: readonly string[];
  /** Secret values an exchange carries by the provider's spec (100ms: `x-sensitive` storage credentials). */
  sensitiveValues?(exchange: Exchange): string[];
}

const TARGETS: Readonly<Record<ProviderName, RecordTarget>> = {
  livekit: {
    urlVariable: "LIVEKIT_URL",
    defaultUrl: "http://localhost:7880",
    secretVariables: ["LIVEKIT_API_SECRET"],
    volatileFields: ["nonce"],
    describeAuth(authorization) {
      const token = authorization?.replace(/^Bearer /, "") ?? "";
      if (token === "") {
        return {};
      }
      const { video } = decodeJwt(token);
      return video === undefined ? {} : { grant: video };
    },
  },
  "100ms": {
    urlVariable: "HMS_API_URL",
    defaultUrl: "https://api.100ms.live/v2",
    secretVariables: ["HMS_MANAGEMENT_TOKEN", "HMS_SECRET"],
    sensitiveValues({ request, response }) {
      const operation = hmsOperationOf(request.method, request.path);
      if (operation === undefined) {
        return [];
      }
      return [
        ...collectSecrets(request.body, operation.sensitiveArgumentPaths),
        ...collectSecrets(response.body, operation.sensitivePaths),
      ];
    },
  },
};

export interface RecordOptions {
  readonly provider: ProviderName;
  readonly tool: string;
  readonly args: Record<string, unknown>;
  readonly caseName: string;
  readonly description?: string;
  readonly env: Env;
  /** Where fixtures go (default test/fixtures). */
  readonly fixturesDir?: string;
}

interface Exchange {
  request: { method: string; path: string; body?: unknown } & Record<string, unknown>;
  response: { status: number; body?: unknown; contentType?: string };
}

/** Records one tool call and writes its fixture; returns the file's path. */
export async function record(options: RecordOptions): Promise<string> {
  const target = TARGETS[options.provider];
  const upstream = new URL(toHttp(options.env[target.urlVariable] ?? target.defaultUrl));
  const secrets = target.secretVariables
    .map((name) => options.env[name] ?? "")
    .filter((value) => value.length >= 4);
  const exchanges: Exchange[] = [];

  const proxy = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const forwarded = await fetch(new URL(req.url ?? "/", upstream.origin), {
        method: req.method ?? "GET",
        headers: forwardHeaders(req),
        ...(body.length > 0 ? { body } : {}),
      });
      const responseBytes = Buffer.from(await forwarded.arrayBuffer());
      const contentType = forwarded.headers.get("content-type") ?? "";
      const requestBody =
        body.length > 0 ? (JSON.parse(body.toString("utf8")) as Record<string, unknown>) : undefined;
      const volatile = (target.volatileFields ?? []).filter(
        (field) => requestBody !== undefined && field in requestBody,
      );
      exchanges.push({
        request: {
          method: req.method ?? "GET",
          path: (req.url ?? "/").slice(upstream.pathname.replace(/\/$/, "").length) || "/",
          ...(requestBody !== undefined ? { body: requestBody } : {}),
          ...target.describeAuth?.(req.headers.authorization),
          ...(volatile.length > 0 ? { anyValue: volatile } : {}),
        },
        response: {
          status: forwarded.status,
          ...(responseBytes.length > 0
            ? { body: decodeBody(responseBytes.toString("utf8"), contentType) }
            : {}),
          ...(contentType.startsWith("application/json") ? {} : { contentType }),
        },
      });
      res.writeHead(forwarded.status, { "content-type": contentType }).end(responseBytes);
    } catch (error) {
      res.writeHead(502, { "content-type": "text/plain" }).end(`record proxy: ${String(error)}`);
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as AddressInfo;
  const proxied = `http://127.0.0.1:${port}${upstream.pathname.replace(/\/$/, "")}`;

  try {
    const { tools } = assembleTools({ ...options.env, [target.urlVariable]: proxied }, options.provider);
    const server = createRoomsServer({ name: "rooms-mcp-record", version: "0" }, tools, secrets);
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: "rooms-mcp-record", version: "0" });
    await server.connect(serverTransport);
    await client.connect(clientTransport);
    const result = await client.callTool({ name: options.tool, arguments: options.args });
    await client.close();
    await server.close();

    const text = (result.content as { text?: string }[])[0]?.text ?? "";
    const fixture = {
      description: options.description ?? `Recorded from ${upstream.host}.`,
      arguments: options.args,
      exchanges,
      result: result.isError
        ? { isError: true, textIncludes: [text] }
        : { isError: false, structuredContent: result.structuredContent },
    };
    // One scrub over the whole file: configured credentials, anything the spec marks sensitive, and tokens.
    const sensitive = [...secrets, ...exchanges.flatMap((e) => target.sensitiveValues?.(e) ?? [])];
    const scrubbed = secretScrubber(sensitive, 4)(JSON.stringify(fixture, null, 2));
    const dir = join(options.fixturesDir ?? join("test", "fixtures"), options.provider, options.tool);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${options.caseName}.json`);
    writeFileSync(file, `${scrubbed}\n`);
    return file;
  } finally {
    proxy.closeAllConnections();
    proxy.close();
  }
}

/** The 100ms operation a recorded request was for (path below the base URL, query ignored). */
function hmsOperationOf(method: string, path: string) {
  const bare = path.split("?")[0] ?? "";
  return Object.values(hmsOperations).find(
    (op) =>
      op.method.toUpperCase() === method.toUpperCase() &&
      new RegExp(`^${op.path.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(bare),
  );
}

/** LiveKit URLs may be ws(s)://; the proxy speaks HTTP to the same host. */
function toHttp(url: string): string {
  return url.replace(/^ws(s?):\/\//, "http$1://");
}

function forwardHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ["authorization", "content-type", "accept", "x-twirp-timeout-ms"]) {
    const value = req.headers[name];
    if (typeof value === "string") {
      headers[name] = value;
    }
  }
  return headers;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function decodeBody(text: string, contentType: string): unknown {
  if (!contentType.startsWith("application/json")) {
    return text;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parseArgs(argv: readonly string[]): RecordOptions {
  const [provider, tool] = argv;
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  const caseName = flag("--case");
  if ((provider !== "livekit" && provider !== "100ms") || !tool || !caseName) {
    throw new Error(
      "usage: npm run record -- <livekit|100ms> <tool> --args '<json>' --case <name> [--description <text>]",
    );
  }
  const description = flag("--description");
  return {
    provider,
    tool,
    args: JSON.parse(flag("--args") ?? "{}") as Record<string, unknown>,
    caseName,
    ...(description === undefined ? {} : { description }),
    env: process.env,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const file = await record(parseArgs(process.argv.slice(2)));
    process.stderr.write(`wrote ${file}; review it, then run npm test\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
