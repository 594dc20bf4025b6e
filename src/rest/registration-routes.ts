// REST adapter for registrations (SPEC §5): formats and status codes only; the rules live in services.
import { Router, type NextFunction, type Request, type Response } from "express";
import type { DataSource } from "typeorm";
import { authenticate } from "../auth/authenticate";
import type { Config } from "../config";
import { REGISTRATION_STATES, type RegistrationState } from "../entities/registration";
import { listRegistrations, type RegistrationFilter } from "../services/registrations";
import { syncRegistrations, type SyncItemInput, type SyncMode, type SyncOutcome } from "../services/registration-sync";
import type { RequestContext } from "../services/request-context";
import { loadStartList } from "../services/start-list";
import {
  COLUMNS, DEFAULT_COLUMNS, EXCEL_DIALECT, PLAIN_DIALECT, columnOfField, csvPieces, readCsv,
  registrationCells, uploadedCells, type CsvFile,
} from "./csv-codec";
import { jsonArrayPieces, readJsonItems, registrationJson, stringifyJson, syncResultJson } from "./json-codec";
import { problem, sendProblem, unauthorized, type ProblemRowError } from "./problem";
import { bodyChunks } from "./request-body";
import { sendPieces } from "./send-pieces";

type Format = "json" | "csv";

const JSON_TYPES = ["application/json", "+json"];
// curl sends application/x-www-form-urlencoded with --data-binary unless told otherwise: the seed's CSV example does.
const CSV_TYPES = ["text/csv", "application/csv", "text/plain", "application/vnd.ms-excel", "application/octet-stream", "application/x-www-form-urlencoded"];

function format(req: Request): Format {
  const value = req.params.format;
  if (value !== "json" && value !== "csv") throw problem(404, "not-found", "Not Found", `Unknown format .${value}; use .json or .csv`);
  return value;
}

function requireKey(db: DataSource) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const auth = await authenticate(db, req.get("authorization"));
    if (auth.kind === "none") throw unauthorized("This API needs an access key: Authorization: Basic base64(keyName:keySecret)");
    if (auth.kind === "invalid") throw unauthorized("The access key is unknown, wrong or revoked");
    res.locals.ctx = auth.ctx;
    next();
  };
}

function acceptedMediaType(req: Request, fmt: Format): void {
  const type = (req.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (!type) return;
  const accepted = fmt === "json" ? JSON_TYPES.some((t) => type === t || type.endsWith(t)) : CSV_TYPES.includes(type);
  if (!accepted) {
    throw problem(415, "unsupported-media-type", "Unsupported Media Type",
      `registrations.${fmt} takes ${fmt === "json" ? "application/json" : "text/csv"}, not ${type}`);
  }
}

function queryList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return String(value).split(",").map((s) => s.trim()).filter(Boolean);
}

function readFilter(req: Request): RegistrationFilter {
  const filter: RegistrationFilter = {};
  const states = queryList(req.query.state);
  if (states) {
    const wrong = states.filter((s) => !REGISTRATION_STATES.includes(s as RegistrationState));
    if (wrong.length) throw problem(400, "invalid-query", "Bad Request", `state must be among ${REGISTRATION_STATES.join(", ")}; got ${wrong.join(", ")}`);
    filter.states = states as RegistrationState[];
  }
  if (req.query.modifiedSince !== undefined) {
    const since = new Date(String(req.query.modifiedSince));
    if (Number.isNaN(since.getTime())) throw problem(400, "invalid-query", "Bad Request", "modifiedSince must be a date-time like 2022-12-06T09:12:03.701Z");
    filter.modifiedSince = since;
  }
  return filter;
}

function readSyncOptions(req: Request): { mode: SyncMode; dryRun: boolean } {
  const mode = req.query.mode ?? "all";
  if (mode !== "all" && mode !== "partial") throw problem(400, "invalid-query", "Bad Request", "mode must be all or partial");
  const dryRun = req.query.dryRun ?? "false";
  if (dryRun !== "true" && dryRun !== "false") throw problem(400, "invalid-query", "Bad Request", "dryRun must be true or false");
  return { mode: mode === "partial" ? "Partial" : "AllOrNothing", dryRun: dryRun === "true" };
}

