// CORS for /graphql and /api, so that a web app served from another origin can call them (CORS_ORIGINS).
import type { RequestHandler } from "express";
import cors from "cors";
import type { Config } from "../config";

/** What a browser page's script may send: the key, a JSON or CSV body, a retry key, Apollo's CSRF header, its own request id. */
export const CORS_ALLOWED_HEADERS = [
  "Authorization",
  "Content-Type",
  "Idempotency-Key",
  "apollo-require-preflight",
  "X-Request-Id",
];

/** What it may read of an answer besides the CORS-safelisted headers. */
export const CORS_EXPOSED_HEADERS = [
  "Sync-Summary",
  "Idempotent-Replayed",
  "Retry-After",
  "RateLimit",
  "RateLimit-Policy",
  "X-Request-Id",
];

/**
 * The CORS middleware, or null when CORS_ORIGINS is empty (no CORS headers; a preflight falls through to the
 * routes, which do not answer OPTIONS). Credentials are never allowed: keys travel in the Authorization header,
 * which a script sets itself, so no cookie or browser-held credential is needed and none can be abused.
 */
export function corsMiddleware(config: Pick<Config, "corsOrigins">): RequestHandler | null {
  if (!config.corsOrigins.length) return null;
  return cors({
    origin: config.corsOrigins[0] === "*" ? "*" : config.corsOrigins,
    credentials: false,
    methods: ["GET", "HEAD", "POST", "PUT"],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    // Browsers cap this (Chromium: 2 hours); it saves a preflight before each call.
    maxAge: 7200,
  });
}
