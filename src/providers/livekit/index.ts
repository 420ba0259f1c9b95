/** The LiveKit provider: Twirp services from specs/livekit, a least-grant token for every call. */

import { jose } from "../../jose.js";
import { livekitManifest } from "../../tools/livekit/index.js";
import { LIVEKIT_TARGETS } from "../../tools/livekit/targets.js";
import type { Provider } from "../provider.js";
import { createLiveKitClient, type LiveKitClient, type LiveKitConfig } from "./client.js";
import { LIVEKIT_DEV_DEFAULTS } from "./config.js";
import { livekitDescriptor } from "./descriptor.js";
import { LIVEKIT_EVENTS } from "./events.js";
import { liveKitRoomOf } from "./room-of.js";

export const livekitProvider: Provider<LiveKitConfig, LiveKitClient> = {
  ...livekitDescriptor,
  createClient: createLiveKitClient,
  manifest: livekitManifest,
  targets: LIVEKIT_TARGETS,
  events: LIVEKIT_EVENTS,
  resolveRoom: liveKitRoomOf,
  record: {
    urlVariable: "LIVEKIT_URL",
    defaultUrl: LIVEKIT_DEV_DEFAULTS.url,
    volatileFields: ["nonce"],
    // Only the grants of the call's token are kept: they are what the fixture runner checks.
    async describeAuth(authorization) {
      const token = authorization?.replace(/^Bearer /, "") ?? "";
      if (token === "") {
        return {};
      }
      const { video, sip } = (await jose()).decodeJwt(token);
      return { ...(video === undefined ? {} : { grant: video }), ...(sip === undefined ? {} : { sip }) };
    },
  },
};
