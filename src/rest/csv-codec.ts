// CSV bodies and answers: the seed's columns, any order, `,` or `;`, BOM, CRLF, quotes, three charsets (csv-text.ts).
import { Readable, pipeline } from "node:stream";
import { parse } from "csv-parse";
import { stringify } from "csv-stringify/sync";
import { decodeCsv } from "./csv-text";
import { REGISTRATION_TABLE } from "./registration-table";
import {
  DEFAULT_TABLE_LIMITS,
  asTableProblem,
  malformedTable,
  readTable,
  tooManyColumns,
  type TableFormat,
  type TableLimits,
  type TableRecord,
  type TableItem,
  type TableShape,
  type UploadedTable,
} from "./upload-table";

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

// A cell a spreadsheet would run as a formula gets a leading quote on download. So that export → import
// is the identity, a value that already looks neutralized (`'=x`, `''+y`) gets one more, and an upload
// takes exactly one off whatever a formula character follows: `'=x` is read as `=x`, `''=x` as `'=x`.
const FORMULA = /^'*[=+\-@\t\r]/;
const NEUTRALIZED = /^'+[=+\-@\t\r]/;

const CSV_FORMAT: TableFormat = {
  malformedType: "malformed-csv",
  malformedTitle: "Malformed CSV",
  tooLargeType: "csv-too-large",
  readCell: (cell) => (NEUTRALIZED.test(cell) ? cell.slice(1) : cell),
};

const [QUOTE, COMMA, SEMICOLON] = ['"', ",", ";"].map((c) => c.charCodeAt(0));

/**
 * The first line's separators outside quotes, counted as its text arrives, without parsing it: a header
 * of millions of columns is refused as soon as it has too many, before a parser makes a cell of each.
 */
class HeaderLine {
  commas = 0;
  semicolons = 0;
  ended = false;
  private quoted = false;

  /** Counts `text` up to the end of the line; true once the line has ended. */
  read(text: string): boolean {
    const end = text.indexOf("\n");
    for (let i = 0, stop = end === -1 ? text.length : end; i < stop; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) this.quoted = !this.quoted;
      else if (!this.quoted && c === COMMA) this.commas++;
      else if (!this.quoted && c === SEMICOLON) this.semicolons++;
    }
    return (this.ended = end !== -1);
  }

  /** Columns the header has at least, whichever separator it uses. */
  get columns(): number {
    return Math.max(this.commas, this.semicolons) + 1;
  }
}

/** The dialect, from the first line: `;` when it splits the header into more columns than `,`. */
function detectDialect(head: string, line: HeaderLine): CsvDialect {
  const bom = head.startsWith("\uFEFF");
  const source = bom ? head.slice(1) : head;
  const end = source.indexOf("\n");
  const firstLine = source.slice(0, end === -1 ? source.length : end).replace(/\r$/, "");
  if (!firstLine.trim())
    throw malformedTable(
      CSV_FORMAT.malformedTitle,
      CSV_FORMAT.malformedType,
      "The file is empty: it needs a header line",
    );
  const delimiter = line.semicolons > line.commas ? ";" : ",";
  return { delimiter, recordDelimiter: source[firstLine.length] === "\r" ? "\r\n" : "\n", bom };
}

/**
 * Reads an upload in `encoding` (see csvEncoding) as it arrives: records become sync items one by one, by the
 * columns of `shape` (see readTable).
 * @throws HttpProblem 400 for an unreadable file (or not text in `encoding`), 415 for a workbook, 413 as soon as it has more rows or columns than `limits`; both name the line.
 */
export async function readCsv(
  chunks: AsyncIterable<Buffer>,
  keepRows: boolean,
  limits: TableLimits = DEFAULT_TABLE_LIMITS,
  encoding = "utf-8",
  shape: TableShape = REGISTRATION_TABLE,
): Promise<{ items: TableItem[]; file: CsvFile }> {
  const iterator = decodeCsv(chunks, encoding, shape.noun)[Symbol.asyncIterator]();
  try {
    // The dialect needs the whole first line.
    const head: string[] = [];
    const line = new HeaderLine();
    while (!line.ended) {
      const next = await iterator.next();
      if (next.done) break;
      head.push(next.value);
      line.read(next.value);
      if (line.columns > limits.maxColumns) throw tooManyColumns(CSV_FORMAT, limits.maxColumns, 1);
    }
    const dialect = detectDialect(head.join(""), line);
    const source = Readable.from(
      (async function* () {
        yield* head;
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
      })(),
    );
    const { items, table } = await readTable(csvRecords(source, dialect), CSV_FORMAT, keepRows, limits, shape);
    return { items, file: { ...table, dialect } };
  } finally {
    // Reading may stop early; the body's reader must hear of it to deal with the unread rest.
    void iterator.return?.(undefined)?.catch(() => undefined);
  }
}

/** The file's records with the line each starts on; a parse failure is a 400 naming its line. */
async function* csvRecords(source: Readable, dialect: CsvDialect): AsyncGenerator<TableRecord> {
  const parser = parse({
    delimiter: dialect.delimiter,
    bom: true,
    info: true,
    skip_empty_lines: true,
    relax_column_count: false,
  });
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
export function* csvPieces(
  header: string[],
  count: number,
  row: (i: number) => string[],
  dialect: CsvDialect,
): Generator<string> {
  // A line break of either kind is quoted (csv-stringify quotes only the dialect's own record delimiter), and
  // so is either separator and a tab: a spreadsheet's import dialog splits on `,`, `;` and tab at once.
  const options = {
    delimiter: dialect.delimiter,
    record_delimiter: dialect.recordDelimiter === "\r\n" ? "windows" : "unix",
    quoted_match: /[\r\n,;\t]/,
  } as const;
  // An answer's header echoes the upload's, which may name a column `=cmd`.
  yield (dialect.bom ? "\uFEFF" : "") + stringify([header.map(safeCell)], options);
  for (let start = 0; start < count; start += 1000) {
    const rows: string[][] = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) rows.push(row(i).map(safeCell));
    yield stringify(rows, options);
  }
}
