// RFC 9457 problem documents, and the mapping of domain failures to them.
import type { ErrorRequestHandler, Response } from "express";
import { WWW_AUTHENTICATE } from "../auth/basic-credentials";
import { TooManyRequestsError } from "../auth/rate-limits";
import { UNAVAILABLE_ANSWERS, unavailability } from "../db/database-errors";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "../services/domain-errors";
import { loggedError } from "../observability/logging";

export interface ProblemRowError {
  /** JSON: 0-based index of the item. */
  index?: number;
  /** CSV: 1-based line number in the uploaded file (the header is line 1). */
  line?: number;
  field: string | null;
  code: string;
  message: string;
  registrationId?: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: ProblemRowError[];
  [extension: string]: unknown;
}

/** An HTTP failure raised by an adapter, carried to the error handler. */
export class HttpProblem extends Error {
  constructor(
    readonly problem: Problem,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.detail ?? problem.title);
  }
}

export function problem(
  status: number,
  slug: string,
  title: string,
  detail?: string,
  extra: Partial<Problem> = {},
  headers: Record<string, string> = {},
): HttpProblem {
  return new HttpProblem(
    { type: `/problems/${slug}`, title, status, ...(detail ? { detail } : {}), ...extra },
    headers,
  );
}

/** The document as sent. */
export const problemJson = (problem: Problem): string => JSON.stringify(problem, null, 2);

/** Sends the document with the request's id (see observability/logging.ts), so a user's report leads to the log line. */
export function sendProblem(res: Response, problem: Problem, headers: Record<string, string> = {}): void {
  const requestId = (res.req as { id?: unknown } | undefined)?.id;
  const document = typeof requestId === "string" ? { ...problem, requestId } : problem;
  res.status(problem.status).set(headers).type("application/problem+json").send(problemJson(document));
}

export const unauthorized = (detail: string) =>
  new HttpProblem(
    { type: "/problems/unauthorized", title: "Unauthorized", status: 401, detail },
    { "WWW-Authenticate": WWW_AUTHENTICATE },
  );

/** Last handler: known failures become problem documents; anything else a bare 500, never a stack or SQL. */
export const problemHandler: ErrorRequestHandler = (error, _req, res, _next) => {
  if (res.headersSent) return res.end();
  if (error instanceof HttpProblem) return sendProblem(res, error.problem, error.headers);
  if (error instanceof NotFoundError) {
    return sendProblem(res, { type: "/problems/not-found", title: "Not Found", status: 404, detail: error.message });
  }
  if (error instanceof InvalidInputError) {
    return sendProblem(res, {
      type: "/problems/invalid-request",
      title: "Bad Request",
      status: 400,
      detail: error.message,
      field: error.field,
    });
  }
  if (error instanceof TooManyRequestsError) {
    return sendProblem(
      res,
      { type: "/problems/too-many-requests", title: "Too Many Requests", status: 429, detail: error.message },
      { "Retry-After": String(error.retryAfterSeconds) },
    );
  }
  if (error instanceof ForbiddenError) {
    return sendProblem(res, { type: "/problems/forbidden", title: "Forbidden", status: 403, detail: error.message });
  }
  if (error instanceof ConflictError) {
    return sendProblem(res, { type: "/problems/conflict", title: "Conflict", status: 409, detail: error.message });
  }
  const status = (error as { status?: number; type?: string }).status;
  if ((error as { type?: string }).type === "entity.too.large" || status === 413) {
    return sendProblem(res, {
      type: "/problems/body-too-large",
      title: "Content Too Large",
      status: 413,
      detail: "The request body is larger than this server accepts",
    });
  }
  if (status && status >= 400 && status < 500) {
    return sendProblem(res, {
      type: "/problems/invalid-request",
      title: "Bad Request",
      status,
      detail: "The request could not be read",
    });
  }
  // Into the request's log line (pino-http's req.log, whose serializer leaves out SQL and data), never into the answer.
  const log = (_req as { log?: { error(obj: object, msg: string): void; warn(obj: object, msg: string): void } }).log;
  const unavailable = unavailability(error);
  if (unavailable) {
    if (log) log.warn({ err: error }, `database unavailable (${unavailable})`);
    const { message, retryAfterSeconds } = UNAVAILABLE_ANSWERS[unavailable];
    return sendProblem(
      res,
      { type: "/problems/service-unavailable", title: "Service Unavailable", status: 503, detail: message },
      { "Retry-After": String(retryAfterSeconds) },
    );
  }
  if (log) log.error({ err: error }, "unhandled error");
  else console.error(loggedError(error));
  return sendProblem(res, { type: "about:blank", title: "Internal Server Error", status: 500 });
};
