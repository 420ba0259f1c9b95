/**
 * jose, loaded on first use: start-up (tools/list) signs and verifies nothing, and the library is a large
 * module graph. Every signing or verifying call site awaits this.
 */
export type Jose = typeof import("jose");

let loading: Promise<Jose> | undefined;

export function jose(): Promise<Jose> {
  loading ??= import("jose");
  return loading;
}
