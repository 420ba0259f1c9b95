/**
 * LiveKit list tools over RPCs that answer in pages of their own (Egress, Ingress on LiveKit Cloud): every
 * upstream page is read before paging with limit and cursor, and the number read is bounded.
 */
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { EgressInfoSchema, ListEgressResponseSchema } from "../../src/generated/livekit/livekit_egress_pb.js";
import type { LiveKitClient } from "../../src/providers/livekit/client.js";
import { livekitManifest } from "../../src/tools/livekit/index.js";
import { MAX_UPSTREAM_PAGES } from "../../src/tools/livekit/list-tool.js";

const listEgress = livekitManifest.tools.find((t) => t.name === "list_egress");
if (listEgress === undefined) {
  throw new Error("list_egress is not in the manifest");
}

/** A client whose ListEgress answers `pages` pages of two egresses each, chained by page tokens. */
function pagedClient(pages: number, rooms: (page: number) => [string, string] = () => ["a", "b"]) {
  const tokens: string[] = [];
  const client = {
    joinTokens: undefined as never,
    async call(_method: unknown, request: { pageToken?: { token: string } }) {
      const token = request.pageToken?.token ?? "";
      tokens.push(token);
      const page = token === "" ? 0 : Number(token.slice("p".length));
      const [first, second] = rooms(page);
      return create(ListEgressResponseSchema, {
        items: [
          create(EgressInfoSchema, { egressId: `EG_${page}b`, roomName: first }),
          create(EgressInfoSchema, { egressId: `EG_${page}a`, roomName: second }),
        ],
        ...(page + 1 < pages ? { nextPageToken: { token: `p${page + 1}` } } : {}),
      });
    },
  } as unknown as LiveKitClient;
  return { client, tokens };
}

describe("list_egress over LiveKit's own pages", () => {
  it("reads every page, in order of their tokens, and pages the whole listing by egress_id", async () => {
    const { client, tokens } = pagedClient(3);
    const result = await listEgress.call(client, { limit: 4 }, new AbortController().signal);
    expect(tokens).toEqual(["", "p1", "p2"]);
    expect(result.total).toBe(6);
    expect((result.items as { egress_id: string }[]).map((e) => e.egress_id)).toEqual([
      "EG_0a",
      "EG_0b",
      "EG_1a",
      "EG_1b",
    ]);
    expect(typeof result.next_cursor).toBe("string");
    const rest = await listEgress.call(
      pagedClient(3).client,
      { limit: 4, cursor: result.next_cursor },
      new AbortController().signal,
    );
    expect((rest.items as { egress_id: string }[]).map((e) => e.egress_id)).toEqual(["EG_2a", "EG_2b"]);
    expect(rest.next_cursor).toBeNull();
  });

  it(`stops after ${MAX_UPSTREAM_PAGES} pages with an error that says to narrow the listing`, async () => {
    const { client, tokens } = pagedClient(MAX_UPSTREAM_PAGES + 5);
    await expect(listEgress.call(client, {}, new AbortController().signal)).rejects.toThrow(
      new RegExp(`more than ${MAX_UPSTREAM_PAGES} pages of egresses`),
    );
    expect(tokens).toHaveLength(MAX_UPSTREAM_PAGES);
  });

  it("leaves rooms outside the room scope out before paging: not on a page, not in total or counts", async () => {
    const { client } = pagedClient(2, (page) => (page === 0 ? ["inside", "outside"] : ["outside", "inside"]));
    const result = await listEgress.call(client, {}, new AbortController().signal, {
      roomAllowed: (name) => name === "inside",
    });
    expect(result.total).toBe(2);
    expect((result.items as { room_name: string }[]).every((e) => e.room_name === "inside")).toBe(true);
    expect(result.counts).toEqual({ by_status: { EGRESS_STARTING: 2 } });
  });
});
