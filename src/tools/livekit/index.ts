/**
 * The LiveKit manifest: one service manifest per service in LIVEKIT_SERVICES, each in its own module, and
 * the tools that call no RPC at all (a join token is signed here), each under a `local/` operation.
 * Coverage (every RPC a tool or an exclusion with a reason) is checked over all of them together.
 */
import type { DescService } from "@bufbuild/protobuf";
import type { LiveKitClient } from "../../providers/livekit/client.js";
import { allOperations } from "../../providers/livekit/services.js";
import type { ExcludedOperation, Manifest, Tool } from "../define.js";
import { agentDispatchService } from "./agent-dispatch.js";
import { egressService } from "./egress.js";
import { LIVEKIT_EVENT_TOOLS } from "./events.js";
import { ingressService } from "./ingress.js";
import { createJoinToken } from "./join-token.js";
import { roomService } from "./room-service.js";
import { sipService } from "./sip.js";

/** One service's part of the manifest. */
export interface ServiceManifest {
  readonly service: DescService;
  readonly tools: readonly Tool<LiveKitClient>[];
  /** RPCs of the service with no tool, each with its reason. */
  readonly excluded: readonly ExcludedOperation[];
}

/** In the order tools are listed: rooms first, then what reaches beyond them. */
export const LIVEKIT_SERVICE_MANIFESTS: readonly ServiceManifest[] = [
  roomService,
  agentDispatchService,
  egressService,
  ingressService,
  sipService,
];

/** Tools that call no RPC; their operations live in the `local/` namespace the coverage gate knows. */
export const LIVEKIT_LOCAL_TOOLS: readonly Tool<LiveKitClient>[] = [
  createJoinToken,
  ...LIVEKIT_EVENT_TOOLS.tools,
];

const [rooms, ...beyondRooms] = LIVEKIT_SERVICE_MANIFESTS;

export const livekitManifest: Manifest<LiveKitClient> = {
  operations: [...allOperations(), ...LIVEKIT_LOCAL_TOOLS.map((t) => t.operation)],
  // Join tokens are listed right after the room tools: making a room and letting someone in go together.
  tools: [...(rooms?.tools ?? []), ...LIVEKIT_LOCAL_TOOLS, ...beyondRooms.flatMap((m) => m.tools)],
  excluded: LIVEKIT_SERVICE_MANIFESTS.flatMap((m) => m.excluded),
};
