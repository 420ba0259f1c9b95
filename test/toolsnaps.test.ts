/**
 * Tool-surface snapshots: one committed JSON per tool, exactly as tools/list shows it to a client (name,
 * title, description, input and output schema, annotations). Any change to what agents see fails here
 * until the snapshot is refreshed on purpose with `npm run snapshots:update`, so the change shows up in
 * review as a diff of test/toolsnaps/ (and `npm run surface:diff` summarises it).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectSurface, SNAPSHOT_DIR } from "../scripts/tool-surface.js";

const UPDATE = process.env.UPDATE_TOOLSNAPS === "1";
const REFRESH = "Run `npm run snapshots:update` if the change is intended, and commit test/toolsnaps/.";

const surface = await collectSurface();

describe.each(Object.entries(surface))("%s tool surface", (provider, tools) => {
  const dir = join(SNAPSHOT_DIR, provider);
  if (UPDATE) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }

  it.each(tools.map((tool) => [tool.name, tool] as const))("%s matches its snapshot", (name, snapshot) => {
    const file = join(dir, `${name}.json`);
    if (UPDATE) {
      writeFileSync(file, `${JSON.stringify(snapshot, null, 2)}\n`);
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
