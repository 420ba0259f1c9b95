/** The README's tool tables are generated from the manifest; this keeps them from drifting. */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { README, withToolTables } from "../scripts/readme-tools.js";

it("README tool tables match the manifest (refresh with `npm run readme:tools`)", () => {
  const readme = readFileSync(README, "utf8");
  expect(readme).toBe(withToolTables(readme));
});
