/**
 * A bare JSON-RPC client over a child's stdio, one message per line, for the bench: it adds nothing to
 * what is measured and has no message-size limit (the SDK's stdio reader refuses lines over 10 MB, which
 * a whole 5,000-participant answer is).
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readFileSync } from "node:fs";

/** Linux's USER_HZ: /proc reports CPU time in these ticks (100 on every common kernel). */
const CLOCK_TICKS_PER_SECOND = 100;

export interface Answer {
  readonly message: { result?: Record<string, unknown>; error?: unknown };
  /** The answer line's size. */
  readonly bytes: number;
}

export interface StdioServer {
  request(method: string, params?: Record<string, unknown>): Promise<Answer>;
  notify(method: string): void;
  /** The process's peak resident set so far (Linux VmHWM), in MiB; NaN elsewhere. */
  peakRssMiB(): number;
  /**
   * CPU time the process has used so far (user + system, Linux /proc/<pid>/stat), in ms; NaN elsewhere.
   * Unlike wall time, other processes on the machine barely change it.
   */
  cpuMs(): number;
  close(): Promise<void>;
}

export function spawnServer(args: readonly string[], env: Record<string, string>): StdioServer {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? "", ROOMS_MCP_LOG_LEVEL: "silent", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const waiting = new Map<number, (answer: Answer) => void>();
  let pending: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => {
    let start = 0;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, start)) {
      const line = Buffer.concat([...pending, chunk.subarray(start, i)]);
      pending = [];
      start = i + 1;
      const message = JSON.parse(line.toString("utf8")) as Answer["message"] & { id?: number };
      if (typeof message.id === "number") {
        waiting.get(message.id)?.({ message, bytes: line.byteLength });
        waiting.delete(message.id);
      }
    }
    if (start < chunk.byteLength) {
      pending.push(chunk.subarray(start));
    }
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const failed = new Map<number, (error: Error) => void>();
  child.once("exit", (code) => {
    for (const reject of failed.values()) {
      reject(new Error(`the server exited (${code}) before answering: ${stderr}`));
    }
  });
  let nextId = 1;
  return {
    request(method, params = {}) {
      const id = nextId++;
      const answer = new Promise<Answer>((resolve, reject) => {
        waiting.set(id, (got) => {
          failed.delete(id);
          resolve(got);
        });
        failed.set(id, reject);
      });
      child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
      return answer;
    },
    notify(method) {
      child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method })}\n`);
    },
    peakRssMiB() {
      try {
        const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        return match === null ? Number.NaN : Number(match[1]) / 1024;
      } catch {
        return Number.NaN;
      }
    },
    cpuMs() {
      try {
        // Fields after the command name (which is in parentheses and may hold spaces): utime is the 12th, stime the 13th.
        const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
      } catch {
        return Number.NaN;
      }
    },
    async close() {
      child.stdin.end();
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** initialize + initialized, as a 2025-era client opens a session. */
export async function handshake(server: StdioServer): Promise<void> {
  await server.request("initialize", {
    protocolVersion: "2025-11-25",
    capabilities: {},
    clientInfo: { name: "rooms-mcp-bench", version: "0.0.0" },
  });
  server.notify("notifications/initialized");
}
