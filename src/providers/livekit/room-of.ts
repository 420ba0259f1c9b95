/**
 * The room an egress or an ingress belongs to, for room scope (the `belongsTo` targets of the tools that
 * take only its id): one list call filtered by that id, which reads and changes nothing. Egress and
 * ingress ids are unique per project, so the answer holds at most the one asked for.
 */
import { create } from "@bufbuild/protobuf";
import type { RoomRef } from "../../control/scope.js";
import { UpstreamError } from "../../errors.js";
import { Egress, ListEgressRequestSchema } from "../../generated/livekit/livekit_egress_pb.js";
import { Ingress, ListIngressRequestSchema } from "../../generated/livekit/livekit_ingress_pb.js";
import type { LiveKitClient } from "./client.js";
import { grantFor } from "./token.js";

export async function liveKitRoomOf(
  client: LiveKitClient,
  ref: RoomRef,
  signal: AbortSignal,
): Promise<{ readonly id: string; readonly name: string }> {
  if (ref.kind === "egress") {
    const { items } = await client.call(
      Egress.method.listEgress,
      create(ListEgressRequestSchema, { egressId: ref.id }),
      grantFor("roomRecord", {}),
      { signal },
    );
    const egress = items.find((item) => item.egressId === ref.id);
    // A LiveKit scope names rooms by name (its sid changes when the room is opened again).
    return egress === undefined ? unknown(ref) : { id: egress.roomName, name: egress.roomName };
  }
  if (ref.kind === "ingress") {
    const { items } = await client.call(
      Ingress.method.listIngress,
      create(ListIngressRequestSchema, { ingressId: ref.id }),
      grantFor("ingressAdmin", {}),
      { signal },
    );
    const ingress = items.find((item) => item.ingressId === ref.id);
    return ingress === undefined ? unknown(ref) : { id: ingress.roomName, name: ingress.roomName };
  }
  // LiveKit names rooms: no tool target asks for a room by id.
  throw new Error(`LiveKit cannot tell the room of a ${ref.kind}`);
}

function unknown(ref: RoomRef): never {
  throw new UpstreamError({
    provider: "livekit",
    code: "not_found",
    message: `LiveKit knows no ${ref.kind} ${ref.id}; nothing was sent`,
    hint: `Check the id: list_${ref.kind} lists them (an ended one is kept for a while, then forgotten).`,
  });
}
