/**
 * `npm run readme:tools` — rewrites the tool tables in README.md from the manifest, between the
 * `<!-- tools:<provider>:start -->` and `<!-- tools:<provider>:end -->` markers. test/readme.test.ts fails
 * when the README is out of step with the manifest.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type AnyProvider, PROVIDERS } from "../src/providers/registry.js";
import type { Tool } from "../src/tools/define.js";

export const README = "README.md";

function effect(tool: Tool<unknown>): string {
  const { readOnlyHint, destructiveHint, idempotentHint } = tool.annotations;
  if (readOnlyHint) {
    return "read-only";
  }
  return [destructiveHint ? "destructive" : "writes", idempotentHint ? "idempotent" : undefined]
    .filter((part) => part !== undefined)
    .join(", ");
}

/** The Markdown table of one provider's tools. */
export function renderToolTable(provider: AnyProvider): string {
  const rows = provider.manifest.tools.map(
    (tool) => `| \`${tool.name}\` | ${tool.title} | ${effect(tool)} | \`${tool.operation}\` |`,
  );
  return ["| tool | what it does | effect | maps to |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

/** README text with every provider's table replaced by the one the manifest renders. */
export function withToolTables(readme: string): string {
  let text = readme;
  for (const provider of PROVIDERS) {
    const start = `<!-- tools:${provider.id}:start -->`;
    const end = `<!-- tools:${provider.id}:end -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from === -1 || to === -1 || to < from) {
      throw new Error(`${README} lacks the ${start} … ${end} markers`);
    }
    text = `${text.slice(0, from + start.length)}\n${renderToolTable(provider)}\n${text.slice(to)}`;
  }
  return text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(README, withToolTables(readFileSync(README, "utf8")));
  process.stderr.write(`updated the tool tables in ${README}\n`);
}
