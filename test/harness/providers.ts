/** The fixture harness of every registered provider; the type makes each provider have one. */
import type { ProviderId } from "../../src/providers/provider.js";
import type { ProviderHarness } from "./fixtures.js";
import { hmsHarness } from "./hms-harness.js";
import { livekitHarness } from "./livekit-harness.js";

const BY_ID: { readonly [Id in ProviderId]: ProviderHarness } = { livekit: livekitHarness, hms: hmsHarness };

export const harnesses: readonly ProviderHarness[] = Object.values(BY_ID);
