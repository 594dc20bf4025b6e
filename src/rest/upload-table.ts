// Uploaded tables (CSV, workbooks) of any sync: reading their rows into items by a table's columns, and
// the answer that echoes them. The columns themselves are a TableShape (registration-table.ts,
// result-table.ts); the file format is its codec's business (csv-codec.ts, xlsx-codec.ts).
import { DEFAULT_MAX_SYNC_ITEMS } from "../config";
import type { ItemOutcome } from "../services/sync/sync-outcome";
import { HttpProblem, problem } from "./problem";

/** An item read from a table's row: the JSON shape of a sync item, its values as text. */
export type TableItem = Record<string, unknown>;

/** Puts a cell into an item. */
export type CellSetter = (item: TableItem, cell: string) => void;

/** The columns of one sync's tables: how an upload's cells become an item, and a result's row of the answer. */
export interface TableShape<R extends ItemOutcome = ItemOutcome> {
  /** What the table's rows are, as routes and messages name them: `registrations` (registrations.csv), `results`. */
  noun: "registrations" | "results";
  /** How an uploaded column's cell goes into an item; undefined for a column the upload does not read. */
  setter(column: string): CellSetter | undefined;
  /** Whether the column is one of the table's own (read, or written on download and ignored on upload). */
  knows(column: string): boolean;
  /** A result's cells for `columns`; `fallback` answers the columns it does not know (they echo the upload). */
  cells(result: R, columns: string[], fallback: (i: number) => string): string[];
  /** The column that carries an item's field, as error messages name it. */
  columnOfField(field: string | null): string | null;
  /** A result's warnings as one cell; "" for none. Without it, an answer has no warnings column. */
  warnings?(result: R): string;
}

/** The columns an answer adds to the uploaded ones; uploaded again (an earlier answer), they are not echoed. */
const ANSWER_COLUMNS = ["sync.resultType", "sync.errors", "sync.warnings"];

/** One row of an uploaded table: its cells as text and the line (CSV) or sheet row it starts on; the header is line 1. */
export interface TableRecord {
  cells: string[];
  line: number;
}

/** What an answer needs of an uploaded table, besides its items. */
export interface UploadedTable {
  header: string[];
  /** The line each item starts on (the header is line 1). */
  lines: number[];
  /** Each row's cells as uploaded, JSON-encoded to stay compact; kept only when an answer may echo them. */
  rows: string[] | null;
}

/** How big an upload may be, counted while it is read. */
export interface TableLimits {
  /** Data rows, the header not counted. */
  maxRows: number;
  maxColumns: number;
}

export const DEFAULT_TABLE_LIMITS: TableLimits = { maxRows: DEFAULT_MAX_SYNC_ITEMS, maxColumns: 200 };

/** A file we cannot read; 400 naming the line. */
export const malformedTable = (title: string, type: string, detail: string, line?: number) =>
  problem(400, type, title, `${line ? `Line ${line}: ` : ""}${detail}`, line ? { line } : {});

// Like the body limit: the rest of the upload is not read, so the connection is closed after the answer.
const tooLarge = (type: string, detail: string, line: number) => {
  const error = problem(413, type, "Content Too Large", `Line ${line}: ${detail}`, { line });
  error.headers.Connection = "close";
  return error;
};

/** 413 for a header of more than `max` columns: `count` of them, or more than `max` when it was not read to its end. */
export const tooManyColumns = (format: TableFormat, max: number, line: number, count?: number) =>
  tooLarge(
    format.tooLargeType,
    `the header has ${count ?? `more than ${max}`} columns; at most ${max} are accepted`,
    line,
  );

/** How a format names its problems (`/problems/malformed-csv`, …) and reads a cell it wrote. */
export interface TableFormat {
  malformedType: string;
  malformedTitle: string;
  tooLargeType: string;
  /** Undoes what the format's download did to a cell (for example a formula's neutralizing quote). */
  readCell(cell: string): string;
}

/**
 * Turns a table's rows into sync items as they arrive, by the columns of `shape`. The rows themselves are kept (compactly) only
 * with `keepRows` or when the table has columns we do not know, for the answer to echo.
 * @throws HttpProblem 413 as soon as there are more rows or columns than `limits`; 400 for a repeated column.
 */
