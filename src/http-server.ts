// The HTTP server around the app, with the timeouts that keep a slow or silent client from holding a
// connection: its headers must arrive within HEADERS_TIMEOUT_SECONDS and its whole request (a body of up
// to BODY_LIMIT_BYTES too) within REQUEST_TIMEOUT_SECONDS, else 408 and the connection is closed.
import http from "node:http";
import type { RequestListener } from "node:http";
import type { Config } from "./config";

export function createHttpServer(
  app: RequestListener,
  config: Pick<Config, "requestTimeoutSeconds" | "headersTimeoutSeconds">,
): http.Server {
  return http.createServer(
    {
      requestTimeout: config.requestTimeoutSeconds * 1000,
      headersTimeout: config.headersTimeoutSeconds * 1000,
      // Node looks for overdue requests this often (30 s by default), so a timeout holds to about a second.
      connectionsCheckingInterval: 1000,
    },
    app,
  );
}
