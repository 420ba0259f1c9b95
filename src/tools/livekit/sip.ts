/**
 * The SIP part of the LiveKit manifest: phone calls into rooms, and a read-only view of the telephony setup
 * (trunks and dispatch rules). Setting telephony up is left to the operator; see the exclusions.
 */
import {
  type ListSIPDispatchRuleResponseSchema,
  type ListSIPInboundTrunkResponseSchema,
  type ListSIPOutboundTrunkResponseSchema,
  SIP,
  type SIPDispatchRuleInfo,
  SIPDispatchRuleInfoSchema,
  type SIPInboundTrunkInfo,
  SIPInboundTrunkInfoSchema,
  type SIPOutboundTrunkInfo,
  SIPOutboundTrunkInfoSchema,
} from "../../generated/livekit/livekit_sip_pb.js";
import type { LiveKitErrorHints } from "../../providers/livekit/errors.js";
import { ANNOTATIONS } from "../define.js";
import type { ServiceManifest } from "./index.js";
import { listTool } from "./list-tool.js";
import { wholeListing } from "./listings.js";
import { rpcTool } from "./rpc-tool.js";
import {
  dialRequest,
  dialTimeoutMs,
  MAX_WAITED_RINGING_SECONDS,
  transferRequest,
  transferTimeoutMs,
} from "./sip-calls.js";

const { method } = SIP;

const { read: READ, write: WRITE, destructive: DESTRUCTIVE } = ANNOTATIONS;

const NO_SIP_SERVICE: LiveKitErrorHints = {
  internal:
    'If the message says "sip not connected (redis required)", this server has no SIP service: self-hosted ' +
    "LiveKit needs Redis (and, for calls, the separate SIP process, livekit/sip); LiveKit Cloud has it built in. " +
    "Otherwise check the server's logs.",
  unavailable:
    'If LiveKit answered "no response from servers", no SIP service took the call: on a self-hosted server start ' +
    "the SIP process (sharing the server's Redis). If LiveKit could not be reached, check LIVEKIT_URL.",
};

/** A call that fails on the phone network comes back with the SIP status in the error's details. */
const CALL_FAILED: LiveKitErrorHints = {
  resource_exhausted:
    "The callee's side answered busy or unavailable (details: sip_status_code, e.g. 486 Busy Here, 480 Temporarily " +
    "Unavailable, 600 Busy Everywhere), or LiveKit is limiting requests: try again later, not at once.",
  permission_denied:
    "The call was refused: by LiveKit (this API key may lack the SIP call permission) or by the phone network " +
    "(details: sip_status_code, e.g. 403 Forbidden or 603 Decline, or the trunk's credentials).",
  failed_precondition:
    "The SIP provider failed the call (details: sip_status_code, a 5xx of the provider): check the trunk's address " +
    "and the provider's status.",
  deadline_exceeded: "Nobody answered in time (details: sip_status_code 408 or 504, if the network said so).",
};

const LIST_TRUNKS =
  "Trunks are the operator's telephony setup (made in the LiveKit dashboard or with `lk sip`); passwords show as " +
  "[redacted]. Self-hosted servers keep them in Redis and answer an error without it.";

