// Excel workbooks (.xlsx): the records of an uploaded workbook's first sheet, read from the cells' types,
// and a workbook written from header and rows, every cell a text cell so that a spreadsheet keeps `0010`.
import { once } from "node:events";
import { PassThrough, Readable, type Writable } from "node:stream";
import ExcelJS from "exceljs";
import unzipper, { type Entry } from "unzipper";
import { HttpProblem, problem } from "./problem";
import { clockTime } from "../services/result-view";
import { REGISTRATION_TABLE } from "./registration-table";
import {
  DEFAULT_TABLE_LIMITS,
  malformedTable,
  readTable,
  type TableFormat,
  type TableLimits,
  type TableRecord,
  type TableItem,
  type TableShape,
  type UploadedTable,
} from "./upload-table";

export const XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** An uploaded workbook: its first sheet as a table. */
export interface XlsxFile extends UploadedTable {
  format: "xlsx";
}

export interface XlsxLimits extends TableLimits {
  /** How many bytes the workbook's parts may unpack to, all together (a zip bomb stops here). */
  maxUnpackedBytes: number;
}

/** What a workbook may unpack to, for a given body limit: sheet XML packs about ten to one, so an honest workbook stays well below. */
export const unpackedLimitFor = (bodyLimit: number) => 10 * bodyLimit;

// A text cell holds exactly its text: nothing was neutralized on download, so nothing is undone.
const XLSX_FORMAT: TableFormat = {
  malformedType: "malformed-xlsx",
  malformedTitle: "Malformed workbook",
  tooLargeType: "xlsx-too-large",
  readCell: (cell) => cell,
};

const ZIP = Buffer.from("PK\x03\x04", "latin1");
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/** What a body that starts like a workbook is, or null. */
function workbookKind(head: Buffer): "xlsx" | "xls" | null {
  if (head.subarray(0, 4).equals(ZIP)) return "xlsx";
  if (head.subarray(0, 4).equals(OLE2)) return "xls";
  return null;
}

const notAWorkbook = (detail: string) => problem(415, "unsupported-media-type", "Unsupported Media Type", detail);

/** A 415 for a body that is not an .xlsx workbook, saying what it looks like instead. */
function checkIsWorkbook(body: Buffer, noun: string): void {
  const kind = workbookKind(body);
  if (kind === "xls") {
    throw notAWorkbook(
      `The body is an old .xls workbook or a password-protected one; save it as an unprotected .xlsx workbook (Excel 2007 or later) or as CSV for ${noun}.csv`,
    );
  }
  if (body.length === 0) throw notAWorkbook("The body is empty; send an .xlsx workbook");
  if (kind !== "xlsx") {
    const text = body
      .subarray(0, 64)
      .toString("utf8")
      .replace(/[^\x20-\x7e\u00a0-\uffff]/g, "?")
      .trim();
    throw notAWorkbook(
      `The body is not an .xlsx workbook (it starts with "${text.slice(0, 40)}"); send CSV to ${noun}.csv, or save the file as an .xlsx workbook`,
    );
  }
}

const tooLarge = (limit: number) => {
  const error = problem(
    413,
    XLSX_FORMAT.tooLargeType,
    "Content Too Large",
    `The workbook unpacks to more than ${limit} bytes, more than this server accepts (10 times BODY_LIMIT_BYTES)`,
  );
  error.headers.Connection = "close";
  return error;
};

/**
 * Unpacks every part of the zip with the parser ExcelJS uses, counting and dropping the bytes, before
 * ExcelJS reads any: it would cache shared strings in memory and put sheets that come early in temporary
 * files, so a small file that inflates hugely (a zip bomb) must be refused before that.
 * @returns the names of the parts
 * @throws HttpProblem 413 past `limit` unpacked bytes, 400 for a broken zip
 */
