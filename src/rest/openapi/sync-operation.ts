// The PUT of a sync's resources (registrations, results), once per format: what every sync shares (modes,
// Idempotency-Key, body limits, media types, problems), and, from its SyncDoc, what is its own.
import { LISTED_FAILED_ROWS } from "../../services/registration-sync";
import { DEFAULT_TABLE_LIMITS } from "../upload-table";
import {
  answer,
  example,
  header,
  parameter,
  problemAnswer,
  problemExample,
  rejectedRows,
  response,
  schema,
} from "./builders";
import { CSV_CHARSETS, CSV_DIALECTS, CSV_FORMULAS } from "./codes-and-columns";
import type { Example, Operation, Parameter } from "./document-types";
import { keyed } from "./parameters";
import { CSV_TEXT, CSV_UPLOAD_TYPES, invalidQuery, type Format } from "./registration-examples";

/** What one sync's operations say of what it syncs; the rest of them every sync shares. */
export interface SyncDoc {
  /** The resources' name in paths and messages: `registrations.csv`. */
  noun: "registrations" | "results";
  tag: string;
  operationIds: Record<Format | "xlsx", string>;
  /** The summaries name it: "Sync registrations from JSON". */
  label: string;
  /** What a sync does, opening each description; all or nothing and the rest follow. */
  what: string;
  /** What the JSON body's items are (naming their schema) and what the answer lists. */
  jsonBody: string;
  /** The schemas, under components.schemas, of a JSON item and of one result in the JSON answer. */
  itemSchema: string;
  answerSchema: string;
  /** The CSV and workbook columns, a Markdown table. */
  columnsTable: string;
  /** What the CSV and workbook answers have beyond the uploaded rows as stored (a warnings column, deleted rows). */
  tableAnswerNote: string;
  /** Query parameters besides mode and dryRun. */
  parameters: Parameter[];
  /** What a concurrent change may take that the batch wanted, for the 409 conflict. */
  conflict: string;
  examples: {
    json: Record<string, Example>;
    jsonAnswer: Record<string, Example>;
    csv: Record<string, Example>;
    csvAnswer: Record<string, Example>;
    /** The failing rows of a 422, JSON (by index) and CSV (by line). */
    jsonRejected: Record<string, unknown>[];
    csvRejected: Record<string, unknown>[];
    /** More 415 examples of the CSV and workbook resources. */
    unsupported?: Partial<Record<"csv" | "xlsx", Record<string, Example>>>;
  };
}

/** The query parameters a 400 names: mode, dryRun and the sync's own. */
export const queryNames = (doc: SyncDoc) => ["mode", "dryRun", ...doc.parameters.map((p) => p.name)].join(", ");

/** The 415 example of a body in another format's media type. */
export const otherMediaType = (doc: SyncDoc, format: Format | "xlsx", taken: string, sent: string, elsewhere: string) =>
  example(
    "A wrong media type",
    problemExample(
      "/problems/unsupported-media-type",
      "Unsupported Media Type",
      415,
      `${doc.noun}.${format} takes ${taken}, not ${sent}; send it to ${doc.noun}.${elsewhere}`,
    ),
  );

