// Proves specs/livekit is wire-identical to LiveKit's own published generated code (@livekit/protocol,
// protobuf-es v1) for every service in LIVEKIT_SERVICES: first by comparing the contract model of
// scripts/livekit-contract.ts (the one specs:diff and specs:apply use) built from both sides, then by pushing
// filled messages through both implementations in binary and JSON.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  create,
  type DescEnum,
  type DescField,
  type DescFile,
  type DescMessage,
  type DescService,
  equals,
  fromBinary,
  fromJson,
  isFieldSet,
  type JsonValue,
  type Message,
  ScalarType,
  toBinary,
  toJson,
} from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  type Contract,
  type FieldShape,
  type Fields,
  loadUpstreamPackage,
  rootTypeNames,
  specContract,
  upstreamContract,
} from "../../scripts/livekit-contract.js";
import {
  ParticipantInfo_Kind,
  ParticipantInfoSchema,
  TrackSource,
} from "../../src/generated/livekit/livekit_models_pb.js";
import {
  CreateRoomRequestSchema,
  SendDataRequestSchema,
} from "../../src/generated/livekit/livekit_room_pb.js";
import {
  LIVEKIT_EVENT_MESSAGES,
  LIVEKIT_SERVICES,
  methodOfPath,
  rootMessages,
} from "../../src/providers/livekit/services.js";
import { loadFixtures } from "../harness/fixtures.js";

// ---------------------------------------------------------------------------------------------------------------
// Both sides of the comparison, as the one contract model.

const upstream = await loadUpstreamPackage("@livekit/protocol");
const UPSTREAM = `@livekit/protocol ${upstream.version}`;
const ours = specContract();
const theirs = upstreamContract(upstream.module, rootTypeNames(), upstream.declarations);

function fieldsOf(contract: Contract, typeName: string): Fields | undefined {
  return contract.messages.get(typeName) ?? contract.holders.get(typeName);
}

/** Fields sorted by number, so that toEqual shows any difference. */
function byNumber(fields: Fields): [string, FieldShape][] {
  return [...fields].sort(([, a], [, b]) => a.number - b.number);
}

// The v1 classes, for the round trips. @livekit/protocol brings its own v1 runtime, whose types are not
// importable next to our v2 one, so the little we call is described structurally here.
interface TheirMessage {
  toBinary(): Uint8Array;
  toJson(options?: { emitDefaultValues?: boolean; useProtoFieldName?: boolean }): JsonValue;
}
interface TheirMessageType {
  readonly typeName: string;
  new (data?: Record<string, unknown>): TheirMessage;
  fromBinary(bytes: Uint8Array, options?: { readUnknownFields?: boolean }): TheirMessage;
  fromJson(json: JsonValue, options?: { ignoreUnknownFields?: boolean }): TheirMessage;
}

const theirExports = upstream.module;

// "livekit.ParticipantInfo.State" is exported as ParticipantInfo_State.
function theirMessage(typeName: string): TheirMessageType {
  const t = theirExports[typeName.replace(/^livekit\./, "").replaceAll(".", "_")] as
    | TheirMessageType
    | undefined;
  if (t?.typeName !== typeName) {
    throw new Error(`@livekit/protocol has no message ${typeName}`);
  }
  return t;
}

// ---------------------------------------------------------------------------------------------------------------
// Facts that @livekit/protocol does not carry, per service: it ships messages only (services come from a
// separate plugin), so each service's method list is pinned here from upstream's .proto at the commit named in
// specs/SOURCES.md, and cross-checked against the calls of livekit-server-sdk's client for that service.

interface PinnedService {
  /** Upstream's methods in order: name, request type, response type (without the `livekit.` package). */
  readonly methods: readonly (readonly [method: string, input: string, output: string])[];
  /** livekit-server-sdk's client of this service (a file next to its entry point), and its fewest calls. */
  readonly sdkClient?: {
    readonly file: string;
    readonly minCalls: number;
    /** Calls the SDK still makes to RPCs upstream has deleted, each with why it may be missing here. */
    readonly goneUpstream?: Readonly<Record<string, string>>;
  };
}

