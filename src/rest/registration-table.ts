// Registrations as a table: the columns of the CSV (and spreadsheet) formats, how an uploaded table's
// rows become sync items, and the rows of the answer. The file format itself (CSV text, a workbook)
// is its codec's business; this module sees only header and rows of text cells with their lines.
import { DEFAULT_MAX_SYNC_ITEMS } from "../config";
import type { RegistrationColumnName } from "../services/registration-fields";
import type { RegistrationView } from "../services/registration-view";
import { registrationColumns } from "./registration-columns";
import type { SyncItemInput, SyncItemResult, SyncWarning } from "../services/registration-sync";
import { HttpProblem, problem } from "./problem";

/** The download's default columns: exactly the seed's. */
export const DEFAULT_COLUMNS: string[] = [
  "registration.id",
  "registration.state",
  "registration.startNumber",
  "person.id",
  "person.givenName",
  "person.middleName",
  "person.surname",
  "person.sex",
  "person.birthDate",
] satisfies RegistrationColumnName[];

type Item = SyncItemInput & { person?: Record<string, unknown>; amount?: Record<string, unknown> };

/** How an uploaded cell becomes part of a sync item, for the columns an upload reads. */
interface ColumnInput {
  set(item: Item, cell: string): void;
  /** The sync item's field name, for error messages. */
  field: string;
}

interface ColumnDef extends Partial<ColumnInput> {
  get(r: RegistrationView): string;
  /** What the column holds, for the API's documentation. */
  note: string;
}

const person = (item: Item) => (item.person ??= {});
const amount = (item: Item) => (item.amount ??= {});

