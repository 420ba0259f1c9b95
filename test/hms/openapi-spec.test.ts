// Invariants of the hand-written 100ms contract (specs/100ms/openapi.yaml) that a generic OpenAPI linter does
// not check, plus validation of hand-made payloads (shaped like the documented wire examples, with our own
// values) against its response and request schemas.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseYaml } from "@redocly/openapi-core";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

interface Operation {
  method: string;
  path: string;
  op: Obj;
}

const specPath = fileURLToPath(new URL("../../specs/100ms/openapi.yaml", import.meta.url));
const spec = parseYaml(readFileSync(specPath, "utf8")) as Obj;

const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
const ERROR_STATUSES = ["400", "401", "403", "404", "5XX"];

function isObj(value: Json | undefined): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function obj(value: Json | undefined, what: string): Obj {
  if (!isObj(value)) {
    throw new Error(`${what} is not an object`);
  }
  return value;
}

/** Follows a local `#/a/b/c` reference, repeatedly, until a non-$ref object is reached. */
function deref(value: Json | undefined, what = "value"): Obj {
  let current = obj(value, what);
  for (let hops = 0; typeof current.$ref === "string"; hops++) {
    if (hops > 10) {
      throw new Error(`reference loop at ${what}`);
    }
    const ref = current.$ref;
    if (!ref.startsWith("#/")) {
      throw new Error(`non-local $ref ${ref}`);
    }
    let target: Json = spec;
    for (const part of ref.slice(2).split("/")) {
      target = obj(target, ref)[part] ?? null;
    }
    current = obj(target, ref);
  }
  return current;
}

function operations(): Operation[] {
  const result: Operation[] = [];
  for (const [path, item] of Object.entries(obj(spec.paths, "paths"))) {
    for (const method of HTTP_METHODS) {
      const op = obj(item, path)[method];
      if (isObj(op)) {
        result.push({ method: method.toUpperCase(), path, op });
      }
    }
  }
  return result;
}

function operation(operationId: string): Operation {
  const found = operations().find((o) => o.op.operationId === operationId);
  if (!found) {
    throw new Error(`no operation ${operationId}`);
  }
  return found;
}

/** Path-level and operation-level parameters, resolved. */
function parameters(o: Operation): Obj[] {
  const pathItem = obj(obj(spec.paths, "paths")[o.path], o.path);
  const all = [...((pathItem.parameters as Json[]) ?? []), ...((o.op.parameters as Json[]) ?? [])];
  return all.map((p) => deref(p, `${o.path} parameter`));
}

/** The JSON schema (possibly a $ref) of an operation's response with the given status. */
function responseSchema(o: Operation, status: string): Obj {
  const response = deref(obj(o.op.responses, "responses")[status], `${o.path} ${status}`);
  const content = obj(response.content, `${o.path} ${status} content`);
  return obj(
    obj(content["application/json"], `${o.path} ${status} json`).schema,
    `${o.path} ${status} schema`,
  );
}

function requestSchema(o: Operation): Obj | undefined {
  if (!isObj(o.op.requestBody)) {
    return undefined;
  }
  const body = deref(o.op.requestBody, `${o.path} requestBody`);
  return obj(obj(obj(body.content, "content")["application/json"], "json").schema, "schema");
}

/**
 * Every schema object reachable from `root` (following $refs), each visited once. With `combinators: false`
 * the branches of allOf/anyOf/oneOf are skipped (in request bodies they only add constraints such as
 * "peer_id or role is required"; the object shape is the parent's).
 */
function reachableSchemas(root: Obj, { combinators = true } = {}): Obj[] {
  const seen = new Set<Obj>();
  const visit = (node: Json | undefined): void => {
    if (!isObj(node)) {
      return;
    }
    const schema = deref(node);
    if (seen.has(schema)) {
      return;
    }
    seen.add(schema);
    for (const child of Object.values(isObj(schema.properties) ? schema.properties : {})) {
      visit(child);
    }
    visit(schema.items);
    if (isObj(schema.additionalProperties)) {
      visit(schema.additionalProperties);
    }
    for (const key of combinators ? ["allOf", "anyOf", "oneOf"] : []) {
      const list = schema[key];
      if (Array.isArray(list)) {
        for (const child of list) {
          visit(child);
        }
      }
    }
  };
  visit(root);
  return [...seen];
}

