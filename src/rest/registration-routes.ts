// REST adapter for registrations (SPEC §5): formats and status codes only; the rules live in services.
import { createHash, type Hash } from "node:crypto";
import { Router, type NextFunction, type Request, type Response } from "express";
import type { DataSource } from "typeorm";
import { rateLimitHeaders, type RateLimits } from "../auth/rate-limits";
import type { Config } from "../config";
import { loadWritableActivity } from "../services/access";
import { listRegistrations } from "../services/registrations";
import { inUseDetail, runIdempotently, type StoredAnswer } from "../services/idempotency";
import {
  LISTED_FAILED_ROWS,
  SyncBatch,
  countResults,
  syncRegistrations,
  type SyncOutcome,
} from "../services/registration-sync";
import type { RequestContext } from "../services/request-context";
import { loadStartList } from "../services/start-list";
import { EXCEL_DIALECT, PLAIN_DIALECT, csvPieces, readCsv, type CsvFile } from "./csv-codec";
import { csvEncoding } from "./csv-text";
import { jsonArrayPieces, readJsonItems, registrationJson, stringifyJson, syncResultJson } from "./json-codec";
import { readDownloadQuery, readSyncQuery } from "./query-parameters";
import { problem, problemJson, sendProblem, unauthorized, type Problem } from "./problem";
import { bodyChunks } from "./request-body";
import { columnOfField, registrationCells, tableAnswer } from "./registration-table";
import { sendPieces } from "./send-pieces";
import { CSV_UPLOAD_TYPES, JSON_UPLOAD_TYPES, XLSX_UPLOAD_TYPES } from "./upload-media-types";
import { XLSX_MEDIA_TYPE, readXlsx, unpackedLimitFor, writeXlsx, xlsxBuffer, type XlsxFile } from "./xlsx-codec";

type Format = "json" | "csv" | "xlsx";

const MEDIA_TYPES: Record<Format, string> = { json: "application/json", csv: "text/csv", xlsx: XLSX_MEDIA_TYPE };

function format(req: Request): Format {
  const value = req.params.format;
  if (value !== "json" && value !== "csv" && value !== "xlsx")
    throw problem(404, "not-found", "Not Found", `Unknown format .${value}; use .json, .csv or .xlsx`);
  return value;
}

/** Authenticates the request's access key into `res.locals.ctx`; 401 without a valid one. */
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

function acceptedMediaType(req: Request, fmt: Format): void {
  const type = (req.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (!type) return;
  const accepted =
    fmt === "json"
      ? JSON_UPLOAD_TYPES.some((t) => type === t || type.endsWith(t))
      : (fmt === "csv" ? CSV_UPLOAD_TYPES : XLSX_UPLOAD_TYPES).includes(type);
  if (!accepted) {
    const elsewhere = (Object.keys(MEDIA_TYPES) as Format[]).find((f) => f !== fmt && MEDIA_TYPES[f] === type);
    throw problem(
      415,
      "unsupported-media-type",
      "Unsupported Media Type",
      `registrations.${fmt} takes ${MEDIA_TYPES[fmt]}, not ${type}${elsewhere ? `; send it to registrations.${elsewhere}` : ""}`,
    );
  }
}

/** An answer before it is sent: written in pieces, or kept whole for the repeats of an idempotent request. */
interface Answer {
  status: number;
  contentType: string;
  pieces: Iterable<string | Uint8Array>;
  /** `Sync-Summary` header of an applied batch or dry run: `Created=3, Updated=1, Unchanged=10, Skipped=0`. */
  summary?: string;
}

async function send(res: Response, answer: Answer): Promise<void> {
  if (answer.summary) res.set("Sync-Summary", answer.summary);
  await sendPieces(res.status(answer.status), answer.contentType, answer.pieces);
}

function summaryOf(outcome: SyncOutcome): string {
  return [...countResults(outcome)].map(([type, n]) => `${type}=${n}`).join(", ");
}

/** The body's chunks, passed on unchanged, fed to `hash` as they go. */
async function* hashed(chunks: AsyncIterable<Buffer>, hash: Hash): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    hash.update(chunk);
    yield chunk;
  }
}

/** 422 with the failing rows (the first LISTED_FAILED_ROWS of them, and how many in all) when the batch was rejected; else the registrations as stored, in the upload's format. */
async function syncAnswer(
  outcome: SyncOutcome,
  table: CsvFile | XlsxFile | undefined,
  partial: boolean,
  requestId: unknown,
): Promise<Answer> {
  if (outcome.results.length === 0 && outcome.errorCount) {
    const { failedRows: rows, errorCount, errors } = outcome;
    const omitted = errorCount - errors.length;
    const rejected: Problem = {
      type: "/problems/invalid-rows",
      title: "Unprocessable Content",
      status: 422,
      detail:
        `${rows} ${rows === 1 ? "row" : "rows"} failed; nothing was written` +
        (omitted
          ? `. The errors of the first ${LISTED_FAILED_ROWS} failing rows are listed; ${omitted} more are left out`
          : ""),
      errorCount,
      errorsOmitted: omitted,
      errors: errors.map(({ index, field, code, message, registrationId }) =>
        table
          ? { line: table.lines[index], field: columnOfField(field), code, message, registrationId }
          : { index, field, code, message, registrationId },
      ),
      ...(typeof requestId === "string" ? { requestId } : {}),
    };
    return { status: 422, contentType: "application/problem+json", pieces: [problemJson(rejected)] };
  }
  const summary = summaryOf(outcome);
  if (!table)
    return {
      status: 200,
      contentType: "application/json",
      pieces: jsonArrayPieces(outcome.results, syncResultJson),
      summary,
    };
  if ("format" in table) {
    const answer = tableAnswer(table, outcome.results, partial);
    const workbook = await xlsxBuffer(answer.header, outcome.results.length, (i) => answer.row(outcome.results[i]));
    return { status: 200, contentType: XLSX_MEDIA_TYPE, pieces: [workbook], summary };
  }
  return { status: 200, contentType: "text/csv; charset=utf-8", pieces: csvAnswer(table, outcome, partial), summary };
}

