// Batched GraphQL requests (a JSON array of operations, as Apollo Client's BatchHttpLink sends): at most
// MAX_BATCH_OPERATIONS in one request, so that one HTTP request cannot carry unbounded work.
import type { Request, RequestHandler } from "express";

export const MAX_BATCH_OPERATIONS = 10;

/** How many operations the request carries: a batch counts each one against the key's quota. */
export function operationCount(req: Request): number {
  return Array.isArray(req.body) ? Math.max(1, req.body.length) : 1;
}

/** Refuses a larger batch with 400 and a GraphQL error naming the limit, before authentication or any operation. */
export function batchLimit(): RequestHandler {
  return (req, res, next) => {
    if (!Array.isArray(req.body) || req.body.length <= MAX_BATCH_OPERATIONS) return next();
    res.status(400).json({
      errors: [
        {
          message: `A batch may hold at most ${MAX_BATCH_OPERATIONS} operations; this one has ${req.body.length}. Send it in smaller batches (Apollo Client's BatchHttpLink: batchMax: ${MAX_BATCH_OPERATIONS}).`,
          extensions: { code: "BATCH_TOO_LARGE", limit: MAX_BATCH_OPERATIONS },
        },
      ],
    });
  };
}
