// Security headers on every response (helmet). Pages that need more, like GraphiQL, set their own CSP over these.
import type { RequestHandler } from "express";
import helmet from "helmet";
import type { Config } from "../config";

export function securityHeaders(config: Pick<Config, "hstsMaxAgeSeconds">): RequestHandler {
  return helmet({
    // Answers are data, never pages to render: nothing may load, run or frame them.
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    xFrameOptions: { action: "deny" },
    // TLS ends in front of this server; HSTS belongs there unless the operator asks for it here.
    strictTransportSecurity:
      config.hstsMaxAgeSeconds > 0 ? { maxAge: config.hstsMaxAgeSeconds, includeSubDomains: false } : false,
  });
}
