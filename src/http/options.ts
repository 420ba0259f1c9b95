/**
 * HTTP mode from the command line and the environment: `--http [--host H] [--port N] [--credentials
 * env|per-request]` and the `ROOMS_MCP_HTTP_*`, `ROOMS_MCP_OAUTH_*`, `ROOMS_MCP_STATE_KEY` and
 * `ROOMS_MCP_LIVEKIT_HOSTS` variables. Every value is checked here, so a typo stops start-up naming what
 * is accepted instead of silently meaning a default.
 */
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import type { Env } from "../providers/provider.js";

export type CredentialsMode = "env" | "per-request";
export const CREDENTIALS_MODES: readonly CredentialsMode[] = ["env", "per-request"];

export interface OAuthSettings {
  /** The authorization server's issuer URL (tokens' `iss`). */
  readonly issuer: string;
  /** This server's public MCP URL: the audience tokens must carry (RFC 8707). */
  readonly resource: URL;
  /** Where the issuer's signing keys are; undefined: read from the issuer's metadata at start-up. */
  readonly jwksUrl: string | undefined;
  /** The scope that allows the read-only tools, and the one that allows everything served. */
  readonly readScope: string;
  readonly writeScope: string;
}

export interface HttpOptions {
  readonly host: string;
  readonly port: number;
  readonly credentials: CredentialsMode;
  /** Bearer tokens the operator issued (ROOMS_MCP_HTTP_TOKENS or the file); empty: none. */
  readonly tokens: readonly string[];
  readonly oauth: OAuthSettings | undefined;
  /** Host header names accepted besides the loopback names (ROOMS_MCP_HTTP_ALLOWED_HOSTS). */
  readonly allowedHosts: readonly string[];
  /** Origin hostnames accepted besides the loopback ones (ROOMS_MCP_HTTP_ALLOWED_ORIGINS). */
  readonly allowedOrigins: readonly string[];
  readonly maxBodyBytes: number;
  readonly requestTimeoutMs: number;
  readonly shutdownGraceMs: number;
  /** The shared request-state key (≥32 bytes); undefined: a random one for this process only. */
  readonly stateKey: Uint8Array | undefined;
  /** Host patterns a tenant's LiveKit URL may point at (per-request credentials). */
  readonly livekitHosts: readonly string[];
}

export class HttpOptionsError extends Error {
  override readonly name = "HttpOptionsError";
}

const DEFAULTS = {
  host: "127.0.0.1",
  port: 3000,
  maxBodyBytes: 1_048_576,
  requestTimeoutMs: 60_000,
  shutdownGraceMs: 10_000,
  readScope: "rooms:read",
  writeScope: "rooms:write",
} as const;

const MIN_STATE_KEY_BYTES = 32;

/** For --help: flag or variable, meaning. */
export const HTTP_FLAGS: readonly (readonly [string, string, string])[] = [
  ["--http", "", "serve MCP over Streamable HTTP on /mcp (with /healthz, /readyz) instead of stdio"],
  ["--host HOST", "", `address to listen on (default ${DEFAULTS.host}; any other needs authentication)`],
  ["--port N", "", `port to listen on (default ${DEFAULTS.port}; 0: any free port)`],
  [
    "--credentials MODE",
    "",
    "env (default): provider credentials from the environment; per-request: each request brings its own",
  ],
  ["", "ROOMS_MCP_HTTP_TOKENS", "bearer tokens clients must send, comma-separated (secret)"],
  ["", "ROOMS_MCP_HTTP_TOKENS_FILE", "a file with one bearer token per line, instead"],
  ["", "ROOMS_MCP_OAUTH_ISSUER", "OAuth 2.1 authorization server whose access tokens are accepted"],
  ["", "ROOMS_MCP_OAUTH_RESOURCE", "this server's public URL, e.g. https://rooms.example.com/mcp (audience)"],
  ["", "ROOMS_MCP_OAUTH_JWKS_URL", "the issuer's JWKS URL (default: its jwks_uri from the issuer metadata)"],
  ["", "ROOMS_MCP_OAUTH_READ_SCOPE", `scope allowing the read-only tools (default ${DEFAULTS.readScope})`],
  ["", "ROOMS_MCP_OAUTH_WRITE_SCOPE", `scope allowing every served tool (default ${DEFAULTS.writeScope})`],
  ["", "ROOMS_MCP_HTTP_ALLOWED_HOSTS", "Host names clients use to reach this server (loopback names always)"],
  ["", "ROOMS_MCP_HTTP_ALLOWED_ORIGINS", "browser Origin hostnames allowed (loopback ones always)"],
  ["", "ROOMS_MCP_HTTP_MAX_BODY_BYTES", `largest request body (default ${DEFAULTS.maxBodyBytes})`],
  ["", "ROOMS_MCP_HTTP_REQUEST_TIMEOUT_MS", `deadline per request (default ${DEFAULTS.requestTimeoutMs})`],
  [
    "",
    "ROOMS_MCP_HTTP_SHUTDOWN_GRACE_MS",
    `on SIGTERM, how long calls in flight may finish (default ${DEFAULTS.shutdownGraceMs})`,
  ],
  [
    "",
    "ROOMS_MCP_STATE_KEY",
    "32+ byte secret signing confirmation rounds; the same on every replica behind a load balancer (secret)",
  ],
  [
    "",
    "ROOMS_MCP_LIVEKIT_HOSTS",
    "per-request mode: hosts a tenant's LiveKit URL may name, e.g. *.livekit.cloud,lk.example.com:7880",
  ],
];

