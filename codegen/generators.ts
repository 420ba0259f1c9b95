/**
 * The generators `npm run generate` runs, in order. Each writes only below `<root>/src/generated/`.
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

export const generators: readonly Generator[] = [livekit, hms];
