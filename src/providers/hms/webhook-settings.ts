/**
 * The settings of 100ms's webhook receiver (HMS_WEBHOOK_SECRET, its header, the allowed sources), read at
 * start-up; the verifier (webhook.ts) loads with the first delivery.
 */
import { BlockList, isIP } from "node:net";
import type { ConfigResult, Env, EnvVariable } from "../provider.js";

export const HMS_WEBHOOK_DEFAULT_HEADER = "x-webhook-secret";

export const HMS_WEBHOOK_ENVIRONMENT: readonly EnvVariable[] = [
  {
    name: "HMS_WEBHOOK_SECRET",
    description:
      "the value of the secret header set on the 100ms dashboard's webhook (enables /webhooks/100ms)",
    secret: true,
  },
  {
    name: "HMS_WEBHOOK_SECRET_HEADER",
    description: `the name of that header (default ${HMS_WEBHOOK_DEFAULT_HEADER})`,
    secret: false,
  },
  {
    name: "HMS_WEBHOOK_ALLOWED_IPS",
    description: "addresses or CIDR ranges deliveries may come from (default: any)",
    secret: false,
  },
];

export interface HmsWebhookSettings {
  readonly header: string;
  readonly secret: string;
  readonly allowed?: BlockList;
}

/** Absent unless HMS_WEBHOOK_SECRET is set: an unsigned webhook without a secret proves nothing. */
export function hmsWebhookSettingsFromEnv(env: Env): ConfigResult<HmsWebhookSettings> {
  const secret = env.HMS_WEBHOOK_SECRET ?? "";
  const header = (env.HMS_WEBHOOK_SECRET_HEADER ?? "").trim().toLowerCase() || HMS_WEBHOOK_DEFAULT_HEADER;
  const ips = (env.HMS_WEBHOOK_ALLOWED_IPS ?? "").trim();
  if (secret === "") {
    return ips === "" && (env.HMS_WEBHOOK_SECRET_HEADER ?? "") === ""
      ? { kind: "absent" }
      : { kind: "invalid", problem: "set HMS_WEBHOOK_SECRET too: 100ms webhooks are only accepted with it" };
  }
  if (secret.length < 16) {
    return {
      kind: "invalid",
      problem: "HMS_WEBHOOK_SECRET must be at least 16 characters (it is all that proves a delivery)",
    };
  }
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(header)) {
    return {
      kind: "invalid",
      problem: `HMS_WEBHOOK_SECRET_HEADER is not a header name: ${JSON.stringify(header)}`,
    };
  }
  if (ips === "") {
    return { kind: "configured", config: { header, secret } };
  }
  const allowed = new BlockList();
  for (const entry of ips
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [address = "", bits] = entry.split("/");
    const family = isIP(address);
    const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
    if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) {
      return {
        kind: "invalid",
        problem: `HMS_WEBHOOK_ALLOWED_IPS: ${JSON.stringify(entry)} is not an address or CIDR range`,
      };
    }
    allowed.addSubnet(address, prefix, family === 6 ? "ipv6" : "ipv4");
  }
  return { kind: "configured", config: { header, secret, allowed } };
}
