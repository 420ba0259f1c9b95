/**
 * The codes a LiveKit call can fail with: the Twirp codes its servers send (twirp v8), and the two this
 * client adds when no Twirp answer came (`timeout`, `unavailable`). Error hints are keyed by these.
 */
import type { ErrorHints } from "../../errors.js";

export const TWIRP_CODES = [
  "canceled",
  "unknown",
  "invalid_argument",
  "malformed",
  "deadline_exceeded",
  "not_found",
  "bad_route",
  "already_exists",
  "permission_denied",
  "unauthenticated",
  "resource_exhausted",
  "failed_precondition",
  "aborted",
  "out_of_range",
  "unimplemented",
  "internal",
  "unavailable",
  "data_loss",
] as const;

export type TwirpCode = (typeof TWIRP_CODES)[number];

/**
 * Twirp's codes, and what this client adds when no usable answer came: `timeout` (nothing complete within
 * the deadline), `connection_lost` (broke after sending), `too_large` (over LIVEKIT_MAX_RESPONSE_BYTES).
 */
export type LiveKitErrorCode = TwirpCode | "timeout" | "connection_lost" | "too_large";

export type LiveKitErrorHints = ErrorHints<LiveKitErrorCode>;

export function isTwirpCode(code: unknown): code is TwirpCode {
  return typeof code === "string" && (TWIRP_CODES as readonly string[]).includes(code);
}
