// The PUT of every sync (registrations, results) in JSON, CSV and workbooks: media types, the body
// streamed in, Idempotency-Key, the 422 of a rejected batch, and the answer in the upload's format.
// What is synced is the SyncEndpoint's: its service, its table's columns, its JSON item.
import { createHash, type Hash } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";
import type { DataSource } from "typeorm";
import type { Config } from "../config";
import { loadWritableActivity } from "../services/access";
import { inUseDetail, runIdempotently, type StoredAnswer } from "../services/idempotency";
import type { RequestContext } from "../services/request-context";
import type { SyncOptions } from "../services/sync/run-sync";
import { SyncBatch } from "../services/sync/sync-batch";
import {
  LISTED_FAILED_ROWS,
  countResults,
  type ItemOutcome,
  type SyncMode,
  type SyncOutcome,
} from "../services/sync/sync-outcome";
import { csvPieces, readCsv, type CsvFile } from "./csv-codec";
import { csvEncoding } from "./csv-text";
import { jsonArrayPieces, readJsonItems } from "./json-codec";
import { problem, problemJson, type Problem } from "./problem";
import { bodyChunks } from "./request-body";
import { sendPieces } from "./send-pieces";
import { tableAnswer, type TableShape } from "./upload-table";
import { CSV_UPLOAD_TYPES, JSON_UPLOAD_TYPES, XLSX_UPLOAD_TYPES } from "./upload-media-types";
import { XLSX_MEDIA_TYPE, readXlsx, unpackedLimitFor, xlsxBuffer, type XlsxFile } from "./xlsx-codec";

export type Format = "json" | "csv" | "xlsx";

const MEDIA_TYPES: Record<Format, string> = { json: "application/json", csv: "text/csv", xlsx: XLSX_MEDIA_TYPE };

/** The route's format: its `:format` parameter, `json` when the route has none (the platform's own `…/results`). */
export function routeFormat(req: Request): Format {
  const value = req.params.format ?? "json";
  if (value !== "json" && value !== "csv" && value !== "xlsx")
    throw problem(404, "not-found", "Not Found", `Unknown format .${value}; use .json, .csv or .xlsx`);
  return value;
}

/** One sync as the REST API offers it. */
export interface SyncEndpoint<Item, R extends ItemOutcome, Q extends { mode: SyncMode; dryRun: boolean }> {
  /** The sync's query parameters, checked. @throws HttpProblem 400. */
  readQuery(query: Record<string, unknown>): Q;
  run(
    db: DataSource,
    ctx: RequestContext,
    activityId: string,
    batch: SyncBatch<Item>,
    options: SyncOptions<R> & Q,
  ): Promise<SyncOutcome<R>>;
  /** The columns of the sync's CSV and workbook uploads and answers. */
  table: TableShape<R>;
  /** One result as the JSON answer lists it. */
  json(result: R): unknown;
}

function acceptedMediaType(req: Request, fmt: Format, noun: string): void {
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
      `${noun}.${fmt} takes ${MEDIA_TYPES[fmt]}, not ${type}${elsewhere ? `; send it to ${noun}.${elsewhere}` : ""}`,
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

function summaryOf(outcome: SyncOutcome<ItemOutcome>): string {
  return [...countResults(outcome)].map(([type, n]) => `${type}=${n}`).join(", ");
}

/** The body's chunks, passed on unchanged, fed to `hash` as they go. */
async function* hashed(chunks: AsyncIterable<Buffer>, hash: Hash): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    hash.update(chunk);
    yield chunk;
  }
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

/** 422 with the failing rows (the first LISTED_FAILED_ROWS of them, and how many in all). */
function rejection(
  outcome: SyncOutcome<ItemOutcome>,
  table: CsvFile | XlsxFile | undefined,
  shape: TableShape<never>,
  requestId: unknown,
): Answer {
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
        ? { line: table.lines[index], field: shape.columnOfField(field), code, message, registrationId }
        : { index, field, code, message, registrationId },
    ),
    ...(typeof requestId === "string" ? { requestId } : {}),
  };
  return { status: 422, contentType: "application/problem+json", pieces: [problemJson(rejected)] };
}

