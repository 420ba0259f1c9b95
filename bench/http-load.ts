/**
 * A bounded loopback load run of HTTP mode: `rooms-mcp livekit --http` (the built CLI, its own process)
 * against a LiveKit stand-in on 127.0.0.1 that answers ListRooms at once, driven by N real MCP clients
 * calling list_rooms in a loop for S seconds (half 2026-07-28, half 2025-era). Reports throughput, p50/p99
 * of a tool call, errors, the server's peak RSS, and whether every HTTP request was answered exactly once
 * (requests sent by the clients = responses they got = lines in the server's access log).
 *
 *   npm run build && node --import tsx bench/http-load.ts        (LOAD_CLIENTS=128 LOAD_SECONDS=20)
 *
 * Everything stays on loopback and stops by itself after S seconds.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";

const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 128);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 20);
const ERA = process.env.LOAD_ERA ?? "mixed";
const TOKEN = "bench-bearer-token-0123456789abcdef";

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Peak resident set size of a process, from /proc (Linux); undefined elsewhere. */
function peakRssMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** CPU seconds a process has used (user + system), from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name; ticks of 1/100 s.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  let upstreamCalls = 0;
  const upstream = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      upstreamCalls++;
      res.writeHead(200, { "content-type": "application/json" }).end('{"rooms":[]}');
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

  const child: ChildProcess = spawn(process.execPath, ["dist/cli.js", "livekit", "--http", "--port", "0"], {
    env: {
      PATH: process.env.PATH ?? "",
      LIVEKIT_URL: upstreamUrl,
      LIVEKIT_API_KEY: "APIbench",
      LIVEKIT_API_SECRET: "bench-secret-that-is-long-enough-for-hs256",
      ROOMS_MCP_HTTP_TOKENS: TOKEN,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let accessLines = 0;
  let pending = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("server did not start")), 15_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith('{"type":"access"') && line.includes('"path":"/mcp"')) {
          accessLines++;
        }
        const found = /serving on http url="(http:\/\/[^"]+)"/.exec(line);
        if (found !== null) {
          clearTimeout(timer);
          resolve(found[1] as string);
        }
      }
    });
  });

  let httpRequests = 0;
  let httpResponses = 0;
  const counted = async (input: string | URL | Request, init?: RequestInit) => {
    httpRequests++;
    const response = await fetch(input, init);
    httpResponses++;
    return response;
  };
  const latencies: number[] = [];
  let errors = 0;
  const firstErrors: string[] = [];
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, async (_, i) => {
      const client = new Client(
        { name: `bench-${i}`, version: "0" },
        (ERA === "mixed" ? i % 2 === 0 : ERA === "modern")
          ? { versionNegotiation: { mode: { pin: "2026-07-28" } } }
          : {},
      );
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), {
          requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
          fetch: counted,
        }),
      );
      return client;
    }),
  );
  const rssBefore = peakRssMiB(child.pid ?? 0);
  const cpuBefore = cpuSeconds(child.pid ?? 0);
  const loadCpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          const result = await client.callTool({ name: "list_rooms", arguments: {} });
          if (result.isError === true) {
            throw new Error(JSON.stringify(result.content));
          }
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          if (firstErrors.length < 3) {
            firstErrors.push(error instanceof Error ? error.message : String(error));
          }
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const peak = peakRssMiB(child.pid ?? 0);
  const cpuAfter = cpuSeconds(child.pid ?? 0);
  const loadCpu = process.cpuUsage(loadCpuBefore);
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await new Promise((resolve) => setTimeout(resolve, 500));
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  upstream.close();

  const sorted = [...latencies].sort((a, b) => a - b);
  const report = {
    node: process.version,
    clients: CLIENTS,
    seconds: Number(elapsed.toFixed(1)),
    tool_calls: latencies.length,
    calls_per_second: Math.round(latencies.length / elapsed),
    errors,
    p50_ms: Number(percentile(sorted, 50).toFixed(2)),
    p99_ms: Number(percentile(sorted, 99).toFixed(2)),
    max_ms: Number((sorted.at(-1) ?? Number.NaN).toFixed(2)),
    upstream_calls: upstreamCalls,
    http_requests_sent: httpRequests,
    http_responses_received: httpResponses,
    access_log_lines: accessLines,
    answered_exactly_once: httpRequests === httpResponses && httpResponses === accessLines,
    server_rss_mib_after_connect: rssBefore === undefined ? null : Number(rssBefore.toFixed(1)),
    server_peak_rss_mib: peak === undefined ? null : Number(peak.toFixed(1)),
    // Both processes share the machine's cores: how busy each was during the run (1.0 = one core).
    server_cores_busy:
      cpuBefore === undefined || cpuAfter === undefined
        ? null
        : Number(((cpuAfter - cpuBefore) / elapsed).toFixed(2)),
    load_generator_cores_busy: Number(((loadCpu.user + loadCpu.system) / 1e6 / elapsed).toFixed(2)),
    ...(firstErrors.length > 0 ? { first_errors: firstErrors } : {}),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.exitCode = errors === 0 && report.answered_exactly_once ? 0 : 1;
}

await main();
