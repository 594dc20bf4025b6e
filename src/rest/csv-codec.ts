// CSV bodies and answers: the seed's columns, any order, `,` or `;`, BOM, CRLF, quotes.
import { Readable, pipeline } from "node:stream";
import { parse } from "csv-parse";
import { stringify } from "csv-stringify/sync";
import type { SyncItemInput } from "../services/registration-sync";
import {
  DEFAULT_TABLE_LIMITS, asTableProblem, malformedTable, readTable,
  type TableFormat, type TableLimits, type TableRecord, type UploadedTable,
} from "./registration-table";
import { refuseWorkbookAsCsv } from "./xlsx-codec";

export interface CsvDialect {
  delimiter: "," | ";";
  recordDelimiter: "\n" | "\r\n";
  bom: boolean;
}

export const PLAIN_DIALECT: CsvDialect = { delimiter: ",", recordDelimiter: "\n", bom: false };
/** What Czech Excel opens without a wizard. */
export const EXCEL_DIALECT: CsvDialect = { delimiter: ";", recordDelimiter: "\r\n", bom: true };

/** An uploaded CSV file: its table, and the dialect its answer is written in. */
export interface CsvFile extends UploadedTable {
  dialect: CsvDialect;
}

// A leading quote that neutralized a formula on download is taken off again on upload.
const NEUTRALIZED = /^'[=+\-@\t\r]/;
const FORMULA = /^[=+\-@\t\r]/;

const CSV_FORMAT: TableFormat = {
  malformedType: "malformed-csv",
  malformedTitle: "Malformed CSV",
  tooLargeType: "csv-too-large",
  readCell: (cell) => (NEUTRALIZED.test(cell) ? cell.slice(1) : cell),
};

/** The dialect, from the first line: `;` when it splits the header into more columns than `,`. */
function detectDialect(head: string): CsvDialect {
  const bom = head.startsWith("\uFEFF");
  const source = bom ? head.slice(1) : head;
  const firstLine = source.slice(0, source.search(/\r?\n|$/));
  if (!firstLine.trim()) throw malformedTable(CSV_FORMAT.malformedTitle, CSV_FORMAT.malformedType, "The file is empty: it needs a header line");
  const delimiter = firstLine.split(";").length > firstLine.split(",").length ? ";" : ",";
  return { delimiter, recordDelimiter: source[firstLine.length] === "\r" ? "\r\n" : "\n", bom };
}

/**
 * Reads an upload as it arrives: records become sync items one by one (see readTable).
 * @throws HttpProblem 400 for an unreadable file, 413 as soon as it has more rows or columns than `limits`; both name the line.
 */
export async function readCsv(
  chunks: AsyncIterable<Buffer>,
  keepRows: boolean,
  limits: TableLimits = DEFAULT_TABLE_LIMITS,
): Promise<{ items: SyncItemInput[]; file: CsvFile }> {
  const iterator = chunks[Symbol.asyncIterator]();
  try {
    // The dialect needs the whole first line.
    const head: Buffer[] = [];
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      head.push(next.value);
      if (next.value.includes(0x0a)) break;
    }
    refuseWorkbookAsCsv(Buffer.concat(head));
    const dialect = detectDialect(Buffer.concat(head).toString("utf8"));
    const source = Readable.from((async function* () {
      yield* head;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    })());
    const { items, table } = await readTable(csvRecords(source, dialect), CSV_FORMAT, keepRows, limits);
    return { items, file: { ...table, dialect } };
  } finally {
    // Reading may stop early; the body's reader must hear of it to deal with the unread rest.
    void iterator.return?.(undefined)?.catch(() => undefined);
  }
}

/** The file's records with the line each starts on; a parse failure is a 400 naming its line. */
async function* csvRecords(source: Readable, dialect: CsvDialect): AsyncGenerator<TableRecord> {
  const parser = parse({ delimiter: dialect.delimiter, bom: true, info: true, skip_empty_lines: true, relax_column_count: false });
  pipeline(source, parser, () => undefined);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      let newlines = 0;
      for (const cell of record) {
        for (let at = cell.indexOf("\n"); at !== -1; at = cell.indexOf("\n", at + 1)) newlines++;
      }
      // csv-parse counts to a record's last line; a quoted cell may span lines, so step back to its first.
      yield { cells: record, line: info.lines - newlines };
    }
  } catch (error) {
    throw asTableProblem(error, CSV_FORMAT, (error as { lines?: number }).lines);
  }
}

function safeCell(value: string): string {
  return FORMULA.test(value) ? `'${value}` : value;
}

/** Renders rows in pieces of a thousand; every cell a spreadsheet would run as a formula is neutralized. */
export function* csvPieces(header: string[], count: number, row: (i: number) => string[], dialect: CsvDialect): Generator<string> {
  // A line break of either kind is quoted: csv-stringify quotes only the dialect's own record delimiter.
  const options = { delimiter: dialect.delimiter, record_delimiter: dialect.recordDelimiter === "\r\n" ? "windows" : "unix", quoted_match: /[\r\n]/ } as const;
  yield (dialect.bom ? "\uFEFF" : "") + stringify([header], options);
  for (let start = 0; start < count; start += 1000) {
    const rows: string[][] = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) rows.push(row(i).map(safeCell));
    yield stringify(rows, options);
  }
}
