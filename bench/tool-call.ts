/**
 * `npm run bench` — what one tool call costs inside rooms-mcp, measured end to end in process: a real MCP
 * client → the server → the LiveKit client (token signing, Twirp encoding) → a loopback HTTP server that
 * answers with a fixed recorded body → decoding, JSON re-emission, output validation → the client.
 *
 * It prints a Markdown table (latency percentiles, throughput, memory growth) for JSON and binary
 * protobuf on the wire. Numbers depend on the machine; bench/REPORT.md records one run and how to read it.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { create, toBinary, toJsonString } from "@bufbuild/protobuf";
import { ListParticipantsResponseSchema } from "../src/generated/livekit/livekit_room_pb.js";
import { createLiveKitClient } from "../src/providers/livekit/client.js";
import { bindTools } from "../src/tools/define.js";
import { livekitManifest } from "../src/tools/livekit/index.js";
import { connectClient } from "../test/harness/mcp.js";

// Tool-call log lines would dominate the measurement (and the output).
process.env.ROOMS_MCP_LOG_LEVEL = "silent";

const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const WARMUP = 200;
const PARTICIPANTS = 25;

/** A room of 25 participants with an audio and a simulcast video track each: a realistic large answer. */
function roster() {
  return create(ListParticipantsResponseSchema, {
    participants: Array.from({ length: PARTICIPANTS }, (_, i) => ({
      sid: `PA_${i}`,
      identity: `user-${i}`,
      name: `User ${i}`,
      metadata: JSON.stringify({ role: i === 0 ? "host" : "guest" }),
      joinedAt: 1_795_276_800n + BigInt(i),
      attributes: { team: "blue" },
      tracks: [
        { sid: `TR_a${i}`, name: "microphone", mimeType: "audio/opus" },
        {
          sid: `TR_v${i}`,
          name: "camera",
          mimeType: "video/VP8",
          width: 1280,
          height: 720,
          layers: [{ width: 320 }, { width: 640 }, { width: 1280 }],
        },
      ],
    })),
  });
}

async function measure(binary: boolean) {
  const message = roster();
  // What LiveKit's server sends: proto field names, every default emitted.
  const jsonBody = toJsonString(ListParticipantsResponseSchema, message, {
    useProtoFieldName: true,
    alwaysEmitImplicit: true,
  });
  const binaryBody = toBinary(ListParticipantsResponseSchema, message);
  const upstream = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (binary) {
        res.writeHead(200, { "content-type": "application/protobuf" }).end(binaryBody);
      } else {
        res.writeHead(200, { "content-type": "application/json" }).end(jsonBody);
      }
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const { port } = upstream.address() as AddressInfo;
  const client = createLiveKitClient({
    url: `http://127.0.0.1:${port}`,
    apiKey: "bench",
    apiSecret: "bench-secret-bench-secret",
    binary,
  });
  const connected = await connectClient(bindTools(livekitManifest.tools, client));
  const mcp = connected.client;

  const call = async () => {
    const result = await mcp.callTool({ name: "list_participants", arguments: { room: "bench" } });
    if (result.isError) {
      throw new Error(JSON.stringify(result.content));
    }
  };
  for (let i = 0; i < WARMUP; i++) {
    await call();
  }
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const durations: number[] = [];
  const started = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    await call();
    durations.push(performance.now() - t);
  }
  const elapsed = performance.now() - started;
  globalThis.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  await connected.close();
  upstream.close();
  durations.sort((a, b) => a - b);
  const pct = (p: number) =>
    (durations[Math.min(durations.length - 1, Math.floor((p / 100) * durations.length))] ?? 0).toFixed(2);
  return {
    wire: binary ? "binary protobuf" : "JSON",
    bodyBytes: binary ? binaryBody.byteLength : Buffer.byteLength(jsonBody),
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    perSecond: ((CALLS / elapsed) * 1000).toFixed(0),
    heapGrowthKiB: ((heapAfter - heapBefore) / 1024).toFixed(0),
  };
}

const rows = [await measure(false), await measure(true)];
const out = [
  `list_participants (${PARTICIPANTS} participants), ${CALLS} sequential calls after ${WARMUP} warm-up, Node ${process.version}` +
    (globalThis.gc
      ? ", heap measured after forced GC"
      : " (run with --expose-gc for a steadier heap figure)"),
  "",
  "| wire | response body | p50 ms | p95 ms | p99 ms | calls/s | heap growth KiB |",
  "| --- | --- | --- | --- | --- | --- | --- |",
  ...rows.map(
    (r) =>
      `| ${r.wire} | ${r.bodyBytes} B | ${r.p50} | ${r.p95} | ${r.p99} | ${r.perSecond} | ${r.heapGrowthKiB} |`,
  ),
  "",
];
process.stdout.write(out.join("\n"));
