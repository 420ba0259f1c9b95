/**
 * jose, loaded on first use: start-up (tools/list) signs and verifies nothing, and the library is a large
 * module graph. Every signing or verifying call site awaits this.
 */
import { onceAsync } from "./once.js";

export type Jose = typeof import("jose");

export const jose: () => Promise<Jose> = onceAsync(() => import("jose"));
