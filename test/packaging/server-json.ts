/**
 * The MCP registry's rules for `server.json` (schema 2025-12-11, and what the registry enforces at publish),
 * for the fields this package uses. The registry's own validator (`mcp-publisher validate`, a Go binary from
 * its releases) cannot be installed here (only the npm registry is reachable), so these rules are checked
 * in code: each returns a problem in words, or nothing.
 */

const NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;
/** What the registry refuses as a version: ranges, wildcards, `latest`. */
const NOT_ONE_VERSION = /[\^~<>=*\s|]|(^|\.)[xX](\.|$)|^latest$/;
const REGISTRY_TYPES = ["npm", "pypi", "nuget", "oci", "mcpb"];
const FORMATS = ["string", "number", "boolean", "filepath"];

type Json = Record<string, unknown>;

export function serverJsonProblems(
  doc: Json,
  pkg: { name: string; version: string; mcpName?: string },
): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, problem: string) => {
    if (!ok) {
      problems.push(problem);
    }
  };
  const name = doc.name;
  need(
    typeof name === "string" && NAME.test(name) && name.length >= 3 && name.length <= 200,
    "name: reverse-DNS namespace/name",
  );
  need(
    pkg.mcpName !== undefined && name === pkg.mcpName,
    `name ${String(name)} must equal package.json mcpName (${pkg.mcpName ?? "unset"})`,
  );
  const description = doc.description;
  need(
    typeof description === "string" && description.length >= 1 && description.length <= 100,
    "description: 1 to 100 characters",
  );
  const version = doc.version;
  need(
    typeof version === "string" && version.length <= 255 && !NOT_ONE_VERSION.test(version),
    "version: one specific version",
  );
  need(version === pkg.version, `version ${String(version)} must equal package.json version ${pkg.version}`);
  const packages = Array.isArray(doc.packages) ? (doc.packages as Json[]) : [];
  need(packages.length > 0, "packages: at least one");
  packages.forEach((p, i) => {
    const at = `packages[${i}]`;
    need(
      REGISTRY_TYPES.includes(String(p.registryType)),
      `${at}.registryType: one of ${REGISTRY_TYPES.join(", ")}`,
    );
    need(typeof p.identifier === "string" && p.identifier !== "", `${at}.identifier: required`);
    need(p.identifier === pkg.name && p.version === pkg.version, `${at}: must be ${pkg.name}@${pkg.version}`);
    need(
      typeof p.version === "string" && !NOT_ONE_VERSION.test(p.version),
      `${at}.version: one specific version`,
    );
    problems.push(...transportProblems(p.transport as Json | undefined, `${at}.transport`));
    for (const [list, kind] of [
      ["packageArguments", "argument"],
      ["runtimeArguments", "argument"],
      ["environmentVariables", "input"],
    ] as const) {
      const items = p[list];
      if (items === undefined) {
        continue;
      }
      need(Array.isArray(items), `${at}.${list}: an array`);
      (Array.isArray(items) ? (items as Json[]) : []).forEach((item, j) => {
        problems.push(...inputProblems(item, `${at}.${list}[${j}]`, kind));
      });
    }
  });
  return problems;
}

function transportProblems(transport: Json | undefined, at: string): string[] {
  if (transport === undefined || typeof transport.type !== "string") {
    return [`${at}: required, with a type`];
  }
  if (transport.type === "stdio") {
    return [];
  }
  if (transport.type !== "streamable-http" && transport.type !== "sse") {
    return [`${at}.type: stdio, streamable-http or sse`];
  }
  const problems = typeof transport.url === "string" && transport.url !== "" ? [] : [`${at}.url: required`];
  const headers = transport.headers;
  if (headers !== undefined) {
    (Array.isArray(headers) ? (headers as Json[]) : []).forEach((h, j) => {
      problems.push(...inputProblems(h, `${at}.headers[${j}]`, "input"));
    });
  }
  return problems;
}

function inputProblems(item: Json, at: string, kind: "argument" | "input"): string[] {
  const problems: string[] = [];
  if (kind === "input" && (typeof item.name !== "string" || item.name === "")) {
    problems.push(`${at}.name: required`);
  }
  if (kind === "argument") {
    if (item.type === "positional") {
      if (item.value === undefined && item.valueHint === undefined) {
        problems.push(`${at}: a positional argument needs value or valueHint`);
      }
    } else if (item.type === "named") {
      if (typeof item.name !== "string") {
        problems.push(`${at}.name: required for a named argument`);
      }
    } else {
      problems.push(`${at}.type: positional or named`);
    }
  }
  if (item.format !== undefined && !FORMATS.includes(String(item.format))) {
    problems.push(`${at}.format: one of ${FORMATS.join(", ")}`);
  }
  for (const flag of ["isSecret", "isRequired", "isRepeated"]) {
    if (item[flag] !== undefined && typeof item[flag] !== "boolean") {
      problems.push(`${at}.${flag}: a boolean`);
    }
  }
  for (const text of ["description", "default", "value", "valueHint", "placeholder"]) {
    if (item[text] !== undefined && typeof item[text] !== "string") {
      problems.push(`${at}.${text}: a string`);
    }
  }
  return problems;
}
