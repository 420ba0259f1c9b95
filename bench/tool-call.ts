/**
 * `npm run bench` — rooms-mcp against two servers written on the same MCP SDK, each a separate process
 * over stdio, as clients run them:
 *
 * - cold start (spawn → tools/list answered) and peak RSS, against a one-tool server;
 * - a page of list_participants from a 5,000-participant room, and list_rooms on 10 rooms, against a floor
 *   server whose one tool fetches the same answer from the same loopback LiveKit, parses it and returns
 *   it whole: time per call and peak RSS. rooms-mcp runs with JSON and with binary protobuf on the wire.
 *
 * Everything is compiled first (tsc, the shipped build's settings) so no TypeScript loader is measured;
 * with esbuild at hand, bundled builds of rooms-mcp and the one-tool server are measured too. It prints
 * a Markdown report (bench/REPORT.md records one run and how to read it). BENCH_RUNS and BENCH_CALLS
 * change the repetitions.
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DEFAULT_MAX_RESULT_BYTES } from "../src/tools/budget.js";
import { participantsAnswer } from "./room.js";
import { handshake, spawnServer } from "./rpc-client.js";
import { startUpstream } from "./upstream.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const CALLS = Number(process.env.BENCH_CALLS ?? 15);
/** list_rooms: this many rounds of 2 × CALLS calls per server, in alternation. */
const ROOM_ROUNDS = Number(process.env.BENCH_ROOM_ROUNDS ?? 10);
const PARTICIPANTS = 5000;
const ROOM = "bench";
const ROOMS = Array.from({ length: 10 }, (_, i) => (i === 0 ? ROOM : `room-${i}`));
const ROOT = resolve(import.meta.dirname, "..");

const LIVEKIT_ENV = {
  LIVEKIT_API_KEY: "APIbench",
  LIVEKIT_API_SECRET: "bench-secret-that-is-long-enough-for-hs256",
};

interface Build {
  readonly cli: string;
  readonly floor: string;
  readonly oneTool: string;
  readonly bundled?: { readonly cli: string; readonly oneTool: string };
}

/** Compiles src/ and bench/servers/ with the shipped build's settings into a scratch directory. */
async function build(dir: string): Promise<Build> {
  const tsc = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "bench/tsconfig.json"), "--outDir", dir],
    { encoding: "utf8" },
  );
  // Type errors are the typecheck's business (npm test); the bench measures whatever was emitted.
  if (!existsSync(join(dir, "src/cli.js"))) {
    throw new Error(`tsc emitted nothing:\n${tsc.stdout}${tsc.stderr}`);
  }
  if (tsc.status !== 0) {
    process.stderr.write(`bench: tsc reported type errors (measuring anyway):\n${tsc.stdout}`);
  }
  // The compiled code finds its package.json (version) one level up, and its dependencies beside it.
  copyFileSync(join(ROOT, "package.json"), join(dir, "package.json"));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  const built: Build = {
    cli: join(dir, "src/cli.js"),
    floor: join(dir, "bench/servers/floor-server.js"),
    oneTool: join(dir, "bench/servers/one-tool-server.js"),
  };
  const bundled = await bundle(dir, built);
  return bundled === undefined ? built : { ...built, bundled };
}

/**
 * Bundled builds, when esbuild is installed (it comes with tsx): what bundling would change. Code splitting
 * keeps each dynamic import its own chunk, so a bundle loads a provider's code on its first call, as the
 * shipped build does.
 */