export async function readTable(
  records: AsyncIterable<TableRecord>,
  format: TableFormat,
  keepRows: boolean,
  limits: TableLimits,
  shape: TableShape,
): Promise<{ items: TableItem[]; table: UploadedTable }> {
  const items: TableItem[] = [];
  const table: UploadedTable = { header: [], lines: [], rows: null };
  let setters: (CellSetter | undefined)[] | null = null;
  for await (const { cells, line } of records) {
    if (!setters) {
      if (cells.length > limits.maxColumns) throw tooManyColumns(format, limits.maxColumns, line, cells.length);
      table.header = cells.map((name) => format.readCell(name.trim()));
      const seen = new Set<string>();
      for (const name of table.header) {
        if (name && seen.has(name))
          throw malformedTable(format.malformedTitle, format.malformedType, `column ${name} appears twice`, line);
        seen.add(name);
      }
      setters = table.header.map((column) => shape.setter(column));
      if (keepRows || table.header.some((column) => !shape.knows(column) && !ANSWER_COLUMNS.includes(column)))
        table.rows = [];
      continue;
    }
    if (items.length === limits.maxRows) {
      throw tooLarge(
        format.tooLargeType,
        `the file has more than ${limits.maxRows} rows; at most ${limits.maxRows} are accepted in one upload`,
        line,
      );
    }
    const item: TableItem = {};
    for (let i = 0; i < cells.length; i++) {
      cells[i] = format.readCell(cells[i]);
      setters[i]?.(item, cells[i]);
    }
    items.push(item);
    table.lines.push(line);
    table.rows?.push(JSON.stringify(cells));
  }
  if (!setters)
    throw malformedTable(format.malformedTitle, format.malformedType, "The file is empty: it needs a header line");
  return { items, table };
}

/** Rethrows our own problems; anything else a reader threw becomes a 400 naming `line`. */
export function asTableProblem(error: unknown, format: TableFormat, line?: number): HttpProblem {
  if (error instanceof HttpProblem) return error;
  return malformedTable(format.malformedTitle, format.malformedType, (error as Error).message, line);
}

/** An uploaded row's cells, when the table's rows were kept. */
const uploadedCells = (table: UploadedTable, index: number): string[] =>
  table.rows ? JSON.parse(table.rows[index]) : [];

/** What an answer to an uploaded table is made of: its header, and the row of each result. */
export interface TableAnswer<R extends ItemOutcome> {
  header: string[];
  row(result: R): string[];
}

/**
 * The answer's header is the uploaded one; partial mode adds each row's result and errors, and a
 * `sync.warnings` column follows when some row has a warning. Each row is the uploaded row as stored
 * (columns we do not know echo the upload; uploaded sync columns are left out). Rows a results sync deleted
 * (`prune`) follow the uploaded ones; then each row's result is written even outside partial mode, so that
 * they read as Deleted rather than as rows of the upload.
 */
export function tableAnswer<R extends ItemOutcome>(
  table: UploadedTable,
  results: readonly R[],
  partial: boolean,
  shape: TableShape<R>,
): TableAnswer<R> {
  const warnings = shape.warnings;
  const warned = warnings !== undefined && results.some((result) => warnings(result) !== "");
  // An earlier answer uploaded again: its sync columns are this answer's to write, not to echo.
  const echoed = table.header.flatMap((column, i) => (ANSWER_COLUMNS.includes(column) ? [] : [i]));
  const columns = echoed.map((i) => table.header[i]);
  const typed = partial || results.some((result) => result.syncResultType === "Deleted");
  const header = [
    ...columns,
    ...(typed ? ["sync.resultType"] : []),
    ...(partial ? ["sync.errors"] : []),
    ...(warned ? ["sync.warnings"] : []),
  ];
  const row = (result: R) => {
    let uploaded: string[] | undefined;
    const { index } = result;
    const cells = shape.cells(result, columns, (i) =>
      index === null ? "" : ((uploaded ??= uploadedCells(table, index))[echoed[i]] ?? ""),
    );
    if (typed) cells.push(result.syncResultType);
    if (partial)
      cells.push(result.errors.map((e) => `${shape.columnOfField(e.field) ?? "row"}: ${e.message}`).join("; "));
    if (warned) cells.push(warnings(result));
    return cells;
  };
  return { header, row };
}
