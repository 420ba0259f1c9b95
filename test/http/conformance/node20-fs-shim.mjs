// `fs` as on Node 22 for the conformance CLI: everything Node 20 has, plus a globSync that says it is absent.
import * as fs from "node:fs";

export * from "node:fs";
export default fs;
export function globSync() {
  throw new Error("fs.globSync needs Node 22 (only the conformance tier-check command uses it)");
}