const PINNED_SERVICES: Readonly<Record<string, PinnedService>> = {
  // livekit/protocol protobufs/livekit_room.proto at d74e7cdb.
  "livekit.RoomService": {
    methods: [
      ["CreateRoom", "CreateRoomRequest", "Room"],
      ["ListRooms", "ListRoomsRequest", "ListRoomsResponse"],
      ["DeleteRoom", "DeleteRoomRequest", "DeleteRoomResponse"],
      ["ListParticipants", "ListParticipantsRequest", "ListParticipantsResponse"],
      ["GetParticipant", "RoomParticipantIdentity", "ParticipantInfo"],
      ["RemoveParticipant", "RoomParticipantIdentity", "RemoveParticipantResponse"],
      ["MutePublishedTrack", "MuteRoomTrackRequest", "MuteRoomTrackResponse"],
      ["UpdateParticipant", "UpdateParticipantRequest", "ParticipantInfo"],
      ["UpdateSubscriptions", "UpdateSubscriptionsRequest", "UpdateSubscriptionsResponse"],
      ["SendData", "SendDataRequest", "SendDataResponse"],
      ["UpdateRoomMetadata", "UpdateRoomMetadataRequest", "Room"],
      ["ForwardParticipant", "ForwardParticipantRequest", "ForwardParticipantResponse"],
      ["MoveParticipant", "MoveParticipantRequest", "MoveParticipantResponse"],
      ["PerformRpc", "PerformRpcRequest", "PerformRpcResponse"],
    ],
    sdkClient: { file: "RoomServiceClient.js", minCalls: 12 },
  },
  // livekit/protocol protobufs/livekit_agent_dispatch.proto at d74e7cdb.
  "livekit.AgentDispatchService": {
    methods: [
      ["CreateDispatch", "CreateAgentDispatchRequest", "AgentDispatch"],
      ["DeleteDispatch", "DeleteAgentDispatchRequest", "AgentDispatch"],
      ["ListDispatch", "ListAgentDispatchRequest", "ListAgentDispatchResponse"],
    ],
    sdkClient: { file: "AgentDispatchClient.js", minCalls: 4 },
  },
  // livekit/protocol protobufs/livekit_egress.proto at d74e7cdb.
  "livekit.Egress": {
    methods: [
      ["StartEgress", "StartEgressRequest", "EgressInfo"],
      ["UpdateLayout", "UpdateLayoutRequest", "EgressInfo"],
      ["UpdateStream", "UpdateStreamRequest", "EgressInfo"],
      ["ListEgress", "ListEgressRequest", "ListEgressResponse"],
      ["StopEgress", "StopEgressRequest", "EgressInfo"],
      ["StartRoomCompositeEgress", "RoomCompositeEgressRequest", "EgressInfo"],
      ["StartWebEgress", "WebEgressRequest", "EgressInfo"],
      ["StartParticipantEgress", "ParticipantEgressRequest", "EgressInfo"],
      ["StartTrackCompositeEgress", "TrackCompositeEgressRequest", "EgressInfo"],
      ["StartTrackEgress", "TrackEgressRequest", "EgressInfo"],
    ],
    sdkClient: { file: "EgressClient.js", minCalls: 10 },
  },
  // livekit/protocol protobufs/livekit_ingress.proto at d74e7cdb.
  "livekit.Ingress": {
    methods: [
      ["CreateIngress", "CreateIngressRequest", "IngressInfo"],
      ["UpdateIngress", "UpdateIngressRequest", "IngressInfo"],
      ["ListIngress", "ListIngressRequest", "ListIngressResponse"],
      ["DeleteIngress", "DeleteIngressRequest", "IngressInfo"],
    ],
    sdkClient: { file: "IngressClient.js", minCalls: 4 },
  },
  // livekit/protocol protobufs/livekit_sip.proto at d74e7cdb.
  "livekit.SIP": {
    methods: [
      ["ListSIPTrunk", "ListSIPTrunkRequest", "ListSIPTrunkResponse"],
      ["CreateSIPInboundTrunk", "CreateSIPInboundTrunkRequest", "SIPInboundTrunkInfo"],
      ["CreateSIPOutboundTrunk", "CreateSIPOutboundTrunkRequest", "SIPOutboundTrunkInfo"],
      ["UpdateSIPInboundTrunk", "UpdateSIPInboundTrunkRequest", "SIPInboundTrunkInfo"],
      ["UpdateSIPOutboundTrunk", "UpdateSIPOutboundTrunkRequest", "SIPOutboundTrunkInfo"],
      ["GetSIPInboundTrunk", "GetSIPInboundTrunkRequest", "GetSIPInboundTrunkResponse"],
      ["GetSIPOutboundTrunk", "GetSIPOutboundTrunkRequest", "GetSIPOutboundTrunkResponse"],
      ["ListSIPInboundTrunk", "ListSIPInboundTrunkRequest", "ListSIPInboundTrunkResponse"],
      ["ListSIPOutboundTrunk", "ListSIPOutboundTrunkRequest", "ListSIPOutboundTrunkResponse"],
      ["DeleteSIPTrunk", "DeleteSIPTrunkRequest", "SIPTrunkInfo"],
      ["CreateSIPDispatchRule", "CreateSIPDispatchRuleRequest", "SIPDispatchRuleInfo"],
      ["UpdateSIPDispatchRule", "UpdateSIPDispatchRuleRequest", "SIPDispatchRuleInfo"],
      ["ListSIPDispatchRule", "ListSIPDispatchRuleRequest", "ListSIPDispatchRuleResponse"],
      ["DeleteSIPDispatchRule", "DeleteSIPDispatchRuleRequest", "SIPDispatchRuleInfo"],
      ["CreateSIPParticipant", "CreateSIPParticipantRequest", "SIPParticipantInfo"],
      ["TransferSIPParticipant", "TransferSIPParticipantRequest", "TransferSIPParticipantResponse"],
    ],
    sdkClient: {
      file: "SipClient.js",
      minCalls: 18,
      goneUpstream: {
        CreateSIPTrunk:
          "upstream deleted the RPC (its line in livekit_sip.proto is commented out as DELETED); the SDK's deprecated createSipTrunk still calls it",
      },
    },
  },
};

