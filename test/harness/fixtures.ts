/**
 * The fixture format and the provider-independent part of the fixture runner.
 *
 * One file per case: `test/fixtures/<provider>/<tool>/<case>.json` holds the tool call's arguments, every
 * HTTP exchange expected on the wire (request as sent, response as recorded), and the expected tool result.
 * The runner serves the responses from a real HTTP server on 127.0.0.1, calls the tool through a real MCP
 * client, and fails on any unexpected, missing or different request.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isRecord } from "../../src/json.js";
import type { AnyProvider } from "../../src/providers/registry.js";
import type { BoundTool } from "../../src/tools/define.js";
import type { ReceivedRequest, RecordedResponse } from "./upstream.js";

export interface ExpectedRequest {
  readonly method: string;
  /** Path and query as sent. */
  readonly path: string;
  /** The decoded body (proto JSON for LiveKit, plain JSON for 100ms); compared semantically. */
  readonly body?: unknown;
  /** LiveKit: the `video` grant the call's token must carry, exactly (absent: no video claim). */
  readonly grant?: Record<string, unknown>;
  /** LiveKit: the `sip` grant the call's token must carry, exactly (absent: no sip claim). */
  readonly sip?: Record<string, unknown>;
  /** Body fields that must be present but whose value is not fixed (e.g. a random nonce). */
  readonly anyValue?: readonly string[];
}

export interface FixtureExchange {
  readonly request: ExpectedRequest;
  readonly response: RecordedResponse;
}

export type ExpectedResult =
  | {
      readonly isError: false;
      readonly structuredContent: Record<string, unknown>;
      /**
       * Dotted paths of values that differ on every call (a time observed, seconds waited): the result
       * must have a value there, and structuredContent states everything else.
       */
      readonly volatile?: readonly string[];
    }
  | {
      readonly isError: true;
      readonly text?: string;
      readonly textIncludes?: readonly string[];
      /** Text that must not appear (e.g. a token the upstream quoted back). */
      readonly textExcludes?: readonly string[];
    };

export interface Fixture {
  readonly description: string;
  /**
   * The provider's environment for this case, where it differs from the harness's default test
   * credentials (100ms: `HMS_MANAGEMENT_TOKEN` instead of a minted key pair).
   */
  readonly env?: Record<string, string>;
  readonly arguments: Record<string, unknown>;
  /** The provider's webhooks reach the server, which already holds these events (list_events, wait_for_event). */
  readonly events?: { readonly stored?: readonly Record<string, unknown>[] };
  readonly exchanges: readonly FixtureExchange[];
  readonly result: ExpectedResult;
}

export interface LoadedFixture {
  readonly provider: string;
  readonly tool: string;
  readonly name: string;
  /** Repo-relative path, for messages. */
  readonly file: string;
  readonly fixture: Fixture;
}

/** What the runner needs to know about one provider. */
export interface ProviderHarness {
  readonly provider: AnyProvider;
  /**
   * The provider's tools, bound to a client that talks to `baseUrl` with test credentials (or with the
   * fixture's `env`, when given).
   */
  bind(baseUrl: string, fixture?: Fixture): readonly BoundTool[];
  /** Checks one received request against the fixture's expectation; returns problems (empty = fine). */
  checkRequest(expected: ExpectedRequest, received: ReceivedRequest, fixture?: Fixture): Promise<string[]>;
  /** Checks the fixture itself against the provider's spec; returns problems (empty = fine). */
  validateFixture(fixture: Fixture): string[];
}

export const FIXTURES_DIR = join("test", "fixtures");

/** Every fixture of a provider, sorted by tool and case name. */
export function loadFixtures(provider: string): LoadedFixture[] {
  const root = join(FIXTURES_DIR, provider);
  const loaded: LoadedFixture[] = [];
  for (const tool of listDir(root)) {
    for (const file of listDir(join(root, tool)).filter((f) => f.endsWith(".json"))) {
      const path = join(root, tool, file);
      loaded.push({
        provider,
        tool,
        name: file.replace(/\.json$/, ""),
        file: path,
        fixture: JSON.parse(readFileSync(path, "utf8")) as Fixture,
      });
    }
  }
  return loaded;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/**
 * Semantic comparison of expected and actual JSON: problems as `path: expected X, got Y`. Keys named in
 * `anyValue` (top level) only need to be present.
 */
export function compareJson(
  expected: unknown,
  actual: unknown,
  anyValue: readonly string[] = [],
  path = "",
): string[] {
  if (path === "" && isRecord(expected) && isRecord(actual) && anyValue.length > 0) {
    const problems = anyValue
      .filter((key) => !(key in actual))
      .map((key) => `${key}: expected a value, got none`);
    const strip = (o: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(o).filter(([key]) => !anyValue.includes(key)));
    return [...problems, ...compareJson(strip(expected), strip(actual), [], path)];
  }
  if (isRecord(expected) && isRecord(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    return keys.flatMap((key) =>
      compareJson(expected[key], actual[key], [], path === "" ? key : `${path}.${key}`),
    );
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
    return expected.flatMap((item, i) => compareJson(item, actual[i], [], `${path}[${i}]`));
  }
  return JSON.stringify(expected) === JSON.stringify(actual)
    ? []
    : [`${path || "(root)"}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}