/** The uploaded file with each row as stored; partial mode adds the row's result and errors, and warnings their column. */
function csvAnswer(csv: CsvFile, outcome: SyncOutcome, partial: boolean): Iterable<string> {
  const answer = tableAnswer(csv, outcome.results, partial);
  return csvPieces(answer.header, outcome.results.length, (i) => answer.row(outcome.results[i]), csv.dialect);
}

/** An answer kept whole, for the repeats of an idempotent request (and sent from there). */
function keep(answer: Answer): StoredAnswer {
  return {
    status: answer.status,
    contentType: answer.contentType,
    body: Buffer.concat([...answer.pieces].map((piece) => Buffer.from(piece))),
    summary: answer.summary,
  };
}

/**
 * The upload's items, handed over to the sync as a SyncBatch, and the table they came from (CSV, XLSX).
 * The items are never held here: the sync lets them go when it is done, so that they are collected
 * while the answer is sent.
 */
async function readBatch(
  fmt: Format,
  body: AsyncIterable<Buffer>,
  partial: boolean,
  encoding: string,
  config: Config,
): Promise<{ batch: SyncBatch; table?: CsvFile | XlsxFile }> {
  if (fmt === "csv") {
    const { items, file } = await readCsv(
      body,
      partial,
      { maxRows: config.maxSyncItems, maxColumns: config.maxCsvColumns },
      encoding,
    );
    return { batch: new SyncBatch(items), table: file };
  }
  if (fmt === "xlsx") {
    const limits = {
      maxRows: config.maxSyncItems,
      maxColumns: config.maxCsvColumns,
      maxUnpackedBytes: unpackedLimitFor(config.bodyLimit),
    };
    const { items, file } = await readXlsx(body, partial, limits);
    return { batch: new SyncBatch(items), table: file };
  }
  return { batch: new SyncBatch(await readJsonItems(body, config.maxSyncItems)) };
}

export function registrationRoutes(db: DataSource, config: Config, rateLimits: RateLimits): Router {
  const router = Router();
  const path = "/events/activities/:activityId/registrations.:format";

  router.get(path, requireKey(db, rateLimits), async (req, res) => {
    const fmt = format(req);
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

  router.put(path, requireKey(db, rateLimits), async (req, res) => {
    const fmt = format(req);
    acceptedMediaType(req, fmt);
    const encoding = fmt === "csv" ? csvEncoding(req.get("content-type")) : "utf-8";
    const ctx = res.locals.ctx as RequestContext;
    const options = readSyncQuery(req.query);
    // A key that may not write here is refused before a byte of the body is read (and decoded, and parsed).
    await loadWritableActivity(db, ctx, String(req.params.activityId));
    const idempotencyKey = req.get("idempotency-key");
    // A repeat is the same request: same route, query and body bytes, read in the same charset.
    const charset = encoding === "utf-8" ? "" : ` charset=${encoding}`;
    const requestHash = createHash("sha256").update(`${req.method} ${req.originalUrl}${charset}\n`);
    const body = hashed(bodyChunks(req, config.bodyLimit), requestHash);
    // The body is read whole before the transaction starts: a slow client never holds the activity's lock.
    const partial = options.mode === "Partial";
    const { batch, table } = await readBatch(fmt, body, partial, encoding, config);
    const itemLabel = table ? (index: number) => `line ${table.lines[index]}` : undefined;
    const done = await runIdempotently<SyncOutcome>(
      db,
      ctx,
      { key: idempotencyKey, hash: () => requestHash.digest("hex") },
      {
        run: (beforeCommit) =>
          syncRegistrations(db, ctx, String(req.params.activityId), batch, {
            ...options,
            accountDomain: config.accountDomain,
            itemLabel,
            beforeCommit,
          }),
        encode: async (outcome) => keep(await syncAnswer(outcome, table, partial, req.id)),
      },
    );
    switch (done.kind) {
      case "ran":
        if (!done.answer) return send(res, await syncAnswer(done.result, table, partial, req.id));
        if (done.answer.summary) res.set("Sync-Summary", done.answer.summary);
        res.status(done.answer.status).type(done.answer.contentType).send(done.answer.body);
        return;
      case "replay": {
        const { status, contentType, body: stored, summary } = done.answer;
        if (summary) res.set("Sync-Summary", summary);
        res.status(status).set("Idempotent-Replayed", "true").type(contentType).send(stored);
        return;
      }
      case "running":
        throw problem(
          409,
          "idempotency-key-in-use",
          "Conflict",
          inUseDetail("Idempotency-Key", done),
          {},
          { "Retry-After": String(done.retryAfterSeconds) },
        );
      case "other-request":
        throw problem(
          422,
          "idempotency-key-reused",
          "Unprocessable Content",
          "This Idempotency-Key was used for a different request; use a new key for a new request",
        );
    }
  });

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