const VALUED = ["--host", "--port", "--credentials"] as const;
type Valued = (typeof VALUED)[number];

/**
 * Reads the HTTP flags out of `argv` and the HTTP settings from `env`. Returns undefined options when
 * `--http` is absent (the HTTP-only flags are then an error: they would silently do nothing).
 */
export function parseHttpOptions(
  argv: readonly string[],
  env: Env,
): { options: HttpOptions | undefined; rest: string[] } {
  let http = false;
  const given = new Map<Valued, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    if (flag === "--http" && inline === undefined) {
      http = true;
    } else if ((VALUED as readonly string[]).includes(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith("--")) {
        throw new HttpOptionsError(`${flag} needs a value`);
      }
      given.set(flag as Valued, value);
    } else {
      rest.push(arg);
    }
  }
  if (!http) {
    const stray = [...given.keys()][0];
    if (stray !== undefined) {
      throw new HttpOptionsError(`${stray} only applies with --http (stdio is the default)`);
    }
    return { options: undefined, rest };
  }
  const credentials = given.get("--credentials") ?? "env";
  if (!(CREDENTIALS_MODES as readonly string[]).includes(credentials)) {
    throw new HttpOptionsError(
      `--credentials must be ${CREDENTIALS_MODES.join(" or ")}; not ${JSON.stringify(credentials)}`,
    );
  }
  const host = given.get("--host") ?? DEFAULTS.host;
  const oauth = oauthSettings(env);
  const tokens = bearerTokens(env);
  const options: HttpOptions = {
    host,
    port: integer("--port", given.get("--port"), DEFAULTS.port, 0, 65_535),
    credentials: credentials as CredentialsMode,
    tokens,
    oauth,
    allowedHosts: list(env.ROOMS_MCP_HTTP_ALLOWED_HOSTS).map((h) => h.toLowerCase()),
    allowedOrigins: list(env.ROOMS_MCP_HTTP_ALLOWED_ORIGINS).map((h) => h.toLowerCase()),
    maxBodyBytes: integer(
      "ROOMS_MCP_HTTP_MAX_BODY_BYTES",
      env.ROOMS_MCP_HTTP_MAX_BODY_BYTES,
      DEFAULTS.maxBodyBytes,
      1_024,
      64 * 1_048_576,
    ),
    requestTimeoutMs: integer(
      "ROOMS_MCP_HTTP_REQUEST_TIMEOUT_MS",
      env.ROOMS_MCP_HTTP_REQUEST_TIMEOUT_MS,
      DEFAULTS.requestTimeoutMs,
      100,
      3_600_000,
    ),
    shutdownGraceMs: integer(
      "ROOMS_MCP_HTTP_SHUTDOWN_GRACE_MS",
      env.ROOMS_MCP_HTTP_SHUTDOWN_GRACE_MS,
      DEFAULTS.shutdownGraceMs,
      0,
      600_000,
    ),
    stateKey: stateKey(env.ROOMS_MCP_STATE_KEY),
    livekitHosts: list(env.ROOMS_MCP_LIVEKIT_HOSTS).map((h) => h.toLowerCase()),
  };
  if (!isLoopbackHost(host) && options.tokens.length === 0 && options.oauth === undefined) {
    throw new HttpOptionsError(
      `--host ${host} is reachable from other machines, and no authentication is configured: set ` +
        "ROOMS_MCP_HTTP_TOKENS (or ROOMS_MCP_HTTP_TOKENS_FILE), or ROOMS_MCP_OAUTH_ISSUER and " +
        "ROOMS_MCP_OAUTH_RESOURCE, or listen on 127.0.0.1",
    );
  }
  return { options, rest };
}

