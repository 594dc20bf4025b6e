// REST adapter for reading results (issue 14): the keyed download (GET …/results.json|.csv|.xlsx) and the public
// list (GET …/publicresults.json). Mounted before registration-routes.ts, whose last handler answers 404 to anything.
import { Router, type Request } from "express";
import type { DataSource } from "typeorm";
import type { AddressQuota } from "../auth/address-quota";
import type { RateLimits } from "../auth/rate-limits";
import { loadPublicResults } from "../services/public-results";
import type { RequestContext } from "../services/request-context";
import { listResults } from "../services/results";
import { EXCEL_DIALECT, PLAIN_DIALECT, csvPieces } from "./csv-codec";
import { jsonArrayPieces, stringifyJson } from "./json-codec";
import { problem } from "./problem";
import { requireKey } from "./require-key";
import { resultCells, resultColumns } from "./result-table";
import { resultJson } from "./result-json";
import { readResultDownloadQuery } from "./result-query";
import { sendPieces } from "./send-pieces";
import { XLSX_MEDIA_TYPE, writeXlsx } from "./xlsx-codec";

type Format = "json" | "csv" | "xlsx";

function format(req: Request): Format {
  const value = req.params.format;
  if (value !== "json" && value !== "csv" && value !== "xlsx")
    throw problem(404, "not-found", "Not Found", `Unknown format .${value}; use .json, .csv or .xlsx`);
  return value;
}

/** The results routes; `quota` counts the public list's requests per client address, as the start list's. */
export function resultRoutes(db: DataSource, rateLimits: RateLimits, quota?: AddressQuota): Router {
  const router = Router();

  router.get("/events/activities/:activityId/results.:format", requireKey(db, rateLimits), async (req, res) => {
    const fmt = format(req);
    const ctx = res.locals.ctx as RequestContext;
    const { filter, excelDialect } = readResultDownloadQuery(req.query, fmt);
    const results = await listResults(db, ctx, String(req.params.activityId), filter);
    if (fmt === "json") {
      await sendPieces(res, "application/json", jsonArrayPieces(results, resultJson));
      return;
    }
    const header = resultColumns(results);
    const row = (i: number) => resultCells(results[i], header);
    if (fmt === "xlsx") {
      res.type(XLSX_MEDIA_TYPE);
      await writeXlsx(res, header, results.length, row, "Results");
    } else {
      const dialect = excelDialect ? EXCEL_DIALECT : PLAIN_DIALECT;
      await sendPieces(res, "text/csv; charset=utf-8", csvPieces(header, results.length, row, dialect));
    }
  });

  router.get("/events/activities/:activityId/publicresults.json", async (req, res) => {
    await quota?.consume(req.ip);
    res.type("application/json").send(stringifyJson(await loadPublicResults(db, String(req.params.activityId))));
  });

  return router;
}
