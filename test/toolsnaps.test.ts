/**
 * Tool-surface snapshots: one committed JSON per tool, exactly as tools/list shows it to a client (name,
 * title, description, input and output schema, annotations). Any change to what agents see fails here
 * until the snapshot is refreshed on purpose with `npm run snapshots:update`, so the change shows up in
 * review as a diff of test/toolsnaps/.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { connectClient } from "./harness/mcp.js";
import { harnesses } from "./harness/providers.js";

const SNAPSHOT_DIR = join("test", "toolsnaps");
const UPDATE = process.env.UPDATE_TOOLSNAPS === "1";
const REFRESH = "Run `npm run snapshots:update` if the change is intended, and commit test/toolsnaps/.";

for (const harness of harnesses) {
  describe(`${harness.provider} tool surface`, async () => {
    const mcp = await connectClient(harness.bind("http://127.0.0.1:9"));
    const { tools } = await mcp.client.listTools();
    await mcp.close();
    const dir = join(SNAPSHOT_DIR, harness.provider);
    if (UPDATE) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
    }

    it.each(tools.map((tool) => [tool.name, tool] as const))("%s matches its snapshot", (name, tool) => {
      const snapshot = {
        name: tool.name,
        title: tool.title,
        description: tool.description,
        annotations: tool.annotations,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
      };
      const file = join(dir, `${name}.json`);
      const text = `${JSON.stringify(snapshot, null, 2)}\n`;
      if (UPDATE) {
        writeFileSync(file, text);
        return;
      }
      let committed: string;
      try {
        committed = readFileSync(file, "utf8");
      } catch {
        throw new Error(`No snapshot for tool ${name} (${file}). ${REFRESH}`);
      }
      expect(JSON.parse(committed), `${file} differs from the tool's surface. ${REFRESH}`).toEqual(snapshot);
    });

    it("has no snapshot of a tool that no longer exists", () => {
      const names = new Set(tools.map((t) => `${t.name}.json`));
      const stale = readdirSync(dir).filter((f) => !names.has(f));
      expect(stale, `stale snapshots in ${dir}. ${REFRESH}`).toEqual([]);
    });
  });
}
