/**
 * Cutting a LiveKit tool's result from its response: omitted fields leave the schema and the result alike
 * (so results still match the schema), revealed fields must be ones the contract marks sensitive, and a path
 * the generated schema lacks stops start-up.
 */
import { describe, expect, it } from "vitest";
import { Egress } from "../../src/generated/livekit/livekit_egress_pb.js";
import { Ingress } from "../../src/generated/livekit/livekit_ingress_pb.js";
import { sensitivePathsOf } from "../../src/providers/livekit/services.js";
import { ANNOTATIONS, type JsonSchema } from "../../src/tools/define.js";
import {
  omitFromResult,
  omitFromSchema,
  parseResultPath,
  redactedPaths,
} from "../../src/tools/livekit/result-shape.js";
import { rpcTool } from "../../src/tools/livekit/rpc-tool.js";

const SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    echo: { type: "object", properties: { secret: { type: "string" } } },
    items: {
      type: "array",
      items: { type: "object", properties: { keep: { type: "string" }, drop: { type: "string" } } },
    },
  },
};

describe("result shapes", () => {
  it("read paths with [] for list elements", () => {
    expect(parseResultPath("items[].state.tracks")).toEqual(["items", "[]", "state", "tracks"]);
    expect(parseResultPath("stream_key")).toEqual(["stream_key"]);
  });

  it("leave omitted fields out of the schema and the result, inside lists too", () => {
    const paths = ["echo", "items[].drop"];
    const schema = omitFromSchema(SCHEMA, paths, "t");
    expect(Object.keys(schema.properties as object)).toEqual(["id", "items"]);
    const items = (schema.properties as Record<string, JsonSchema>).items as JsonSchema;
    expect(Object.keys((items.items as JsonSchema).properties as object)).toEqual(["keep"]);
    expect(
      omitFromResult({ id: "a", echo: { secret: "s" }, items: [{ keep: "k", drop: "d" }, {}] }, paths),
    ).toEqual({
      id: "a",
      items: [{ keep: "k" }, {}],
    });
    // The input is not changed.
    expect(SCHEMA.properties).toHaveProperty("echo");
  });

  it("stop start-up when an omitted path is not in the schema", () => {
    expect(() => omitFromSchema(SCHEMA, ["items[].gone"], "list_x")).toThrow(
      'list_x: omitted result field "items[].gone" is not in the output schema',
    );
    expect(() => omitFromSchema(SCHEMA, ["id[].x"], "t")).toThrow(/not in the output schema/);
  });

  it("reveal only what the contract marks sensitive", () => {
    const marked = sensitivePathsOf(Ingress.method.createIngress.output);
    expect(marked).toContainEqual(["stream_key"]);
    expect(redactedPaths(marked, ["stream_key"], "t")).not.toContainEqual(["stream_key"]);
    expect(() => redactedPaths(marked, ["url"], "create_ingress")).toThrow(
      'create_ingress: revealed result field "url" is not marked @sensitive',
    );
  });

  it("make rpcTool refuse a manifest entry whose result shape names nothing", () => {
    const entry = {
      name: "list_egress_x",
      title: "List egress",
      description: "A manifest entry for this test, with a result path the response does not have.",
      annotations: ANNOTATIONS.read,
      rpc: Egress.method.listEgress,
      grant: "roomRecord" as const,
    };
    expect(() => rpcTool({ ...entry, result: { omit: ["items[].no_such_field"] } })).toThrow(
      /not in the output schema/,
    );
    expect(() => rpcTool({ ...entry, result: { reveal: ["items[].room_name"] } })).toThrow(
      /not marked @sensitive/,
    );
  });

  it("are marked where the contract keeps credentials: storage keys, stream URLs, trunk passwords, PINs", () => {
    const egress = sensitivePathsOf(Egress.method.listEgress.output).map((p) => p.join("."));
    expect(egress).toEqual(
      expect.arrayContaining([
        "items.[].stream_results.[].url",
        "items.[].room_composite.file_outputs.[].s3.secret",
        "items.[].room_composite.stream_outputs.[].urls",
        "items.[].track.websocket_url",
      ]),
    );
  });
});
