import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { create, equals, fromBinary, fromJsonString, toBinary } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UpstreamError } from "../../src/errors.js";
import {
  DataPacket_Kind,
  ParticipantInfo_Kind,
  ParticipantInfo_State,
  RoomSchema,
  TrackSource,
  TrackType,
} from "../../src/generated/livekit/livekit_models_pb.js";
import {
  CreateRoomRequestSchema,
  RoomService,
  SendDataRequestSchema,
} from "../../src/generated/livekit/livekit_room_pb.js";
import {
  createTwirpTransport,
  type TwirpTransportOptions,
} from "../../src/providers/livekit/twirp-transport.js";

// One real HTTP server for the file; each test installs the handler it needs and reads what arrived.
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}
type Handler = (req: Seen, res: ServerResponse) => void;

let handler: Handler = (_req, res) => res.writeHead(500).end();
let seen: Seen[] = [];
let baseUrl = "";
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const s: Seen = {
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      body: Buffer.concat(chunks),
    };
    seen.push(s);
    handler(s, res);
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  seen = [];
});

const TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJBUEl0ZXN0In0.c2lnbmF0dXJlLW5vdC1yZWFs";
const auth = { headers: { Authorization: `Bearer ${TOKEN}` } };

function client(options: Partial<TwirpTransportOptions> = {}) {
  return createClient(RoomService, createTwirpTransport({ baseUrl, ...options }));
}

function reply(status: number, contentType: string, body: string | Uint8Array): Handler {
  return (_req, res) => res.writeHead(status, { "Content-Type": contentType }).end(body);
}

/** Awaits a call that must fail with an UpstreamError and returns it. */
async function upstreamError(call: Promise<unknown>): Promise<UpstreamError> {
  const e = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UpstreamError);
  const err = e as UpstreamError;
  expect(err.provider).toBe("livekit");
  // Whatever goes wrong, the bearer token must not end up in what the agent sees.
  expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain(TOKEN);
  return err;
}

describe("JSON requests", () => {
  it("POSTs proto3 JSON to /twirp/<service>/<method> with the call's headers and the timeout header", async () => {
    handler = reply(200, "application/json", "{}");
    await client().sendData(
      {
        room: "standup-42",
        data: new TextEncoder().encode('{"type":"poll","q":"lunch?"}'),
        kind: DataPacket_Kind.RELIABLE,
        topic: "polls",
        destinationIdentities: ["ana", "bo"],
      },
      auth,
    );
    expect(seen).toHaveLength(1);
    const [req] = seen;
    expect(req?.method).toBe("POST");
    expect(req?.url).toBe("/twirp/livekit.RoomService/SendData");
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req?.headers["x-twirp-timeout-ms"]).toBe("10000");
    // Semantic comparison: decode what the server got with the schema, compare with what we meant.
    const body = req?.body.toString("utf8") ?? "";
    const decoded = fromJsonString(SendDataRequestSchema, body);
    const expected = create(SendDataRequestSchema, {
      room: "standup-42",
      data: new TextEncoder().encode('{"type":"poll","q":"lunch?"}'),
      topic: "polls",
      destinationIdentities: ["ana", "bo"],
    });
    expect(equals(SendDataRequestSchema, decoded, expected)).toBe(true);
    // protobuf-es default JSON: camelCase keys, defaults (kind RELIABLE = 0) omitted.
    expect(Object.keys(JSON.parse(body)).sort()).toEqual(["data", "destinationIdentities", "room", "topic"]);
  });

  it("keeps a base URL path prefix and lets the call's timeout win over the default", async () => {
    handler = reply(200, "application/json", "{}");
    await client({
      baseUrl: `${baseUrl}/livekit`,
      timeoutMs: 4000,
      userAgent: "rooms-mcp-test/1",
    }).deleteRoom({ room: "old-room" }, { ...auth, timeoutMs: 2500 });
    expect(seen[0]?.url).toBe("/livekit/twirp/livekit.RoomService/DeleteRoom");
    expect(seen[0]?.headers["x-twirp-timeout-ms"]).toBe("2500");
    expect(seen[0]?.headers["user-agent"]).toBe("rooms-mcp-test/1");
  });

  it("parses server-form JSON, tolerating unknown fields and unknown enum names", async () => {
    const participant = {
      sid: "PA_t7Qm2xVw9K",
      identity: "ana",
      state: "ACTIVE",
      tracks: [
        {
          sid: "TR_Ab12Cd34",
          type: "AUDIO",
          name: "mic",
          muted: true,
          source: "MICROPHONE",
          mime_type: "audio/opus",
          audio_features: ["TF_STEREO", "TF_SOMETHING_FROM_2030"],
          version: null,
        },
      ],
      metadata: '{"role":"host"}',
      joined_at: "1790000000",
      joined_at_ms: "1790000000123",
      name: "Ana",
      version: 7,
      permission: { can_subscribe: true, can_publish: true, can_publish_data: true, can_publish_sources: [] },
      region: "eu-central",
      is_publisher: true,
      kind: "HOLOGRAM", // an enum value this build does not know
      attributes: { desk: "3F" },
      disconnect_reason: "UNKNOWN_REASON",
      a_field_added_next_year: { nested: [1, 2, 3] },
    };
    handler = reply(200, "application/json; charset=utf-8", JSON.stringify(participant));
    const info = await client().getParticipant({ room: "standup-42", identity: "ana" }, auth);
    expect(info.identity).toBe("ana");
    expect(info.state).toBe(ParticipantInfo_State.ACTIVE);
    expect(info.joinedAtMs).toBe(1790000000123n);
    expect(info.kind).toBe(ParticipantInfo_Kind.STANDARD); // unknown name → default
    expect(info.permission?.canPublish).toBe(true);
    expect(info.attributes).toEqual({ desk: "3F" });
    expect(info.tracks[0]?.type).toBe(TrackType.AUDIO);
    expect(info.tracks[0]?.source).toBe(TrackSource.MICROPHONE);
    expect(info.tracks[0]?.muted).toBe(true);
  });

  it("rejects a 200 answer that is not the content type it asked for", async () => {
    handler = reply(200, "text/html", "<html><body>Welcome to nginx!</body></html>");
    const err = await upstreamError(client().listRooms({}, auth));
    expect(err.code).toBe("unknown");
    expect(err.message).toContain("expected application/json");
    expect(err.details).toMatchObject({ http_error_from_intermediary: true, body: "Welcome to nginx!" });
  });
});

