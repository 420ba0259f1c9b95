/**
 * HTTP-mode settings: defaults, the refusal to listen beyond loopback without authentication, and every
 * unknown or out-of-range value stopping start-up with a message naming what is accepted.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONTROL_FLAGS } from "../../src/control/options.js";
import { HTTP_FLAGS, isLoopbackHost, parseHttpOptions } from "../../src/http/options.js";
import { PROVIDERS } from "../../src/providers/registry.js";
import { TEST_STATE_KEY, TEST_TOKEN } from "./helpers.js";

const parse = (argv: string[], env: Record<string, string> = {}) => parseHttpOptions(argv, env);

describe("parseHttpOptions", () => {
  it("leaves stdio alone without --http, and refuses HTTP-only flags there", () => {
    expect(parse(["livekit"])).toEqual({ options: undefined, rest: ["livekit"] });
    expect(() => parse(["--port", "3000"])).toThrow("--port only applies with --http");
  });

  it("defaults to 127.0.0.1:3000, operator credentials, no authentication", () => {
    const { options, rest } = parse(["livekit", "--http"]);
    expect(rest).toEqual(["livekit"]);
    expect(options).toMatchObject({
      host: "127.0.0.1",
      port: 3000,
      credentials: "env",
      tokens: [],
      oauth: undefined,
    });
  });

  it("refuses a non-loopback bind without authentication, and accepts it with a token", () => {
    expect(() => parse(["--http", "--host", "0.0.0.0"])).toThrow(
      /reachable from other machines.*ROOMS_MCP_HTTP_TOKENS/,
    );
    expect(() => parse(["--http", "--host=::"])).toThrow(/no authentication/);
    const { options } = parse(["--http", "--host", "0.0.0.0"], { ROOMS_MCP_HTTP_TOKENS: TEST_TOKEN });
    expect(options?.tokens).toEqual([TEST_TOKEN]);
  });

  it("reads tokens from a file, one per line, comments and blanks ignored", () => {
    const file = join(mkdtempSync(join(tmpdir(), "rooms-mcp-")), "tokens");
    writeFileSync(file, `# ops\n${TEST_TOKEN}\n\n${TEST_TOKEN}-second\n`);
    expect(parse(["--http"], { ROOMS_MCP_HTTP_TOKENS_FILE: file }).options?.tokens).toEqual([
      TEST_TOKEN,
      `${TEST_TOKEN}-second`,
    ]);
    expect(() => parse(["--http"], { ROOMS_MCP_HTTP_TOKENS_FILE: `${file}-missing` })).toThrow(
      /cannot be read \(ENOENT\)/,
    );
  });

  it("refuses short tokens without echoing them", () => {
    expect(() => parse(["--http"], { ROOMS_MCP_HTTP_TOKENS: "hunter2" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("hunter2") }),
    );
  });

  it("names the accepted values of every setting", () => {
    expect(() => parse(["--http", "--credentials", "tenant"])).toThrow(
      '--credentials must be env or per-request; not "tenant"',
    );
    expect(() => parse(["--http", "--port", "http"])).toThrow(
      "--port must be a whole number from 0 to 65535",
    );
    expect(() => parse(["--http", "--port", "70000"])).toThrow("--port must be from 0 to 65535");
    expect(() => parse(["--http"], { ROOMS_MCP_HTTP_MAX_BODY_BYTES: "1mb" })).toThrow(
      "ROOMS_MCP_HTTP_MAX_BODY_BYTES",
    );
    expect(() => parse(["--http"], { ROOMS_MCP_HTTP_REQUEST_TIMEOUT_MS: "5" })).toThrow(
      "from 100 to 3600000",
    );
    expect(() => parse(["--http"], { ROOMS_MCP_STATE_KEY: "short" })).toThrow("at least 32 bytes");
    expect(
      parse(["--http"], { ROOMS_MCP_STATE_KEY: TEST_STATE_KEY }).options?.stateKey?.byteLength,
    ).toBeGreaterThanOrEqual(32);
    expect(() => parse(["--http", "--host"])).toThrow("--host needs a value");
  });

  it("checks the OAuth settings as a whole", () => {
    const issuer = "https://auth.example.com";
    expect(() => parse(["--http"], { ROOMS_MCP_OAUTH_ISSUER: issuer })).toThrow(
      "set ROOMS_MCP_OAUTH_RESOURCE as well",
    );
    expect(() => parse(["--http"], { ROOMS_MCP_OAUTH_JWKS_URL: `${issuer}/jwks` })).toThrow(
      "ROOMS_MCP_OAUTH_ISSUER is not",
    );
    expect(() =>
      parse(["--http"], {
        ROOMS_MCP_OAUTH_ISSUER: "http://auth.example.com",
        ROOMS_MCP_OAUTH_RESOURCE: "https://r.example/mcp",
      }),
    ).toThrow("https://");
    expect(() =>
      parse(["--http"], { ROOMS_MCP_OAUTH_ISSUER: issuer, ROOMS_MCP_OAUTH_RESOURCE: "https://r.example/" }),
    ).toThrow("ending in /mcp");
    const { options } = parse(["--http", "--host", "0.0.0.0"], {
      ROOMS_MCP_OAUTH_ISSUER: issuer,
      ROOMS_MCP_OAUTH_RESOURCE: "https://rooms.example.com/mcp",
    });
    expect(options?.oauth).toMatchObject({ issuer, readScope: "rooms:read", writeScope: "rooms:write" });
  });

  it("knows which addresses are loopback", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"]) {
      expect(isLoopbackHost(host)).toBe(true);
    }
    for (const host of ["0.0.0.0", "::", "10.0.0.1", "rooms.example.com"]) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });
});

describe("the rooms-mcp command line", () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ["dist/cli.js", ...args], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", ...env },
      timeout: 15_000,
    });

  it("refuses --http --host 0.0.0.0 without authentication, before listening", () => {
    const run = cli(["livekit", "--http", "--host", "0.0.0.0"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("no authentication is configured");
    expect(run.stdout).toBe("");
  });

  it("lists every flag and environment variable in --help", () => {
    const help = cli(["--help"]).stdout;
    const names = [
      ...[...CONTROL_FLAGS, ...HTTP_FLAGS].flatMap(([flag, variable]) => [
        flag.split(" ")[0] ?? "",
        variable.replace(/=.*/, ""),
      ]),
      ...PROVIDERS.flatMap((p) => p.environment.map((v) => v.name)),
      "ROOMS_MCP_LOG_LEVEL",
    ].filter((n) => n !== "");
    expect(names.filter((n) => !help.includes(n))).toEqual([]);
  });

  it("stops on an unknown value of a setting, naming the accepted ones", () => {
    const wire = cli(["livekit"], { LIVEKIT_WIRE_FORMAT: "proto" });
    expect(wire.status).toBe(2);
    expect(wire.stderr).toContain("json or protobuf");
    const level = cli(["livekit"], { ROOMS_MCP_LOG_LEVEL: "verbose" });
    expect(level.status).toBe(2);
    expect(level.stderr).toContain("debug, info, warn, error, silent");
  });
});
