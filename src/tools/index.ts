/** Every provider's manifest, for the server assembly and the coverage gates. */
import type { Toolset } from "./define.js";
import { hmsToolset } from "./hms.js";
import { livekitToolset } from "./livekit.js";

// biome-ignore lint/suspicious/noExplicitAny: the client type differs per provider; consumers only read data.
export const toolsets: readonly Toolset<any>[] = [livekitToolset, hmsToolset];
