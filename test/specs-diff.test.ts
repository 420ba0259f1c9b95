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

/**
 * What 1.44.0 lacks that specs/livekit has (it has everything else, and nothing we lack but egress and a
 * request of a deleted RPC), in the report's order; checked against the package's typings (e.g. 1.44.0 has no
 * StartEgressRequest, no TransferSIPParticipantResponse, no SIP media settings, and no deprecation marks on
 * media_encryption).
 */
const KNOWN_1_44_DIFFERENCES = [
  "breaking: enum livekit.DisconnectReason.AGENT_ERROR: in spec only",
  "breaking: enum livekit.EncodingOptionsPreset.PASSTHROUGH: in spec only",
  "breaking: enum livekit.ParticipantInfo.KindDetail.SIMULATION: in spec only",
  "breaking: enum livekit.StreamProtocol.WEBSOCKET: in spec only",
  "breaking: field livekit.AgentDispatch.attributes: in spec only",
  "breaking: field livekit.AgentDispatch.deployment: in spec only",
  "breaking: field livekit.AgentDispatch.restart_policy: in spec only",
  "breaking: field livekit.CreateAgentDispatchRequest.attributes: in spec only",
  "breaking: field livekit.CreateAgentDispatchRequest.deployment: in spec only",
  "breaking: field livekit.CreateAgentDispatchRequest.restart_policy: in spec only",
  "breaking: field livekit.CreateRoomRequest.tags: in spec only",
  "breaking: field livekit.CreateSIPParticipantRequest.media: in spec only",
  "breaking: field livekit.CreateSIPParticipantRequest.sip_from_header: in spec only",
  "breaking: field livekit.CreateSIPParticipantRequest.sip_request_uri: in spec only",
  "breaking: field livekit.CreateSIPParticipantRequest.sip_to_header: in spec only",
  "breaking: field livekit.CreateSIPParticipantRequest.to_user_override: in spec only",
  "breaking: field livekit.DataTrackInfo.frame_encoding: in spec only",
  "breaking: field livekit.DataTrackInfo.schema: in spec only",
  "breaking: field livekit.EgressInfo.egress: in spec only",
  "breaking: field livekit.EgressInfo.replay: in spec only",
  "breaking: field livekit.EgressInfo.retry_count: in spec only",
  "breaking: field livekit.Job.attributes: in spec only",
  "breaking: field livekit.Job.deployment: in spec only",
  "breaking: field livekit.Job.enable_redaction: in spec only",
  "breaking: field livekit.ListEgressRequest.page_token: in spec only",
  "breaking: field livekit.ListEgressResponse.next_page_token: in spec only",
  "breaking: field livekit.ListIngressRequest.page_token: in spec only",
  "breaking: field livekit.ListIngressResponse.next_page_token: in spec only",
  "breaking: field livekit.ParticipantInfo.capabilities: in spec only",
  "breaking: field livekit.ParticipantInfo.client_protocol: in spec only",
  "breaking: field livekit.ParticipantPermission.can_manage_agent_session: in spec only",
  "breaking: field livekit.RoomAgentDispatch.attributes: in spec only",
  "breaking: field livekit.RoomAgentDispatch.deployment: in spec only",
  "breaking: field livekit.RoomAgentDispatch.restart_policy: in spec only",
  "breaking: field livekit.RoomConfiguration.tags: in spec only",
  "breaking: field livekit.RoomParticipantIdentity.revoke_token_ts: in spec only",
  "breaking: field livekit.SIPDispatchRuleIndividual.no_randomness: in spec only",
  "breaking: field livekit.SIPDispatchRuleInfo.created_at: in spec only",
  "breaking: field livekit.SIPDispatchRuleInfo.media: in spec only",
  "breaking: field livekit.SIPDispatchRuleInfo.updated_at: in spec only",
  "breaking: field livekit.SIPDispatchRuleUpdate.media: in spec only",
  "breaking: field livekit.SIPInboundTrunkInfo.auth_realm: in spec only",
  "breaking: field livekit.SIPInboundTrunkInfo.created_at: in spec only",
  "breaking: field livekit.SIPInboundTrunkInfo.media: in spec only",
  "breaking: field livekit.SIPInboundTrunkInfo.updated_at: in spec only",
  "breaking: field livekit.SIPInboundTrunkUpdate.auth_realm: in spec only",
  "breaking: field livekit.SIPInboundTrunkUpdate.media: in spec only",
  "breaking: field livekit.SIPOutboundConfig.from_host: in spec only",
  "breaking: field livekit.SIPOutboundTrunkInfo.created_at: in spec only",
  "breaking: field livekit.SIPOutboundTrunkInfo.from_host: in spec only",
  "breaking: field livekit.SIPOutboundTrunkInfo.media: in spec only",
  "breaking: field livekit.SIPOutboundTrunkInfo.updated_at: in spec only",
  "breaking: field livekit.SIPOutboundTrunkUpdate.from_host: in spec only",
  "breaking: field livekit.SIPOutboundTrunkUpdate.media: in spec only",
  "breaking: field livekit.TrackInfo.packet_trailer_features: in spec only",
  "breaking: field livekit.WebhookEvent.job: in spec only",
  "breaking: field livekit.WebhookEvent.room_end_reason: in spec only",
  "breaking: message google.protobuf.Timestamp: in spec only",
  "breaking: message livekit.AudioConfig: in spec only",
  "breaking: message livekit.AudioRoute: in spec only",
  "breaking: message livekit.DataTrackFrameEncoding: in spec only",
  "breaking: message livekit.DataTrackSchemaEncoding: in spec only",
  "breaking: message livekit.DataTrackSchemaId: in spec only",
  "breaking: message livekit.ExportReplayRequest: in spec only",
  "breaking: message livekit.FileOutput: in spec only",
  "breaking: message livekit.MediaSource: in spec only",
  "breaking: message livekit.Output: in spec only",
  "breaking: message livekit.ParticipantVideo: in spec only",
  "breaking: message livekit.SIPCodec: in spec only",
  "breaking: message livekit.SIPMediaConfig: in spec only",
  "breaking: message livekit.SIPNamedDest: in spec only",
  "breaking: message livekit.SIPRequestDest: in spec only",
  "breaking: message livekit.SIPStatus: in spec only",
  "breaking: message livekit.SIPUri: in spec only",
  "breaking: message livekit.StartEgressRequest: in spec only",
  "breaking: message livekit.StorageConfig: in spec only",
  "breaking: message livekit.TemplateSource: in spec only",
  "breaking: message livekit.TokenPagination: in spec only",
  "breaking: message livekit.TransferSIPParticipantResponse: in spec only",
  "breaking: message livekit.WebSource: in spec only",
  "additive: field livekit.CreateRoomRequest.egress: in upstream only (6, message livekit.RoomEgress)",
  "additive: field livekit.CreateSIPParticipantRequest.media_encryption: deprecated in spec only",
  "additive: field livekit.EncodingOptions.audio_quality: deprecated in spec only",
  "additive: field livekit.EncodingOptions.video_quality: deprecated in spec only",
  "additive: field livekit.SIPDispatchRuleInfo.media_encryption: deprecated in spec only",
  "additive: field livekit.SIPDispatchRuleUpdate.media_encryption: deprecated in spec only",
  "additive: field livekit.SIPInboundTrunkInfo.media_encryption: deprecated in spec only",
  "additive: field livekit.SIPInboundTrunkUpdate.media_encryption: deprecated in spec only",
  "additive: field livekit.SIPOutboundTrunkInfo.media_encryption: deprecated in spec only",
  "additive: field livekit.SIPOutboundTrunkUpdate.media_encryption: deprecated in spec only",
  "additive: message livekit.CreateSIPTrunkRequest: in upstream only (possible new RPC)",
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
    expect(report.unacknowledged).toHaveLength(KNOWN_1_44_DIFFERENCES.length - 2);
    expect(report.text).toMatch(/### Breaking \(80\)[\s\S]*### Additive \(11\)/);
  });

  it("exits non-zero only on unacknowledged differences", () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "scripts/specs-diff.ts", ...args], {
        encoding: "utf8",
      });
    expect(run([]).status).toBe(0);
    const older = run(["--package", "livekit-protocol-1-44"]);
    expect(older.status).toBe(1);
    expect(older.stdout).toContain("89 unacknowledged difference(s)");
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
