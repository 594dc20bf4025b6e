// The access key of a REST request, checked and counted against its rate limits: the request's context.
import type { NextFunction, Request, Response } from "express";
import type { DataSource } from "typeorm";
import { rateLimitHeaders, type RateLimits } from "../auth/rate-limits";
import { unauthorized } from "./problem";

/** Middleware: a request without a valid key gets 401; with one, `res.locals.ctx` is its context. */
export function requireKey(db: DataSource, rateLimits: RateLimits) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const auth = await rateLimits.authenticate(db, req.get("authorization"), req.ip, {
      onQuota: (quota) => res.set(rateLimitHeaders(quota)),
    });
    if (auth.kind === "none")
      throw unauthorized("This API needs an access key: Authorization: Basic base64(keyName:keySecret)");
    if (auth.kind === "invalid") throw unauthorized("The access key is unknown, wrong or revoked");
    res.locals.ctx = auth.ctx;
    next();
  };
}
