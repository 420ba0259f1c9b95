/**
 * Writes the two install manifests from the code that defines what they describe, so neither can drift:
 * `server.json` for the MCP registry (the npm package over stdio and over Streamable HTTP, every environment
 * variable, secrets marked) and `manifest.json` for an MCP Bundle (`.mcpb`, one-click desktop installs).
 * Variables come from the provider registry, CONTROL_FLAGS and HTTP_FLAGS; the version from package.json.
 *
 *   npm run manifests            write both (then `npm run format` lays them out)
 *   npm run manifests -- --check exit 1 if either is out of date (test/packaging checks this too)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { CONTROL_FLAGS } from "../src/control/options.js";
import { WEBHOOK_FLAGS } from "../src/events/options.js";
import { EVENT_VARIABLES } from "../src/events/runtime.js";
import { HTTP_FLAGS } from "../src/http/options.js";
import { PROVIDERS } from "../src/providers/registry.js";

/** The registry name package.json's `mcpName` must carry (io.github.<owner>/<name>). */
export const MCP_NAME = "io.github.rooms-mcp/rooms-mcp";

export const SERVER_SCHEMA = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json";

interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly license: string;
  readonly mcpName?: string;
}

interface Variable {
  readonly name: string;
  readonly description: string;
  readonly isSecret: boolean;
}

/** `ROOMS_MCP_READ_ONLY=1` → `ROOMS_MCP_READ_ONLY`; meanings marked "(secret)" are secrets. */
function flagVariables(flags: readonly (readonly [string, string, string])[]): Variable[] {
  return flags
    .filter(([, variable]) => variable !== "")
    .map(([, variable, meaning]) => ({
      name: variable.replace(/=.*$/, ""),
      description: meaning.replace(/ \(secret\)$/, ""),
      isSecret: meaning.endsWith("(secret)"),
    }));
}

function providerVariables(): Variable[] {
  return PROVIDERS.flatMap((p) =>
    [...p.environment, ...p.events.environment].map((v) => ({
      name: v.name,
      description: `${p.displayName}: ${v.description}`,
      isSecret: v.secret,
    })),
  );
}

/** The event store's settings (REDIS_URL and the rest). */
function eventVariables(): Variable[] {
  return EVENT_VARIABLES.map((v) => ({ name: v.name, description: v.description, isSecret: v.secret }));
}

const LOG_LEVEL: Variable = {
  name: "ROOMS_MCP_LOG_LEVEL",
  description: "debug, info (default), warn, error or silent; logs go to stderr",
  isSecret: false,
};

export function serverJson(pkg: PackageJson): Record<string, unknown> {
  const env = (variables: readonly Variable[]) =>
    variables.map((v) => ({
      name: v.name,
      description: v.description,
      isSecret: v.isSecret,
      format: "string",
    }));
  const common = [...providerVariables(), ...flagVariables(CONTROL_FLAGS), ...eventVariables(), LOG_LEVEL];
  const npm = {
    registryType: "npm",
    registryBaseUrl: "https://registry.npmjs.org",
    identifier: pkg.name,
    version: pkg.version,
    runtimeHint: "npx",
  };
  return {
    $schema: SERVER_SCHEMA,
    // The registry proves ownership by the same name in the published package.json.
    name: pkg.mcpName ?? MCP_NAME,
    title: "rooms-mcp",
    description: "Operate LiveKit and 100ms rooms: participants, tracks, data, sessions, recordings.",
    version: pkg.version,
    packages: [
      {
        ...npm,
        transport: { type: "stdio" },
        environmentVariables: env([...common, ...flagVariables(WEBHOOK_FLAGS)]),
      },
      {
        ...npm,
        transport: {
          type: "streamable-http",
          url: "http://127.0.0.1:{port}/mcp",
          headers: [
            {
              name: "Authorization",
              description: "Bearer <one of ROOMS_MCP_HTTP_TOKENS>",
              isSecret: true,
              isRequired: false,
            },
          ],
        },
        packageArguments: [
          { type: "positional", value: "--http" },
          { type: "positional", value: "--port" },
          { type: "positional", valueHint: "port", default: "3000", format: "number", isRequired: true },
        ],
        environmentVariables: env([...common, ...flagVariables(HTTP_FLAGS)]),
      },
    ],
  };
}

/** MCP Bundle manifest: every provider served (tool names prefixed), credentials asked at install. */
export function mcpbManifest(pkg: PackageJson): Record<string, unknown> {
  const credentials = PROVIDERS.flatMap((p) =>
    p.environment
      .filter((v) => /URL$|KEY$|SECRET$|TOKEN$/.test(v.name) && !v.name.endsWith("_TEMPLATE"))
      .map((v) => ({ provider: p.displayName, ...v })),
  );
  const key = (name: string) => name.toLowerCase();
  const userConfig: Record<string, unknown> = {};
  for (const v of credentials) {
    userConfig[key(v.name)] = {
      type: "string",
      title: `${v.provider}: ${v.name}`,
      description: v.description,
      required: false,
      ...(v.secret ? { sensitive: true } : {}),
    };
  }
  userConfig.read_only = {
    type: "boolean",
    title: "Read-only",
    description: "Serve only the tools that change nothing",
    required: false,
    default: false,
  };
  return {
    manifest_version: "0.3",
    name: pkg.name,
    display_name: "rooms-mcp: LiveKit and 100ms rooms",
    version: pkg.version,
    description: pkg.description,
    long_description:
      "Create and configure rooms, see who is connected, mute tracks, remove participants, end sessions, send data " +
      "and messages, audit sessions and recordings, on LiveKit and 100ms. Give the credentials of one provider or " +
      "both; tool names are prefixed livekit_ and hms_.",
    author: { name: "rooms-mcp contributors" },
    license: pkg.license,
    keywords: ["livekit", "100ms", "webrtc", "rooms", "mcp"],
    server: {
      type: "node",
      entry_point: "dist/cli.js",
      mcp_config: {
        command: "node",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: an MCPB placeholder, filled in by the host app
        args: ["${__dirname}/dist/cli.js"],
        env: {
          ...Object.fromEntries(credentials.map((v) => [v.name, `\${user_config.${key(v.name)}}`])),
          // biome-ignore lint/suspicious/noTemplateCurlyInString: an MCPB placeholder, filled in by the host app
          ROOMS_MCP_READ_ONLY: "${user_config.read_only}",
        },
      },
    },
    compatibility: { platforms: ["darwin", "win32", "linux"], runtimes: { node: ">=20.19.0" } },
    user_config: userConfig,
  };
}

function main(): void {
  const pkg = JSON.parse(readFileSync("package.json", "utf8")) as PackageJson;
  const files = {
    "server.json": `${JSON.stringify(serverJson(pkg), null, 2)}\n`,
    "manifest.json": `${JSON.stringify(mcpbManifest(pkg), null, 2)}\n`,
  };
  const check = process.argv.includes("--check");
  let stale = false;
  for (const [file, text] of Object.entries(files)) {
    let current: unknown;
    try {
      current = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      current = undefined;
    }
    // Compared as JSON: `npm run format` may lay the files out its own way.
    if (JSON.stringify(current) === JSON.stringify(JSON.parse(text))) {
      continue;
    }
    if (check) {
      process.stderr.write(`${file} is out of date: run npm run manifests\n`);
      stale = true;
    } else {
      writeFileSync(file, text);
      process.stdout.write(`wrote ${file}\n`);
    }
  }
  process.exitCode = stale ? 1 : 0;
}

if (process.argv[1]?.endsWith("package-manifests.ts")) {
  main();
}
