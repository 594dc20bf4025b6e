// Prometheus metrics at /metrics (SPEC §8, issue 6): requests by route pattern, synced rows, the database pool.
// One instance per app, so tests can run several.
import type { NextFunction, Request, Response } from "express";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { DataSource } from "typeorm";
import { countResults, syncEvents } from "../services/registration-sync";
import type { SyncedKind } from "../services/sync/run-sync";
import type { ItemOutcome, SyncOutcome } from "../services/sync/sync-outcome";

/** The pg pool behind a TypeORM data source on PostgreSQL; the embedded database has no pool to report. */
function pgPool(db: DataSource): { totalCount: number; idleCount: number; waitingCount: number } | null {
  const master = (db.driver as unknown as { master?: { totalCount?: number; idleCount: number; waitingCount: number } })
    .master;
  return master && typeof master.totalCount === "number"
    ? (master as { totalCount: number; idleCount: number; waitingCount: number })
    : null;
}

/**
 * The pattern of the route that served the request, with its router's mount path. A route that failed is answered by
 * the app's error handler after Express has left its router and reset req.baseUrl, so the mount path is read off the
 * URL: what precedes the segments the route's own path matched (`/api` before `/events/activities/:activityId/…`).
 */
function routePattern(req: Request): string {
  if (!req.route) return req.baseUrl || "unmatched";
  const path = String(req.route.path);
  const urlSegments = req.originalUrl
    .split("?")[0]
    .replace(/(.)\/+$/, "$1")
    .split("/");
  const mount = urlSegments.slice(0, urlSegments.length - (path.split("/").length - 1)).join("/");
  return `${mount}${path}`;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<"method" | "route" | "status">;
  private readonly durations: Histogram<"method" | "route" | "status">;
  private readonly rows: Counter<"synced" | "result">;
  private readonly onApplied = (synced: SyncedKind, outcome: SyncOutcome<ItemOutcome>) => {
    // Counted per type first: one counter update per row was 4 ms of a 10,000-row sync.
    for (const [type, n] of countResults(outcome)) if (n) this.rows.inc({ synced, result: type }, n);
  };

  constructor(db: DataSource) {
    collectDefaultMetrics({ register: this.registry, prefix: "regsync_" });
    this.requests = new Counter({
      name: "regsync_http_requests_total",
      help: "HTTP requests answered, by method, route pattern and status.",
      labelNames: ["method", "route", "status"],
      registers: [this.registry],
    });
    this.durations = new Histogram({
      name: "regsync_http_request_duration_seconds",
      help: "Time to answer HTTP requests, by method, route pattern and status.",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    this.rows = new Counter({
      name: "regsync_rows_synced_total",
      help: "Rows of applied syncs (REST and GraphQL), by what was synced (registrations, results) and result type.",
      labelNames: ["synced", "result"],
      registers: [this.registry],
    });
    const pool = (name: string, help: string, read: (p: NonNullable<ReturnType<typeof pgPool>>) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const p = pgPool(db);
          if (p) this.set(read(p));
        },
      });
    pool("regsync_db_pool_connections", "Open connections of the PostgreSQL pool.", (p) => p.totalCount);
    pool("regsync_db_pool_idle_connections", "Idle connections of the PostgreSQL pool.", (p) => p.idleCount);
    pool(
      "regsync_db_pool_waiting_requests",
      "Queries waiting for a connection of the PostgreSQL pool.",
      (p) => p.waitingCount,
    );
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