/**
 * Handles `PUT …/{noun}.{format}` (after the key was checked): reads the body as it arrives into a
 * SyncBatch, runs the endpoint's sync idempotently, answers in the upload's format.
 */
export function syncHandler<Item, R extends ItemOutcome, Q extends { mode: SyncMode; dryRun: boolean }>(
  db: DataSource,
  config: Config,
  endpoint: SyncEndpoint<Item, R, Q>,
): RequestHandler {
  /** The answer to an outcome: 422 for a rejected batch, else each result in the upload's format. */
  async function answerOf(
    outcome: SyncOutcome<R>,
    table: CsvFile | XlsxFile | undefined,
    partial: boolean,
    requestId: unknown,
  ): Promise<Answer> {
    if (outcome.results.length === 0 && outcome.errorCount) return rejection(outcome, table, endpoint.table, requestId);
    const summary = summaryOf(outcome);
    if (!table)
      return {
        status: 200,
        contentType: "application/json",
        pieces: jsonArrayPieces(outcome.results, endpoint.json),
        summary,
      };
    const answer = tableAnswer(table, outcome.results, partial, endpoint.table);
    if ("format" in table) {
      const workbook = await xlsxBuffer(answer.header, outcome.results.length, (i) => answer.row(outcome.results[i]));
      return { status: 200, contentType: XLSX_MEDIA_TYPE, pieces: [workbook], summary };
    }
    const pieces = csvPieces(
      answer.header,
      outcome.results.length,
      (i) => answer.row(outcome.results[i]),
      table.dialect,
    );
    return { status: 200, contentType: "text/csv; charset=utf-8", pieces, summary };
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
  ): Promise<{ batch: SyncBatch<Item>; table?: CsvFile | XlsxFile }> {
    const limits = { maxRows: config.maxSyncItems, maxColumns: config.maxCsvColumns };
    if (fmt === "csv") {
      const { items, file } = await readCsv(body, partial, limits, encoding, endpoint.table);
      return { batch: new SyncBatch(items as Item[]), table: file };
    }
    if (fmt === "xlsx") {
      const xlsxLimits = { ...limits, maxUnpackedBytes: unpackedLimitFor(config.bodyLimit) };
      const { items, file } = await readXlsx(body, partial, xlsxLimits, endpoint.table);
      return { batch: new SyncBatch(items as Item[]), table: file };
    }
    return { batch: new SyncBatch((await readJsonItems(body, config.maxSyncItems)) as Item[]) };
  }

  return async (req, res) => {
    const fmt = routeFormat(req);
    acceptedMediaType(req, fmt, endpoint.table.noun);
    const encoding = fmt === "csv" ? csvEncoding(req.get("content-type")) : "utf-8";
    const ctx = res.locals.ctx as RequestContext;
    const activityId = String(req.params.activityId);
    const query = endpoint.readQuery(req.query);
    // A key that may not write here is refused before a byte of the body is read (and decoded, and parsed).
    await loadWritableActivity(db, ctx, activityId);
    const idempotencyKey = req.get("idempotency-key");
    // A repeat is the same request: same route, query and body bytes, read in the same charset.
    const charset = encoding === "utf-8" ? "" : ` charset=${encoding}`;
    const requestHash = createHash("sha256").update(`${req.method} ${req.originalUrl}${charset}\n`);
    const body = hashed(bodyChunks(req, config.bodyLimit), requestHash);
    // The body is read whole before the transaction starts: a slow client never holds the activity's lock.
    const partial = query.mode === "Partial";
    const { batch, table } = await readBatch(fmt, body, partial, encoding);
    const itemLabel = table ? (index: number) => `line ${table.lines[index]}` : undefined;
    const done = await runIdempotently<SyncOutcome<R>>(
      db,
      ctx,
      { key: idempotencyKey, hash: () => requestHash.digest("hex") },
      {
        run: (beforeCommit) =>
          endpoint.run(db, ctx, activityId, batch, {
            ...query,
            accountDomain: config.accountDomain,
            itemLabel,
            beforeCommit,
          }),
        encode: async (outcome) => keep(await answerOf(outcome, table, partial, req.id)),
      },
    );
    switch (done.kind) {
      case "ran":
        if (!done.answer) return send(res, await answerOf(done.result, table, partial, req.id));
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
  };
}