describe("binary requests", () => {
  it("sends application/protobuf and decodes an application/protobuf answer", async () => {
    handler = (req, res) => {
      const got = fromBinary(CreateRoomRequestSchema, req.body);
      const room = create(RoomSchema, {
        sid: "RM_bin42",
        name: got.name,
        emptyTimeout: got.emptyTimeout,
        maxParticipants: got.maxParticipants,
        metadata: got.metadata,
        creationTimeMs: 1790000000456n,
      });
      res.writeHead(200, { "Content-Type": "application/protobuf" }).end(toBinary(RoomSchema, room));
    };
    const room = await client({ binary: true }).createRoom(
      { name: "binary-room", emptyTimeout: 120, maxParticipants: 8, metadata: "m" },
      auth,
    );
    expect(seen[0]?.headers["content-type"]).toBe("application/protobuf");
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const sent = fromBinary(CreateRoomRequestSchema, seen[0]?.body ?? new Uint8Array());
    expect(
      equals(
        CreateRoomRequestSchema,
        sent,
        create(CreateRoomRequestSchema, {
          name: "binary-room",
          emptyTimeout: 120,
          maxParticipants: 8,
          metadata: "m",
        }),
      ),
    ).toBe(true);
    expect(room).toMatchObject({
      sid: "RM_bin42",
      name: "binary-room",
      emptyTimeout: 120,
      maxParticipants: 8,
    });
    expect(room.creationTimeMs).toBe(1790000000456n);
  });

  it("reads Twirp's JSON error body even in binary mode (failed_precondition 412)", async () => {
    handler = reply(
      412,
      "application/json",
      '{"code":"failed_precondition","msg":"twirp error unknown: remote unmute not enabled"}',
    );
    const err = await upstreamError(
      client({ binary: true }).mutePublishedTrack(
        { room: "standup-42", identity: "ana", trackSid: "TR_Ab12Cd34", muted: false },
        auth,
      ),
    );
    expect(err).toMatchObject({
      code: "failed_precondition",
      status: 412,
      message: "remote unmute not enabled",
    });
    expect(err.details).toEqual({ raw_message: "twirp error unknown: remote unmute not enabled" });
  });
});

describe("Twirp error bodies", () => {
  it("keeps code, status, msg and meta", async () => {
    handler = reply(
      400,
      "application/json",
      '{"code":"invalid_argument","msg":"metadata size exceeds limits 524288","meta":{"argument":"metadata size exceeds limits"}}',
    );
    const err = await upstreamError(
      client().updateRoomMetadata({ room: "r", metadata: "x".repeat(10) }, auth),
    );
    expect(err).toMatchObject({
      code: "invalid_argument",
      status: 400,
      message: "metadata size exceeds limits 524288",
    });
    expect(err.details).toEqual({ meta: { argument: "metadata size exceeds limits" } });
  });

  it("strips the 'twirp error <code>: ' prefix LiveKit adds, repeated or not, and keeps the original", async () => {
    handler = reply(
      404,
      "application/json",
      '{"code":"not_found","msg":"twirp error unknown: requested room does not exist"}',
    );
    const err = await upstreamError(client().deleteRoom({ room: "nope" }, auth));
    expect(err).toMatchObject({ code: "not_found", status: 404, message: "requested room does not exist" });
    expect(err.details).toEqual({ raw_message: "twirp error unknown: requested room does not exist" });

    handler = reply(
      404,
      "application/json",
      '{"code":"not_found","msg":"twirp error unknown: twirp error not_found: participant does not exist"}',
    );
    const err2 = await upstreamError(client().getParticipant({ room: "r", identity: "ghost" }, auth));
    expect(err2.message).toBe("participant does not exist");
  });
});

