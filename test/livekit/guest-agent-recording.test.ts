/**
 * The workflow the tools beyond RoomService exist for, end to end through a real MCP client: create a room,
 * mint a join link for a guest, dispatch a voice agent into the room, record it, stop the recording. Every
 * call is checked on the wire by LiveKit's own code, in both Twirp encodings: a stand-in LiveKit server
 * decodes each request strictly with @livekit/protocol's generated classes, verifies each token with
 * livekit-server-sdk's TokenVerifier (and its grant exactly), and answers with messages those classes encode.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as protocol from "@livekit/protocol";
import { TokenVerifier } from "livekit-server-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { bindProvider } from "../../src/assemble.js";
import { liveKitConfigFromEnv } from "../../src/providers/livekit/config.js";
import { livekitProvider } from "../../src/providers/livekit/index.js";
import { methodOfPath } from "../../src/providers/livekit/services.js";
import { connectClient } from "../harness/mcp.js";

const API_KEY = "APIw0rkflowKey";
const API_SECRET = "workflow-test-secret-that-is-long-enough";

interface TheirMessage {
  toBinary(): Uint8Array;
  toJson(options?: { useProtoFieldName?: boolean; emitDefaultValues?: boolean }): unknown;
}
interface TheirType {
  new (data?: Record<string, unknown>): TheirMessage;
  fromBinary(
    bytes: Uint8Array,
    options?: { readUnknownFields?: boolean },
  ): TheirMessage & Record<string, unknown>;
  fromJson(
    json: unknown,
    options?: { ignoreUnknownFields?: boolean },
  ): TheirMessage & Record<string, unknown>;
}

function theirType(typeName: string): TheirType {
  return (protocol as unknown as Record<string, TheirType>)[typeName.replace(/^livekit\./, "")] as TheirType;
}

/** What the stand-in server saw of one call: the RPC, the request as LiveKit's class decoded it, the claims. */
interface SeenCall {
  readonly rpc: string;
  readonly request: Record<string, unknown>;
  readonly video: unknown;
  readonly sip: unknown;
}

