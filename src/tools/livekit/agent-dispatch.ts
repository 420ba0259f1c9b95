/**
 * The AgentDispatchService part of the LiveKit manifest: sending agents (e.g. a voice agent) into rooms.
 *
 * Results leave out the room and participant snapshots each job carries: the room is the one asked about,
 * and a participant's state is what list_participants shows now.
 */
import {
  type AgentDispatch,
  AgentDispatchSchema,
  AgentDispatchService,
  type ListAgentDispatchResponseSchema,
} from "../../generated/livekit/livekit_agent_dispatch_pb.js";
import type { LiveKitErrorHints } from "../../providers/livekit/errors.js";
import { ANNOTATIONS } from "../define.js";
import type { ServiceManifest } from "./index.js";
import { listTool } from "./list-tool.js";
import { wholeListing } from "./listings.js";
import { rpcTool } from "./rpc-tool.js";

const { method } = AgentDispatchService;

const { read: READ, write: WRITE, destructive: DESTRUCTIVE } = ANNOTATIONS;

const JOB_SNAPSHOTS = ["state.jobs[].room", "state.jobs[].participant"];
const DISPATCH_RESULT = { omit: JOB_SNAPSHOTS };

const ROOM_NOT_OPEN: LiveKitErrorHints = {
  not_found: "No open room has that name: list_rooms shows the rooms that exist now.",
};

export const agentDispatchService: ServiceManifest = {
  service: AgentDispatchService,
  tools: [
    rpcTool({
      name: "create_agent_dispatch",
      title: "Send an agent into a room",
      description:
        "Dispatch an agent into a room by the name its worker registered under (agent_name): a running worker of " +
        "that name gets a job and joins the room as a participant, with metadata (and attributes) handed to it, " +
        "e.g. instructions. If no worker of that name is running, the dispatch is created but no agent joins " +
        "(list_agent_dispatches shows it without jobs). A room that is not open is created first, unless the server " +
        "turned room auto-creation off. Every call dispatches another agent.",
      annotations: WRITE,
      rpc: method.createDispatch,
      grant: "roomAdmin",
      input: { required: ["agent_name", "room"] },
      result: DISPATCH_RESULT,
      errorHints: {
        ...ROOM_NOT_OPEN,
        invalid_argument:
          "LiveKit refused an argument (the message says which): metadata is limited to 512 KiB and attributes to " +
          "64 KiB by default, and deployment must name a deployment of the project.",
      },
    }),
    listTool({
      name: "list_agent_dispatches",
      title: "List the agents dispatched into a room",
      description:
        "List a room's agent dispatches by id, 20 a page (next_cursor continues), or one with dispatch_id: which " +
        "agent, its metadata, and its jobs with their status (JS_PENDING until a worker accepts, JS_RUNNING, then " +
        "JS_SUCCESS or JS_FAILED) and the identity the agent joined with. Agents dispatched by create_room or by a " +
        "join token are listed too.",
      annotations: READ,
      rpc: method.listDispatch,
      grant: "roomAdmin",
      input: { required: ["room"] },
      listing: wholeListing<typeof ListAgentDispatchResponseSchema, AgentDispatch>({
        items: (response) => response.agentDispatches,
        item: AgentDispatchSchema,
        property: "agent_dispatches",
        noun: "dispatches",
        key: (dispatch) => dispatch.id,
        omit: JOB_SNAPSHOTS,
        room: "room",
      }),
      errorHints: ROOM_NOT_OPEN,
    }),
    rpcTool({
      name: "delete_agent_dispatch",
      title: "Remove a dispatched agent from a room",
      description:
        "Delete an agent dispatch: its jobs are ended and the agents it sent leave the room (LiveKit removes an agent " +
        "that does not leave within a few seconds). The agent does not come back unless dispatched again.",
      annotations: DESTRUCTIVE,
      rpc: method.deleteDispatch,
      grant: "roomAdmin",
      input: { required: ["dispatch_id", "room"] },
      result: DISPATCH_RESULT,
      errorHints: {
        not_found:
          "The room is not open, or it has no dispatch with that id: list_agent_dispatches shows the room's dispatches.",
      },
    }),
  ],
  excluded: [],
};