export const sipService: ServiceManifest = {
  service: SIP,
  tools: [
    listTool({
      name: "list_sip_inbound_trunks",
      title: "List inbound phone trunks",
      description:
        "List the trunks that accept phone calls from SIP providers by sip_trunk_id, 20 a page (next_cursor " +
        "continues): their numbers, allowed callers and addresses, and settings; optionally only some trunk_ids or " +
        `numbers. ${LIST_TRUNKS}`,
      annotations: READ,
      rpc: method.listSIPInboundTrunk,
      grant: "sipAdmin",
      // Asked for whole (no page): the tool pages with limit and cursor like every list.
      input: { omit: ["page"] },
      listing: wholeListing<typeof ListSIPInboundTrunkResponseSchema, SIPInboundTrunkInfo>({
        items: (response) => response.items,
        item: SIPInboundTrunkInfoSchema,
        property: "items",
        noun: "trunks",
        key: (trunk) => trunk.sipTrunkId,
      }),
      errorHints: NO_SIP_SERVICE,
    }),
    listTool({
      name: "list_sip_outbound_trunks",
      title: "List outbound phone trunks",
      description:
        "List the trunks calls can be placed through by sip_trunk_id (what create_sip_participant takes), 20 a page " +
        "(next_cursor continues): provider address and the numbers calls come from; optionally only some trunk_ids " +
        `or numbers. ${LIST_TRUNKS}`,
      annotations: READ,
      rpc: method.listSIPOutboundTrunk,
      grant: "sipAdmin",
      input: { omit: ["page"] },
      listing: wholeListing<typeof ListSIPOutboundTrunkResponseSchema, SIPOutboundTrunkInfo>({
        items: (response) => response.items,
        item: SIPOutboundTrunkInfoSchema,
        property: "items",
        noun: "trunks",
        key: (trunk) => trunk.sipTrunkId,
      }),
      errorHints: NO_SIP_SERVICE,
    }),
    listTool({
      name: "list_sip_dispatch_rules",
      title: "List rules for incoming calls",
      description:
        "List the dispatch rules that route incoming calls into rooms by sip_dispatch_rule_id, 20 a page " +
        "(next_cursor continues): one fixed room, a room per caller, or a room per called number, the trunks and " +
        "numbers they apply to, and the agents their rooms get. Room PINs show as [redacted]; the automatic " +
        "recording a rule's rooms may have is left out. Rules are the operator's setup.",
      annotations: READ,
      rpc: method.listSIPDispatchRule,
      grant: "sipAdmin",
      input: { omit: ["page"] },
      listing: wholeListing<typeof ListSIPDispatchRuleResponseSchema, SIPDispatchRuleInfo>({
        items: (response) => response.items,
        item: SIPDispatchRuleInfoSchema,
        property: "items",
        noun: "dispatch rules",
        key: (rule) => rule.sipDispatchRuleId,
        omit: ["room_config.egress"],
      }),
      errorHints: NO_SIP_SERVICE,
    }),
    rpcTool({
      name: "create_sip_participant",
      title: "Call a phone number into a room",
      description:
        "Dial a phone number (sip_call_to, e.g. +15105550100) through an outbound trunk (sip_trunk_id, from " +
        "list_sip_outbound_trunks) and bring the call into a room as a participant. Needs an outbound trunk at a SIP " +
        "provider (and, self-hosted, the separate SIP service). By default it returns once the call is placed, while " +
        "the phone rings; with wait_until_answered: true it returns once the callee answers, or fails with the SIP " +
        `status (busy, no answer, rejected); ringing_timeout (default 30s, at most ${MAX_WAITED_RINGING_SECONDS}s ` +
        "when waiting) bounds the ringing. krisp_enabled and destination work on LiveKit Cloud only. Every call dials " +
        "again, and phone minutes cost money.",
      annotations: WRITE,
      rpc: method.createSIPParticipant,
      grant: "sipCall",
      // An inline trunk would put provider credentials into arguments, and raw SIP headers bypass the trunk's
      // own; calls go through the operator's trunks.
      input: {
        omit: ["trunk", "sip_request_uri", "sip_to_header", "sip_from_header"],
        required: ["sip_trunk_id", "sip_call_to", "room_name"],
      },
      toRequest: dialRequest,
      timeoutMs: dialTimeoutMs,
      errorHints: {
        ...NO_SIP_SERVICE,
        ...CALL_FAILED,
        not_found:
          "No outbound trunk has that id (list_sip_outbound_trunks shows them), or the network reports the number " +
          "unknown (details: sip_status_code 404 or 604).",
        timeout:
          "No answer came in time; the phone may still ring or the call may be up: list_participants shows whether " +
          "the call's participant joined the room before calling again.",
      },
    }),
    rpcTool({
      name: "transfer_sip_participant",
      title: "Transfer a phone call out of a room",
      description:
        "Transfer a call in a room (a SIP participant, by identity) to another phone number or SIP address " +
        "(transfer_to: tel:+15105550100 or sip:agent@example.com) with a SIP REFER: when it succeeds the caller is " +
        "connected there and leaves the room. Waits for the target to answer (ringing_timeout, default 30s, at most " +
        `${MAX_WAITED_RINGING_SECONDS}s). Only calls that came through a SIP trunk can be transferred, and the ` +
        "provider must allow transfers.",
      annotations: DESTRUCTIVE,
      rpc: method.transferSIPParticipant,
      grant: "sipTransfer",
      input: { required: ["participant_identity", "room_name", "transfer_to"] },
      toRequest: transferRequest,
      timeoutMs: transferTimeoutMs,
      errorHints: {
        ...NO_SIP_SERVICE,
        ...CALL_FAILED,
        not_found:
          "No SIP participant with that identity is in the room: list_participants shows who is there (kind SIP).",
        invalid_argument:
          "LiveKit refused the transfer (the message says why): a participant that is not a phone call has no SIP " +
          "session to transfer, and transfer_to must be a tel: or sip: URI.",
        timeout:
          "No answer came in time; the transfer may still go on: list_participants shows whether the caller is still " +
          "in the room before trying again.",
      },
    }),
  ],
  excluded: [
    {
      operation: "livekit.SIP/ListSIPTrunk",
      reason:
        "Deprecated trunk API; list_sip_inbound_trunks and list_sip_outbound_trunks list today's trunks.",
    },
    ...[
      "CreateSIPInboundTrunk",
      "CreateSIPOutboundTrunk",
      "UpdateSIPInboundTrunk",
      "UpdateSIPOutboundTrunk",
      "DeleteSIPTrunk",
      "CreateSIPDispatchRule",
      "UpdateSIPDispatchRule",
      "DeleteSIPDispatchRule",
    ].map((name) => ({
      operation: `livekit.SIP/${name}`,
      reason:
        "Telephony setup (provider credentials, numbers that cost money, routing of every incoming call) is the " +
        "operator's, done once in the LiveKit dashboard or with `lk sip`; the tools read it but do not change it.",
    })),
    ...["GetSIPInboundTrunk", "GetSIPOutboundTrunk"].map((name) => ({
      operation: `livekit.SIP/${name}`,
      reason: "The list tools with trunk_ids return the same trunk; one tool per direction is enough.",
    })),
  ],
};