describe("non-Twirp answers (auth middleware, proxies)", () => {
  it("maps LiveKit's text/plain 401 to unauthenticated with the text as message", async () => {
    handler = reply(
      401,
      "text/plain; charset=utf-8",
      "invalid authorization token: go-jose/go-jose: error in cryptographic primitive\n",
    );
    const err = await upstreamError(client().listRooms({}, auth));
    expect(err).toMatchObject({
      code: "unauthenticated",
      status: 401,
      message: "invalid authorization token: go-jose/go-jose: error in cryptographic primitive",
    });
    expect(err.details).toEqual({ http_error_from_intermediary: true });
  });

  it("maps a proxy's HTML 502 to unavailable with readable text", async () => {
    handler = reply(
      502,
      "text/html",
      "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
    );
    const err = await upstreamError(client().listRooms({}, auth));
    expect(err).toMatchObject({
      code: "unavailable",
      status: 502,
      message: "502 Bad Gateway 502 Bad Gateway nginx",
    });
    expect(err.details).toEqual({ http_error_from_intermediary: true });
  });

  it("caps long bodies and maps statuses as Twirp's intermediary rule does", async () => {
    handler = reply(429, "application/json", JSON.stringify({ error: "slow down", pad: "x".repeat(2000) }));
    const err = await upstreamError(client().listRooms({}, auth));
    expect(err.code).toBe("resource_exhausted");
    expect(err.message.length).toBeLessThanOrEqual(501);

    handler = reply(418, "text/plain", "");
    const teapot = await upstreamError(client().listRooms({}, auth));
    expect(teapot).toMatchObject({ code: "unknown", status: 418, message: "HTTP 418 I'm a Teapot" });
  });

  it("does not follow redirects (a POST would turn into a GET)", async () => {
    handler = (_req, res) => res.writeHead(301, { Location: "https://lk.example.com/twirp/x?y=1" }).end();
    const err = await upstreamError(client().listRooms({}, auth));
    expect(err).toMatchObject({ code: "internal", status: 301 });
    expect(err.message).toContain("https://lk.example.com/twirp/x");
    expect(err.message).not.toContain("y=1");
    expect(seen).toHaveLength(1);
  });
});

describe("transport failures", () => {
  it("turns a timeout into code 'timeout' that says how long it waited", async () => {
    handler = () => {}; // never answers
    const err = await upstreamError(client({ timeoutMs: 10_000 }).listRooms({}, { ...auth, timeoutMs: 150 }));
    expect(err.code).toBe("timeout");
    expect(err.status).toBeUndefined();
    expect(err.message).toContain("150 ms");
    expect(err.message).toContain("may still have taken effect");
    expect(seen[0]?.headers["x-twirp-timeout-ms"]).toBe("150");
  });

  it("turns the caller's cancellation into code 'canceled', not an unexpected failure", async () => {
    // Guards: a cancelled call logged at error level as a bug of ours (issue 8 item 10).
    handler = () => {};
    const controller = new AbortController();
    const call = client().listRooms({}, { ...auth, signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user cancelled")), 50);
    const err = await upstreamError(call);
    expect(err).toMatchObject({ code: "canceled", outcomeUnknown: true, details: { canceled_by: "client" } });
  });

  it("turns connection refused into 'unavailable' naming the host, pointing at LIVEKIT_URL", async () => {
    // A port that was just free: listen, note it, close.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const err = await upstreamError(client({ baseUrl: `http://127.0.0.1:${port}` }).listRooms({}, auth));
    expect(err.code).toBe("unavailable");
    expect(err.status).toBeUndefined();
    expect(err.message).toContain(`127.0.0.1:${port}`);
    expect(err.message).toContain("ECONNREFUSED");
    expect(err.message).toContain("LIVEKIT_URL");
  });

  it("says the operation may have happened when the connection breaks mid-answer", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "400" });
      res.write('{"rooms":[');
      setTimeout(() => res.socket?.destroy(), 10);
    };
    const err = await upstreamError(client().listRooms({}, auth));
    expect(err).toMatchObject({ code: "connection_lost", status: 200, outcomeUnknown: true });
    expect(err.message).toContain("may have taken effect");
  });

  it("refuses streaming calls clearly", async () => {
    const transport = createTwirpTransport({ baseUrl });
    const method = RoomService.method.listRooms;
    // RoomService has no streaming method; pretend one to reach stream().
    const fake = { ...method, methodKind: "server_streaming" } as unknown as Parameters<
      typeof transport.stream
    >[0];
    await expect(
      transport.stream(fake, undefined, undefined, undefined, (async function* () {})()),
    ).rejects.toThrow(/unary calls only/);
  });
});
