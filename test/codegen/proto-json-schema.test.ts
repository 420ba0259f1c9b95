/**
 * The generated RoomService JSON Schemas follow the mapping rules in codegen/proto-json-schema.ts, checked
 * on the committed output (which generate:check keeps identical to what the protos produce).
 */
import { describe, expect, it } from "vitest";
import { RoomService } from "../../src/generated/livekit/livekit_room_pb.js";
import { services } from "../../src/generated/livekit/tool_schemas.js";
import { jsonSchemaByName, jsonSchemaNames } from "../../src/providers/livekit/services.js";

/** Every generated schema, parsed (the generated module holds them as JSON text). */
const jsonSchemas: Record<string, Record<string, unknown>> = Object.fromEntries(
  jsonSchemaNames().map((name) => [name, jsonSchemaByName(name)]),
);

type Schema = Record<string, unknown>;
const props = (schema: Schema | undefined) => (schema?.properties ?? {}) as Record<string, Schema>;

/** Every nested schema object, with its path. */
function* walk(schema: unknown, path: string): Generator<[string, Schema]> {
  if (typeof schema !== "object" || schema === null) {
    return;
  }
  yield [path, schema as Schema];
  for (const [key, value] of Object.entries(schema)) {
    if (key === "properties") {
      for (const [name, sub] of Object.entries(value as object)) {
        yield* walk(sub, `${path}.${name}`);
      }
    }
    if (key === "items" || key === "additionalProperties") {
      yield* walk(value, `${path}[]`);
    }
  }
}

describe("RoomService JSON Schemas", () => {
  it("exist for every request and response of every service", () => {
    const names = services.flatMap((s) => s.methods.flatMap((m) => [m.input.typeName, m.output.typeName]));
    expect(Object.keys(jsonSchemas).sort()).toEqual([...new Set(names)].sort());
    expect(RoomService.methods.every((m) => m.input.typeName in jsonSchemas)).toBe(true);
  });

  it("map 64-bit integers to decimal strings and 32-bit ones to ranged integers", () => {
    const room = props(jsonSchemas["livekit.CreateRoomRequest"]);
    expect(room.empty_timeout).toMatchObject({ type: "integer", minimum: 0, maximum: 4294967295 });
    const participant = props(
      props(jsonSchemas["livekit.ListParticipantsResponse"]).participants?.items as Schema,
    );
    expect(participant.joined_at).toMatchObject({ type: "string", pattern: "^-?[0-9]+$" });
    expect(participant.client_protocol).toMatchObject({ type: "integer", minimum: -2147483648 });
  });

  it("map enums to their names, bytes to base64, maps to string-keyed objects", () => {
    const send = props(jsonSchemas["livekit.SendDataRequest"]);
    expect(send.kind).toMatchObject({ type: "string", enum: ["RELIABLE", "LOSSY"] });
    expect(send.data).toMatchObject({ type: "string", contentEncoding: "base64" });
    const update = props(jsonSchemas["livekit.UpdateParticipantRequest"]);
    expect(update.attributes).toMatchObject({ type: "object", additionalProperties: { type: "string" } });
  });

  it("carry the proto comments as descriptions and mark deprecated fields", () => {
    const send = jsonSchemas["livekit.SendDataRequest"] as Schema;
    expect(typeof send.description).toBe("string");
    for (const [name, field] of Object.entries(props(send))) {
      expect(typeof field.description, name).toBe("string");
    }
    expect(props(send).destination_sids?.deprecated).toBe(true);
  });

  it("never use composition, references or non-standard formats, and close every object", () => {
    for (const [typeName, schema] of Object.entries(jsonSchemas)) {
      for (const [path, node] of walk(schema, typeName)) {
        for (const keyword of ["anyOf", "oneOf", "allOf", "$ref", "$defs"]) {
          expect(node[keyword], `${path} ${keyword}`).toBeUndefined();
        }
        if (node.format !== undefined) {
          expect(["date-time"], `${path} format`).toContain(node.format);
        }
        if (node.type === "object" && node.properties !== undefined) {
          expect(node.additionalProperties, path).toBe(false);
        }
      }
    }
  });
});
