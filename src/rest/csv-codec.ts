// CSV bodies and answers: the seed's columns, any order, `,` or `;`, BOM, CRLF, quotes.
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import type { RegistrationView } from "../services/registration-view";
import type { SyncItemInput } from "../services/registration-sync";
import { problem } from "./problem";

/** The download's default columns: exactly the seed's. */
export const DEFAULT_COLUMNS = [
  "registration.id", "registration.state", "registration.startNumber", "person.id", "person.givenName",
  "person.middleName", "person.surname", "person.sex", "person.birthDate",
];

type Item = SyncItemInput & { person?: Record<string, unknown>; amount?: Record<string, unknown> };

interface ColumnDef {
  get(r: RegistrationView): string;
  /** How an uploaded cell becomes part of a sync item; read-only columns have none. */
  set?(item: Item, cell: string): void;
  /** The sync item's field name, for error messages. */
  field?: string;
}

const person = (item: Item) => (item.person ??= {});
const amount = (item: Item) => (item.amount ??= {});
const text = (value: string | null) => value ?? "";

export const COLUMNS: Record<string, ColumnDef> = {
  "registration.id": { get: (r) => r.id, set: (i, c) => (i.id = c), field: "id" },
  "registration.code": { get: (r) => r.code },
  "registration.created": { get: (r) => r.created.toISOString() },
  "registration.state": { get: (r) => r.state, set: (i, c) => (i.state = c), field: "state" },
  "registration.startNumber": { get: (r) => text(r.startNumber), set: (i, c) => (i.startNumber = c), field: "startNumber" },
  "registration.externalId": { get: (r) => text(r.externalId), set: (i, c) => (i.externalId = c), field: "externalId" },
  "registration.source": { get: (r) => r.source },
  "registration.amount.value": { get: (r) => String(r.amount.value), set: (i, c) => c !== "" && (amount(i).value = c), field: "amount.value" },
  "registration.amount.currency": { get: (r) => r.amount.currency, set: (i, c) => c !== "" && (amount(i).currency = c), field: "amount.currency" },
  "person.id": { get: (r) => r.person.id, set: (i, c) => (person(i).id = c), field: "person.id" },
  "person.givenName": { get: (r) => r.person.givenName, set: (i, c) => (person(i).givenName = c), field: "person.givenName" },
  "person.middleName": { get: (r) => text(r.person.middleName), set: (i, c) => (person(i).middleName = c), field: "person.middleName" },
  "person.surname": { get: (r) => r.person.surname, set: (i, c) => (person(i).surname = c), field: "person.surname" },
  "person.sex": { get: (r) => r.person.sex, set: (i, c) => (person(i).sex = c), field: "person.sex" },
  "person.birthDate": { get: (r) => r.person.birthDate, set: (i, c) => (person(i).birthDate = c), field: "person.birthDate" },
  "person.language": { get: (r) => text(r.person.language), set: (i, c) => (person(i).language = c), field: "person.language" },
  "person.nickname": { get: (r) => text(r.person.nickname), set: (i, c) => (person(i).nickname = c), field: "person.nickname" },
  "person.country": { get: (r) => text(r.person.country), set: (i, c) => (person(i).country = c), field: "person.country" },
  "person.isProfilePublic": { get: (r) => String(r.person.isProfilePublic), set: (i, c) => (person(i).isProfilePublic = c), field: "person.isProfilePublic" },
  "person.name": { get: (r) => r.person.name },
  "person.ref": { get: (r) => r.person.ref },
};

const FIELD_TO_COLUMN = new Map(Object.entries(COLUMNS).flatMap(([column, def]) => (def.field ? [[def.field, column] as const] : [])));

/** The CSV column that carries a sync item's field (`startNumber` → `registration.startNumber`). */
export function columnOfField(field: string | null): string | null {
  return field === null ? null : FIELD_TO_COLUMN.get(field) ?? field;
}

export interface CsvDialect {
  delimiter: "," | ";";
  recordDelimiter: "\n" | "\r\n";
  bom: boolean;
}

export const PLAIN_DIALECT: CsvDialect = { delimiter: ",", recordDelimiter: "\n", bom: false };
/** What Czech Excel opens without a wizard. */
export const EXCEL_DIALECT: CsvDialect = { delimiter: ";", recordDelimiter: "\r\n", bom: true };

export interface ParsedCsv {
  header: string[];
  rows: { line: number; cells: string[] }[];
  dialect: CsvDialect;
}

// A leading quote that neutralized a formula on download is taken off again on upload.
const NEUTRALIZED = /^'[=+\-@\t\r]/;
const FORMULA = /^[=+\-@\t\r]/;

/** @throws HttpProblem 400 for an unreadable file, naming the line. */
export function parseCsv(body: Buffer): ParsedCsv {
  let source = body.toString("utf8");
  const bom = source.startsWith("\uFEFF");
  if (bom) source = source.slice(1);
  const firstLine = source.slice(0, source.search(/\r?\n|$/));
  if (!firstLine.trim()) throw problem(400, "malformed-csv", "Malformed CSV", "The file is empty: it needs a header line");
  const delimiter = (firstLine.split(";").length > firstLine.split(",").length ? ";" : ",") as CsvDialect["delimiter"];
  const recordDelimiter = /\r\n/.test(source.slice(0, firstLine.length + 2)) ? "\r\n" : "\n";
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(source, { delimiter, info: true, skip_empty_lines: true, relax_column_count: false }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw problem(400, "malformed-csv", "Malformed CSV", `${line ? `Line ${line}: ` : ""}${(error as Error).message}`, line ? { line } : {});
  }
  const header = records.shift()!.record.map((name) => name.trim());
  const seen = new Set<string>();
  for (const name of header) {
    if (name && seen.has(name)) throw problem(400, "malformed-csv", "Malformed CSV", `Line 1: column ${name} appears twice`, { line: 1 });
    seen.add(name);
  }
  return {
    header,
    // csv-parse counts to a record's last line; a quoted cell may span lines, so step back to its first.
    rows: records.map(({ record, info }) => ({ line: info.lines - record.join("").split("\n").length + 1, cells: record.map((cell) => (NEUTRALIZED.test(cell) ? cell.slice(1) : cell)) })),
    dialect: { delimiter, recordDelimiter, bom },
  };
}

/** Sync items from the known columns; unknown columns are ignored. */
export function csvItems(csv: ParsedCsv): SyncItemInput[] {
  return csv.rows.map(({ cells }) => {
    const item: Item = {};
    csv.header.forEach((column, i) => COLUMNS[column]?.set?.(item, cells[i]));
    return item;
  });
}

function safeCell(value: string): string {
  return FORMULA.test(value) ? `'${value}` : value;
}

/** Renders rows of cells; every cell a spreadsheet would run as a formula is neutralized. */
export function stringifyCsv(header: string[], rows: string[][], dialect: CsvDialect): string {
  const csv = stringify([header, ...rows.map((row) => row.map(safeCell))], {
    delimiter: dialect.delimiter,
    record_delimiter: dialect.recordDelimiter === "\r\n" ? "windows" : "unix",
  });
  return (dialect.bom ? "\uFEFF" : "") + csv;
}

/** The cells of a registration for the given columns; `fallback` answers columns we do not know. */
export function registrationCells(r: RegistrationView | null, columns: string[], fallback: (i: number) => string = () => ""): string[] {
  return columns.map((column, i) => {
    const def = COLUMNS[column];
    return def && r ? def.get(r) : fallback(i);
  });
}
