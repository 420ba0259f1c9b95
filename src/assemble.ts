/**
 * Which tools a run serves: each registered provider's manifest, bound to a client built from the
 * environment.
 */
import type { Env } from "./providers/provider.js";
import { type AnyProvider, PROVIDERS } from "./providers/registry.js";
import { type BoundTool, bindTools } from "./tools/define.js";

export interface AssembledTools {
  readonly tools: BoundTool[];
  /** Credential values to scrub from every result. */
  readonly secrets: string[];
  /** Things the operator should know, for stderr. */
  readonly notices: string[];
}

/**
 * `only` set: that provider's tools under their plain names (it may fall back to a local default, as
 * LiveKit does; one without a default needs its credentials). `only` unset: every provider with
 * credentials, names prefixed; none configured still starts, and says what to set. A half-configured
 * provider throws, naming the missing variables.
 */
export function assembleTools(env: Env, only?: AnyProvider): AssembledTools {
  const assembled: AssembledTools = { tools: [], secrets: [], notices: [] };
  const chosen = only === undefined ? PROVIDERS : [only];
  for (const provider of chosen) {
    const configured = provider.configFromEnv(env, { standalone: only !== undefined });
    if (configured.kind === "invalid") {
      throw new Error(`${provider.displayName}: ${configured.problem}`);
    }
    if (configured.kind === "absent") {
      if (only !== undefined) {
        throw new Error(`${provider.displayName}: set ${provider.credentials}`);
      }
      continue;
    }
    if (configured.notice !== undefined) {
      assembled.notices.push(configured.notice);
    }
    const client = provider.createClient(configured.config);
    assembled.tools.push(
      ...bindTools(provider.manifest.tools, client, only === undefined ? provider.toolPrefix : ""),
    );
    assembled.secrets.push(...provider.secretsOf(configured.config));
  }
  if (only === undefined && assembled.tools.length === 0) {
    const each = PROVIDERS.map((p) => `${p.credentials} for ${p.displayName}`).join("; ");
    assembled.notices.push(`No provider credentials are set, so no tools are served. Set ${each}.`);
  }
  return assembled;
}
