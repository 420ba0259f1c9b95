/**
 * A loopback LiveKit-compatible Twirp server for the bench: ListParticipants answers the big room,
 * ListRooms the open rooms (or, with `names`, those of them), in JSON or binary as the request's
 * Content-Type asks. It checks nothing: it stands for a fast LiveKit, so that what is measured is the
 * MCP servers.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fromBinary, fromJsonString } from "@bufbuild/protobuf";
import { ListRoomsRequestSchema } from "../src/generated/livekit/livekit_room_pb.js";
import { type Encoded, roomsAnswer } from "./room.js";

export interface Upstream {
  readonly url: string;
  close(): Promise<void>;
}

export async function startUpstream(participants: Encoded, roomNames: readonly string[]): Promise<Upstream> {
  const allRooms = roomsAnswer(roomNames);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const binary = req.headers["content-type"] === "application/protobuf";
      const method = (req.url ?? "").split("/").at(-1);
      let answer: Encoded;
      if (method === "ListParticipants") {
        answer = participants;
      } else if (method === "ListRooms") {
        const body = Buffer.concat(chunks);
        const request = binary
          ? fromBinary(ListRoomsRequestSchema, body)
          : fromJsonString(ListRoomsRequestSchema, body.toString("utf8") || "{}");
        answer =
          request.names.length === 0
            ? allRooms
            : roomsAnswer(roomNames.filter((n) => request.names.includes(n)));
      } else {
        res.writeHead(404, { "content-type": "application/json" }).end('{"code":"bad_route","msg":"no"}');
        return;
      }
      if (binary) {
        res.writeHead(200, { "content-type": "application/protobuf" }).end(answer.binary);
      } else {
        res.writeHead(200, { "content-type": "application/json" }).end(answer.json);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
