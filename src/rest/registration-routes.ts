// REST adapter for registrations (SPEC §5) and the results sync (§9): formats and status codes only; the rules live in services.
import { Router } from "express";
import type { DataSource } from "typeorm";
import type { RateLimits } from "../auth/rate-limits";
import type { Config } from "../config";
import { listRegistrations } from "../services/registrations";
import { syncRegistrations, type SyncItemInput, type SyncItemResult } from "../services/registration-sync";
import type { RequestContext } from "../services/request-context";
import { loadStartList } from "../services/start-list";
import { EXCEL_DIALECT, PLAIN_DIALECT, csvPieces } from "./csv-codec";
import { jsonArrayPieces, registrationJson, stringifyJson, syncResultJson } from "./json-codec";
import { readDownloadQuery, readSyncQuery } from "./query-parameters";
import { sendProblem } from "./problem";
import { REGISTRATION_TABLE, registrationCells } from "./registration-table";
import { requireKey } from "./require-key";
import { RESULTS } from "./result-sync-endpoint";
import { sendPieces } from "./send-pieces";
import { routeFormat, syncHandler, type SyncEndpoint } from "./sync-route";
import { XLSX_MEDIA_TYPE, writeXlsx } from "./xlsx-codec";

/** The registration sync as the REST API offers it (SPEC §5). */
const REGISTRATIONS: SyncEndpoint<SyncItemInput, SyncItemResult, ReturnType<typeof readSyncQuery>> = {
  readQuery: readSyncQuery,
  run: syncRegistrations,
  table: REGISTRATION_TABLE,
  json: syncResultJson,
};

export function registrationRoutes(db: DataSource, config: Config, rateLimits: RateLimits): Router {
  const router = Router();
  const path = "/events/activities/:activityId/registrations.:format";

  router.get(path, requireKey(db, rateLimits), async (req, res) => {
    const fmt = routeFormat(req);
    const ctx = res.locals.ctx as RequestContext;
    const { filter, columns, excelDialect } = readDownloadQuery(req.query, fmt);
    const registrations = await listRegistrations(db, ctx, String(req.params.activityId), filter);
    if (fmt === "json") {
      await sendPieces(res, "application/json", jsonArrayPieces(registrations, registrationJson));
    } else if (fmt === "xlsx") {
      res.type(XLSX_MEDIA_TYPE);
      await writeXlsx(res, columns, registrations.length, (i) => registrationCells(registrations[i], columns));
    } else {
      const dialect = excelDialect ? EXCEL_DIALECT : PLAIN_DIALECT;
      await sendPieces(
        res,
        "text/csv; charset=utf-8",
        csvPieces(columns, registrations.length, (i) => registrationCells(registrations[i], columns), dialect),
      );
    }
  });

  router.put(path, requireKey(db, rateLimits), syncHandler(db, config, REGISTRATIONS));
  // The platform's own example calls …/results without a suffix: JSON.
  const results = syncHandler(db, config, RESULTS);
  router.put("/events/activities/:activityId/results.:format", requireKey(db, rateLimits), results);
  router.put("/events/activities/:activityId/results", requireKey(db, rateLimits), results);

  router.get("/events/activities/:activityId/startlist.json", async (req, res) => {
    res.type("application/json").send(stringifyJson(await loadStartList(db, String(req.params.activityId))));
  });

  router.use((req, res) =>
    sendProblem(res, {
      type: "/problems/not-found",
      title: "Not Found",
      status: 404,
      detail: `No route ${req.method} ${req.originalUrl}`,
    }),
  );
  return router;
}
