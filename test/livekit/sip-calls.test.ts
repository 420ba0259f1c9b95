/**
 * Phone calls get deadlines from their ringing: long enough for LiveKit to answer (it holds the request while
 * the phone rings), bounded so the answer comes within the minute clients wait; and a transfer is signed
 * with both the call grant and admin of the call's room, as LiveKit's SipClient signs it.
 */
import { describe, expect, it } from "vitest";
import { ArgumentError } from "../../src/errors.js";
import { grantFor } from "../../src/providers/livekit/token.js";
import {
  dialRequest,
  dialTimeoutMs,
  MAX_WAITED_RINGING_SECONDS,
  transferRequest,
  transferTimeoutMs,
} from "../../src/tools/livekit/sip-calls.js";

const dial = { sip_trunk_id: "ST_Out3mQ8xLr2Z", sip_call_to: "+14155550123", room_name: "support-call-7731" };

describe("dialing", () => {
  it("keeps the configured deadline for a call that is only placed, and waits ringing + 5 s for one it waits on", () => {
    expect(dialTimeoutMs(dialRequest(dial))).toBeUndefined();
    expect(dialTimeoutMs(dialRequest({ ...dial, wait_until_answered: true }))).toBe(35_000);
    expect(dialTimeoutMs(dialRequest({ ...dial, wait_until_answered: true, ringing_timeout: "45s" }))).toBe(
      50_000,
    );
    // Without waiting, the phone may ring as long as LiveKit lets it: the call returns once it is placed.
    expect(dialTimeoutMs(dialRequest({ ...dial, ringing_timeout: "120s" }))).toBeUndefined();
  });

  it(`refuses to wait on more than ${MAX_WAITED_RINGING_SECONDS} s of ringing, naming the argument`, () => {
    const call = () => dialRequest({ ...dial, wait_until_answered: true, ringing_timeout: "50.5s" });
    expect(call).toThrow(ArgumentError);
    expect(call).toThrow(/ringing_timeout is 50.5s/);
  });

  it("bounds transfers the same way", () => {
    const transfer = {
      participant_identity: "callee-1",
      room_name: "support-call-7731",
      transfer_to: "tel:+14155550199",
    };
    expect(transferTimeoutMs(transferRequest(transfer))).toBe(35_000);
    expect(transferTimeoutMs(transferRequest({ ...transfer, ringing_timeout: "20s" }))).toBe(25_000);
    expect(() => transferRequest({ ...transfer, ringing_timeout: "60s" })).toThrow(/at most 50s/);
  });

  it("signs a transfer with sip.call and admin of the call's room", () => {
    expect(grantFor("sipTransfer", { room: "support-call-7731" })).toStrictEqual({
      video: { roomAdmin: true, room: "support-call-7731" },
      sip: { call: true },
    });
    expect(() => grantFor("sipTransfer", {})).toThrow(ArgumentError);
  });
});
