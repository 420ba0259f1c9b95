/**
 * The OpenAPI → tool-schema rules (codegen/openapi-operations.ts), on small hand-made documents and on the
 * real 100ms spec.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, describe, expect, it } from "vitest";
import {
  cleanDescription,
  type JsonObject,
  loadDereferencedSpec,
  operationsFromSpec,
} from "../../codegen/openapi-operations.js";

const ERROR = {
  description: "Error body.",
  type: "object",
  properties: { message: { description: "What went wrong.", type: "string" } },
};
const errorResponse = { description: "Error.", content: { "application/json": { schema: ERROR } } };
/** What an id looks like in these documents: one path segment. */
const ID = "^[A-Za-z0-9_-]+$";
const json = (schema: JsonObject) => ({ description: "ok", content: { "application/json": { schema } } });

/** A one-path document; `operation` fills in the rest. */
function doc(path: string, method: string, operation: JsonObject, pathItem: JsonObject = {}): JsonObject {
  return {
    openapi: "3.1.0",
    paths: {
      [path]: {
        ...pathItem,
        [method]: { responses: { "200": json({ type: "object" }), "404": errorResponse }, ...operation },
      },
    },
  };
}

describe("operationsFromSpec", () => {
  it("flattens path, query and body parameters into one object, with the spec's descriptions", () => {
    const { operations } = operationsFromSpec(
      doc(
        "/rooms/{room_id}/things",
        "post",
        {
          operationId: "makeThing",
          summary: "Make a thing",
          parameters: [
            {
              name: "dry_run",
              in: "query",
              description: "Only check.",
              schema: { type: "boolean", description: "ignored" },
            },
          ],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  additionalProperties: false,
                  required: ["label"],
                  properties: {
                    label: { type: "string", description: "The label." },
                    size: { type: "integer" },
                  },
                },
              },
            },
          },
        },
        {
          parameters: [
            {
              name: "room_id",
              in: "path",
              required: true,
              description: "The room.",
              schema: { type: "string", pattern: ID },
            },
          ],
        },
      ),
    );
    expect(operations.makeThing).toMatchObject({
      method: "POST",
      path: "/rooms/{room_id}/things",
      pathParams: ["room_id"],
      queryParams: ["dry_run"],
      bodyParams: ["label", "size"],
    });
    expect(operations.makeThing?.inputSchema).toEqual({
      type: "object",
      description: "Make a thing",
      properties: {
        room_id: { type: "string", pattern: ID, description: "The room." },
        dry_run: { type: "boolean", description: "Only check." },
        label: { type: "string", description: "The label." },
        size: { type: "integer" },
      },
      required: ["room_id", "label"],
      additionalProperties: false,
    });
  });

  it("does not require body fields when the body itself is optional", () => {
    const { operations } = operationsFromSpec(
      doc("/x", "post", {
        operationId: "x",
        requestBody: {
          content: {
            "application/json": {
              schema: { type: "object", required: ["a"], properties: { a: { type: "string" } } },
            },
          },
        },
      }),
    );
    expect(operations.x?.inputSchema.required).toBeUndefined();
  });

  it("keeps body combinators out of the flat input schema but in the request body schema", () => {
    const body = {
      type: "object",
      properties: { peer_id: { type: "string" }, role: { type: "string" } },
      anyOf: [{ required: ["peer_id"] }, { required: ["role"] }],
    };
    const { operations } = operationsFromSpec(
      doc("/x", "post", {
        operationId: "x",
        requestBody: { required: true, content: { "application/json": { schema: body } } },
      }),
    );
    expect(operations.x?.inputSchema.anyOf).toBeUndefined();
    expect(Object.keys(operations.x?.inputSchema.properties as object)).toEqual(["peer_id", "role"]);
    expect(operations.x?.requestBodySchema).toEqual(body);
  });

  it("drops keywords that are not JSON Schema or that strict validators refuse, keeping patterns", () => {
    const { operations } = operationsFromSpec(
      doc("/x", "get", {
        operationId: "x",
        responses: {
          "200": json({
            type: "object",
            "x-internal": true,
            properties: {
              at: {
                type: "string",
                format: "date-time",
                pattern: "^\\d{4}",
                example: "2024",
                examples: ["2024"],
              },
            },
          }),
          "404": errorResponse,
        },
      }),
    );
    expect(operations.x?.outputSchema).toEqual({
      type: "object",
      properties: { at: { type: "string", pattern: "^\\d{4}", examples: ["2024"] } },
    });
  });

  it("records where x-sensitive values sit, through arrays and maps, only at the topmost mark", () => {
    const secret = {
      type: "object",
      "x-sensitive": true,
      properties: { key: { type: "string", "x-sensitive": true } },
    };
    const { operations } = operationsFromSpec(
      doc("/x", "post", {
        operationId: "x",
        requestBody: {
          required: true,
          content: {
            "application/json": { schema: { type: "object", properties: { creds: secret } } },
          },
        },
        responses: {
          "200": json({
            type: "object",
            properties: {
              data: { type: "array", items: { type: "object", properties: { creds: secret } } },
              by_id: {
                type: "object",
                additionalProperties: { type: "object", properties: { creds: secret } },
              },
              plain: { type: "string" },
            },
          }),
          "404": errorResponse,
        },
      }),
    );
    expect(operations.x?.sensitivePaths).toEqual([
      ["data", "[]", "creds"],
      ["by_id", "*", "creds"],
    ]);
    expect(operations.x?.sensitiveArgumentPaths).toEqual([["creds"]]);
  });

  it("leaves sensitive paths out when nothing is marked", () => {
    const { operations } = operationsFromSpec(doc("/x", "get", { operationId: "x" }));
    expect(operations.x).not.toHaveProperty("sensitivePaths");
    expect(operations.x).not.toHaveProperty("sensitiveArgumentPaths");
  });

  it("refuses what the tools cannot express", () => {
    expect(() => operationsFromSpec(doc("/x", "get", {}))).toThrow(/no operationId/);
    expect(() =>
      operationsFromSpec(
        doc("/x/{a}", "get", {
          operationId: "x",
          parameters: [
            { name: "a", in: "path", required: true, schema: { type: "string", pattern: ID } },
            { name: "a", in: "query", schema: { type: "string" } },
          ],
        }),
      ),
    ).toThrow(/two parameters are named "a"/);
    expect(() =>
      operationsFromSpec(
        doc("/x", "get", {
          operationId: "x",
          parameters: [{ name: "h", in: "header", schema: { type: "string" } }],
        }),
      ),
    ).toThrow(/only path and query/);
    expect(() =>
      operationsFromSpec(
        doc("/x", "get", {
          operationId: "x",
          responses: { "200": json({ type: "array" }), "404": errorResponse },
        }),
      ),
    ).toThrow(/not a JSON object/);
    expect(() =>
      operationsFromSpec(
        doc("/x", "get", {
          operationId: "x",
          responses: { "200": json({ type: "object", oneOf: [] }), "404": errorResponse },
        }),
      ),
    ).toThrow(/top-level oneOf/);
    expect(() =>
      operationsFromSpec(
        doc("/x", "get", {
          operationId: "x",
          responses: {
            "200": json({ type: "object" }),
            "404": errorResponse,
            "500": json({ type: "object", properties: { msg: { type: "string" } } }),
          },
        }),
      ),
    ).toThrow(/error schema differs/);
    expect(() =>
      operationsFromSpec(
        doc("/x", "get", {
          operationId: "x",
          responses: { "200": json({ $ref: "#/components/schemas/Nope" }), "404": errorResponse },
        }),
      ),
    ).toThrow(/unresolved \$ref/);
  });

  it("refuses a path parameter whose schema lets a value change the path (dot segments, separators)", () => {
    // Guards: dot-segment ids reaching other endpoints (`/rooms/..` is `/`), issue 8 item 1.
    const withPath = (schema: JsonObject) =>
      operationsFromSpec(
        doc("/x/{a}", "get", {
          operationId: "x",
          parameters: [{ name: "a", in: "path", required: true, schema }],
        }),
      );
    expect(() => withPath({ type: "string" })).toThrow(/needs type: string and a pattern/);
    expect(() => withPath({ type: "string", pattern: "^[A-Za-z0-9._-]+$" })).toThrow(/accepts "\.", "\.\."/);
    expect(() => withPath({ type: "string", pattern: "^[^/]+$" })).toThrow(
      /which would change the request path/,
    );
    expect(withPath({ type: "string", pattern: ID }).operations.x?.inputSchema.properties).toEqual({
      a: { type: "string", pattern: ID },
    });
  });

  it("refuses a recursive schema instead of looping", () => {
    const node: JsonObject = { type: "object", properties: {} };
    (node.properties as JsonObject).child = node;
    expect(() =>
      operationsFromSpec(
        doc("/x", "get", { operationId: "x", responses: { "200": json(node), "404": errorResponse } }),
      ),
    ).toThrow(/recursive schema at child/);
  });
});