function rejected(outcome: SyncOutcome, rowError: (e: SyncOutcome["errors"][number]) => ProblemRowError) {
  const rows = new Set(outcome.errors.map((e) => e.index)).size;
  return problem(422, "invalid-rows", "Unprocessable Content",
    `${rows} ${rows === 1 ? "row" : "rows"} failed; nothing was written`, { errors: outcome.errors.map(rowError) });
}

/** The uploaded file with each row as stored; partial mode adds the row's result and errors. */
function csvAnswer(csv: CsvFile, outcome: SyncOutcome, partial: boolean): Iterable<string> {
  const header = partial ? [...csv.header, "sync.resultType", "sync.errors"] : csv.header;
  return csvPieces(header, outcome.results.length, (i) => {
    const result = outcome.results[i];
    let uploaded: string[] | undefined;
    const row = registrationCells(result.registration, csv.header, (column) => (uploaded ??= uploadedCells(csv, result.index))[column] ?? "");
    if (partial) {
      row.push(result.syncResultType, result.errors.map((e) => `${columnOfField(e.field) ?? "row"}: ${e.message}`).join("; "));
    }
    return row;
  }, csv.dialect);
}

export function registrationRoutes(db: DataSource, config: Config): Router {
  const router = Router();
  const path = "/events/activities/:activityId/registrations.:format";

  router.get(path, requireKey(db), async (req, res) => {
    const fmt = format(req);
    const ctx = res.locals.ctx as RequestContext;
    const filter = readFilter(req);
    let columns = DEFAULT_COLUMNS;
    if (fmt === "csv" && req.query.columns !== undefined) {
      columns = queryList(req.query.columns) ?? [];
      const unknown = columns.filter((c) => !COLUMNS[c]);
      if (unknown.length || !columns.length) {
        throw problem(400, "invalid-query", "Bad Request", `columns must be among ${Object.keys(COLUMNS).join(", ")}; got ${unknown.join(", ") || "none"}`);
      }
    }
    const registrations = await listRegistrations(db, ctx, String(req.params.activityId), filter);
    if (fmt === "json") {
      await sendPieces(res, "application/json", jsonArrayPieces(registrations, registrationJson));
    } else {
      const dialect = req.query.dialect === "excel" ? EXCEL_DIALECT : PLAIN_DIALECT;
      await sendPieces(res, "text/csv; charset=utf-8", csvPieces(columns, registrations.length, (i) => registrationCells(registrations[i], columns), dialect));
    }
  });

  router.put(path, requireKey(db), async (req, res) => {
    const fmt = format(req);
    acceptedMediaType(req, fmt);
    const ctx = res.locals.ctx as RequestContext;
    const options = readSyncOptions(req);
    const body = bodyChunks(req, config.bodyLimit);
    // The body is read whole before the transaction starts: a slow client never holds the activity's lock.
    // Nothing here refers to the items after the sync has planned them, so they can be collected early.
    let items: SyncItemInput[];
    let csv: CsvFile | undefined;
    if (fmt === "csv") ({ items, file: csv } = await readCsv(body, options.mode === "Partial"));
    else items = await readJsonItems(body);
    const outcome = await syncRegistrations(db, ctx, String(req.params.activityId), items, {
      ...options,
      accountDomain: config.accountDomain,
    });
    if (!csv) {
      if (outcome.results.length === 0 && outcome.errors.length) {
        throw rejected(outcome, ({ index, field, code, message, registrationId }) => ({ index, field, code, message, registrationId }));
      }
      await sendPieces(res, "application/json", jsonArrayPieces(outcome.results, syncResultJson));
      return;
    }
    if (outcome.results.length === 0 && outcome.errors.length) {
      throw rejected(outcome, ({ index, field, code, message, registrationId }) => ({
        line: csv.lines[index], field: columnOfField(field), code, message, registrationId,
      }));
    }
    await sendPieces(res, "text/csv; charset=utf-8", csvAnswer(csv, outcome, options.mode === "Partial"));
  });

  router.get("/events/activities/:activityId/startlist.json", async (req, res) => {
    res.type("application/json").send(stringifyJson(await loadStartList(db, String(req.params.activityId))));
  });

  router.use((req, res) => sendProblem(res, { type: "/problems/not-found", title: "Not Found", status: 404, detail: `No route ${req.method} ${req.originalUrl}` }));
  return router;
}
