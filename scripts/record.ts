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
import { assembleTools } from "../src/assemble.js";
import type { Env } from "../src/providers/provider.js";
import { type AnyProvider, PROVIDERS, providerByCommand } from "../src/providers/registry.js";
import { secretScrubber } from "../src/secrets.js";
import { connectClient } from "../test/harness/mcp.js";

export interface RecordOptions {
  readonly provider: AnyProvider;
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
  const { provider } = options;
  const target = provider.record;
  const upstream = new URL(toHttp(options.env[target.urlVariable] ?? target.defaultUrl));
  const secrets = provider.environment
    .filter((variable) => variable.secret)
    .map((variable) => options.env[variable.name] ?? "")
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
          ...(await target.describeAuth?.(req.headers.authorization)),
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
    const { tools } = assembleTools({ ...options.env, [target.urlVariable]: proxied }, { only: provider });
    const mcp = await connectClient(tools, secrets);
    const result = await mcp.client.callTool({ name: options.tool, arguments: options.args });
    await mcp.close();

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
    const dir = join(options.fixturesDir ?? join("test", "fixtures"), provider.id, options.tool);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${options.caseName}.json`);
    writeFileSync(file, `${scrubbed}\n`);
    return file;
  } finally {
    proxy.closeAllConnections();
    proxy.close();
  }
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
  const chosen = provider === undefined ? undefined : providerByCommand(provider);
  if (chosen === undefined || !tool || !caseName) {
    const commands = PROVIDERS.map((p) => p.command).join("|");
    throw new Error(
      `usage: npm run record -- <${commands}> <tool> --args '<json>' --case <name> [--description <text>]`,
    );
  }
  const description = flag("--description");
  return {
    provider: chosen,
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
