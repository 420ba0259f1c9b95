/**
 * Join links for 100ms room codes: the operator's template (HMS_JOIN_URL_TEMPLATE), e.g. the workspace's
 * prebuilt app `https://myapp.app.100ms.live/meeting/{code}`, filled with one code. 100ms has no API that
 * returns the link, and the subdomain is the operator's, so without a template no link is made.
 */
import type { Env, EnvVariable } from "../provider.js";

export const HMS_JOIN_URL_TEMPLATE = "HMS_JOIN_URL_TEMPLATE";

const PLACEHOLDERS = ["code", "room_id", "role"] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

export const HMS_JOIN_LINK_ENVIRONMENT: readonly EnvVariable[] = [
  {
    name: HMS_JOIN_URL_TEMPLATE,
    description:
      "join link the room-code tools return, with {code} (and optionally {room_id} {role}), e.g. " +
      "https://myapp.app.100ms.live/meeting/{code}",
    secret: false,
  },
];

/** The template from the environment (undefined when unset), or the problem with it. */
export function hmsJoinUrlTemplateFromEnv(
  env: Env,
): { readonly template: string | undefined } | { readonly problem: string } {
  const template = (env[HMS_JOIN_URL_TEMPLATE] ?? "").trim();
  if (template === "") {
    return { template: undefined };
  }
  if (!/^https?:\/\//.test(template)) {
    return { problem: `${HMS_JOIN_URL_TEMPLATE} must be an http:// or https:// URL` };
  }
  const unknown = [...template.matchAll(/\{([^}]*)\}/g)]
    .map((m) => m[1] ?? "")
    .filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    return {
      problem:
        `${HMS_JOIN_URL_TEMPLATE} has unknown placeholders ${unknown.map((n) => `{${n}}`).join(", ")} ` +
        `(known: ${PLACEHOLDERS.map((n) => `{${n}}`).join(" ")})`,
    };
  }
  if (!template.includes("{code}")) {
    return { problem: `${HMS_JOIN_URL_TEMPLATE} must contain {code}` };
  }
  return { template };
}

/** The link for one code: each placeholder URL-encoded, so a value cannot change the link's shape. */
export function joinLinkOf(template: string, values: Readonly<Record<Placeholder, string>>): string {
  return template.replace(/\{(code|room_id|role)\}/g, (_, name: Placeholder) =>
    encodeURIComponent(values[name]),
  );
}
