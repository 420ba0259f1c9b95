/**
 * Confirmed destructive actions and the audit log, through the real MCP client in both protocol eras:
 * the person accepts, declines, or cannot be asked; a declined or unaskable call sends nothing; every
 * state-changing call leaves one audit line, and a log that cannot be written stops the call first.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bindProvider } from "../../src/assemble.js";
import { auditLog } from "../../src/control/audit.js";
import type { ConfirmMode } from "../../src/control/confirm.js";
import { livekitProvider } from "../../src/providers/livekit/index.js";
import { TEST_API_KEY, TEST_API_SECRET } from "../harness/livekit-harness.js";
import { connectClient } from "../harness/mcp.js";
import { type ScriptedExchange, startScriptedUpstream } from "../harness/upstream.js";

const DELETE: ScriptedExchange = {
  method: "POST",
  path: "/twirp/livekit.RoomService/DeleteRoom",
  response: { status: 200, body: {} },
};
const ROOM_GONE: ScriptedExchange = {
  ...DELETE,
  response: { status: 404, body: { code: "not_found", msg: "requested room does not exist" } },
};

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function run(options: {
  era: "legacy" | "modern";
  confirm: ConfirmMode;
  answer?: "accept" | "decline" | "cancel";
  script: ScriptedExchange[];
  tool?: string;
  args?: Record<string, unknown>;
  auditPath?: string;
  beforeCall?: () => void;
}) {
  const upstream = await startScriptedUpstream(options.script);
  const client = livekitProvider.createClient({
    url: upstream.baseUrl,
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
  });
  const questions: string[] = [];
  const answer = options.answer;
  const mcp = await connectClient(bindProvider(livekitProvider, client), [TEST_API_SECRET], {
    era: options.era,
    control: { confirm: options.confirm, audit: auditLog(options.auditPath, (t) => t) },
    ...(answer === undefined
      ? {}
      : {
          elicit: (message: string) => {
            questions.push(message);
            return answer === "accept"
              ? { action: "accept", content: { confirm: true } }
              : { action: answer };
          },
        }),
  });
  try {
    options.beforeCall?.();
    const result = await mcp.client.callTool({
      name: options.tool ?? "delete_room",
      arguments: options.args ?? { room: "town-hall", reason: "the event is over" },
    });
    const text = (result.content as { text: string }[])[0]?.text ?? "";
    return {
      result,
      text,
      questions,
      sent: upstream.received.length,
      problems: upstream.problems,
      era: mcp.client.getProtocolEra(),
    };
  } finally {
    await mcp.close();
    await upstream.close();
  }
}

describe.each(["legacy", "modern"] as const)("confirmation, %s era", (era) => {
  it("asks the person, naming the target, and acts once they accept", async () => {
    const outcome = await run({ era, confirm: "auto", answer: "accept", script: [DELETE] });
    expect(outcome.era).toBe(era);
    expect(outcome.questions).toEqual(["Delete room 'town-hall' and disconnect everyone in it."]);
    expect(outcome.result.isError ?? false, outcome.text).toBe(false);
    expect(outcome.sent).toBe(1);
  });

  it.each(["decline", "cancel"] as const)("sends nothing when the person answers %s", async (answer) => {
    const outcome = await run({ era, confirm: "always", answer, script: [] });
    expect(outcome.result.isError).toBe(true);
    expect(outcome.text).toContain("did not confirm");
    expect(outcome.text).toContain("Nothing was sent");
    expect(outcome.sent).toBe(0);
    expect(outcome.problems).toEqual([]);
  });

  it("refuses where the client cannot ask and --confirm is always", async () => {
    const outcome = await run({ era, confirm: "always", script: [] });
    expect(outcome.result.isError).toBe(true);
    expect(outcome.text).toContain("this client cannot ask");
    expect(outcome.sent).toBe(0);
  });

  it("acts without asking where the client cannot ask and --confirm is auto", async () => {
    const outcome = await run({ era, confirm: "auto", script: [DELETE] });
    expect(outcome.result.isError ?? false, outcome.text).toBe(false);
    expect(outcome.sent).toBe(1);
  });

  it("never asks with --confirm never", async () => {
    const outcome = await run({ era, confirm: "never", answer: "decline", script: [DELETE] });
    expect(outcome.questions).toEqual([]);
    expect(outcome.sent).toBe(1);
  });

  it("does not ask before tools that are not destructive, and no argument counts as a yes", async () => {
    const read = await run({
      era,
      confirm: "always",
      answer: "decline",
      tool: "list_rooms",
      args: {},
      script: [
        {
          method: "POST",
          path: "/twirp/livekit.RoomService/ListRooms",
          response: { status: 200, body: { rooms: [] } },
        },
      ],
    });
    expect(read.questions).toEqual([]);
    expect(read.sent).toBe(1);
    const forged = await run({
      era,
      confirm: "always",
      answer: "decline",
      args: { room: "town-hall", confirm: true },
      script: [],
    });
    expect(forged.result.isError).toBe(true);
    expect(forged.sent).toBe(0);
  });
});

describe("audit log", () => {
  const logFile = () => {
    const dir = mkdtempSync(join(tmpdir(), "rooms-mcp-audit-"));
    scratch.push(dir);
    return join(dir, "audit.jsonl");
  };
  const lines = (path: string) =>
    readFileSync(path, "utf8")
      .trim()
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it("writes one owner-only line per state-changing call, with target, reason, outcome and client", async () => {
    const path = logFile();
    await run({ era: "modern", confirm: "auto", answer: "accept", script: [DELETE], auditPath: path });
    await run({ era: "legacy", confirm: "never", script: [ROOM_GONE], auditPath: path });
    await run({
      era: "legacy",
      confirm: "never",
      tool: "list_rooms",
      args: {},
      auditPath: path,
      script: [
        {
          method: "POST",
          path: "/twirp/livekit.RoomService/ListRooms",
          response: { status: 200, body: { rooms: [] } },
        },
      ],
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const [ok, failed, ...rest] = lines(path);
    expect(rest, "reads are not audited").toEqual([]);
    expect(ok).toMatchObject({
      tool: "delete_room",
      provider: "livekit",
      target: { room: "town-hall" },
      arguments: { room: "town-hall", reason: "the event is over" },
      outcome: "ok",
      confirmed: true,
      reason: "the event is over",
      client: { name: "rooms-mcp-tests", version: "0.0.0" },
    });
    expect(typeof ok?.time).toBe("string");
    expect(typeof ok?.duration_ms).toBe("number");
    expect(failed).toMatchObject({ outcome: "error", code: "livekit:not_found", confirmed: false });
  });

  it("records refusals, and keeps payloads and secrets out", async () => {
    const path = logFile();
    await run({ era: "legacy", confirm: "always", answer: "decline", script: [], auditPath: path });
    const payload = "a long message body that should never be copied into an audit log line";
    await run({
      era: "legacy",
      confirm: "never",
      tool: "send_data",
      args: { room: "town-hall", data: payload, topic: TEST_API_SECRET },
      auditPath: path,
      script: [
        { method: "POST", path: "/twirp/livekit.RoomService/SendData", response: { status: 200, body: {} } },
      ],
    });
    const [refused, sent] = lines(path);
    expect(refused).toMatchObject({ outcome: "refused", code: "refused" });
    const text = readFileSync(path, "utf8");
    expect(text).not.toContain(payload);
    expect(sent?.arguments).toMatchObject({ data: `[${Buffer.byteLength(payload)} bytes]` });
  });

  it("fails closed: a log that cannot be written stops the call before anything is sent", async () => {
    const path = logFile();
    const outcome = await run({
      era: "legacy",
      confirm: "never",
      script: [],
      auditPath: path,
      beforeCall: () => {
        rmSync(path);
        mkdirSync(path); // the log path is now a directory: opening it for append fails, even as root
      },
    });
    expect(outcome.result.isError).toBe(true);
    expect(outcome.text).toContain("audit log");
    expect(outcome.sent).toBe(0);
  });
});

describe("an audit line that cannot be written after the call acted", () => {
  it("says the call took effect and must not be repeated, instead of reporting a failure", async () => {
    const upstream = await startScriptedUpstream([DELETE]);
    const client = livekitProvider.createClient({
      url: upstream.baseUrl,
      apiKey: TEST_API_KEY,
      apiSecret: TEST_API_SECRET,
    });
    // The log opens (so the call goes ahead) and then fails to take the line, as a full disk would.
    const audit = {
      destination: "/var/log/rooms-mcp/audit.jsonl",
      begin: () => ({
        write: () => {
          throw new Error("ENOSPC: no space left on device, write");
        },
      }),
    };
    const mcp = await connectClient(bindProvider(livekitProvider, client), [TEST_API_SECRET], {
      control: { confirm: "never", audit },
    });
    try {
      const result = await mcp.client.callTool({ name: "delete_room", arguments: { room: "town-hall" } });
      const text = (result.content as { text: string }[])[0]?.text ?? "";
      expect(upstream.received.length).toBe(1);
      expect(result.isError).toBe(true);
      expect(text).toBe(
        "delete_room took effect, but its audit line could not be written to /var/log/rooms-mcp/audit.jsonl " +
          "(ENOSPC: no space left on device, write): do not repeat the call; tell the operator, who should fix " +
          "the audit log first.",
      );
    } finally {
      await mcp.close();
      await upstream.close();
    }
  });
});