// A Czech spreadsheet writes dates as 27.11.1975 or 27. 11. 1975.
const CZECH_DATE = /^\s*(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\s*$/;

/**
 * A birth date as the sync reads it: Czech forms become ISO, `1990-02-31` for `31.2.1990`, so that an
 * impossible date fails there like an impossible ISO one. Anything else goes on as it is, for the sync to judge.
 */
export function isoDate(cell: string): string {
  const match = CZECH_DATE.exec(cell);
  if (!match) return cell;
  const [, day, month, year] = match;
  return `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
}

/** The columns an upload reads; the others (code, created, …) are written on download and ignored on upload. */
export const COLUMN_INPUTS: Partial<Record<RegistrationColumnName, ColumnInput>> = {
  "registration.id": { set: (i, c) => (i.id = c), field: "id" },
  "registration.state": { set: (i, c) => (i.state = c), field: "state" },
  "registration.startNumber": { set: (i, c) => (i.startNumber = c), field: "startNumber" },
  "registration.externalId": { set: (i, c) => (i.externalId = c), field: "externalId" },
  "registration.amount.value": { set: (i, c) => c !== "" && (amount(i).value = c), field: "amount.value" },
  "registration.amount.currency": { set: (i, c) => c !== "" && (amount(i).currency = c), field: "amount.currency" },
  "person.id": { set: (i, c) => (person(i).id = c), field: "person.id" },
  "person.givenName": { set: (i, c) => (person(i).givenName = c), field: "person.givenName" },
  "person.middleName": { set: (i, c) => (person(i).middleName = c), field: "person.middleName" },
  "person.surname": { set: (i, c) => (person(i).surname = c), field: "person.surname" },
  "person.sex": { set: (i, c) => (person(i).sex = c), field: "person.sex" },
  "person.birthDate": { set: (i, c) => (person(i).birthDate = isoDate(c)), field: "person.birthDate" },
  "person.language": { set: (i, c) => (person(i).language = c), field: "person.language" },
  "person.nickname": { set: (i, c) => (person(i).nickname = c), field: "person.nickname" },
  "person.country": { set: (i, c) => (person(i).country = c), field: "person.country" },
  "person.isProfilePublic": { set: (i, c) => (person(i).isProfilePublic = c), field: "person.isProfilePublic" },
};

/**
 * Every column, in the order of the field definition (services/registration-fields.ts), with how it is written
 * (see registrationColumns) and, for the columns an upload reads, how it is read. Without a prototype, a column
 * named "constructor" or "toString" is unknown rather than one of Object's methods.
 */
export const COLUMNS: Record<string, ColumnDef> = Object.assign(
  Object.create(null) as Record<string, ColumnDef>,
  Object.fromEntries(
    registrationColumns().map(({ column, get, note }) => [column, { get, note, ...COLUMN_INPUTS[column] }]),
  ),
);

const FIELD_TO_COLUMN = new Map(
  Object.entries(COLUMNS).flatMap(([column, def]) => (def.field ? [[def.field, column] as const] : [])),
);

/** The column that carries a sync item's field (`startNumber` → `registration.startNumber`). */
export function columnOfField(field: string | null): string | null {
  return field === null ? null : (FIELD_TO_COLUMN.get(field) ?? field);
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
 * Turns a table's rows into sync items as they arrive. The rows themselves are kept (compactly) only
 * with `keepRows` or when the table has columns we do not know, for the answer to echo.
 * @throws HttpProblem 413 as soon as there are more rows or columns than `limits`; 400 for a repeated column.
 */
export async function readTable(
  records: AsyncIterable<TableRecord>,
  format: TableFormat,
  keepRows: boolean,
  limits: TableLimits,
): Promise<{ items: SyncItemInput[]; table: UploadedTable }> {
  const items: SyncItemInput[] = [];
  const table: UploadedTable = { header: [], lines: [], rows: null };
  let setters: (ColumnDef["set"] | undefined)[] | null = null;
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
      setters = table.header.map((column) => COLUMNS[column]?.set);
      if (keepRows || table.header.some((column) => !COLUMNS[column] && !ANSWER_COLUMNS.includes(column)))
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
    const item: Item = {};
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

/** The cells of a registration for the given columns; `fallback` answers columns we do not know. */
export function registrationCells(
  r: RegistrationView | null,
  columns: string[],
  fallback: (i: number) => string = () => "",
): string[] {
  return columns.map((column, i) => {
    const def = COLUMNS[column];
    return def && r ? def.get(r) : fallback(i);
  });
}

/** A row's warnings as one cell: `PossibleDuplicatePerson: … (person.id 65a…, 65b…)`, several joined by `; `. */
function warningsCell(warnings: SyncWarning[]): string {
  return warnings
    .map((w) => `${w.code}: ${w.message}${w.personIds.length ? ` (person.id ${w.personIds.join(", ")})` : ""}`)
    .join("; ");
}

/** What an answer to an uploaded table is made of: its header, and the row of each result. */
export interface TableAnswer {
  header: string[];
  row(result: SyncItemResult): string[];
}

/**
 * The answer's header is the uploaded one; partial mode adds each row's result and errors, and a
 * `sync.warnings` column follows when some row has a warning. Each row is the uploaded row as stored
 * (columns we do not know echo the upload; uploaded sync columns are left out).
 */
export function tableAnswer(table: UploadedTable, results: SyncItemResult[], partial: boolean): TableAnswer {
  const warned = results.some((result) => result.warnings.length > 0);
  // An earlier answer uploaded again: its sync columns are this answer's to write, not to echo.
  const echoed = table.header.flatMap((column, i) => (ANSWER_COLUMNS.includes(column) ? [] : [i]));
  const columns = echoed.map((i) => table.header[i]);
  const header = [
    ...columns,
    ...(partial ? ["sync.resultType", "sync.errors"] : []),
    ...(warned ? ["sync.warnings"] : []),
  ];
  const row = (result: SyncItemResult) => {
    let uploaded: string[] | undefined;
    const cells = registrationCells(
      result.registration,
      columns,
      (i) => (uploaded ??= uploadedCells(table, result.index))[echoed[i]] ?? "",
    );
    if (partial) {
      cells.push(
        result.syncResultType,
        result.errors.map((e) => `${columnOfField(e.field) ?? "row"}: ${e.message}`).join("; "),
      );
    }
    if (warned) cells.push(warningsCell(result.warnings));
    return cells;
  };
  return { header, row };
}
