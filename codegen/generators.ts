/**
 * The generators `npm run generate` runs, in order. Each writes only below `<root>/src/generated/`.
 */
import { execFileSync } from "node:child_process";

export interface Generator {
  /** What it generates, for log lines. */
  readonly name: string;
  /** Writes its output below `root` (the repo root, or a scratch directory in --check mode). */
  run(root: string): void;
}

/** LiveKit: buf runs protoc-gen-es and our protoc-gen-tool-schemas over specs/livekit (see buf.gen.yaml). */
const livekit: Generator = {
  name: "src/generated/livekit (buf: protoc-gen-es + protoc-gen-tool-schemas)",
  run(root) {
    execFileSync("buf", ["generate", "--output", root], { stdio: ["ignore", "inherit", "inherit"] });
  },
};

export const generators: readonly Generator[] = [livekit];
