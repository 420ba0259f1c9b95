/**
 * Phone calls wait on the phone network: LiveKit holds the request open while a call rings (and, with
 * wait_until_answered, until it is answered), so these calls get deadlines from their own ringing timeouts,
 * bounded so that an answer still comes within the minute MCP clients usually wait.
 */
import type { MessageShape } from "@bufbuild/protobuf";
import type { Duration } from "@bufbuild/protobuf/wkt";
import { ArgumentError } from "../../errors.js";
import {
  CreateSIPParticipantRequestSchema,
  TransferSIPParticipantRequestSchema,
} from "../../generated/livekit/livekit_sip_pb.js";
import type { ToolArguments } from "../define.js";
import { requestFromArguments } from "./rpc-tool.js";

/** LiveKit's own default ringing time, in seconds (livekit-server-sdk uses the same). */
const DEFAULT_RINGING_SECONDS = 30;
/** The longest ringing a waiting call may ask for: with the margin below it answers within 55 s. */
export const MAX_WAITED_RINGING_SECONDS = 50;
/** Time on top of the ringing for LiveKit and the SIP service to answer. */
const MARGIN_MS = 5_000;

type DialRequest = MessageShape<typeof CreateSIPParticipantRequestSchema>;
type TransferRequest = MessageShape<typeof TransferSIPParticipantRequestSchema>;

function seconds(duration: Duration | undefined): number | undefined {
  return duration === undefined ? undefined : Number(duration.seconds) + duration.nanos / 1e9;
}

function checkRinging(argument: string, duration: Duration | undefined): void {
  const ringing = seconds(duration);
  if (ringing !== undefined && ringing > MAX_WAITED_RINGING_SECONDS) {
    throw new ArgumentError(
      argument,
      `${argument} is ${ringing}s; a call this tool waits on may ring at most ${MAX_WAITED_RINGING_SECONDS}s, so ` +
        "that the answer comes back before the client gives up",
    );
  }
}

/** create_sip_participant: the request, with a ringing time it can wait for when it waits for the answer. */
export function dialRequest(args: ToolArguments): DialRequest {
  const request = requestFromArguments(CreateSIPParticipantRequestSchema, args);
  if (request.waitUntilAnswered) {
    checkRinging("ringing_timeout", request.ringingTimeout);
  }
  return request;
}

/**
 * Waiting, LiveKit answers once the call is answered or has rung out: ringing plus a margin. Without waiting
 * it answers once the call is placed, within the configured deadline (as LiveKit's own SDK does); undefined
 * keeps that deadline.
 */
export function dialTimeoutMs(request: DialRequest): number | undefined {
  if (!request.waitUntilAnswered) {
    return undefined;
  }
  return (seconds(request.ringingTimeout) ?? DEFAULT_RINGING_SECONDS) * 1000 + MARGIN_MS;
}

/** transfer_sip_participant always waits for the transfer target to answer (or ring out). */
export function transferRequest(args: ToolArguments): TransferRequest {
  const request = requestFromArguments(TransferSIPParticipantRequestSchema, args);
  checkRinging("ringing_timeout", request.ringingTimeout);
  return request;
}

export function transferTimeoutMs(request: TransferRequest): number {
  return (seconds(request.ringingTimeout) ?? DEFAULT_RINGING_SECONDS) * 1000 + MARGIN_MS;
}
