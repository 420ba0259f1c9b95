/**
 * The LiveKit manifest: one service manifest per service in LIVEKIT_SERVICES, each in its own module.
 * Coverage (every RPC a tool or an exclusion with a reason) is checked over all of them together.
 */
import type { DescService } from "@bufbuild/protobuf";
import type { LiveKitClient } from "../../providers/livekit/client.js";
import { allOperations } from "../../providers/livekit/services.js";
import type { ExcludedOperation, Manifest, Tool } from "../define.js";
import { roomService } from "./room-service.js";

/** One service's part of the manifest. */
export interface ServiceManifest {
  readonly service: DescService;
  readonly tools: readonly Tool<LiveKitClient>[];
  /** RPCs of the service with no tool, each with its reason. */
  readonly excluded: readonly ExcludedOperation[];
}

/** In the order tools are listed. */
export const LIVEKIT_SERVICE_MANIFESTS: readonly ServiceManifest[] = [roomService];

export const livekitManifest: Manifest<LiveKitClient> = {
  operations: allOperations(),
  tools: LIVEKIT_SERVICE_MANIFESTS.flatMap((m) => m.tools),
  excluded: LIVEKIT_SERVICE_MANIFESTS.flatMap((m) => m.excluded),
};