/** Whether only this machine can reach an address (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost" || bare === "::1") {
    return true;
  }
  return isIP(bare) === 4 && bare.startsWith("127.");
}

function bearerTokens(env: Env): string[] {
  const inline = env.ROOMS_MCP_HTTP_TOKENS ?? "";
  const file = env.ROOMS_MCP_HTTP_TOKENS_FILE ?? "";
  if (inline !== "" && file !== "") {
    throw new HttpOptionsError("set ROOMS_MCP_HTTP_TOKENS or ROOMS_MCP_HTTP_TOKENS_FILE, not both");
  }
  let tokens: string[];
  if (file !== "") {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new HttpOptionsError(
        `ROOMS_MCP_HTTP_TOKENS_FILE ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      );
    }
    tokens = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== "" && !line.startsWith("#"));
    if (tokens.length === 0) {
      throw new HttpOptionsError(`ROOMS_MCP_HTTP_TOKENS_FILE ${file} holds no token`);
    }
  } else {
    tokens = list(inline);
  }
  // A short token can be guessed; the value itself is never echoed.
  const short = tokens.findIndex((t) => t.length < 16);
  if (short >= 0) {
    throw new HttpOptionsError(
      `bearer token #${short + 1} is shorter than 16 characters; use long random tokens (e.g. openssl rand -hex 32)`,
    );
  }
  if (tokens.some((t) => /\s/.test(t))) {
    throw new HttpOptionsError("bearer tokens must not contain spaces");
  }
  return tokens;
}

function oauthSettings(env: Env): OAuthSettings | undefined {
  const issuer = (env.ROOMS_MCP_OAUTH_ISSUER ?? "").trim();
  const resource = (env.ROOMS_MCP_OAUTH_RESOURCE ?? "").trim();
  const jwksUrl = (env.ROOMS_MCP_OAUTH_JWKS_URL ?? "").trim();
  const scopes = ["ROOMS_MCP_OAUTH_READ_SCOPE", "ROOMS_MCP_OAUTH_WRITE_SCOPE"].filter(
    (name) => (env[name] ?? "") !== "",
  );
  if (issuer === "" && resource === "") {
    const stray = [...(jwksUrl === "" ? [] : ["ROOMS_MCP_OAUTH_JWKS_URL"]), ...scopes][0];
    if (stray !== undefined) {
      throw new HttpOptionsError(`${stray} is set, but ROOMS_MCP_OAUTH_ISSUER is not`);
    }
    return undefined;
  }
  if (issuer === "" || resource === "") {
    throw new HttpOptionsError(
      `set ${issuer === "" ? "ROOMS_MCP_OAUTH_ISSUER" : "ROOMS_MCP_OAUTH_RESOURCE"} as well (OAuth needs both)`,
    );
  }
  const issuerUrl = httpUrl("ROOMS_MCP_OAUTH_ISSUER", issuer);
  const resourceUrl = httpUrl("ROOMS_MCP_OAUTH_RESOURCE", resource);
  if (resourceUrl.hash !== "" || resourceUrl.search !== "") {
    throw new HttpOptionsError("ROOMS_MCP_OAUTH_RESOURCE must not have a query or fragment");
  }
  if (!/\/mcp\/?$/.test(resourceUrl.pathname)) {
    throw new HttpOptionsError(
      `ROOMS_MCP_OAUTH_RESOURCE must be the URL clients connect to, ending in /mcp (e.g. ${resourceUrl.origin}/mcp)`,
    );
  }
  const readScope = env.ROOMS_MCP_OAUTH_READ_SCOPE || DEFAULTS.readScope;
  const writeScope = env.ROOMS_MCP_OAUTH_WRITE_SCOPE || DEFAULTS.writeScope;
  for (const [name, scope] of [
    ["ROOMS_MCP_OAUTH_READ_SCOPE", readScope],
    ["ROOMS_MCP_OAUTH_WRITE_SCOPE", writeScope],
  ] as const) {
    if (!/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(scope)) {
      throw new HttpOptionsError(`${name} must be one OAuth scope (no spaces or quotes)`);
    }
  }
  if (readScope === writeScope) {
    throw new HttpOptionsError("ROOMS_MCP_OAUTH_READ_SCOPE and ROOMS_MCP_OAUTH_WRITE_SCOPE must differ");
  }
  return {
    // Kept as written: a token's `iss` must equal it exactly.
    issuer: issuerUrl.href === `${issuer}/` ? issuer : issuerUrl.href,
    resource: resourceUrl,
    jwksUrl: jwksUrl === "" ? undefined : httpUrl("ROOMS_MCP_OAUTH_JWKS_URL", jwksUrl).href,
    readScope,
    writeScope,
  };
}

function httpUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HttpOptionsError(`${name} is not a URL (e.g. https://auth.example.com)`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    throw new HttpOptionsError(`${name} must be an https:// URL (http:// only on loopback, for testing)`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new HttpOptionsError(`${name} must not contain user info`);
  }
  return url;
}

function stateKey(value: string | undefined): Uint8Array | undefined {
  if (value === undefined || value === "") {
    return undefined;
  }
  const bytes = Buffer.from(value, "utf8");
  if (bytes.byteLength < MIN_STATE_KEY_BYTES) {
    throw new HttpOptionsError(
      `ROOMS_MCP_STATE_KEY must be at least ${MIN_STATE_KEY_BYTES} bytes (e.g. openssl rand -hex 32); it is ${bytes.byteLength}`,
    );
  }
  return new Uint8Array(bytes);
}

function integer(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined || value.trim() === "") {
    return fallback;
  }
  if (!/^\d+$/.test(value.trim())) {
    throw new HttpOptionsError(
      `${name} must be a whole number from ${min} to ${max}; not ${JSON.stringify(value)}`,
    );
  }
  const n = Number(value.trim());
  if (n < min || n > max) {
    throw new HttpOptionsError(`${name} must be from ${min} to ${max}; not ${n}`);
  }
  return n;
}

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}