function types(schema: Obj): string[] {
  const t = schema.type;
  return Array.isArray(t) ? (t as string[]) : typeof t === "string" ? [t] : [];
}

// --- ajv over the spec's components (OpenAPI 3.1 schemas are JSON Schema 2020-12) ----------------------
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: "hms", components: spec.components });

/** Every body schema in the spec is a `$ref` to a component schema; compile that component. */
function compile(schema: Obj): ValidateFunction {
  const ref = schema.$ref;
  if (typeof ref !== "string") {
    throw new Error("inline body schemas are not expected in this spec");
  }
  const found = ajv.getSchema(`hms${ref}`);
  if (!found) {
    throw new Error(`ajv cannot resolve ${ref}`);
  }
  return found;
}

function validateResponse(operationId: string, status: string, payload: unknown): ValidateFunction {
  const validate = compile(responseSchema(operation(operationId), status));
  validate(payload);
  return validate;
}

function validateRequest(operationId: string, payload: unknown): ValidateFunction {
  const schema = requestSchema(operation(operationId));
  if (!schema) {
    throw new Error(`${operationId} has no request body`);
  }
  const validate = compile(schema);
  validate(payload);
  return validate;
}

function expectValid(validate: ValidateFunction): void {
  expect(validate.errors ?? [], ajv.errorsText(validate.errors)).toEqual([]);
}

// --- invariants ------------------------------------------------------------------------------------------
const EXPECTED_OPERATIONS: Record<string, string> = {
  listRooms: "GET /rooms",
  createRoom: "POST /rooms",
  getRoom: "GET /rooms/{room_id}",
  updateRoom: "POST /rooms/{room_id}",
  listSessions: "GET /sessions",
  getSession: "GET /sessions/{session_id}",
  getActiveRoom: "GET /active-rooms/{room_id}",
  listActivePeers: "GET /active-rooms/{room_id}/peers",
  getActivePeer: "GET /active-rooms/{room_id}/peers/{peer_id}",
  updateActivePeer: "POST /active-rooms/{room_id}/peers/{peer_id}",
  removePeers: "POST /active-rooms/{room_id}/remove-peers",
  endRoom: "POST /active-rooms/{room_id}/end-room",
  sendMessage: "POST /active-rooms/{room_id}/send-message",
  listRecordings: "GET /recordings",
  getRecording: "GET /recordings/{recording_id}",
  stopRecording: "POST /recordings/{recording_id}/stop",
  startRecording: "POST /recordings/room/{room_id}/start",
  stopRoomRecordings: "POST /recordings/room/{room_id}/stop",
  pauseRecording: "POST /recordings/room/{room_id}/pause",
  resumeRecording: "POST /recordings/room/{room_id}/resume",
  getRecordingAsset: "GET /recording-assets/{asset_id}",
  getRecordingAssetPresignedUrl: "GET /recording-assets/{asset_id}/presigned-url",
  listRoomCodes: "GET /room-codes/room/{room_id}",
  createRoomCodes: "POST /room-codes/room/{room_id}",
  createRoomCodeForRole: "POST /room-codes/room/{room_id}/role/{role}",
  updateRoomCode: "POST /room-codes/code",
  listLiveStreams: "GET /live-streams",
  getLiveStream: "GET /live-streams/{stream_id}",
  startLiveStream: "POST /live-streams/room/{room_id}/start",
  stopRoomLiveStreams: "POST /live-streams/room/{room_id}/stop",
  stopLiveStream: "POST /live-streams/{stream_id}/stop",
  listExternalStreams: "GET /external-streams",
  getExternalStream: "GET /external-streams/{stream_id}",
  startExternalStream: "POST /external-streams/room/{room_id}/start",
  stopRoomExternalStreams: "POST /external-streams/room/{room_id}/stop",
  stopExternalStream: "POST /external-streams/{stream_id}/stop",
  listAnalyticsEvents: "GET /analytics/events",
};

