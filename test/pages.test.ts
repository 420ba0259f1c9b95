/**
 * The pieces every list tool shares: opaque cursors (cursor.ts), page cuts (pages.ts), the result budget
 * (budget.ts), arguments as clients send them (argument-forms.ts) and the advertised schemas
 * (lean-schemas.ts). The tools themselves run through the fixtures and test/large-room.test.ts.
 */
import { describe, expect, it } from "vitest";
import { normalizeArguments } from "../src/argument-forms.js";
import { isArgumentError } from "../src/errors.js";
import {
  DEFAULT_MAX_RESULT_BYTES,
  fitToBudget,
  jsonBytes,
  MAX_RESULT_BYTES_VARIABLE,
  maxResultBytes,
} from "../src/tools/budget.js";
import { continuedQuery, decodeCursor, encodeCursor } from "../src/tools/cursor.js";
import { leanInputSchema, leanOutputSchema } from "../src/tools/lean-schemas.js";
import { byKey, cutPage, firstAfter } from "../src/tools/pages.js";
import { cutText, pickSchema } from "../src/tools/views.js";

/** The ArgumentError a call throws, as `argument: message` (fails when it throws none). */
function argumentError(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    if (isArgumentError(error)) {
      return `${error.argument}: ${error.message}`;
    }
    throw error;
  }
  throw new Error("expected an ArgumentError");
}

describe("cursors", () => {
  const state = {
    tool: "livekit/list_participants",
    query: { room: "a" },
    after: "bob",
    pins: { room_sid: "RM_1" },
  };

  it("carry the listing back intact", () => {
    expect(decodeCursor(encodeCursor(state), state.tool)).toEqual(state);
  });

  it("must fail: an edited or damaged cursor is refused, saying to pass next_cursor as returned", () => {
    const cursor = encodeCursor(state);
    const edited = `${cursor.slice(0, 5)}${cursor[5] === "A" ? "B" : "A"}${cursor.slice(6)}`;
    for (const bad of [edited, cursor.slice(0, -1), `${cursor}.x`, "not-a-cursor", ""]) {
      expect(argumentError(() => decodeCursor(bad, state.tool))).toMatch(/^cursor: .*exactly as returned/);
    }
  });

  it("must fail: a cursor of another tool is refused, naming that tool", () => {
    expect(argumentError(() => decodeCursor(encodeCursor(state), "livekit/list_rooms"))).toBe(
      "cursor: this cursor continues list_participants, not list_rooms: pass it to list_participants, or leave cursor out to start from the first page",
    );
  });

  it("keep the query of the first page: repeated or left out, never changed", () => {
    expect(continuedQuery(state, {})).toEqual({ room: "a" });
    expect(continuedQuery(state, { room: "a" })).toEqual({ room: "a" });
    expect(argumentError(() => continuedQuery(state, { room: "b" }))).toContain('made with room "a"');
    expect(argumentError(() => continuedQuery(state, { search: "x" }))).toContain("made without search");
  });

  it("compare arguments whatever their key order", () => {
    const nested = { ...state, query: { filter: { a: 1, b: 2 } } };
    expect(continuedQuery(nested, { filter: { b: 2, a: 1 } })).toEqual(nested.query);
  });
});

describe("pages", () => {
  const items = ["d", "a", "c", "b", "e"].sort(byKey((x: string) => x));
  const page = (from: number, limit: number, maxBytes = 100_000) =>
    cutPage(items, { from, limit, maxBytes, envelopeBytes: 0, noun: "letters", view: (x) => ({ x }) });

  it("order by key and continue after the last key shown", () => {
    expect(items).toEqual(["a", "b", "c", "d", "e"]);
    expect(firstAfter(items, (x) => x, undefined)).toBe(0);
    expect(firstAfter(items, (x) => x, "b")).toBe(2);
    expect(firstAfter(items, (x) => x, "bb")).toBe(2);
    expect(firstAfter(items, (x) => x, "e")).toBe(5);
  });

  it("stop at the limit, saying how many remain", () => {
    const cut = page(1, 2);
    expect(cut.views).toEqual([{ x: "b" }, { x: "c" }]);
    expect(cut.last).toBe("c");
    expect(cut.remaining).toBe(2);
    expect(cut.note).toBeUndefined();
  });

  it("stop where the budget ends, with a note, but always show one item", () => {
    const big = ["x".repeat(600), "y".repeat(600), "z".repeat(600)];
    const cut = cutPage(big, {
      from: 0,
      limit: 3,
      maxBytes: 1500,
      envelopeBytes: 0,
      noun: "texts",
      view: (text) => text,
    });
    expect(cut.views).toHaveLength(1);
    expect(cut.remaining).toBe(2);
    expect(cut.note).toContain("1 texts shown instead of 3");
    expect(cut.note).toContain(MAX_RESULT_BYTES_VARIABLE);
  });
});

