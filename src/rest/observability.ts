// What operators see (SPEC §8, issue 6): JSON logs with a request id on every line, the id echoed in
// `X-Request-Id`, readiness, and Prometheus metrics. One instance per app, so tests can run several.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request, Response } from "express";
import pino, { type DestinationStream, type Logger } from "pino";
import { pinoHttp } from "pino-http";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { DataSource } from "typeorm";
import type { Config } from "../config";
import { loggableError } from "../db/database-errors";
import { countResults, syncEvents, type SyncOutcome } from "../services/registration-sync";

/** An error as logged: never a failed statement's SQL, parameters or message, which quote personal data and hashes (issue 12). */
export const loggedError = (error: unknown) => loggableError(error, pino.stdSerializers.err);

export function createLogger(config: Pick<Config, "logLevel">, destination?: DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      // Credentials never reach a log line (issue 5).
      redact: { paths: ["req.headers.authorization", "req.headers.cookie", 'req.headers["proxy-authorization"]'], censor: "[redacted]" },
      serializers: { err: loggedError },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

// A client's own id is kept when it looks like one; anything else is replaced, so logs stay clean.
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Logs each request once it is answered, as JSON with its request id, and echoes the id in `X-Request-Id`. */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers["x-request-id"];
      const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader("X-Request-Id", id);
      return id;
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info"),
    // Every line this request logs carries its id at the top level.
    customProps: (req) => ({ requestId: req.id }),
    serializers: {
      req: (req) => ({ method: req.method, url: req.url, remoteAddress: req.remoteAddress }),
      res: (res) => ({ statusCode: res.statusCode }),
      err: loggedError,
    },
  });
}

/** The pg pool behind a TypeORM data source on PostgreSQL; the embedded database has no pool to report. */
function pgPool(db: DataSource): { totalCount: number; idleCount: number; waitingCount: number } | null {
  const master = (db.driver as unknown as { master?: { totalCount?: number; idleCount: number; waitingCount: number } }).master;
  return master && typeof master.totalCount === "number" ? (master as { totalCount: number; idleCount: number; waitingCount: number }) : null;
}

/**
 * The pattern of the route that served the request, with its router's mount path. A route that failed is answered by
 * the app's error handler after Express has left its router and reset req.baseUrl, so the mount path is read off the
 * URL: what precedes the segments the route's own path matched (`/api` before `/events/activities/:activityId/…`).
 */
function routePattern(req: Request): string {
  if (!req.route) return req.baseUrl || "unmatched";
  const path = String(req.route.path);
  const urlSegments = req.originalUrl.split("?")[0].replace(/(.)\/+$/, "$1").split("/");
  const mount = urlSegments.slice(0, urlSegments.length - (path.split("/").length - 1)).join("/");
  return `${mount}${path}`;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<"method" | "route" | "status">;
  private readonly durations: Histogram<"method" | "route" | "status">;
  private readonly rows: Counter<"result">;
  private readonly onApplied = (outcome: SyncOutcome) => {
    // Counted per type first: one counter update per row was 4 ms of a 10,000-row sync.
    for (const [type, n] of countResults(outcome)) if (n) this.rows.inc({ result: type }, n);
  };

  constructor(db: DataSource) {
    collectDefaultMetrics({ register: this.registry, prefix: "regsync_" });
    this.requests = new Counter({
      name: "regsync_http_requests_total", help: "HTTP requests answered, by method, route pattern and status.",
      labelNames: ["method", "route", "status"], registers: [this.registry],
    });
    this.durations = new Histogram({
      name: "regsync_http_request_duration_seconds", help: "Time to answer HTTP requests, by method, route pattern and status.",
      labelNames: ["method", "route", "status"], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    this.rows = new Counter({
      name: "regsync_rows_synced_total", help: "Rows of applied syncs (REST and GraphQL), by result type.",
      labelNames: ["result"], registers: [this.registry],
    });
    const pool = (name: string, help: string, read: (p: NonNullable<ReturnType<typeof pgPool>>) => number) =>
      new Gauge({
        name, help, registers: [this.registry],
        collect() {
          const p = pgPool(db);
          if (p) this.set(read(p));
        },
      });
    pool("regsync_db_pool_connections", "Open connections of the PostgreSQL pool.", (p) => p.totalCount);
    pool("regsync_db_pool_idle_connections", "Idle connections of the PostgreSQL pool.", (p) => p.idleCount);
    pool("regsync_db_pool_waiting_requests", "Queries waiting for a connection of the PostgreSQL pool.", (p) => p.waitingCount);
    syncEvents.on("applied", this.onApplied);
  }

  /** Counts and times every request by its route pattern (not its URL: ids would make a label per activity). */
  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      const stop = this.durations.startTimer();
      res.on("finish", () => {
        const labels = { method: req.method, route: routePattern(req), status: String(res.statusCode) };
        this.requests.inc(labels);
        stop(labels);
      });
      next();
    };
  }

  async handler(_req: Request, res: Response): Promise<void> {
    res.type(this.registry.contentType).send(await this.registry.metrics());
  }

  stop(): void {
    syncEvents.off("applied", this.onApplied);
  }
}

/**
 * Ready: the database answers and no migration is pending. The detail is for anyone who asks, so it
 * names no host or port; why the database is unreachable is in `error`, for the log.
 */
export async function readiness(db: DataSource): Promise<{ ready: boolean; detail: string; error?: unknown }> {
  try {
    await db.query("SELECT 1");
    if (await db.showMigrations()) return { ready: false, detail: "database migrations are pending" };
    return { ready: true, detail: "database reachable, migrations applied" };
  } catch (error) {
    return { ready: false, detail: "database unreachable", error };
  }
}
