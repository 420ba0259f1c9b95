/**
 * Room-code workflows: the code tools return each code with its join link (when the operator set a
 * template), list a room's codes whole (a room has at most 100), and change a code only after checking it
 * belongs to the room named, so room scope holds for a call that 100ms addresses by code alone.
 */
import { ArgumentError } from "../../errors.js";
import type { HmsClient, HmsResult } from "./client.js";
import { joinLinkOf } from "./join-link.js";
import { requestFromArguments } from "./request.js";

type Args = Readonly<Record<string, unknown>>;
type RoomCode = HmsResult<"createRoomCodeForRole">;

/** 100ms keeps at most 100 codes a room: one page of 100 is all of them; the page cap guards a bad cursor. */
const PAGE_SIZE = 100;
const MOST_PAGES = 10;

/** The code with its join link, when the operator has a template. */
function withLink(client: HmsClient, code: RoomCode): RoomCode & { join_url?: string } {
  const template = client.joinUrlTemplate;
  if (template === undefined) {
    return code;
  }
  return {
    ...code,
    join_url: joinLinkOf(template, { code: code.code, room_id: code.room_id, role: code.role }),
  };
}

/** create_room_codes: one code for the role given, else one for every role of the room's template. */
export async function createRoomCodes(client: HmsClient, args: Args, signal: AbortSignal) {
  if (typeof args.role === "string") {
    const code = await client.call(
      "createRoomCodeForRole",
      requestFromArguments("createRoomCodeForRole", args),
      { signal },
    );
    return { data: [withLink(client, code)] };
  }
  const { data } = await client.call("createRoomCodes", requestFromArguments("createRoomCodes", args), {
    signal,
  });
  return { data: data.map((code) => withLink(client, code)) };
}

/** Every code of the room that matches the filters, following 100ms's cursor. */
async function allCodes(client: HmsClient, args: Args, signal: AbortSignal): Promise<RoomCode[]> {
  const codes: RoomCode[] = [];
  let start: string | undefined;
  for (let page = 0; page < MOST_PAGES; page++) {
    const answer = await client.call(
      "listRoomCodes",
      requestFromArguments("listRoomCodes", {
        ...args,
        limit: PAGE_SIZE,
        ...(start === undefined ? {} : { start }),
      }),
      { signal },
    );
    const items = answer.data ?? [];
    codes.push(...items);
    if (typeof answer.last !== "string" || answer.last === "" || items.length < PAGE_SIZE) {
      break;
    }
    start = answer.last;
  }
  return codes;
}

/** list_room_codes: the room's codes, whole, each with its join link. */
export async function listRoomCodes(client: HmsClient, args: Args, signal: AbortSignal) {
  const { limit: _limit, start: _start, ...filters } = args;
  const codes = await allCodes(client, filters, signal);
  return { data: codes.map((code) => withLink(client, code)) };
}

/** update_room_code: only a code of the room named; 100ms itself would change any code of the workspace. */
export async function updateRoomCode(client: HmsClient, args: Args, signal: AbortSignal) {
  const roomId = String(args.room_id);
  const codes = await allCodes(client, { room_id: roomId }, signal);
  if (!codes.some((code) => code.code === args.code)) {
    throw new ArgumentError(
      "code",
      `room ${roomId} has no room code ${JSON.stringify(args.code)}: list_room_codes with this room_id shows its codes`,
    );
  }
  const code = await client.call(
    "updateRoomCode",
    requestFromArguments("updateRoomCode", { code: args.code, enabled: args.enabled }),
    { signal },
  );
  return withLink(client, code);
}