describe("loadDereferencedSpec", () => {
  const dir = mkdtempSync(join(tmpdir(), "openapi-operations-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("inlines $refs, and a property's own description wins over the referenced schema's", async () => {
    const file = join(dir, "spec.yaml");
    writeFileSync(
      file,
      [
        "openapi: 3.1.0",
        "info: { title: t, version: '1' }",
        "paths:",
        "  /things/{id}:",
        "    get:",
        "      operationId: getThing",
        "      parameters:",
        "        - $ref: '#/components/parameters/Id'",
        "      responses:",
        "        '200':",
        "          description: ok",
        "          content:",
        "            application/json:",
        "              schema: { $ref: '#/components/schemas/Thing' }",
        "        '404':",
        "          description: not found",
        "          content:",
        "            application/json:",
        "              schema: { type: object }",
        "components:",
        "  parameters:",
        "    Id: { name: id, in: path, required: true, description: The id., schema: { type: string, pattern: '^[a-z]+$' } }",
        "  schemas:",
        "    Stamp: { type: string, description: A time. }",
        "    Thing:",
        "      type: object",
        "      properties:",
        "        made_at: { $ref: '#/components/schemas/Stamp', description: When it was made. }",
        "        seen_at: { $ref: '#/components/schemas/Stamp' }",
      ].join("\n"),
    );
    const { operations } = operationsFromSpec(await loadDereferencedSpec(file));
    expect(operations.getThing?.inputSchema.properties).toEqual({
      id: { type: "string", pattern: "^[a-z]+$", description: "The id." },
    });
    expect(operations.getThing?.outputSchema.properties).toEqual({
      made_at: { type: "string", description: "When it was made." },
      seen_at: { type: "string", description: "A time." },
    });
  });
});

