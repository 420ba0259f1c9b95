/**
 * `--webhook-port N [--webhook-host HOST]`: a stdio server's own listener for vendor webhooks (the HTTP mode
 * serves them on its own port). Flags win over ROOMS_MCP_WEBHOOK_PORT / ROOMS_MCP_WEBHOOK_HOST.
 */
import type { Env } from "../providers/provider.js";

export const WEBHOOK_FLAGS: readonly (readonly [string, string, string])[] = [
  [
    "--webhook-port N",
    "ROOMS_MCP_WEBHOOK_PORT",
    "stdio mode: receive webhooks on /webhooks/<provider> of this port (--http serves them on its own)",
  ],
  ["--webhook-host HOST", "ROOMS_MCP_WEBHOOK_HOST", "address the webhook listener binds (default 127.0.0.1)"],
];

export interface WebhookListenOptions {
  readonly port: number;
  readonly host: string;
}

export class WebhookOptionsError extends Error {}

export function parseWebhookOptions(
  argv: readonly string[],
  env: Env,
): { options: WebhookListenOptions | undefined; rest: string[] } {
  const given = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    if (flag === "--webhook-port" || flag === "--webhook-host") {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith("--")) {
        throw new WebhookOptionsError(`${flag} needs a value`);
      }
      given.set(flag, value);
    } else {
      rest.push(arg);
    }
  }
  const portText = given.get("--webhook-port") ?? (env.ROOMS_MCP_WEBHOOK_PORT ?? "").trim();
  const host = given.get("--webhook-host") ?? ((env.ROOMS_MCP_WEBHOOK_HOST ?? "").trim() || "127.0.0.1");
  if (portText === "") {
    if (given.has("--webhook-host")) {
      throw new WebhookOptionsError("--webhook-host needs --webhook-port");
    }
    return { options: undefined, rest };
  }
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new WebhookOptionsError(
      `--webhook-port must be a port number (0: any free one), not ${JSON.stringify(portText)}`,
    );
  }
  return { options: { port, host }, rest };
}
