/**
 * The generators `npm run generate` runs, in order. Each writes only below `<root>/src/generated/`: the
 * code generated from specs/, then the tool listings generated from the manifests over that code.
 */
import { execFileSync } from "node:child_process";
import { generateHms } from "./hms-openapi.js";

export interface Generator {
  /** What it generates, for log lines. */
  readonly name: string;
  /** Writes its output below `root` (the repo root, or a scratch directory in --check mode). */
  run(root: string): void | Promise<void>;
}

/** LiveKit: buf runs protoc-gen-es and our protoc-gen-tool-schemas over specs/livekit (see buf.gen.yaml). */
const livekit: Generator = {
  name: "src/generated/livekit (buf: protoc-gen-es + protoc-gen-tool-schemas)",
  run(root) {
    execFileSync("buf", ["generate", "--output", root], { stdio: ["ignore", "inherit", "inherit"] });
  },
};

/** 100ms: openapi-typescript types plus per-operation tool schemas from specs/100ms/openapi.yaml. */
const hms: Generator = {
  name: "src/generated/hms (openapi-typescript + codegen/openapi-operations.ts)",
  run: generateHms,
};

/**
 * Every provider's tool listing (src/generated/<id>/tool_listing.ts), from its manifest over the code above:
 * last, and in its own process, so that it imports what the generators above just wrote.
 */
const listings: Generator = {
  name: "src/generated/<provider>/tool_listing.ts (codegen/tool-listing.ts, from the manifests in src/tools)",
  run(root) {
    execFileSync(process.execPath, ["--import", "tsx", "codegen/tool-listing.ts", root], {
      stdio: ["ignore", "inherit", "inherit"],
    });
  },
};

export const generators: readonly Generator[] = [livekit, hms, listings];
