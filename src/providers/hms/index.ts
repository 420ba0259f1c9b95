/** The 100ms provider: REST API v2 from specs/100ms/openapi.yaml, management tokens given or minted. */

import { collectSecrets } from "../../redact.js";
import { hmsManifest } from "../../tools/hms/index.js";
import { HMS_TARGETS } from "../../tools/hms/targets.js";
import type { Provider } from "../provider.js";
import { createHmsClient, type HmsClient, type HmsConfig } from "./client.js";
import { HMS_DEFAULT_API_URL } from "./config.js";
import { hmsDescriptor } from "./descriptor.js";
import { HMS_EVENTS } from "./events.js";
import { operationOfRequest } from "./request.js";

export const hmsProvider: Provider<HmsConfig, HmsClient> = {
  ...hmsDescriptor,
  createClient: createHmsClient,
  manifest: hmsManifest,
  targets: HMS_TARGETS,
  events: HMS_EVENTS,
  async resolveRoom(client, ref, signal) {
    let roomId = ref.id;
    if (ref.kind === "session") {
      roomId = (await client.call("getSession", { path: { session_id: ref.id } }, { signal })).room_id;
    } else if (ref.kind !== "room") {
      throw new Error(`100ms cannot tell the room of a ${ref.kind}`);
    }
    const room = await client.call("getRoom", { path: { room_id: roomId } }, { signal });
    return { id: room.id, name: room.name };
  },
  record: {
    urlVariable: "HMS_API_URL",
    defaultUrl: HMS_DEFAULT_API_URL,
    // What the spec marks x-sensitive (storage credentials, stream keys) never reaches a fixture.
    sensitiveValues({ request, response }) {
      const found = operationOfRequest(request.method, request.path);
      if (found === undefined) {
        return [];
      }
      return [
        ...collectSecrets(request.body, found.operation.sensitiveArgumentPaths),
        ...collectSecrets(response.body, found.operation.sensitivePaths),
      ];
    },
  },
};
