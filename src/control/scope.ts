/**
 * Room scope (`--rooms PATTERN,…`): the rooms an agent may act on. Patterns are globs (`*`, `?`) over
 * LiveKit room names, or over 100ms room ids or names. A call naming a room outside the scope is refused
 * before anything is sent; lists show only rooms in scope; a tool that cannot be confined is not served.
 */
import { PolicyError } from "../errors.js";
import { isRecord } from "../json.js";
import type { ToolArguments, ToolTargets } from "../tools/define.js";

export interface RoomScope {
  readonly patterns: readonly string[];
  allows(value: string): boolean;
}

export function roomScope(patterns: readonly string[]): RoomScope {
  const compiled = patterns.map(
    (p) =>
      new RegExp(
        `^${p
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, ".*")
          .replace(/\?/g, ".")}$`,
        "s",
      ),
  );
  return { patterns, allows: (value) => compiled.some((re) => re.test(value)) };
}

/**
 * What a resolver is asked about: a room by id (`kind: "room"`), or a thing of a kind a tool's
 * `belongsTo` names (a session, an egress), whose room is read.
 */
export interface RoomRef {
  readonly kind: string;
  readonly id: string;
}

/** Resolves a room id, or the id of something in one room, to the room's id and name. */
export type RoomResolver = (
  ref: RoomRef,
  signal: AbortSignal,
) => Promise<{ readonly id: string; readonly name: string }>;

/**
 * Whether a tool can be confined to rooms at all (otherwise it is not served under a scope): its arguments
 * or its result name the room, or it lists rooms (its list is filtered).
 */
export function isScopable(targets: ToolTargets): boolean {
  return (
    (targets.roomNames?.length ?? 0) > 0 ||
    (targets.roomIds?.length ?? 0) > 0 ||
    Object.keys(targets.belongsTo ?? {}).length > 0 ||
    targets.resultRoomId !== undefined ||
    targets.listsRooms !== undefined
  );
}

/**
 * Refuses a call whose arguments name a room outside the scope, or that names no room where it would
 * otherwise reach every room. Reads (resolving an id to a name) may be sent; nothing that acts is.
 */
export async function checkCallScope(
  scope: RoomScope,
  targets: ToolTargets,
  args: ToolArguments,
  resolve: RoomResolver | undefined,
  signal: AbortSignal,
): Promise<void> {
  const outside = (what: string) =>
    new PolicyError(
      `${what} is outside the rooms this server may act on (--rooms ${scope.patterns.join(",")}); nothing was sent`,
    );
  let named = false;
  for (const argument of targets.roomNames ?? []) {
    for (const name of values(args[argument])) {
      named = true;
      if (!scope.allows(name)) {
        throw outside(`room '${name}' (${argument})`);
      }
    }
  }
  for (const [argument, kind] of [
    ...(targets.roomIds ?? []).map((a) => [a, "room"] as const),
    ...Object.entries(targets.belongsTo ?? {}),
  ]) {
    for (const value of values(args[argument])) {
      named = true;
      if (kind === "room" && scope.allows(value)) {
        continue;
      }
      if (resolve === undefined) {
        throw outside(`${argument} '${value}'`);
      }
      const room = await resolve({ kind, id: value }, signal);
      if (!scope.allows(room.id) && !scope.allows(room.name)) {
        throw outside(`${argument} '${value}' (room '${room.name}')`);
      }
    }
  }
  if (!named && targets.listsRooms === undefined && targets.resultRoomId === undefined) {
    const which = [
      ...(targets.roomNames ?? []),
      ...(targets.roomIds ?? []),
      ...Object.keys(targets.belongsTo ?? {}),
    ];
    throw new PolicyError(
      `with a room scope set (--rooms ${scope.patterns.join(",")}), give ${which.join(" or ")}: ` +
        "without it this call reaches every room",
    );
  }
}

/** A list result with the rooms outside the scope left out (and the count of them said). */
export function filterListedRooms(
  scope: RoomScope,
  targets: ToolTargets,
  result: Record<string, unknown>,
): Record<string, unknown> {
  const listed = targets.listsRooms;
  if (listed === undefined || !Array.isArray(result[listed.property])) {
    return result;
  }
  const rooms = (result[listed.property] as unknown[]).filter((room) => {
    if (!isRecord(room)) {
      return false;
    }
    const name = room[listed.name];
    const id = listed.id === undefined ? undefined : room[listed.id];
    return (typeof name === "string" && scope.allows(name)) || (typeof id === "string" && scope.allows(id));
  });
  return { ...result, [listed.property]: rooms };
}

/** After a read whose result names its room: refuses to show a room outside the scope. */
export async function checkResultRoom(
  scope: RoomScope,
  targets: ToolTargets,
  result: Record<string, unknown>,
  resolve: RoomResolver | undefined,
  signal: AbortSignal,
): Promise<void> {
  const property = targets.resultRoomId;
  const roomId = property === undefined ? undefined : result[property];
  if (typeof roomId !== "string" || scope.allows(roomId)) {
    return;
  }
  const room = resolve === undefined ? undefined : await resolve({ kind: "room", id: roomId }, signal);
  if (room === undefined || (!scope.allows(room.id) && !scope.allows(room.name))) {
    throw new PolicyError(
      `this belongs to room ${roomId}, outside the rooms this server may act on (--rooms ${scope.patterns.join(",")})`,
    );
  }
}

function values(value: unknown): string[] {
  if (typeof value === "string" && value !== "") {
    return [value];
  }
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string" && v !== "") : [];
}