describe("the result budget", () => {
  it("is 40,000 bytes unless the operator sets another, and refuses values it cannot keep", () => {
    expect(maxResultBytes({})).toBe(DEFAULT_MAX_RESULT_BYTES);
    expect(maxResultBytes({ [MAX_RESULT_BYTES_VARIABLE]: "100000" })).toBe(100_000);
    for (const bad of ["lots", "1e9", "1024", "40000.5"]) {
      expect(() => maxResultBytes({ [MAX_RESULT_BYTES_VARIABLE]: bad })).toThrow(MAX_RESULT_BYTES_VARIABLE);
    }
  });

  it("leaves a result within it untouched", () => {
    const result = { rooms: [{ name: "a" }] };
    expect(fitToBudget(result, undefined, 5000)).toBe(result);
  });

  it("cuts the largest list at an item boundary and says what was left out", () => {
    const result = {
      participants: Array.from({ length: 500 }, (_, i) => ({ identity: `p${i}`, pad: "x".repeat(40) })),
    };
    const cut = fitToBudget(result, undefined, 5000);
    expect(jsonBytes(cut)).toBeLessThanOrEqual(5000);
    const kept = (cut.participants as unknown[]).length;
    expect(kept).toBeGreaterThan(0);
    expect(cut.participants).toEqual(result.participants.slice(0, kept));
    expect(cut.truncated).toContain(`participants: ${kept} of 500 items kept`);
    expect(result.participants).toHaveLength(500);
  });

  it("cuts maps the schema declares, entry by entry, inside a single large item", () => {
    const peers = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [`peer-${i}`, { name: "n".repeat(30) }]),
    );
    const schema = {
      type: "object",
      properties: {
        data: {
          type: "array",
          items: {
            type: "object",
            properties: { peers: { type: "object", additionalProperties: { type: "object" } } },
          },
        },
      },
    };
    const cut = fitToBudget({ data: [{ id: "s1", peers }] }, schema, 5000);
    expect(jsonBytes(cut)).toBeLessThanOrEqual(5000);
    const [session] = cut.data as { id: string; peers: object }[];
    expect(session?.id).toBe("s1");
    expect(Object.keys(session?.peers ?? {}).length).toBeGreaterThan(0);
    expect(cut.truncated).toMatch(/data\[0\]\.peers: \d+ of 300 entries kept/);
  });

  it("shortens a huge text before dropping the lists beside it", () => {
    const result = { metadata: "m".repeat(50_000), tracks: [{ sid: "TR_1" }, { sid: "TR_2" }] };
    const cut = fitToBudget(result, undefined, 5000);
    expect(jsonBytes(cut)).toBeLessThanOrEqual(5000);
    expect(cut.tracks).toEqual(result.tracks);
    expect(String(cut.metadata).endsWith("…")).toBe(true);
    expect(cut.truncated).toMatch(/metadata: cut to \d+ of 50000 characters/);
  });

  it("never drops the items of a page (next_cursor continues after them), only cuts inside them", () => {
    const page = { participants: [{ identity: "a", metadata: "m".repeat(20_000) }], next_cursor: "c" };
    const cut = fitToBudget(page, undefined, 5000);
    expect((cut.participants as unknown[]).length).toBe(1);
    expect(jsonBytes(cut)).toBeLessThanOrEqual(5000);
  });
});

