/**
 * Relations between tool arguments that JSON Schema could only say with oneOf/anyOf, which input schemas
 * avoid (several LLM clients reject top-level composition). Manifests declare them as data; they are
 * checked here, in one place, before a tool runs, with messages that name the arguments.
 */
import { ArgumentError } from "../errors.js";
import type { ToolArguments } from "./define.js";

export interface ArgumentRelation {
  /**
   * exactlyOne: one of the arguments, never two. atMostOne: none or one. atLeastOne: one or more.
   */
  readonly kind: "exactlyOne" | "atMostOne" | "atLeastOne";
  readonly arguments: readonly string[];
  /** Why, in a few words, appended to the message (e.g. "whom to remove"). */
  readonly why?: string;
}

export const exactlyOne = (names: readonly string[], why?: string): ArgumentRelation =>
  relation("exactlyOne", names, why);
export const atMostOne = (names: readonly string[], why?: string): ArgumentRelation =>
  relation("atMostOne", names, why);
export const atLeastOne = (names: readonly string[], why?: string): ArgumentRelation =>
  relation("atLeastOne", names, why);

function relation(kind: ArgumentRelation["kind"], names: readonly string[], why?: string): ArgumentRelation {
  if (names.length < 2) {
    throw new Error(`a ${kind} relation needs at least two arguments, got ${names.join(", ")}`);
  }
  return { kind, arguments: names, ...(why === undefined ? {} : { why }) };
}

/** Throws an ArgumentError for the first relation the arguments break. */
export function checkRelations(relations: readonly ArgumentRelation[], args: ToolArguments): void {
  for (const { kind, arguments: names, why } of relations) {
    const given = names.filter((name) => args[name] !== undefined);
    const suffix = why === undefined ? "" : ` (${why})`;
    const [first] = names as [string, ...string[]];
    if (given.length === 0 && kind !== "atMostOne") {
      const what = kind === "exactlyOne" ? "exactly one" : "at least one";
      throw new ArgumentError(first, `give ${what} of ${list(names)}${suffix}`);
    }
    if (given.length > 1 && kind !== "atLeastOne") {
      const only = given.length === 2 ? "not both" : "only one of them";
      throw new ArgumentError(given[1] as string, `give ${list(names)}, ${only}${suffix}`);
    }
  }
}

/** `a`, `a or b`, `a, b or c`. */
function list(names: readonly string[]): string {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}