async function bundle(dir: string, built: Build): Promise<Build["bundled"]> {
  let esbuild: typeof import("esbuild");
  try {
    esbuild = await import("esbuild");
  } catch {
    return undefined;
  }
  const out = join(dir, "bundle");
  await esbuild.build({
    entryPoints: { cli: built.cli, "one-tool": built.oneTool },
    outdir: out,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    logLevel: "silent",
    // CommonJS dependencies inside an ESM bundle need a require.
    banner: {
      js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
    },
  });
  return { cli: join(out, "cli.mjs"), oneTool: join(out, "one-tool.mjs") };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

interface Startup {
  readonly ms: number;
  readonly rssMiB: number;
  readonly listBytes: number;
}

/** spawn → initialize → tools/list answered. */
async function coldStart(args: readonly string[], env: Record<string, string>): Promise<Startup> {
  const started = performance.now();
  const server = spawnServer(args, env);
  await handshake(server);
  const list = await server.request("tools/list");
  const ms = performance.now() - started;
  const rssMiB = server.peakRssMiB();
  await server.close();
  return { ms, rssMiB, listBytes: Buffer.byteLength(JSON.stringify(list.message.result)) };
}

interface Calls {
  readonly ms: number;
  /** The server's CPU time per timed call (user + system), mean over the timed calls. */
  readonly cpuMs: number;
  readonly rssMiB: number;
  readonly resultBytes: number;
}

/** Warm-up, then `CALLS` timed calls of one tool in one server process; its peak RSS at the end. */
async function calls(
  args: readonly string[],
  env: Record<string, string>,
  tool: string,
  toolArgs: Record<string, unknown>,
  count = CALLS,
): Promise<Calls> {
  const server = spawnServer(args, env);
  try {
    await handshake(server);
    const durations: number[] = [];
    let resultBytes = 0;
    let cpuAtStart = Number.NaN;
    for (let i = 0; i < 3 + count; i++) {
      if (i === 3) {
        cpuAtStart = server.cpuMs();
      }
      const started = performance.now();
      const answer = await server.request("tools/call", { name: tool, arguments: toolArgs });
      const ms = performance.now() - started;
      const result = answer.message.result as
        | { isError?: boolean; content?: { text?: string }[] }
        | undefined;
      if (result === undefined || result.isError === true) {
        throw new Error(`${tool} failed: ${JSON.stringify(answer.message).slice(0, 500)}`);
      }
      resultBytes = Buffer.byteLength(result.content?.[0]?.text ?? "");
      if (i >= 3) {
        durations.push(ms);
      }
    }
    const cpuMs = (server.cpuMs() - cpuAtStart) / count;
    return { ms: median(durations), cpuMs, rssMiB: server.peakRssMiB(), resultBytes };
  } finally {
    await server.close();
  }
}

/**
 * Several servers measured in alternation: `rounds` times, each server makes `perRound` calls in turn, so
 * a busy moment of the machine falls on all of them alike. Medians over every timed call.
 */
async function interleavedCalls(
  rows: Readonly<
    Record<string, { args: readonly string[]; env: Record<string, string>; tool: string; toolArgs: object }>
  >,
  rounds: number,
  perRound: number,
): Promise<Record<string, Calls>> {
  const running = await Promise.all(
    Object.entries(rows).map(async ([name, row]) => {
      const server = spawnServer(row.args, row.env);
      await handshake(server);
      return { name, row, server, durations: [] as number[], cpu: 0, resultBytes: 0 };
    }),
  );
  try {
    const call = async (entry: (typeof running)[number]) => {
      const started = performance.now();
      const answer = await entry.server.request("tools/call", {
        name: entry.row.tool,
        arguments: entry.row.toolArgs,
      });
      const ms = performance.now() - started;
      const result = answer.message.result as
        | { isError?: boolean; content?: { text?: string }[] }
        | undefined;
      if (result === undefined || result.isError === true) {
        throw new Error(`${entry.row.tool} failed: ${JSON.stringify(answer.message).slice(0, 500)}`);
      }
      entry.resultBytes = Buffer.byteLength(result.content?.[0]?.text ?? "");
      return ms;
    };
    for (const entry of running) {
      for (let i = 0; i < 10; i++) {
        await call(entry);
      }
    }
    for (let round = 0; round < rounds; round++) {
      for (const entry of running) {
        const cpuBefore = entry.server.cpuMs();
        for (let i = 0; i < perRound; i++) {
          entry.durations.push(await call(entry));
        }
        entry.cpu += entry.server.cpuMs() - cpuBefore;
      }
    }
    return Object.fromEntries(
      running.map((e) => [
        e.name,
        {
          ms: median(e.durations),
          cpuMs: e.cpu / e.durations.length,
          rssMiB: e.server.peakRssMiB(),
          resultBytes: e.resultBytes,
        },
      ]),
    );
  } finally {
    await Promise.all(running.map((e) => e.server.close()));
  }
}

/** A measurement, or why the server refused the call (a JSON answer over LIVEKIT_MAX_RESPONSE_BYTES). */
async function refusedOr(measured: Promise<Calls>): Promise<Calls | { readonly refused: string }> {
  try {
    return await measured;
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { refused: /too_large/.test(text) ? "the answer is over the read limit (too_large)" : text };
  }
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
const ratio = (a: number, b: number) => a / b;
const verdict = (value: number, target: number) =>
  `${value.toFixed(2)}× ${value <= target ? "✓" : "✗"} (≤ ${target}×)`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "rooms-mcp-bench-"));
  const out: string[] = [];
  try {
    const built = await build(dir);
    const sdk = JSON.parse(
      readFileSync(join(ROOT, "node_modules/@modelcontextprotocol/server/package.json"), "utf8"),
    ) as { version: string };
    out.push(
      `# rooms-mcp bench, ${new Date().toISOString().slice(0, 10)}`,
      "",
      `Node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), ` +
        `@modelcontextprotocol/server ${sdk.version}; ${RUNS} cold starts and ${CALLS} calls (after 3 warm-up calls) per row, medians.`,
      "",
    );

    // Cold start: interleaved, so that a busy moment of the machine hits every server alike.
    const hmsEnv = { HMS_MANAGEMENT_TOKEN: "bench-management-token" };
    const lkEnv = { ...LIVEKIT_ENV, LIVEKIT_URL: "http://127.0.0.1:9" };
    const startups: Record<string, { args: string[]; env: Record<string, string>; runs: Startup[] }> = {
      "one-tool server": { args: [built.oneTool], env: {}, runs: [] },
      "rooms-mcp livekit": { args: [built.cli, "livekit"], env: lkEnv, runs: [] },
      "rooms-mcp 100ms": { args: [built.cli, "100ms"], env: hmsEnv, runs: [] },
      "rooms-mcp (both providers)": { args: [built.cli], env: { ...lkEnv, ...hmsEnv }, runs: [] },
    };
    if (built.bundled !== undefined) {
      startups["one-tool server, bundled"] = { args: [built.bundled.oneTool], env: {}, runs: [] };
      startups["rooms-mcp livekit, bundled"] = { args: [built.bundled.cli, "livekit"], env: lkEnv, runs: [] };
      startups["rooms-mcp (both), bundled"] = {
        args: [built.bundled.cli],
        env: { ...lkEnv, ...hmsEnv },
        runs: [],
      };
    }
    for (let run = 0; run < RUNS; run++) {
      for (const startup of Object.values(startups)) {
        startup.runs.push(await coldStart(startup.args, startup.env));
      }
    }
    const cold = Object.fromEntries(
      Object.entries(startups).map(([name, s]) => [
        name,
        {
          ms: median(s.runs.map((r) => r.ms)),
          rssMiB: median(s.runs.map((r) => r.rssMiB)),
          listBytes: s.runs[0]?.listBytes ?? 0,
        },
      ]),
    );
    const base = cold["one-tool server"] as Startup;
    const baseBundled = cold["one-tool server, bundled"];
    out.push(
      "## Cold start (spawn → tools/list answered)",
      "",
      "| server | ms | peak RSS MiB | tools/list bytes | time ratio | RSS ratio |",
      "| --- | --- | --- | --- | --- | --- |",
      ...Object.entries(cold).map(([name, s]) => {
        const against = name.endsWith("bundled") && baseBundled !== undefined ? baseBundled : base;
        const isBase = s === against;
        return `| ${name} | ${fmt(s.ms)} | ${fmt(s.rssMiB, 1)} | ${s.listBytes} | ${isBase ? "—" : verdict(ratio(s.ms, against.ms), 1.3)} | ${isBase ? "—" : verdict(ratio(s.rssMiB, against.rssMiB), 1.2)} |`;
      }),
      "",
      "Ratios are against the one-tool server built the same way (bundled rows against the bundled one-tool server).",
      "",
    );

    const participants = participantsAnswer(PARTICIPANTS);
    const upstream = await startUpstream(participants, ROOMS);
    try {
      const ours = (wire: "json" | "protobuf") => ({
        ...LIVEKIT_ENV,
        LIVEKIT_URL: upstream.url,
        LIVEKIT_WIRE_FORMAT: wire,
        // LIVEKIT_MAX_RESPONSE_BYTES is left at its default (32 MiB): a 5,000-participant room is ~10 MB of JSON.
      });
      const floorEnv = { LIVEKIT_URL: upstream.url };
      const page = { room: ROOM };
      const rows = {
        floor: await calls([built.floor], floorEnv, "fetch", { rpc: "ListParticipants", body: page }),
        json: await refusedOr(calls([built.cli, "livekit"], ours("json"), "list_participants", page)),
        binary: await calls([built.cli, "livekit"], ours("protobuf"), "list_participants", page),
      };
      out.push(
        `## A page of list_participants, ${PARTICIPANTS} participants`,
        "",
        `LiveKit's answer: ${participants.json.length} bytes of JSON, ${participants.binary.byteLength} bytes of binary protobuf.`,
        "",
        "| server | ms per call | server CPU ms per call | peak RSS MiB | result text bytes | time ratio | RSS ratio |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        `| floor: fetch, parse, return the whole answer (JSON) | ${fmt(rows.floor.ms)} | ${fmt(rows.floor.cpuMs)} | ${fmt(rows.floor.rssMiB, 1)} | ${rows.floor.resultBytes} | — | — |`,
        ...(["json", "binary"] as const).map((wire) => {
          const r = rows[wire];
          const name = `rooms-mcp, default page, ${wire === "json" ? "JSON" : "binary protobuf"} on the wire`;
          if ("refused" in r) {
            return `| ${name} | refused: ${r.refused} | | | | | |`;
          }
          return `| ${name} | ${fmt(r.ms)} | ${fmt(r.cpuMs)} | ${fmt(r.rssMiB, 1)} | ${r.resultBytes} | ${verdict(ratio(r.ms, rows.floor.ms), 1.5)} | ${verdict(ratio(r.rssMiB, rows.floor.rssMiB), 1.5)} |`;
        }),
        "",
        `Every rooms-mcp result stays under ROOMS_MCP_MAX_RESULT_BYTES (${DEFAULT_MAX_RESULT_BYTES}): ${
          [rows.json, rows.binary].every((r) => "refused" in r || r.resultBytes <= DEFAULT_MAX_RESULT_BYTES)
            ? "yes"
            : "NO"
        }.`,
        "",
      );
      // Calls of ~2 ms are easily moved by anything else on the machine: many, in alternation.
      const roomRows = await interleavedCalls(
        {
          floor: { args: [built.floor], env: floorEnv, tool: "fetch", toolArgs: { rpc: "ListRooms" } },
          json: { args: [built.cli, "livekit"], env: ours("json"), tool: "list_rooms", toolArgs: {} },
          binary: { args: [built.cli, "livekit"], env: ours("protobuf"), tool: "list_rooms", toolArgs: {} },
        },
        ROOM_ROUNDS,
        CALLS * 2,
      );
      out.push(
        `## list_rooms, ${ROOMS.length} rooms`,
        "",
        "| server | ms per call | time ratio | server CPU ms per call | CPU ratio |",
        "| --- | --- | --- | --- | --- |",
        `| floor | ${fmt(roomRows.floor.ms, 2)} | — | ${fmt(roomRows.floor.cpuMs, 2)} | — |`,
        ...(["json", "binary"] as const).map((wire) => {
          const r = roomRows[wire];
          const name = `rooms-mcp, ${wire === "json" ? "JSON" : "binary protobuf"}`;
          return `| ${name} | ${fmt(r.ms, 2)} | ${verdict(ratio(r.ms, roomRows.floor.ms), 1.2)} | ${fmt(r.cpuMs, 2)} | ${ratio(r.cpuMs, roomRows.floor.cpuMs).toFixed(2)}× |`;
        }),
        "",
      );
    } finally {
      await upstream.close();
    }
    process.stdout.write(`${out.join("\n")}\n`);
    if (process.env.BENCH_REPORT !== undefined) {
      writeFileSync(process.env.BENCH_REPORT, `${out.join("\n")}\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