async function checkUnpackedSize(body: Buffer, limit: number): Promise<string[]> {
  const parser = unzipper.Parse({ forceStream: true });
  const source = Readable.from([body]);
  source.pipe(parser);
  const names: string[] = [];
  let unpacked = 0;
  // A truncated or corrupt zip fails on the parser, not on the part being read, and may still hand out a
  // part that never ends: either would wait forever.
  let current: Entry | undefined;
  let failure: Error | undefined;
  parser.on("error", (error: Error) => {
    failure = error;
    current?.destroy(error);
  });
  try {
    for await (const entry of parser as AsyncIterable<Entry>) {
      if (failure) throw failure;
      current = entry;
      names.push(entry.path);
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        unpacked += chunk.length;
        if (unpacked > limit) throw tooLarge(limit);
      }
    }
    if (failure) throw failure;
  } catch (error) {
    if (error instanceof HttpProblem) throw error;
    throw malformedTable(
      XLSX_FORMAT.malformedTitle,
      XLSX_FORMAT.malformedType,
      `The body is not a readable .xlsx workbook: the zip file is cut short or damaged (${(error as Error).message})`,
    );
  } finally {
    source.unpipe(parser);
    parser.destroy();
  }
  return names;
}

/**
 * Reads an uploaded workbook's first sheet into sync items by the columns of `shape` (see readTable). The body is held whole (it is
 * under BODY_LIMIT_BYTES) while its unpacked size is checked; the sheet's rows are then read as a stream.
 * @throws HttpProblem 415 for a body that is not a workbook; 400 for an unreadable one or a cell we cannot
 * take (a formula without a saved result, an error value), naming the sheet row and the cell; 413 past the limits.
 */
export async function readXlsx(
  chunks: AsyncIterable<Buffer>,
  keepRows: boolean,
  limits: XlsxLimits = { ...DEFAULT_TABLE_LIMITS, maxUnpackedBytes: unpackedLimitFor(20 * 1024 * 1024) },
  shape: TableShape = REGISTRATION_TABLE,
): Promise<{ items: TableItem[]; file: XlsxFile }> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  const body = Buffer.concat(parts);
  checkIsWorkbook(body, shape.noun);
  const names = await checkUnpackedSize(body, limits.maxUnpackedBytes);
  if (!names.includes("xl/workbook.xml")) {
    throw notAWorkbook(
      "The body is a zip file but not an .xlsx workbook (an .ods or .docx file?); save it as an .xlsx workbook or as CSV",
    );
  }
  const { items, table } = await readTable(sheetRecords(body), XLSX_FORMAT, keepRows, limits, shape);
  return { items, file: { ...table, format: "xlsx" } };
}

/** The first sheet's rows that hold anything, as text cells, each with its sheet row number as line. */
async function* sheetRecords(body: Buffer): AsyncGenerator<TableRecord> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([body]), {
    worksheets: "emit",
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  let line: number | undefined;
  try {
    for await (const sheet of reader) {
      // Sheets come in the zip's order, which need not be the order of the tabs.
      const firstTab = (reader as unknown as { model?: { sheets?: { name: string }[] } }).model?.sheets?.[0]?.name;
      if (firstTab !== undefined && (sheet as unknown as { name?: string }).name !== firstTab) continue;
      let width: number | undefined;
      for await (const row of sheet) {
        line = row.number;
        const cells = rowCells(row);
        if (cells.every((cell) => cell === "")) continue;
        if (width === undefined) {
          while (cells.length && cells[cells.length - 1] === "") cells.pop();
          width = cells.length;
        } else {
          const beyond = cells.findIndex((cell, i) => i >= width! && cell !== "");
          if (beyond !== -1) {
            throw malformedTable(
              XLSX_FORMAT.malformedTitle,
              XLSX_FORMAT.malformedType,
              `cell ${row.getCell(beyond + 1).address} has a value, but its column has no header`,
              line,
            );
          }
        }
        yield { cells: Array.from({ length: width }, (_, i) => cells[i] ?? ""), line };
      }
      return;
    }
  } catch (error) {
    if (error instanceof HttpProblem) throw error;
    throw malformedTable(
      XLSX_FORMAT.malformedTitle,
      XLSX_FORMAT.malformedType,
      `the workbook's first sheet cannot be read (${(error as Error).message})`,
      line,
    );
  }
}

/** The row's cells from column A to its last one with a value. */
function rowCells(row: ExcelJS.Row): string[] {
  const cells: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell, column) => {
    cells[column - 1] = cellText(cell, row.number);
  });
  return Array.from(cells, (cell) => cell ?? "");
}

// ExcelJS's own test for a date format, needed here for formula results, which it leaves as numbers.
const isDateFormat = (format: string | undefined) =>
  !!format && /[ymdhMsb]+/.test(format.replace(/\[[^\]]*]/g, "").replace(/"[^"]*"/g, ""));