describe("arguments as clients send them", () => {
  const schema = {
    type: "object",
    properties: {
      room: { type: "string" },
      kind: { type: "string", enum: ["A", "B"] },
      left_at: { type: ["string", "null"] },
      names: { type: "array", items: { type: "string" } },
      attributes: { type: "object", additionalProperties: { type: "string" } },
      agents: {
        type: "array",
        items: { type: "object", properties: { name: { type: "string" }, metadata: { type: "string" } } },
      },
      text: { type: "string" },
    },
  };

  it("read null for an optional argument as not given, at any depth, unless null is allowed", () => {
    expect(
      normalizeArguments(schema, {
        room: "r",
        kind: null,
        left_at: null,
        agents: [{ name: "a", metadata: null }],
      }),
    ).toEqual({
      room: "r",
      left_at: null,
      agents: [{ name: "a" }],
    });
  });

  it("decode an object or array sent as JSON text, where the schema takes no string", () => {
    expect(
      normalizeArguments(schema, {
        names: '["a","b"]',
        attributes: '{"k":"v"}',
        agents: '[{"name":"x","metadata":null}]',
      }),
    ).toEqual({
      names: ["a", "b"],
      attributes: { k: "v" },
      agents: [{ name: "x" }],
    });
  });

  it("must fail: leave text alone where it is ambiguous or wrong (a string argument, other JSON, no JSON)", () => {
    const given = { text: '{"a":1}', names: '{"not":"an array"}', attributes: "[1]", room: "{" };
    expect(normalizeArguments(schema, given)).toBe(given);
  });

  it("return the arguments themselves when nothing needs reading differently", () => {
    const given = { room: "r", names: ["a"] };
    expect(normalizeArguments(schema, given)).toBe(given);
  });
});

describe("advertised schemas", () => {
  it("inputs lose titles, examples and the top description, keep what validates and explains", () => {
    const input = {
      type: "object",
      description: "The request.",
      properties: {
        at: { title: "Timestamp", description: "When.", type: "string", pattern: "^x$", examples: ["x"] },
      },
      required: ["at"],
      additionalProperties: false,
    };
    expect(leanInputSchema(input)).toEqual({
      type: "object",
      properties: { at: { description: "When.", type: "string", pattern: "^x$" } },
      required: ["at"],
      additionalProperties: false,
    });
  });

  it("a whole object is typed at its top level, open; a page is spelled out to its items' tracks and closed", () => {
    const object = {
      type: "object",
      description: "A participant.",
      properties: {
        sid: { type: "string", description: "Sid.", pattern: "^PA_" },
        state: { type: "string", enum: ["ACTIVE"] },
        tracks: { type: "array", items: { type: "object", properties: { sid: { type: "string" } } } },
      },
      required: ["sid"],
      additionalProperties: false,
    };
    expect(leanOutputSchema(object)).toEqual({
      type: "object",
      properties: {
        sid: { type: "string" },
        state: { type: "string" },
        tracks: { type: "array", items: { type: "object" } },
      },
    });
    const page = {
      type: "object",
      properties: {
        participants: { type: "array", items: object },
        next_cursor: { type: ["string", "null"] },
      },
      additionalProperties: false,
    };
    expect(leanOutputSchema(page)).toEqual({
      type: "object",
      properties: {
        participants: {
          type: "array",
          items: {
            type: "object",
            properties: {
              sid: { type: "string" },
              state: { type: "string" },
              tracks: { type: "array", items: { type: "object", properties: { sid: { type: "string" } } } },
            },
            required: ["sid"],
            additionalProperties: false,
          },
        },
        next_cursor: { type: ["string", "null"] },
        truncated: { type: "string" },
      },
      additionalProperties: false,
    });
  });
});

describe("views", () => {
  it("pick properties of a generated schema, and must fail on a name it lacks", () => {
    const schema = {
      type: "object",
      properties: { a: { type: "string" }, b: { type: "integer" } },
      required: ["a", "b"],
    };
    expect(pickSchema(schema, ["a"], "test")).toEqual({
      type: "object",
      properties: { a: { type: "string" } },
      required: ["a"],
    });
    expect(() => pickSchema(schema, ["c"], "test")).toThrow('no property "c"');
  });

  it("cut text to a stated length with an ellipsis, never inside a surrogate pair", () => {
    expect(cutText("short", 10)).toBe("short");
    expect(cutText("abcdefghij", 4)).toBe("abcd…");
    expect(cutText("abc😀def", 4)).toBe("abc…");
  });
});