/** Answers by RPC name, built with LiveKit's classes. */
const ANSWERS: Readonly<Record<string, (request: Record<string, unknown>) => Record<string, unknown>>> = {
  CreateRoom: (r) => ({
    sid: "RM_w0rkF10w",
    name: r.name,
    emptyTimeout: r.emptyTimeout,
    creationTime: 1_796_115_600n,
  }),
  CreateDispatch: (r) => ({ id: "AD_w0rkF10w", agentName: r.agentName, room: r.room, metadata: r.metadata }),
  StartRoomCompositeEgress: (r) => ({
    egressId: "EG_w0rkF10w",
    roomName: r.roomName,
    status: protocol.EgressStatus.EGRESS_STARTING,
    request: { case: "roomComposite", value: r },
  }),
  StopEgress: (r) => ({
    egressId: r.egressId,
    roomName: "interview-0412",
    status: protocol.EgressStatus.EGRESS_ENDING,
    fileResults: [
      { filename: "recordings/interview-0412.mp4", location: "s3://recordings/interview-0412.mp4" },
    ],
  }),
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A LiveKit stand-in that checks every request with LiveKit's own code. */
async function standInLiveKit(
  binary: boolean,
): Promise<{ url: string; seen: SeenCall[]; problems: string[]; server: Server }> {
  const seen: SeenCall[] = [];
  const problems: string[] = [];
  const verifier = new TokenVerifier(API_KEY, API_SECRET);
  const server = createServer(async (req, res) => {
    const method = methodOfPath(req.url ?? "");
    const body = await readBody(req);
    try {
      if (method === undefined) {
        throw new Error(`no such RPC: ${req.url}`);
      }
      const claims = await verifier.verify((req.headers.authorization ?? "").replace(/^Bearer /, ""));
      const input = theirType(method.input.typeName);
      const request = binary
        ? input.fromBinary(body, { readUnknownFields: false })
        : input.fromJson(JSON.parse(body.toString("utf8")), { ignoreUnknownFields: false });
      seen.push({ rpc: method.name, request, video: claims.video, sip: claims.sip });
      const answer = ANSWERS[method.name];
      if (answer === undefined) {
        throw new Error(`the workflow does not call ${method.name}`);
      }
      const output = new (theirType(method.output.typeName))(answer(request));
      res.writeHead(200, { "content-type": binary ? "application/protobuf" : "application/json" });
      res.end(
        binary
          ? Buffer.from(output.toBinary())
          : JSON.stringify(output.toJson({ useProtoFieldName: true, emitDefaultValues: true })),
      );
    } catch (error) {
      problems.push(String(error));
      res
        .writeHead(500, { "content-type": "application/json" })
        .end('{"code":"internal","msg":"stand-in refused"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, problems, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe.each([
  ["JSON", false],
  ["binary protobuf", true],
] as const)("a guest, a voice agent and a recording, in %s", (_, binary) => {
  it("each call reaches LiveKit as its own code reads it, with the least grant", async () => {
    const livekit = await standInLiveKit(binary);
    servers.push(livekit.server);
    const configured = liveKitConfigFromEnv(
      {
        LIVEKIT_URL: livekit.url,
        LIVEKIT_API_KEY: API_KEY,
        LIVEKIT_API_SECRET: API_SECRET,
        LIVEKIT_WIRE_FORMAT: binary ? "protobuf" : "json",
        LIVEKIT_JOIN_URL_TEMPLATE: "https://meet.livekit.io/custom?liveKitUrl={url}&token={token}",
      },
      { standalone: true },
    );
    if (configured.kind !== "configured") {
      throw new Error(JSON.stringify(configured));
    }
    const client = livekitProvider.createClient(configured.config);
    const mcp = await connectClient(bindProvider(livekitProvider, client), [API_SECRET]);
    const call = async (name: string, args: Record<string, unknown>) => {
      const result = await mcp.client.callTool({ name, arguments: args });
      expect(result.isError, `${name}: ${JSON.stringify(result.content)}`).not.toBe(true);
      return result.structuredContent as Record<string, unknown>;
    };
    try {
      const room = await call("create_room", { name: "interview-0412", empty_timeout: 600 });
      expect(room).toMatchObject({ sid: "RM_w0rkF10w", name: "interview-0412" });

      const guest = await call("create_join_token", {
        room: "interview-0412",
        identity: "guest-ana",
        name: "Ana",
        can_publish: true,
        can_publish_data: true,
      });
      const claims = await new TokenVerifier(API_KEY, API_SECRET).verify(String(guest.token));
      expect(claims.video).toStrictEqual({
        roomJoin: true,
        room: "interview-0412",
        canPublish: true,
        canPublishData: true,
        canSubscribe: true,
        canUpdateOwnMetadata: false,
        hidden: false,
      });
      expect(claims).toMatchObject({ sub: "guest-ana", name: "Ana" });
      const link = new URL(String(guest.join_url));
      expect(link.searchParams.get("token")).toBe(guest.token);
      expect(link.searchParams.get("liveKitUrl")).toBe(livekit.url.replace(/^http/, "ws"));

      const dispatch = await call("create_agent_dispatch", {
        agent_name: "voice-assistant",
        room: "interview-0412",
        metadata: '{"greeting":"Welcome, Ana"}',
      });
      expect(dispatch).toMatchObject({ id: "AD_w0rkF10w", agent_name: "voice-assistant" });

      const recording = await call("start_room_egress", {
        room_name: "interview-0412",
        layout: "speaker",
        file_outputs: [{ filepath: "recordings/{room_name}.mp4" }],
      });
      expect(recording).toMatchObject({ egress_id: "EG_w0rkF10w", status: "EGRESS_STARTING" });
      expect(recording).not.toHaveProperty("room_composite");

      const stopped = await call("stop_egress", { egress_id: recording.egress_id });
      expect(stopped).toMatchObject({
        status: "EGRESS_ENDING",
        file_results: [{ filename: "recordings/interview-0412.mp4" }],
      });
    } finally {
      await mcp.close();
    }

    expect(livekit.problems).toEqual([]);
    // The minted join token never went to LiveKit; the four RPCs did, each with exactly its least grant.
    expect(livekit.seen.map(({ rpc, video, sip }) => ({ rpc, video, sip }))).toStrictEqual([
      { rpc: "CreateRoom", video: { roomCreate: true }, sip: undefined },
      { rpc: "CreateDispatch", video: { roomAdmin: true, room: "interview-0412" }, sip: undefined },
      { rpc: "StartRoomCompositeEgress", video: { roomRecord: true }, sip: undefined },
      { rpc: "StopEgress", video: { roomRecord: true }, sip: undefined },
    ]);
    const [createRoom, createDispatch, startEgress, stopEgress] = livekit.seen.map((s) => s.request);
    expect(createRoom).toMatchObject({ name: "interview-0412", emptyTimeout: 600 });
    expect(createDispatch).toMatchObject({ agentName: "voice-assistant", room: "interview-0412" });
    expect(startEgress).toMatchObject({ roomName: "interview-0412", layout: "speaker" });
    expect(startEgress?.fileOutputs).toMatchObject([{ filepath: "recordings/{room_name}.mp4" }]);
    expect(stopEgress).toMatchObject({ egressId: "EG_w0rkF10w" });
  });
});