/** The PUT of `doc`'s JSON or CSV resource. */
export function sync(doc: SyncDoc, format: Format): Operation {
  const json = format === "json";
  const summary = { "Sync-Summary": header("Sync-Summary"), "Idempotent-Replayed": header("Idempotent-Replayed") };
  const rowsRejected = rejectedRows(json ? doc.examples.jsonRejected : doc.examples.csvRejected);
  return {
    operationId: doc.operationIds[format],
    tags: [doc.tag],
    summary: `Sync ${doc.label} from ${json ? "JSON" : "CSV"}`,
    description: `${doc.what} All or nothing by default: if any row fails, nothing is written and the answer lists every failing row.
${
  json
    ? doc.jsonBody
    : `The body is a CSV file, usually one downloaded from this API and edited; columns may come in any order and unknown
columns are ignored. The answer is the uploaded file with each row as stored: the same columns in the same order and
dialect (unknown columns echo what was uploaded; uploaded \`sync.*\` columns of an earlier answer are left out). In partial
mode two more columns follow: \`sync.resultType\` (the row's result type) and \`sync.errors\` (\`column: message\` pairs
separated by \`; \`). ${doc.tableAnswerNote} At most ${DEFAULT_TABLE_LIMITS.maxColumns} columns and
${DEFAULT_TABLE_LIMITS.maxRows.toLocaleString("en")} rows in one upload.

${doc.columnsTable}

${CSV_DIALECTS}

${CSV_CHARSETS}

${CSV_FORMULAS}`
}

The body is read as it arrives and may be compressed (Content-Encoding). A key that is read-only gets 403, and an activity
out of reach 404, before a byte of the body is read.`,
    parameters: [
      parameter("mode"),
      parameter("dryRun"),
      ...doc.parameters,
      parameter("IdempotencyKey"),
      parameter("ContentEncoding"),
      parameter("RequestId"),
    ],
    requestBody: {
      description: json
        ? "A JSON array of sync items (UTF-8, a byte order mark is allowed). Any `+json` media type is taken too, and so is a body without Content-Type."
        : "A CSV file: UTF-8 (with or without byte order mark), or Windows-1250 or ISO-8859-2 when the Content-Type says so (`text/csv; charset=windows-1250`). Besides text/csv the listed media types are taken, with the same charset parameter, since tools send them for CSV files; so is a body without Content-Type.",
      required: true,
      content: json
        ? {
            "application/json": {
              schema: { type: "array", items: schema(doc.itemSchema) },
              examples: doc.examples.json,
            },
          }
        : Object.fromEntries(
            CSV_UPLOAD_TYPES.map((type) => [
              type,
              { schema: CSV_TEXT, ...(type === "text/csv" ? { examples: doc.examples.csv } : {}) },
            ]),
          ),
    },
    responses: keyed({
      200: answer(
        json
          ? "Applied (or, in a dry run, what would be applied): one result per item, in input order."
          : "Applied (or, in a dry run, what would be applied): the uploaded rows as stored, in the upload's columns and dialect.",
        json
          ? {
              "application/json": {
                schema: { type: "array", items: schema(doc.answerSchema) },
                examples: doc.examples.jsonAnswer,
              },
            }
          : { "text/csv": { schema: CSV_TEXT, examples: doc.examples.csvAnswer } },
        summary,
      ),
      400: problemAnswer(
        400,
        `The request cannot be read: a wrong query parameter (${queryNames(doc)}), a body that is not ${json ? "a JSON array of objects" : "readable CSV (a broken quote, a duplicated column, an empty file; csv-encoding: bytes that are not text in the request's charset, with the first such line)"}, a body that does not decode as its Content-Encoding, or an Idempotency-Key outside 1–255 characters.`,
        [
          "/problems/invalid-query",
          ...(json ? ["/problems/malformed-json"] : ["/problems/malformed-csv", "/problems/csv-encoding"]),
          "/problems/malformed-body",
          "/problems/invalid-request",
        ],
        {
          query: example("A wrong mode", invalidQuery("mode must be all or partial")),
          ...(json
            ? {
                body: example(
                  "A broken item",
                  problemExample(
                    "/problems/malformed-json",
                    "Malformed JSON",
                    400,
                    "Item 1 is not valid JSON: Expected property name or '}' in JSON at position 1",
                    {
                      errors: [{ index: 1, field: null, code: "InvalidValue", message: "The item is not valid JSON" }],
                    },
                  ),
                ),
              }
            : {
                body: example(
                  "A broken line",
                  problemExample(
                    "/problems/malformed-csv",
                    "Malformed CSV",
                    400,
                    'Line 2: Invalid Closing Quote: got "x" at line 2 instead of delimiter, record delimiter, trimable character (if activated) or comment',
                    { line: 2 },
                  ),
                ),
                encoding: example(
                  "A Windows-1250 file sent as UTF-8",
                  problemExample(
                    "/problems/csv-encoding",
                    "Wrong Character Encoding",
                    400,
                    'Line 3: the file is not UTF-8 text. If Czech Excel saved it, it is Windows-1250: send it with Content-Type: text/csv; charset=windows-1250, or save it from the spreadsheet as "CSV UTF-8"',
                    { line: 3 },
                  ),
                ),
              }),
          idempotencyKey: example(
            "An Idempotency-Key that is too long",
            problemExample(
              "/problems/invalid-request",
              "Bad Request",
              400,
              "An Idempotency-Key has 1 to 255 characters",
              { field: "Idempotency-Key" },
            ),
          ),
        },
      ),
      401: response("Unauthorized"),
      403: response("ReadOnlyKey"),
      404: response("ActivityNotFound"),
      409: problemAnswer(
        409,
        `A request with this Idempotency-Key is still being served (idempotency-key-in-use: retry after
Retry-After seconds and get its answer), or a concurrent change took ${doc.conflict} at commit (conflict:
nothing was written; send the batch again).`,
        ["/problems/idempotency-key-in-use", "/problems/conflict"],
        {
          inUse: example(
            "The first request with the key is still running",
            problemExample(
              "/problems/idempotency-key-in-use",
              "Conflict",
              409,
              "A request with this Idempotency-Key has been running for 4 seconds; retry after 4 seconds. If its server stopped, the key is taken over in 596 seconds.",
            ),
          ),
          conflict: example(
            "A concurrent change",
            problemExample(
              "/problems/conflict",
              "Conflict",
              409,
              "A concurrent change conflicts with this batch; nothing was written. Retry it.",
            ),
          ),
        },
        {
          "Retry-After": {
            description:
              "With idempotency-key-in-use only: seconds to wait: as long as the first request has run so far, at most until a dead server's reservation is taken over.",
            schema: { type: "integer", minimum: 1 },
          },
        },
      ),
      413: problemAnswer(
        413,
        json
          ? `The body (after decoding) is larger than the server accepts (BODY_LIMIT_BYTES, 20 MiB by default; a larger Content-Length is answered before the body is read), or it has more than ${DEFAULT_TABLE_LIMITS.maxRows.toLocaleString("en")} items (MAX_SYNC_ITEMS; too-many-items, with the index of the first one over; reading stops there). The connection is closed after the answer.`
          : `The body (after decoding) is larger than the server accepts (BODY_LIMIT_BYTES, 20 MiB by default; a larger Content-Length is answered before the body is read), or the file has more than ${DEFAULT_TABLE_LIMITS.maxRows.toLocaleString("en")} rows (MAX_SYNC_ITEMS) or ${DEFAULT_TABLE_LIMITS.maxColumns} columns (MAX_CSV_COLUMNS, counted on the raw header line as it arrives) (csv-too-large, with the line). The connection is closed after the answer.`,
        json
          ? ["/problems/body-too-large", "/problems/too-many-items"]
          : ["/problems/body-too-large", "/problems/csv-too-large"],
        {
          tooLarge: example(
            "Too large",
            problemExample(
              "/problems/body-too-large",
              "Content Too Large",
              413,
              "The request body is larger than this server accepts (20971520 bytes)",
            ),
          ),
          ...(json
            ? {
                tooManyItems: example(
                  "Too many items",
                  problemExample(
                    "/problems/too-many-items",
                    "Content Too Large",
                    413,
                    "Item 50000: a sync takes at most 50000 items; split the batch",
                    { index: 50_000 },
                  ),
                ),
              }
            : {
                tooManyColumns: example(
                  "Too many columns",
                  problemExample(
                    "/problems/csv-too-large",
                    "Content Too Large",
                    413,
                    "Line 1: the header has more than 200 columns; at most 200 are accepted",
                    { line: 1 },
                  ),
                ),
              }),
        },
      ),
      415: problemAnswer(
        415,
        `The body's Content-Type is not one this resource takes (${json ? "application/json or +json" : "text/csv and the other listed types; a charset other than utf-8, windows-1250 or iso-8859-2; or a body that is an Excel workbook or UTF-16 text"}), or its Content-Encoding is not gzip, deflate or identity.`,
        ["/problems/unsupported-media-type"],
        {
          mediaType: json
            ? otherMediaType(doc, "json", "application/json", "text/csv", "csv")
            : otherMediaType(doc, "csv", "text/csv", "application/json", "json"),
          ...(json
            ? {}
            : {
                charset: example(
                  "An unsupported charset",
                  problemExample(
                    "/problems/unsupported-media-type",
                    "Unsupported Media Type",
                    415,
                    "charset iso-8859-1 is not supported; send utf-8, windows-1250 (cp1250) or iso-8859-2 (latin2)",
                  ),
                ),
                ...doc.examples.unsupported?.csv,
              }),
        },
      ),
      422: problemAnswer(
        422,
        `Nothing was written. Either rows failed in the default all-or-nothing mode (invalid-rows: the errors
of the first ${LISTED_FAILED_ROWS.toLocaleString("en")} failing rows, each with its ${json ? "index" : "line, column"}, code and message; \`errorCount\` counts
all errors and \`errorsOmitted\` those left out, and \`detail\` says how many rows failed; this document has no requestId, as it is
kept byte for byte for Idempotency-Key replays), or the Idempotency-Key was used before for a different request (idempotency-key-reused).`,
        ["/problems/invalid-rows", "/problems/idempotency-key-reused"],
        {
          rows: example("Failing rows", rowsRejected),
          reused: example(
            "An Idempotency-Key used for another request",
            problemExample(
              "/problems/idempotency-key-reused",
              "Unprocessable Content",
              422,
              "This Idempotency-Key was used for a different request; use a new key for a new request",
            ),
          ),
        },
        { "Idempotent-Replayed": header("Idempotent-Replayed") },
      ),
      429: response("TooManyRequests"),
      500: response("ServerError"),
      503: response("ServiceUnavailable"),
    }),
  };
}
