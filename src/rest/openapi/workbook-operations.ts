// The workbook resources: the CSV operations, with a workbook for body and answer and no dialect.
import { DEFAULT_TABLE_LIMITS } from "../upload-table";
import { XLSX_MEDIA_TYPE } from "../xlsx-codec";
import { answer, example, header, parameter, problemAnswer, problemExample } from "./builders";
import { CSV_COLUMNS_TABLE } from "./codes-and-columns";
import type { JsonSchema, MediaType, Operation } from "./document-types";
import { XLSX_UPLOAD_TYPES } from "../upload-media-types";
import { invalidQuery } from "./registration-examples";
import { download } from "./registration-operations";
import { otherMediaType, queryNames, sync, type SyncDoc } from "./sync-operation";

export const WORKBOOK: JsonSchema = {
  type: "string",
  contentMediaType: XLSX_MEDIA_TYPE,
  description: "An Excel workbook (.xlsx, Office Open XML).",
};
export const workbookContent = (): Record<string, MediaType> => ({ [XLSX_MEDIA_TYPE]: { schema: WORKBOOK } });

export const XLSX_CELLS = `**Cells.** A download is one sheet: a header row of the columns, then one row per registration, every cell a
text cell in a text-formatted column, so a spreadsheet keeps start numbers like \`0010\` and shows formulas as text. An
upload is read from its first sheet: the first row with a value is the header, empty rows are skipped, and \`line\` in an
error is the sheet's row number. Cells are read by their type: a text cell as it is; a number as a plain decimal (\`10\`,
never \`10.0\` or an exponent); a date as ISO \`1975-11-27\` (with the time, in UTC, when it has one); a boolean as
\`true\`/\`false\`; a formula as its saved result. A formula without a saved result, an error value (\`#N/A\`) or a value
in a column without a header is a 400 naming the cell. At most ${DEFAULT_TABLE_LIMITS.maxColumns} columns and
${DEFAULT_TABLE_LIMITS.maxRows.toLocaleString("en")} rows; the workbook may unpack to at most ten times BODY_LIMIT_BYTES
(a zip bomb is refused with 413 before it is read).`;

export function downloadXlsx(): Operation {
  const csv = download("csv");
  const dialect = JSON.stringify(parameter("dialect"));
  return {
    ...csv,
    operationId: "downloadRegistrationsXlsx",
    summary: "Download an activity's registrations as an Excel workbook",
    description: `The activity's registrations, oldest first, one row each, as the CSV download has them. The columns are the seed's nine unless \`columns\` asks for others.

${CSV_COLUMNS_TABLE}

${XLSX_CELLS}`,
    parameters: csv.parameters?.filter((p) => JSON.stringify(p) !== dialect),
    responses: {
      ...csv.responses,
      200: answer(
        "The registrations: a sheet with a header row of the columns, then one row per registration.",
        workbookContent(),
      ),
      400: problemAnswer(
        400,
        "A query parameter is wrong: state, modifiedSince or columns; dialect, which is for CSV only.",
        ["/problems/invalid-query"],
        {
          state: example("An unknown state", invalidQuery("state must be among New, Confirmed, Cancelled; got Paid")),
        },
      ),
    },
  };
}

/** The PUT of `doc`'s workbook resource: the CSV operation's, with a workbook for body and answer. */
export function syncXlsx(doc: SyncDoc): Operation {
  const csv = sync(doc, "csv");
  const tooLarge =
    "The body (after decoding) is larger than the server accepts (BODY_LIMIT_BYTES, 20 MiB by default), the workbook unpacks to more than ten times that, or its sheet has too many rows or columns (xlsx-too-large, with the sheet row). The connection is closed after the answer.";
  return {
    ...csv,
    operationId: doc.operationIds.xlsx,
    summary: `Sync ${doc.label} from an Excel workbook`,
    description: `${doc.what} It works as the CSV sync does (same columns, modes and answers). The body is an .xlsx
workbook, usually one downloaded from this API and edited in a spreadsheet. The answer is a workbook of the uploaded header and
rows as stored; in partial mode with the two more columns \`sync.resultType\` and \`sync.errors\`. ${doc.tableAnswerNote}

${doc.columnsTable}

${XLSX_CELLS}

A workbook is read once it has arrived whole (it is a zip file); it may be compressed (Content-Encoding). A key that is read-only
gets 403, and an activity out of reach 404, before a byte of the body is read.`,
    requestBody: {
      description:
        "An .xlsx workbook. application/octet-stream and curl's default for --data-binary are taken too, and so is a body without Content-Type; a body that is not a workbook is refused with 415.",
      required: true,
      content: Object.fromEntries(XLSX_UPLOAD_TYPES.map((type) => [type, { schema: WORKBOOK }])),
    },
    responses: {
      ...csv.responses,
      200: answer(
        "Applied (or, in a dry run, what would be applied): the uploaded rows as stored, as a workbook.",
        workbookContent(),
        { "Sync-Summary": header("Sync-Summary"), "Idempotent-Replayed": header("Idempotent-Replayed") },
      ),
      400: problemAnswer(
        400,
        `The request cannot be read: a wrong query parameter (${queryNames(doc)}), a workbook that cannot be read (a broken zip, a duplicated column, an empty first sheet, a formula without a saved result, an error value, a value outside the header's columns), a body that does not decode as its Content-Encoding, or an Idempotency-Key outside 1–255 characters.`,
        [
          "/problems/invalid-query",
          "/problems/malformed-xlsx",
          "/problems/malformed-body",
          "/problems/invalid-request",
        ],
        {
          query: example("A wrong mode", invalidQuery("mode must be all or partial")),
          cell: example(
            "A formula without a result",
            problemExample(
              "/problems/malformed-xlsx",
              "Malformed workbook",
              400,
              "Line 3: cell B3 holds a formula without a saved result; open the file in a spreadsheet and save it again, or paste the values",
              { line: 3 },
            ),
          ),
        },
      ),
      413: problemAnswer(413, tooLarge, ["/problems/body-too-large", "/problems/xlsx-too-large"], {
        tooLarge: example(
          "Unpacks too large",
          problemExample(
            "/problems/xlsx-too-large",
            "Content Too Large",
            413,
            "The workbook unpacks to more than 209715200 bytes, more than this server accepts (10 times BODY_LIMIT_BYTES)",
          ),
        ),
      }),
      415: problemAnswer(
        415,
        "The body's Content-Type is not one this resource takes, the body is not an .xlsx workbook (CSV text, an old .xls, an .ods file), or its Content-Encoding is not gzip, deflate or identity.",
        ["/problems/unsupported-media-type"],
        {
          mediaType: otherMediaType(doc, "xlsx", XLSX_MEDIA_TYPE, "text/csv", "csv"),
          ...doc.examples.unsupported?.xlsx,
        },
      ),
    },
  };
}
