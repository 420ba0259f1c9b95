/**
 * The webhook listener of a stdio server (`--webhook-port`): only /webhooks/<provider> and /healthz. MCP
 * stays on stdio; this port takes nothing else.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sendJson } from "../http/node-bridge.js";
import { WEBHOOK_PATH_PREFIX, type WebhookRoute } from "./receiver.js";

export interface WebhookListener {
  readonly url: string;
  close(): Promise<void>;
}

export async function startWebhookListener(
  route: WebhookRoute,
  options: { readonly port: number; readonly host: string },
): Promise<WebhookListener> {
  const server: Server = createServer((req, res) => {
    const pathname = (req.url ?? "/").split("?")[0] ?? "/";
    if (pathname.startsWith(WEBHOOK_PATH_PREFIX)) {
      route(req, res, pathname).catch(() => {
        if (!res.headersSent) {
          sendJson(res, 500, { error: "internal error" });
        }
      });
      return;
    }
    if (pathname === "/healthz") {
      sendJson(res, 200, { status: "ok" });
      return;
    }
    sendJson(res, 404, { error: `this port receives webhooks only, on ${WEBHOOK_PATH_PREFIX}<provider>` });
  });
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
