/**
 * Redaction driven by the specs: generated code says where values marked sensitive sit (`sensitivePaths`;
 * 100ms marks them `x-sensitive`, LiveKit with `@sensitive` in a field's comment), and these helpers replace
 * or collect what is there.
 */
import { isRecord } from "./json.js";

/** Where a value sits: object keys, `[]` for every array element, `*` for every map value. */
export type ValuePath = readonly string[];

export const REDACTED = "[redacted]";

/**
 * A copy of `value` with every string at or below each path replaced by {@link REDACTED}. Strings only, so
 * the result still matches the response schema (an object of credentials stays an object of strings).
 */
export function redactPaths<T>(value: T, paths: readonly ValuePath[] | undefined): T {
  let result: unknown = value;
  for (const path of paths ?? []) {
    result = redactAt(result, path);
  }
  return result as T;
}

function redactAt(value: unknown, path: ValuePath): unknown {
  const [head, ...rest] = path;
  if (head === undefined) {
    return redactAll(value);
  }
  if (head === "[]") {
    return Array.isArray(value) ? value.map((item) => redactAt(item, rest)) : value;
  }
  if (!isRecord(value)) {
    return value;
  }
  if (head === "*") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactAt(item, rest)]));
  }
  return head in value ? { ...value, [head]: redactAt(value[head], rest) } : value;
}

function redactAll(value: unknown): unknown {
  if (typeof value === "string") {
    return REDACTED;
  }
  if (Array.isArray(value)) {
    return value.map(redactAll);
  }
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactAll(item)]));
  }
  return value;
}

/** Every string at or below the paths: the secrets a request carries, to keep them out of error text. */
export function collectSecrets(value: unknown, paths: readonly ValuePath[] | undefined): string[] {
  const found: string[] = [];
  const collectAll = (node: unknown): void => {
    if (typeof node === "string") {
      found.push(node);
    } else if (Array.isArray(node)) {
      node.forEach(collectAll);
    } else if (isRecord(node)) {
      Object.values(node).forEach(collectAll);
    }
  };
  const walk = (node: unknown, path: ValuePath): void => {
    const [head, ...rest] = path;
    if (head === undefined) {
      collectAll(node);
    } else if (head === "[]") {
      if (Array.isArray(node)) {
        for (const item of node) {
          walk(item, rest);
        }
      }
    } else if (isRecord(node)) {
      if (head === "*") {
        for (const item of Object.values(node)) {
          walk(item, rest);
        }
      } else if (head in node) {
        walk(node[head], rest);
      }
    }
  };
  for (const path of paths ?? []) {
    walk(value, path);
  }
  return found;
}