const cellProblem = (cell: ExcelJS.Cell, line: number, why: string) =>
  malformedTable(XLSX_FORMAT.malformedTitle, XLSX_FORMAT.malformedType, `cell ${cell.address} ${why}`, line);

/** A cell as the text a CSV file would hold: numbers in plain decimals, dates in ISO, booleans as true/false. */
function cellText(cell: ExcelJS.Cell, line: number): string {
  const value = cell.value as ExcelJS.CellValue;
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return numberText(value);
  if (typeof value === "boolean") return String(value);
  if (value instanceof Date) return dateText(value, cell, line);
  if ("richText" in value) return value.richText.map((run) => run.text ?? "").join("");
  if ("formula" in value || "sharedFormula" in value) {
    const result = value.result;
    if (result === undefined) {
      throw cellProblem(
        cell,
        line,
        "holds a formula without a saved result; open the file in a spreadsheet and save it again, or paste the values",
      );
    }
    if (typeof result === "number") {
      if (Number.isNaN(result)) throw cellProblem(cell, line, "holds a formula whose result is an error");
      return isDateFormat(cell.numFmt) ? dateText(excelDate(result), cell, line) : numberText(result);
    }
    if (typeof result === "string" || typeof result === "boolean") return String(result);
    throw cellProblem(cell, line, "holds a formula whose result is an error");
  }
  if ("error" in value) throw cellProblem(cell, line, `holds the error value ${value.error}`);
  throw cellProblem(cell, line, "holds a value of a kind this API does not read; make it a text, number or date cell");
}

/** A day count of the 1900 date system as a date (ExcelJS converts plain date cells itself). */
const excelDate = (serial: number) => new Date(Math.round((serial - 25569) * 86_400_000));

/** Day 0 of the 1900 date system: a time cell (`1:02:03`, a finish time) is a fraction of a day after it. */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/**
 * A date cell in ISO form: the day alone at midnight, else date and time in UTC. A cell before 1900 holds a time or
 * a duration, not a date (no date this API reads is that old): it is written as h:mm:ss, as the sheet shows it.
 */
function dateText(date: Date, cell: ExcelJS.Cell, line: number): string {
  if (Number.isNaN(date.getTime())) throw cellProblem(cell, line, "holds a date outside what a date can be");
  if (date.getTime() < Date.UTC(1900, 0, 1)) return clockTime(Math.round(date.getTime() - EXCEL_EPOCH));
  const iso = date.toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso.replace(".000Z", "Z");
}

/** `10` not `10.0`, `1e21` written out in digits, `1e-7` as `0.0000001`: what the cell shows without a format. */
export function numberText(value: number): string {
  const text = String(value);
  const exponent = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exponent) return text;
  const [, sign, first, rest = "", power] = exponent;
  const digits = first + rest;
  const point = 1 + Number(power);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + "0".repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * Writes a workbook of one sheet to `out`: the header, then `count` rows, all as text cells in text-formatted
 * columns (so that what is typed in later stays text too). Rows are committed as they go; the writer waits
 * whenever `out` is full.
 */
export async function writeXlsx(
  out: Writable,
  header: string[],
  count: number,
  row: (i: number) => string[],
  sheetName = "Registrations",
): Promise<void> {
  // A client that went away never drains nor takes the zip's end: stop writing for it, rather than wait forever.
  const gone = new Promise<void>((resolve) => (out.destroyed ? resolve() : out.once("close", resolve)));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = header.map((name) => ({
    width: Math.min(40, Math.max(12, name.length + 2)),
    style: { numFmt: "@" },
  }));
  sheet.addRow(header).commit();
  for (let i = 0; i < count; i++) {
    sheet.addRow(row(i)).commit();
    if (i % 1000 === 999) {
      // Committed rows reach `out` only once the zip gets a turn: give it one, then wait while `out` is full.
      await new Promise((resolve) => setImmediate(resolve));
      if (out.writableNeedDrain) await Promise.race([once(out, "drain"), gone]);
      if (out.destroyed) return;
    }
  }
  sheet.commit();
  await Promise.race([workbook.commit(), gone]);
}

/** The same workbook, whole, for an answer that is also kept (idempotent requests). */
export async function xlsxBuffer(header: string[], count: number, row: (i: number) => string[]): Promise<Buffer> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on("data", (chunk: Buffer) => parts.push(chunk));
  const ended = once(out, "end");
  await writeXlsx(out, header, count, row);
  await ended;
  return Buffer.concat(parts);
}