describe("cleanDescription", () => {
  it("joins wrapped lines, keeps paragraphs and list items, trims", () => {
    expect(cleanDescription("One line\nwrapped.\n\nSecond\n* item a\n* item b\n")).toBe(
      "One line wrapped.\n\nSecond\n* item a\n* item b",
    );
  });
});

describe("the 100ms spec", async () => {
  const { operations, errorSchema } = operationsFromSpec(
    await loadDereferencedSpec("specs/100ms/openapi.yaml"),
  );

  it("yields schemas without $ref that strict JSON Schema validators compile", () => {
    const ajv = new Ajv2020({ strict: true, strictTypes: false, allowUnionTypes: true });
    for (const [id, op] of Object.entries(operations)) {
      for (const schema of [op.inputSchema, op.outputSchema, op.requestBodySchema, errorSchema]) {
        if (schema === undefined) {
          continue;
        }
        expect(JSON.stringify(schema), id).not.toContain('"$ref"');
        expect(() => ajv.compile(schema), id).not.toThrow();
      }
    }
  });

  it("finds the storage credentials and webhook headers rooms echo, wherever a room is returned", () => {
    const room = [
      ["recording_info", "upload_info", "credentials"],
      ["webhook", "headers"],
    ];
    for (const id of ["getRoom", "createRoom", "updateRoom"]) {
      expect(operations[id]?.sensitivePaths, id).toEqual(room);
    }
    expect(operations.listRooms?.sensitivePaths).toEqual(room.map((path) => ["data", "[]", ...path]));
    expect(operations.createRoom?.sensitiveArgumentPaths).toEqual(room);
    expect(operations.listSessions?.sensitivePaths).toBeUndefined();
  });

  it("flattens removePeers: room_id from the path, peer_id/role/reason from the body", () => {
    expect(operations.removePeers).toMatchObject({
      method: "POST",
      path: "/active-rooms/{room_id}/remove-peers",
      pathParams: ["room_id"],
      bodyParams: ["peer_id", "role", "reason"],
    });
    expect(operations.removePeers?.inputSchema.required).toEqual(["room_id"]);
  });
});
