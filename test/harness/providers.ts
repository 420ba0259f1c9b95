/** The provider harnesses every cross-provider test iterates over. */
import type { ProviderHarness } from "./fixtures.js";
import { hmsHarness } from "./hms-harness.js";
import { livekitHarness } from "./livekit-harness.js";

export const harnesses: readonly ProviderHarness[] = [livekitHarness, hmsHarness];
