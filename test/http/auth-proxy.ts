/**
 * A loopback forwarder that adds `Authorization: Bearer <token>` to every request, as an MCP client
 * configured with a header would. The conformance CLI has no option to send a header; putting this in
 * front lets it test a server that requires a token. Everything else (Host, Origin, body, the streamed
 * answer) passes through unchanged, so the DNS-rebinding checks still reach the server as sent.
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface AuthProxy {
  readonly url: string;
  close(): Promise<void>;
}

export async function startAuthProxy(target: string, token: string): Promise<AuthProxy> {
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    const upstream = request(
      {
        host: to.hostname,
        port: to.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, authorization: `Bearer ${token}` },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) {
        res.writeHead(502).end();
      } else {
        res.destroy();
      }
    });
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