/** One call of a livekit-server-sdk client: the RPC, the request class it builds, the grant keys it signs. */
interface SdkCall {
  readonly method: string;
  readonly request: string | undefined;
  readonly video: readonly string[];
  readonly sip: readonly string[];
}

/**
 * The calls a client file makes: `this.rpc.request(svc, "Method", <request>, await this.authHeader({video}, {sip}))`.
 * The request class is the one built inline, else the last `new …Request(` since the previous call.
 */
function sdkCalls(file: string): SdkCall[] {
  const sdkDir = dirname(createRequire(import.meta.url).resolve("livekit-server-sdk"));
  const source = readFileSync(join(sdkDir, file), "utf8");
  const calls: SdkCall[] = [];
  let previous = 0;
  for (const match of source.matchAll(/svc,\s*"(\w+)",\s*(?:new (\w+)\()?/g)) {
    const at = match.index ?? 0;
    const built = [...source.slice(previous, at).matchAll(/new (\w+Request)\(/g)].at(-1)?.[1];
    const auth = /authHeader\(\s*(\{[^}]*\})(?:\s*,\s*(\{[^}]*\}))?/.exec(source.slice(at, at + 400));
    calls.push({
      method: match[1] ?? "",
      request: match[2] ?? built,
      video: grantKeys(auth?.[1]),
      sip: grantKeys(auth?.[2]),
    });
    previous = at + match[0].length;
  }
  return calls;
}

/** `{ roomAdmin: true, room }` → `["room", "roomAdmin"]`. */
function grantKeys(literal: string | undefined): string[] {
  const body = literal?.slice(1, -1).trim() ?? "";
  return body === ""
    ? []
    : body
        .split(",")
        .map((part) => (part.split(":")[0] ?? "").trim())
        .sort();
}

// The only places where our contract deliberately differs from upstream. Each must stay justified: the
// "still needed" tests fail once upstream drops what an entry excludes.
type Exclusion =
  | {
      readonly typeName: string;
      readonly field: { readonly number: number; readonly name: string };
      readonly reason: string;
    }
  | { readonly typeName: string; readonly field: "all"; readonly reason: string };
const EXCLUSIONS: readonly Exclusion[] = [
  {
    typeName: "livekit.CreateRoomRequest",
    field: { number: 6, name: "egress" },
    reason:
      "automatic egress on room creation, which create_room does not offer (recording is start_room_egress); kept as reserved 6",
  },
  {
    typeName: "livekit.ClientInfo",
    field: "all",
    reason:
      "declared only to hold ClientInfo.Capability (ParticipantInfo.capabilities); client SDK details are out of scope",
  },
  {
    typeName: "livekit.DataPacket",
    field: "all",
    reason:
      "declared only to hold DataPacket.Kind (SendDataRequest.kind); the realtime data packet is out of scope",
  },
];

function excludedField(typeName: string, number: number): boolean {
  return EXCLUSIONS.some((e) => e.typeName === typeName && (e.field === "all" || e.field.number === number));
}

/** Upstream's fields of a type, minus the excluded ones. */
function theirFields(typeName: string): [string, FieldShape][] {
  const fields = fieldsOf(theirs, typeName);
  if (fields === undefined) {
    throw new Error(`the services' closure in ${UPSTREAM} does not reach ${typeName}`);
  }
  return byNumber(fields).filter(([, shape]) => !excludedField(typeName, shape.number));
}

// ---------------------------------------------------------------------------------------------------------------
// What our descriptors declare: the files of the services and everything they import from specs/livekit.

function filesOf(services: readonly DescService[], events: readonly DescMessage[]): DescFile[] {
  const files = new Map<string, DescFile>();
  const visit = (file: DescFile): void => {
    if (file.proto.package === "livekit" && !files.has(file.name)) {
      files.set(file.name, file);
      file.dependencies.forEach(visit);
    }
  };
  for (const service of services) {
    visit(service.file);
  }
  for (const message of events) {
    visit(message.file);
  }
  return [...files.values()];
}

const ourFiles = filesOf(LIVEKIT_SERVICES, LIVEKIT_EVENT_MESSAGES);

function declaredMessages(): Map<string, DescMessage> {
  const out = new Map<string, DescMessage>();
  const walk = (m: DescMessage): void => {
    out.set(m.typeName, m);
    m.nestedMessages.forEach(walk);
  };
  for (const file of ourFiles) {
    file.messages.forEach(walk);
  }
  return out;
}
const ourMessages = declaredMessages();

function declaredTypes(): string[] {
  const enums: DescEnum[] = [
    ...ourFiles.flatMap((f) => f.enums),
    ...[...ourMessages.values()].flatMap((m) => m.nestedEnums),
  ];
  return [...ourMessages.keys(), ...enums.map((e) => e.typeName)].sort();
}

/** google.protobuf types (Duration, Timestamp) come with protobuf itself, not with either contract. */
const ownType = (typeName: string) => !typeName.startsWith("google.protobuf.");

const closureMessages = [...ours.messages.keys(), ...ours.holders.keys()].filter(ownType).sort();
const closureEnums = [...ours.enums.keys()].filter(ownType).sort();

// ---------------------------------------------------------------------------------------------------------------
// A deterministic filler: every field gets a non-default value derived from its number, so a field that one
// side does not know (or knows under another number, name or type) changes the round-tripped result.

const MAX_DEPTH = 6;

function scalarValue(type: ScalarType, seed: number, name: string, index: number): unknown {
  switch (type) {
    case ScalarType.STRING:
      return `x-${name}-${seed}`;
    case ScalarType.BYTES:
      return Uint8Array.from({ length: 16 }, (_, i) => (seed * 31 + i * 7) & 0xff);
    case ScalarType.BOOL:
      return index === 0;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return seed + 0.5;
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      // Beyond 32 bits and negative, so a 64-bit field mistyped as 32-bit or unsigned cannot survive.
      return -(BigInt(seed) * 1_000_000_007n);
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return BigInt(seed) * 1_000_000_007n;
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return -seed;
    default:
      return seed;
  }
}

function enumValue(desc: DescEnum, seed: number): number {
  const nonZero = desc.values.filter((v) => v.number !== 0);
  const pool = nonZero.length > 0 ? nonZero : desc.values;
  return (pool[seed % pool.length] ?? desc.values[0])?.number ?? 0;
}

function fillInit(desc: DescMessage, variant: number, depth: number): Record<string, unknown> | undefined {
  if (depth > MAX_DEPTH) {
    return undefined;
  }
  // Timestamps and durations have a JSON form only within their ranges (non-negative nanos below 1e9).
  if (desc.typeName === "google.protobuf.Timestamp" || desc.typeName === "google.protobuf.Duration") {
    return { seconds: BigInt(1_786_000_000 + depth * 100 + variant), nanos: 500_000 * (variant + 1) };
  }
  const init: Record<string, unknown> = {};
  const value = (field: DescField, index: number): unknown => {
    const seed = field.number * 10 + index + variant * 100 + 1;
    switch (field.fieldKind) {
      case "scalar":
        return scalarValue(field.scalar, seed, field.name, index);
      case "enum":
        return enumValue(field.enum, index + variant);
      case "message":
        return fillInit(field.message, variant, depth + 1);
      case "list":
        if (field.listKind === "scalar") {
          return scalarValue(field.scalar, seed, field.name, index);
        }
        if (field.listKind === "enum") {
          return enumValue(field.enum, index + variant);
        }
        return fillInit(field.message, variant, depth + 1);
      case "map":
        if (field.mapKind === "scalar") {
          return scalarValue(field.scalar, seed, field.name, index);
        }
        if (field.mapKind === "enum") {
          return enumValue(field.enum, index + variant);
        }
        return fillInit(field.message, variant, depth + 1);
    }
  };
  for (const field of desc.fields) {
    if (field.oneof) {
      continue;
    }
    if (field.fieldKind === "list") {
      const items = [value(field, 0), value(field, 1)];
      if (items.every((v) => v !== undefined)) {
        init[field.localName] = items;
      }
    } else if (field.fieldKind === "map") {
      const entries: Record<string, unknown> = {};
      for (const i of [0, 1]) {
        const key = String(scalarValue(field.mapKey, field.number * 10 + i + 1, `${field.name}-key`, i));
        entries[key] = value(field, i);
      }
      if (Object.values(entries).every((v) => v !== undefined)) {
        init[field.localName] = entries;
      }
    } else {
      const v = value(field, 0);
      if (v !== undefined) {
        init[field.localName] = v;
      }
    }
  }
  // Each variant sets a different member of every oneof.
  for (const oneof of desc.oneofs) {
    const member = oneof.fields[variant % oneof.fields.length];
    if (!member) {
      continue;
    }
    const v = value(member, 0);
    if (v !== undefined) {
      init[oneof.localName] = { case: member.localName, value: v };
    }
  }
  return init;
}

function filled(desc: DescMessage, variant: number): Message {
  return create(desc, fillInit(desc, variant, 0) as never);
}

// Request and response types of every service, each once.
const roundTripCases = rootMessages().flatMap((desc) =>
  [0, 1].map((variant) => ({ desc, variant, name: `${desc.typeName} #${variant + 1}` })),
);

// ===============================================================================================================

describe.each(LIVEKIT_SERVICES.map((s) => [s.typeName, s] as const))(
  `service %s vs ${UPSTREAM}`,
  (typeName, service) => {
    const pinned = PINNED_SERVICES[typeName];

    it("has its upstream method list pinned in this test", () => {
      expect(pinned, `add ${typeName} to PINNED_SERVICES`).toBeDefined();
    });

    it("has upstream's methods, in order, with the same request and response types", () => {
      const mine = service.methods.map((m) => [m.name, m.input.typeName, m.output.typeName, m.methodKind]);
      const pinnedMethods = (pinned?.methods ?? []).map(([name, i, o]) => [
        name,
        `livekit.${i}`,
        `livekit.${o}`,
        "unary",
      ]);
      expect(mine).toEqual(pinnedMethods);
      // The pinned list names types @livekit/protocol really has.
      for (const [, i, o] of pinnedMethods) {
        expect(theirMessage(i as string).typeName).toBe(i);
        expect(theirMessage(o as string).typeName).toBe(o);
      }
    });

    it.skipIf(pinned?.sdkClient === undefined)(
      "has every call livekit-server-sdk's client makes, with the request type it sends",
      () => {
        const client = pinned?.sdkClient ?? { file: "", minCalls: 0 };
        const calls = sdkCalls(client.file);
        expect(calls.length).toBeGreaterThanOrEqual(client.minCalls);
        const mine = new Map(service.methods.map((m) => [m.name, m.input.typeName]));
        const gone = client.goneUpstream ?? {};
        for (const { method, request } of calls) {
          if (method in gone) {
            expect(mine.has(method), `${method} is back upstream: drop it from goneUpstream`).toBe(false);
            continue;
          }
          expect(mine.has(method), `${method} missing from our ${typeName}`).toBe(true);
          if (request) {
            expect(mine.get(method), method).toBe(`livekit.${request}`);
          }
        }
        for (const [method, reason] of Object.entries(gone)) {
          expect(reason.length).toBeGreaterThan(20);
          expect(
            calls.some((c) => c.method === method),
            `the SDK no longer calls ${method}`,
          ).toBe(true);
        }
      },
    );

    it.skipIf(pinned?.sdkClient === undefined)(
      "signs each RPC the fixtures send with the grant livekit-server-sdk's client signs",
      () => {
        const calls = new Map(sdkCalls(pinned?.sdkClient?.file ?? "").map((c) => [c.method, c]));
        const sent = loadFixtures("livekit").flatMap(({ file, fixture }) =>
          fixture.exchanges.map(({ request }) => ({ file, request, method: methodOfPath(request.path) })),
        );
        const mine = sent.filter(({ method }) => method?.parent.typeName === typeName);
        let checked = 0;
        for (const { file, request, method } of mine) {
          const sdk = calls.get(method?.name ?? "");
          if (sdk === undefined) {
            continue; // an RPC the SDK does not offer
          }
          checked += 1;
          const keys = (grant: Record<string, unknown> | undefined) => Object.keys(grant ?? {}).sort();
          expect({ video: keys(request.grant), sip: keys(request.sip) }, `${file}: ${method?.name}`).toEqual({
            video: sdk.video,
            sip: sdk.sip,
          });
        }
        // Every service has fixtures the SDK's calls can be checked against.
        expect(checked).toBeGreaterThan(0);
      },
    );
  },
);

describe(`LiveKit contract vs ${UPSTREAM}: structure`, () => {
  it("pins only services that LIVEKIT_SERVICES lists", () => {
    expect(Object.keys(PINNED_SERVICES).sort()).toEqual(LIVEKIT_SERVICES.map((s) => s.typeName).sort());
  });

  it("uses upstream's package, syntax and file options", () => {
    for (const file of ourFiles) {
      expect(file.proto.package).toBe("livekit");
      expect(file.proto.syntax).toBe("proto3");
      expect(file.proto.options?.goPackage).toBe("github.com/livekit/protocol/livekit");
      expect(file.proto.options?.csharpNamespace).toBe("LiveKit.Proto");
      expect(file.proto.options?.rubyPackage).toBe("LiveKit::Proto");
    }
  });

  it("has no .proto file in specs/livekit that the services do not use", () => {
    const onDisk = readdirSync("specs/livekit", { recursive: true, encoding: "utf8" })
      .filter((name) => name.endsWith(".proto"))
      .map((name) => name.replace(/\.proto$/, ""));
    expect(onDisk.sort()).toEqual(ourFiles.map((f) => f.name).sort());
  });

  it("declares exactly the types the services reach (plus enum-holder parents), nothing more", () => {
    expect(declaredTypes()).toEqual([...closureMessages, ...closureEnums].sort());
  });

  it("declares every type in the same proto file as upstream", () => {
    const mine = [...ours.files].filter(([typeName]) => ownType(typeName)).sort();
    expect(mine).toEqual(mine.map(([typeName]) => [typeName, theirs.files.get(typeName)]));
  });

  it.each(closureMessages)("message %s has upstream's fields", (typeName) => {
    expect(byNumber(fieldsOf(ours, typeName) ?? new Map())).toEqual(theirFields(typeName));
  });

  it.each(closureEnums)("enum %s has upstream's values", (typeName) => {
    expect([...(ours.enums.get(typeName) ?? [])]).toEqual([...(theirs.enums.get(typeName) ?? [])]);
  });

  it("marks exactly upstream's deprecated fields as deprecated", () => {
    const deprecated = (fields: [string, FieldShape][], typeName: string): string[] =>
      fields.filter(([, shape]) => shape.deprecated).map(([name]) => `${typeName}.${name}`);
    const mine = closureMessages.flatMap((t) => deprecated(byNumber(fieldsOf(ours, t) ?? new Map()), t));
    const upstreamMarks = closureMessages.flatMap((t) => deprecated(theirFields(t), t));
    expect(upstreamMarks.length).toBeGreaterThan(0);
    expect(mine.sort()).toEqual(upstreamMarks.sort());
  });
});

describe("LiveKit contract exclusions are still needed", () => {
  it.each(EXCLUSIONS.map((e) => [e.typeName, e.field === "all" ? "all fields" : e.field.name, e] as const))(
    "%s: %s",
    (typeName, _label, exclusion) => {
      expect(exclusion.reason.length).toBeGreaterThan(20);
      const mine = ourMessages.get(typeName);
      if (!mine || !fieldsOf(ours, typeName)) {
        throw new Error(`${typeName} is not part of our contract any more; drop the exclusion`);
      }
      const upstreamFields = [...(fieldsOf(theirs, typeName) ?? [])];
      if (exclusion.field === "all") {
        // Upstream still has fields we leave out, and we still declare none.
        expect(upstreamFields.length).toBeGreaterThan(0);
        expect(mine.fields).toEqual([]);
      } else {
        const { number, name } = exclusion.field;
        expect(upstreamFields.find(([, shape]) => shape.number === number)?.[0]).toBe(name);
        expect(mine.fields.find((f) => f.number === number || f.name === name)).toBeUndefined();
        // Reserved, so nobody reuses the number or the name by accident.
        expect(mine.proto.reservedRange.some((r) => r.start <= number && number < r.end)).toBe(true);
        expect(mine.proto.reservedName).toContain(name);
      }
    },
  );
});

describe(`LiveKit contract vs ${UPSTREAM}: round trips`, () => {
  it.each(roundTripCases)("$name", ({ desc, variant }) => {
    const theirType = theirMessage(desc.typeName);
    const ours = filled(desc, variant);

    // The filler really sets every field (in a oneof, the member this variant picks).
    for (const field of desc.fields) {
      if (field.oneof && field.oneof.fields[variant % field.oneof.fields.length] !== field) {
        continue;
      }
      expect.soft(isFieldSet(ours, field), `${desc.typeName}.${field.name} left unset`).toBe(true);
    }

    // Binary: ours -> theirs -> ours. Unknown fields are dropped on both reads, so a field that the other side
    // does not know under the same number cannot ride along unnoticed.
    const theirs = theirType.fromBinary(toBinary(desc, ours), { readUnknownFields: false });
    const back = fromBinary(desc, theirs.toBinary(), { readUnknownFields: false });
    expect(equals(desc, ours, back)).toBe(true);

    // Both sides render the same proto3 JSON, camelCase (what clients send) and snake_case with defaults
    // (what LiveKit's Twirp server sends).
    expect(theirs.toJson()).toEqual(toJson(desc, ours));
    expect(theirs.toJson({ useProtoFieldName: true, emitDefaultValues: true })).toEqual(
      toJson(desc, ours, { useProtoFieldName: true, alwaysEmitImplicit: true }),
    );

    // JSON: ours -> theirs -> ours. Strict parsing on both sides: a renamed field must fail, not vanish.
    const theirsFromJson = theirType.fromJson(toJson(desc, ours), { ignoreUnknownFields: false });
    const backFromJson = fromJson(desc, theirsFromJson.toJson(), { ignoreUnknownFields: false });
    expect(equals(desc, ours, backFromJson)).toBe(true);
    const snake = toJson(desc, ours, { useProtoFieldName: true, alwaysEmitImplicit: true });
    const theirsFromSnake = theirType.fromJson(snake, { ignoreUnknownFields: false });
    expect(equals(desc, ours, fromJson(desc, theirsFromSnake.toJson(), { ignoreUnknownFields: false }))).toBe(
      true,
    );
  });
});

describe("LiveKit messages built by @livekit/protocol decode with our contract", () => {
  it("a participant with tracks, permissions and a data track", () => {
    const Theirs = theirMessage("livekit.ParticipantInfo");
    const upstreamKinds = theirExports.ParticipantInfo_Kind as Record<string, number>;
    const theirs = new Theirs({
      sid: "PA_7fJk2mQx",
      identity: "agent-support-1",
      state: 2, // ACTIVE
      tracks: [
        {
          sid: "TR_AMic9",
          type: 0,
          name: "microphone",
          source: 2,
          mimeType: "audio/opus",
          audioFeatures: [3, 4],
        },
        {
          sid: "TR_VCam4",
          type: 1,
          source: 1,
          width: 1280,
          height: 720,
          codecs: [
            { mimeType: "video/VP8", layers: [{ quality: 2, width: 1280, height: 720, bitrate: 1_700_000 }] },
          ],
        },
      ],
      metadata: '{"role":"support"}',
      joinedAt: 1_786_241_201n,
      joinedAtMs: 1_786_241_201_123n,
      name: "Support Agent",
      version: 4,
      permission: { canSubscribe: true, canPublish: true, canPublishData: true, canPublishSources: [1, 2] },
      region: "eu-central",
      isPublisher: true,
      kind: upstreamKinds.AGENT,
      attributes: { "lk.agent.state": "listening" },
      kindDetails: [0],
      dataTracks: [
        {
          pubHandle: 3,
          sid: "DTR_x1",
          name: "telemetry",
          frameEncoding: { value: { case: "custom", value: "my-enc" } },
        },
      ],
      clientProtocol: 1,
      capabilities: [1],
    });
    const bytes = theirs.toBinary();
    const ours = fromBinary(ParticipantInfoSchema, bytes, { readUnknownFields: false });
    expect(ours.kind).toBe(ParticipantInfo_Kind.AGENT);
    expect(ours.tracks.map((t) => t.sid)).toEqual(["TR_AMic9", "TR_VCam4"]);
    expect(ours.permission?.canPublishSources).toEqual([TrackSource.CAMERA, TrackSource.MICROPHONE]);
    expect(ours.joinedAtMs).toBe(1_786_241_201_123n);
    expect(ours.dataTracks[0]?.frameEncoding?.value).toEqual({ case: "custom", value: "my-enc" });
    // Same fields in the same order: re-encoding gives the very same bytes.
    expect(toBinary(ParticipantInfoSchema, ours)).toEqual(bytes);
    expect(toJson(ParticipantInfoSchema, ours)).toEqual(theirs.toJson());
  });

  it("a SendData request as the Node SDK builds it (topic present, 16-byte nonce)", () => {
    const Theirs = theirMessage("livekit.SendDataRequest");
    const nonce = Uint8Array.from({ length: 16 }, (_, i) => 255 - i);
    const theirs = new Theirs({
      room: "standup",
      data: new TextEncoder().encode('{"type":"poll"}'),
      kind: 1, // LOSSY
      destinationIdentities: ["alice", "bob"],
      topic: "",
      nonce,
    });
    const bytes = theirs.toBinary();
    const ours = fromBinary(SendDataRequestSchema, bytes, { readUnknownFields: false });
    // proto3 optional keeps presence: an empty topic is still "set".
    expect(ours.topic).toBe("");
    expect(isFieldSet(ours, SendDataRequestSchema.field.topic)).toBe(true);
    expect(ours.nonce).toEqual(nonce);
    expect(toBinary(SendDataRequestSchema, ours)).toEqual(bytes);
    expect(toJson(SendDataRequestSchema, ours)).toEqual(theirs.toJson());
  });

  it("a CreateRoom request with egress: our reserved field 6 passes through as unknown bytes", () => {
    const Theirs = theirMessage("livekit.CreateRoomRequest");
    const theirs = new Theirs({
      name: "town-hall",
      emptyTimeout: 600,
      maxParticipants: 50,
      egress: { tracks: { filepath: "rec/{track_id}.ogg" } },
      agents: [{ agentName: "notetaker", metadata: "{}", restartPolicy: 1, attributes: { lang: "en" } }],
    });
    const ours = fromBinary(CreateRoomRequestSchema, theirs.toBinary());
    expect(ours.name).toBe("town-hall");
    expect(ours.agents[0]?.attributes).toEqual({ lang: "en" });
    // We do not model egress, but we neither choke on it nor lose it when re-encoding.
    expect(toJson(CreateRoomRequestSchema, ours)).not.toHaveProperty("egress");
    const again = Theirs.fromBinary(toBinary(CreateRoomRequestSchema, ours));
    expect(again.toJson()).toEqual(theirs.toJson());
  });
});
