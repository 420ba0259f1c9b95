// Loaded with `node --import` before the conformance CLI on Node < 22: its bundle imports `globSync` from
// `fs` (added in Node 22) although only its `tier-check` command uses it. Maps `fs` for that package alone
// to a module that adds a stub, so the `server` command runs on Node 20 as on 22 and 24.
import * as fs from "node:fs";
import { register } from "node:module";

if (typeof fs.globSync !== "function") {
  register(new URL("./node20-fs-hooks.mjs", import.meta.url));
}