describe("100ms OpenAPI contract: document-level facts", () => {
  it("is OpenAPI 3.1.0 against the production v2 base URL with a global bearer management token", () => {
    expect(spec.openapi).toBe("3.1.0");
    expect(spec.servers).toEqual([expect.objectContaining({ url: "https://api.100ms.live/v2" })]);
    expect(spec.security).toEqual([{ managementToken: [] }]);
    const scheme = obj(
      obj(obj(spec.components, "components").securitySchemes, "schemes").managementToken,
      "mt",
    );
    expect(scheme).toMatchObject({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
  });

  it("documents the x-sensitive vendor extension in info.description", () => {
    expect(String(obj(spec.info, "info").description)).toContain("x-sensitive");
  });

  it("has exactly the operations the tools use, at the documented paths", () => {
    const actual = Object.fromEntries(
      operations().map((o) => [String(o.op.operationId), `${o.method} ${o.path}`]),
    );
    expect(actual).toEqual(EXPECTED_OPERATIONS);
  });
});

describe("100ms OpenAPI contract: every operation", () => {
  for (const o of operations()) {
    const id = String(o.op.operationId);
    describe(id, () => {
      it("has a camelCase operationId, a summary and a substantial description", () => {
        expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
        expect(typeof o.op.summary).toBe("string");
        expect(String(o.op.description ?? "").length).toBeGreaterThan(80);
      });

      it("describes every parameter", () => {
        for (const p of parameters(o)) {
          expect(String(p.description ?? ""), `${id} ${p.name}`).not.toBe("");
        }
      });

      it("shares the Error responses for 400/401/403/404/5XX", () => {
        const responses = obj(o.op.responses, "responses");
        for (const status of ERROR_STATUSES) {
          expect(responses[status], `${id} ${status}`).toBeDefined();
          expect(responseSchema(o, status)).toEqual({ $ref: "#/components/schemas/Error" });
        }
      });

      it("answers 200 with JSON whose object schemas all allow additional properties", () => {
        const schemas = reachableSchemas(responseSchema(o, "200"));
        expect(schemas.length).toBeGreaterThan(0);
        for (const s of schemas) {
          expect(s.additionalProperties, `${id}: ${String(s.title)}`).not.toBe(false);
        }
      });

      it("closes its request body (additionalProperties: false) so that typos fail", () => {
        const body = requestSchema(o);
        if (o.method === "GET") {
          expect(body).toBeUndefined();
          return;
        }
        expect(body).toBeDefined();
        for (const s of reachableSchemas(body as Obj, { combinators: false })) {
          // Objects with declared properties are closed; free-form maps (webhook headers) carry a value schema.
          if (isObj(s.properties) && types(s).includes("object")) {
            expect(s.additionalProperties, `${id}: ${String(s.title)}`).toBe(false);
          }
        }
      });
    });
  }
});

describe("100ms OpenAPI contract: schema invariants", () => {
  const schemas = obj(obj(spec.components, "components").schemas, "schemas");

  it("describes every property of every component schema", () => {
    for (const [name, schema] of Object.entries(schemas)) {
      for (const s of reachableSchemas(obj(schema, name))) {
        for (const [prop, def] of Object.entries(isObj(s.properties) ? s.properties : {})) {
          expect(String(obj(def, prop).description ?? ""), `${name}.${prop}`).not.toBe("");
        }
      }
    }
  });

  it("has exactly the six real recording status values, used by listRecordings' status filter", () => {
    expect(obj(schemas.RecordingStatus, "RecordingStatus").enum).toEqual([
      "starting",
      "running",
      "stopping",
      "post_processing",
      "completed",
      "failed",
    ]);
    const status = parameters(operation("listRecordings")).find((p) => p.name === "status");
    expect(status?.schema).toEqual({ $ref: "#/components/schemas/RecordingStatus" });
  });

  it("pages every list operation with limit + start and returns {limit, data, last} with a nullable last", () => {
    // Lists are reads; a POST answering `data` (createRoomCodes) returns what it made, not a page.
    const paginated = operations().filter((o) => {
      if (o.method !== "GET") {
        return false;
      }
      const schema = deref(responseSchema(o, "200"));
      return isObj(schema.properties) && "data" in schema.properties;
    });
    expect(paginated.map((o) => o.op.operationId).sort()).toEqual([
      "listExternalStreams",
      "listLiveStreams",
      "listRecordings",
      "listRoomCodes",
      "listRooms",
      "listSessions",
    ]);
    for (const o of paginated) {
      const query = parameters(o).filter((p) => p.in === "query");
      expect(query.map((p) => p.name)).toEqual(expect.arrayContaining(["limit", "start"]));
      const props = obj(deref(responseSchema(o, "200")).properties, "properties");
      expect(Object.keys(props)).toEqual(expect.arrayContaining(["limit", "data", "last"]));
      expect(types(obj(props.last, "last"))).toEqual(["string", "null"]);
      expect(types(obj(props.data, "data"))).toEqual(["array", "null"]);
    }
  });

  it("models peers as maps keyed by peer id", () => {
    const sessionPeers = obj(obj(obj(schemas.Session, "Session").properties, "p").peers, "peers");
    expect(sessionPeers).toMatchObject({
      type: "object",
      additionalProperties: { $ref: "#/components/schemas/SessionPeer" },
    });
    const activePeers = obj(obj(obj(schemas.ActivePeerMap, "ActivePeerMap").properties, "p").peers, "peers");
    expect(activePeers).toMatchObject({
      type: "object",
      additionalProperties: { $ref: "#/components/schemas/ActivePeer" },
    });
  });

  it("marks the storage credentials echoed in rooms as x-sensitive, in responses and request bodies", () => {
    for (const name of ["StorageCredentials", "StorageCredentialsInput"]) {
      const creds = obj(schemas[name], name);
      expect(creds["x-sensitive"]).toBe(true);
      const props = obj(creds.properties, "properties");
      expect(obj(props.key, "key")["x-sensitive"]).toBe(true);
      expect(obj(props.secret, "secret")["x-sensitive"]).toBe(true);
    }
    // The credentials are reachable from every operation that returns a room.
    for (const id of ["getRoom", "createRoom", "updateRoom", "listRooms"]) {
      const reachable = reachableSchemas(responseSchema(operation(id), "200"));
      expect(reachable).toContain(schemas.StorageCredentials);
    }
  });

  it("marks meeting URLs, RTMP URLs and download links x-sensitive wherever they are sent or returned", () => {
    const marked = (schema: string, property: string) =>
      obj(obj(obj(schemas[schema], schema).properties, `${schema} properties`)[property], property);
    for (const [schema, property] of [
      ["Recording", "meeting_url"],
      ["LiveStream", "meeting_url"],
      ["ExternalStream", "meeting_url"],
      ["ExternalStream", "rtmp_urls"],
      ["StartExternalStreamRequest", "rtmp_urls"],
      ["AnalyticsEventData", "meeting_url"],
      ["AnalyticsEventData", "rtmp"],
      ["AnalyticsEventData", "recording_presigned_url"],
      ["AnalyticsEventData", "location"],
    ] as const) {
      expect(marked(schema, property)["x-sensitive"], `${schema}.${property}`).toBe(true);
    }
    // Request bodies take the meeting URL through one schema, marked as a whole.
    expect(obj(schemas.MeetingUrlInput, "MeetingUrlInput")["x-sensitive"]).toBe(true);
    for (const body of ["StartRecordingRequest", "StartLiveStreamRequest", "StartExternalStreamRequest"]) {
      expect(marked(body, "meeting_url").$ref, body).toBe("#/components/schemas/MeetingUrlInput");
    }
  });

  it("pages analytics events with the API's own token: {limit, total, next, events}, `next` back as `start`", () => {
    const o = operation("listAnalyticsEvents");
    const query = parameters(o).filter((p) => p.in === "query");
    expect(query.map((p) => p.name)).toEqual(expect.arrayContaining(["room_id", "type", "limit", "start"]));
    expect(query.filter((p) => p.required === true).map((p) => p.name)).toEqual(["room_id", "type"]);
    const props = obj(deref(responseSchema(o, "200")).properties, "properties");
    expect(Object.keys(props).sort()).toEqual(["events", "limit", "next", "total"]);
  });

  it("accepts RFC 3339 timestamps with 0-9 fractional digits and the Go zero time, nothing looser", () => {
    const validate = compile({ $ref: "#/components/schemas/Timestamp" });
    for (const ok of [
      "2024-01-31T09:15:00Z",
      "2024-01-31T09:15:00.4Z",
      "2024-01-31T09:15:00.48Z",
      "2024-01-31T09:15:00.480123456Z",
      "0001-01-01T00:00:00Z",
      "2024-01-31T14:45:00+05:30",
    ]) {
      expect(validate(ok), ok).toBe(true);
    }
    for (const bad of [
      "2024-01-31T09:15:00.4801234567Z",
      "2024-01-31 09:15:00Z",
      "2024-01-31",
      "1706692500",
    ]) {
      expect(validate(bad), bad).toBe(false);
    }
  });

  it("requires only `message` in Error bodies and allows `details` to be absent", () => {
    const error = obj(schemas.Error, "Error");
    expect(error.required).toEqual(["message"]);
    expect(obj(obj(error.properties, "p").details, "details")).toMatchObject({
      type: "array",
      items: { type: "string" },
    });
  });
});

// --- payloads (our own values, shaped like the documented wire examples) ---------------------------------
describe("100ms OpenAPI contract: payloads validate against the operation schemas", () => {
  it("listRooms: a page with a Go zero updated_at, a legacy null `recording` and undocumented fields", () => {
    expectValid(
      validateResponse("listRooms", "200", {
        limit: 10,
        data: [
          {
            id: "65b2d4e1c3a9f07e1d2b4c6a",
            name: "weekly-standup",
            enabled: true,
            description: "Team standup",
            customer_id: "64f1a2b3c4d5e6f708192a3b",
            recording_source_template: true,
            template_id: "64f1a2b3c4d5e6f708192a40",
            template: "standup-template",
            region: "eu",
            created_at: "2024-01-25T08:00:00.194Z",
            key: "64f1a2b3c4d5e6f708192a3b:weekly-standup",
            updated_at: "0001-01-01T00:00:00Z",
            large_room: false,
            max_duration_seconds: 3600,
          },
          {
            id: "65a0c9d8e7f6a5b4c3d2e1f0",
            name: "all-hands",
            enabled: false,
            description: "",
            customer_id: "64f1a2b3c4d5e6f708192a3b",
            customer: "64f1a2b3c4d5e6f708192a3b",
            recording_source_template: true,
            enabled_source_template: true,
            recording: null,
            template_id: "",
            template: "",
            region: "",
            created_at: "2024-01-12T17:30:11Z",
            updated_at: "2024-01-20T10:02:45.62981903Z",
            large_room: true,
            size: 15000,
          },
        ],
        last: "65a0c9d8e7f6a5b4c3d2e1f0",
      }),
    );
  });

  it("getRoom: own-bucket recording settings echoing storage credentials, 9 fractional digits", () => {
    expectValid(
      validateResponse("getRoom", "200", {
        id: "65b2d4e1c3a9f07e1d2b4c6a",
        name: "weekly-standup",
        enabled: true,
        description: "Team standup",
        customer_id: "64f1a2b3c4d5e6f708192a3b",
        app_id: "64f1a2b3c4d5e6f708192a3c",
        recording_source_template: false,
        recording_info: {
          enabled: true,
          upload_info: {
            type: "s3",
            location: "acme-recordings-eu",
            prefix: "standups/",
            options: { region: "eu-west-1" },
            credentials: { key: "EXAMPLEACCESSKEY0001", secret: "example-secret-not-real" },
          },
        },
        template_id: "64f1a2b3c4d5e6f708192a40",
        region: "eu",
        polls: [],
        webhook: { url: "https://hooks.example.org/hms", headers: { "x-hook-token": "not-a-real-token" } },
        created_at: "2024-01-25T08:00:00.194000000Z",
        updated_at: "2024-02-01T12:13:14.987654321Z",
      }),
    );
  });

  it("listSessions: last page with an empty `last`, a live session whose peer has not left", () => {
    expectValid(
      validateResponse("listSessions", "200", {
        limit: 10,
        data: [
          {
            id: "65bb1c2d3e4f5a6b7c8d9e0f",
            room_id: "65b2d4e1c3a9f07e1d2b4c6a",
            customer_id: "64f1a2b3c4d5e6f708192a3b",
            active: true,
            peers: {
              "7c9e6679-7425-40de-944b-e07fc1f90ae7": {
                id: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                session_id: "65bb1c2d3e4f5a6b7c8d9e0f",
                name: "Asha",
                role: "host",
                user_id: "user-1042",
                joined_at: "2024-02-01T09:00:02.5Z",
                left_at: null,
              },
            },
            created_at: "2024-02-01T09:00:00Z",
            updated_at: "2024-02-01T09:00:02.51Z",
          },
        ],
        last: "",
      }),
    );
  });

  it("getSession: a finished session with peer history", () => {
    expectValid(
      validateResponse("getSession", "200", {
        id: "65aa0b1c2d3e4f5a6b7c8d9e",
        room_id: "65b2d4e1c3a9f07e1d2b4c6a",
        customer_id: "64f1a2b3c4d5e6f708192a3b",
        active: false,
        peers: {
          "0b7f3a52-4c1e-4f0e-9d55-2f8f4c6e1a90": {
            id: "0b7f3a52-4c1e-4f0e-9d55-2f8f4c6e1a90",
            session_id: "65aa0b1c2d3e4f5a6b7c8d9e",
            name: "Ben",
            role: "guest",
            user_id: "user-77",
            joined_at: "2024-01-19T15:01:00.816Z",
            left_at: "2024-01-19T15:47:31Z",
          },
        },
        created_at: "2024-01-19T15:00:58.1Z",
        updated_at: "2024-01-19T15:47:31.02Z",
      }),
    );
  });

  it("getActiveRoom and listActivePeers: the live session and its peers (also an empty map)", () => {
    expectValid(
      validateResponse("getActiveRoom", "200", {
        id: "65b2d4e1c3a9f07e1d2b4c6a",
        name: "weekly-standup",
        customer_id: "64f1a2b3c4d5e6f708192a3b",
        session: {
          id: "65bb1c2d3e4f5a6b7c8d9e0f",
          created_at: "2024-02-01T09:00:00.123456789Z",
          peers: ["7c9e6679-7425-40de-944b-e07fc1f90ae7"],
        },
      }),
    );
    expectValid(
      validateResponse("listActivePeers", "200", {
        peers: {
          "7c9e6679-7425-40de-944b-e07fc1f90ae7": {
            id: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
            name: "Asha",
            user_id: "user-1042",
            metadata: "",
            role: "host",
            joined_at: "2024-02-01T09:00:02.500118342Z",
          },
        },
      }),
    );
    expectValid(validateResponse("listActivePeers", "200", { peers: {} }));
    expectValid(validateResponse("removePeers", "200", { message: "peer remove request submitted" }));
  });

  it("listRecordings and getRecording: nulls while starting, assets once completed", () => {
    expectValid(
      validateResponse("listRecordings", "200", {
        limit: 10,
        data: [
          {
            id: "65bb1d0e9f8a7b6c5d4e3f21",
            room_id: "65b2d4e1c3a9f07e1d2b4c6a",
            session_id: "65bb1c2d3e4f5a6b7c8d9e0f",
            status: "starting",
            meeting_url:
              "https://acme.app.100ms.live/preview/65b2d4e1c3a9f07e1d2b4c6a/beam?skip_preview=true",
            started_by: "",
            stopped_by: "",
            asset_types: null,
            recording_assets: null,
            created_at: "2024-02-01T09:05:00Z",
            started_at: null,
            updated_at: "2024-02-01T09:05:00.01Z",
            stopped_at: null,
          },
        ],
        last: null,
      }),
    );
    expectValid(
      validateResponse("getRecording", "200", {
        id: "65aa0c7e1f2a3b4c5d6e7f80",
        room_id: "65b2d4e1c3a9f07e1d2b4c6a",
        session_id: "65aa0b1c2d3e4f5a6b7c8d9e",
        status: "completed",
        created_at: "2024-01-19T15:02:10.4Z",
        started_at: "2024-01-19T15:02:13.911Z",
        updated_at: "2024-01-19T15:49:02Z",
        stopped_at: "2024-01-19T15:47:31.5Z",
        meeting_url: "",
        started_by: "0b7f3a52-4c1e-4f0e-9d55-2f8f4c6e1a90",
        stopped_by: "",
        asset_types: ["room-composite", "transcript"],
        recording_assets: [
          {
            id: "65aa10a1b2c3d4e5f6a7b8c9",
            thumbnails: null,
            metadata: { resolution: { width: 1280, height: 720 } },
            duration: 2718,
            path: "s3://acme-recordings-eu/standups/65aa0c7e1f2a3b4c5d6e7f80/composite.mp4",
            status: "completed",
            created_at: "2024-01-19T15:48:40.23Z",
            type: "room-composite",
            size: 412345678,
          },
          {
            id: "65aa10a1b2c3d4e5f6a7b8ca",
            metadata: { output_mode: "srt" },
            duration: 2718,
            path: "s3://acme-recordings-eu/standups/65aa0c7e1f2a3b4c5d6e7f80/transcript.srt",
            status: "completed",
            created_at: "2024-01-19T15:49:01Z",
            type: "transcript",
            size: 48211,
          },
        ],
      }),
    );
  });

  it("getRecordingAsset and getRecordingAssetPresignedUrl", () => {
    expectValid(
      validateResponse("getRecordingAsset", "200", {
        id: "65aa10a1b2c3d4e5f6a7b8cb",
        job_id: "65aa0c7e1f2a3b4c5d6e7f80",
        room_id: "65b2d4e1c3a9f07e1d2b4c6a",
        session_id: "65aa0b1c2d3e4f5a6b7c8d9e",
        type: "room-vod",
        path: "s3://acme-recordings-eu/standups/vod/",
        thumbnails: ["s3://acme-recordings-eu/standups/vod/thumb-0.jpg"],
        metadata: { num_layers: "3", max_width: 1280, max_height: 720 },
        duration: 2718,
        size: 602114,
        status: "completed",
        created_at: "2024-01-19T15:48:55.006Z",
      }),
    );
    expectValid(
      validateResponse("getRecordingAssetPresignedUrl", "200", {
        id: "65aa10a1b2c3d4e5f6a7b8c9",
        path: "s3://acme-recordings-eu/standups/65aa0c7e1f2a3b4c5d6e7f80/composite.mp4",
        url: "https://acme-recordings-eu.s3.eu-west-1.amazonaws.com/standups/composite.mp4?X-Amz-Expires=900",
        expiry: 900,
      }),
    );
  });

  it("errors: the full {code, message, details} body and one without details", () => {
    expectValid(
      validateResponse("getRoom", "401", {
        code: 401,
        message: "Token validation error",
        details: ["token is expired"],
      }),
    );
    expectValid(validateResponse("getRoom", "404", { code: 404, message: "room not found" }));
  });

  it("request bodies: documented shapes pass", () => {
    expectValid(validateRequest("createRoom", {}));
    expectValid(
      validateRequest("createRoom", {
        name: "weekly-standup",
        description: "Team standup",
        template_id: "64f1a2b3c4d5e6f708192a40",
        region: "eu",
        large_room: true,
        size: 15000,
        max_duration_seconds: 7200,
      }),
    );
    expectValid(validateRequest("updateRoom", { enabled: false }));
    expectValid(validateRequest("removePeers", { role: "guest", reason: "Session is over" }));
    expectValid(validateRequest("endRoom", { reason: "Class has ended", lock: true }));
    expectValid(validateRequest("sendMessage", { message: "Five minutes left", type: "chat" }));
  });
});

describe("100ms OpenAPI contract: invalid payloads are rejected", () => {
  it("rejects a recording status the API does not have", () => {
    const validate = validateResponse("getRecording", "200", {
      id: "65aa0c7e1f2a3b4c5d6e7f80",
      room_id: "65b2d4e1c3a9f07e1d2b4c6a",
      status: "processing",
    });
    expect(validate.errors?.map((e) => e.instancePath)).toContain("/status");
  });

  it("rejects a timestamp with 10 fractional digits", () => {
    const validate = validateResponse("getSession", "200", {
      id: "65aa0b1c2d3e4f5a6b7c8d9e",
      room_id: "65b2d4e1c3a9f07e1d2b4c6a",
      active: false,
      created_at: "2024-01-19T15:00:58.1234567890Z",
    });
    expect(validate.errors?.map((e) => e.instancePath)).toContain("/created_at");
  });

  it("rejects typos and missing targets in request bodies", () => {
    expect(
      validateRequest("createRoom", { name: "x", templateId: "64f1a2b3c4d5e6f708192a40" }).errors,
    ).toBeTruthy();
    expect(validateRequest("createRoom", { name: "bad name with spaces" }).errors).toBeTruthy();
    expect(validateRequest("updateRoom", {}).errors).toBeTruthy();
    expect(validateRequest("removePeers", { reason: "nobody named" }).errors).toBeTruthy();
    expect(
      validateRequest("sendMessage", { peer_id: "7c9e6679-7425-40de-944b-e07fc1f90ae7" }).errors,
    ).toBeTruthy();
  });
});
