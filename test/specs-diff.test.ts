/**
 * specs:diff against LiveKit's published code: the installed @livekit/protocol (only acknowledged
 * differences), and an older 1.44.0 installed under the alias `livekit-protocol-1-44`, whose differences
 * from our spec were established independently by reading that package's typings.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type Contract, type FieldShape, specContract } from "../scripts/livekit-contract.js";
import {
  compareWithPackage,
  diffContracts,
  matches,
  readAcknowledgements,
  renderSpecsReport,
} from "../scripts/specs-diff.js";

const SOURCES = readFileSync("specs/SOURCES.md", "utf8");

/** What 1.44.0 lacks that specs/livekit has (it has everything else, and nothing we lack but egress). */
const KNOWN_1_44_DIFFERENCES = [
  "breaking: enum livekit.DisconnectReason.AGENT_ERROR: in spec only",
  "breaking: enum livekit.ParticipantInfo.KindDetail.SIMULATION: in spec only",
  "breaking: field livekit.CreateRoomRequest.tags: in spec only",
  "breaking: field livekit.DataTrackInfo.frame_encoding: in spec only",
  "breaking: field livekit.DataTrackInfo.schema: in spec only",
  "breaking: field livekit.ParticipantInfo.capabilities: in spec only",
  "breaking: field livekit.ParticipantInfo.client_protocol: in spec only",
  "breaking: field livekit.ParticipantPermission.can_manage_agent_session: in spec only",
  "breaking: field livekit.RoomAgentDispatch.attributes: in spec only",
  "breaking: field livekit.RoomAgentDispatch.deployment: in spec only",
  "breaking: field livekit.RoomAgentDispatch.restart_policy: in spec only",
  "breaking: field livekit.RoomParticipantIdentity.revoke_token_ts: in spec only",
  "breaking: field livekit.TrackInfo.packet_trailer_features: in spec only",
  "breaking: message livekit.DataTrackFrameEncoding: in spec only",
  "breaking: message livekit.DataTrackSchemaEncoding: in spec only",
  "breaking: message livekit.DataTrackSchemaId: in spec only",
  "additive: field livekit.CreateRoomRequest.egress: in upstream only (6, message livekit.RoomEgress)",
];

describe("specs:diff", () => {
  it("finds only acknowledged differences from the installed @livekit/protocol", async () => {
    const { differences, version } = await compareWithPackage("@livekit/protocol");
    expect(version).toBe("1.52.1");
    const report = renderSpecsReport(differences, readAcknowledgements(SOURCES), "@livekit/protocol");
    expect(report.unacknowledged).toEqual([]);
    expect(report.stale).toEqual([]);
    expect(report.text).toContain("Every difference is acknowledged");
  });

  it("lists exactly the known differences from @livekit/protocol 1.44.0", async () => {
    const { differences, version } = await compareWithPackage("livekit-protocol-1-44");
    expect(version).toBe("1.44.0");
    expect(differences.map((d) => `${d.severity}: ${d.key}`)).toEqual(KNOWN_1_44_DIFFERENCES);
    const report = renderSpecsReport(differences, readAcknowledgements(SOURCES), "1.44.0");
    expect(report.unacknowledged).toHaveLength(KNOWN_1_44_DIFFERENCES.length - 1);
    expect(report.text).toMatch(/### Breaking \(16\)[\s\S]*### Additive \(1\)/);
  });

  it("exits non-zero only on unacknowledged differences", () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "scripts/specs-diff.ts", ...args], {
        encoding: "utf8",
      });
    expect(run([]).status).toBe(0);
    const older = run(["--package", "livekit-protocol-1-44"]);
    expect(older.status).toBe(1);
    expect(older.stdout).toContain("16 unacknowledged difference(s)");
  });

  it("reports JSON name, oneof and packing changes as breaking, deprecation changes as additive", () => {
    const spec = specContract();
    const change = (typeName: string, field: string, patch: Partial<FieldShape>): Contract => {
      const messages = new Map(spec.messages);
      const fields = new Map(messages.get(typeName));
      fields.set(field, { ...(fields.get(field) as FieldShape), ...patch });
      messages.set(typeName, fields);
      return { ...spec, messages };
    };
    const diff = (upstream: Contract) => diffContracts(spec, upstream).map((d) => `${d.severity}: ${d.key}`);
    expect(diff(spec)).toEqual([]);
    expect(diff(change("livekit.Room", "sid", { jsonName: "roomSid" }))).toEqual([
      "breaking: field livekit.Room.sid: json name sid → roomSid",
    ]);
    expect(diff(change("livekit.Room", "sid", { oneof: "id" }))).toEqual([
      "breaking: field livekit.Room.sid: oneof (none) → id",
    ]);
    expect(diff(change("livekit.TrackInfo", "audio_features", { packed: false }))).toEqual([
      "breaking: field livekit.TrackInfo.audio_features: packed true → false",
    ]);
    expect(diff(change("livekit.Room", "metadata", { deprecated: true }))).toEqual([
      "additive: field livekit.Room.metadata: deprecated upstream",
    ]);
    expect(diff(change("livekit.TrackInfo", "stereo", { deprecated: false }))).toEqual([
      "additive: field livekit.TrackInfo.stereo: deprecated in spec only",
    ]);
  });

  it("reads acknowledgements with reasons, matches * within one name, and reports stale ones", () => {
    const acks = readAcknowledgements(
      "```specs-diff-acknowledged\n# comment\nfield livekit.ClientInfo.*: in upstream only — holder only\n```",
    );
    expect(acks).toEqual([
      { pattern: "field livekit.ClientInfo.*: in upstream only", reason: "holder only" },
    ]);
    expect(
      matches(
        acks[0]?.pattern ?? "",
        "field livekit.ClientInfo.sdk: in upstream only (1, enum livekit.ClientInfo.SDK)",
      ),
    ).toBe(true);
    expect(matches(acks[0]?.pattern ?? "", "field livekit.Room.sid: in upstream only")).toBe(false);
    const report = renderSpecsReport([], acks, "x");
    expect(report.stale).toEqual(acks);
  });
});
