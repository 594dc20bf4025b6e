// CSV bodies and answers: the seed's columns, any order, `,` or `;`, BOM, CRLF, quotes.
import { Readable, pipeline } from "node:stream";
import { parse } from "csv-parse";
import { stringify } from "csv-stringify/sync";
import type { RegistrationView } from "../services/registration-view";
import type { SyncItemInput } from "../services/registration-sync";
import { HttpProblem, problem } from "./problem";

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

// Without a prototype, a column named "constructor" or "toString" is unknown rather than one of Object's methods.
export const COLUMNS: Record<string, ColumnDef> = Object.assign(Object.create(null) as Record<string, ColumnDef>, {
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
} satisfies Record<string, ColumnDef>);

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

/** What an answer needs of an uploaded file, besides its items. */
export interface CsvFile {
  header: string[];
  /** The line each item starts on (the header is line 1). */
  lines: number[];
  /** Each row's cells as uploaded, JSON-encoded to stay compact; kept only when an answer may echo them. */
  rows: string[] | null;
  dialect: CsvDialect;
}

// A leading quote that neutralized a formula on download is taken off again on upload.
const NEUTRALIZED = /^'[=+\-@\t\r]/;
const FORMULA = /^[=+\-@\t\r]/;

const malformed = (detail: string, line?: number) =>
  problem(400, "malformed-csv", "Malformed CSV", `${line ? `Line ${line}: ` : ""}${detail}`, line ? { line } : {});

/** How big a CSV upload may be, counted while it is read. */
export interface CsvLimits {
  /** Data rows, the header not counted. */
  maxRows: number;
  maxColumns: number;
}

export const DEFAULT_CSV_LIMITS: CsvLimits = { maxRows: 200_000, maxColumns: 200 };

// Like the body limit: the rest of the upload is not read, so the connection is closed after the answer.
const tooLarge = (detail: string, line: number) => {
  const error = problem(413, "csv-too-large", "Content Too Large", `Line ${line}: ${detail}`, { line });
  error.headers.Connection = "close";
  return error;
};

/** The dialect, from the first line: `;` when it splits the header into more columns than `,`. */
function detectDialect(head: string): CsvDialect {
  const bom = head.startsWith("\uFEFF");
  const source = bom ? head.slice(1) : head;
  const firstLine = source.slice(0, source.search(/\r?\n|$/));
  if (!firstLine.trim()) throw malformed("The file is empty: it needs a header line");
  const delimiter = firstLine.split(";").length > firstLine.split(",").length ? ";" : ",";
  return { delimiter, recordDelimiter: source[firstLine.length] === "\r" ? "\r\n" : "\n", bom };
}

/**
 * Reads an upload as it arrives: records become sync items one by one. The rows themselves are kept
 * (compactly) only with `keepRows` or when the file has columns we do not know, for the answer to echo.
 * @throws HttpProblem 400 for an unreadable file, 413 as soon as it has more rows or columns than `limits`; both name the line.
 */
export async function readCsv(
  chunks: AsyncIterable<Buffer>,
  keepRows: boolean,
  limits: CsvLimits = DEFAULT_CSV_LIMITS,
): Promise<{ items: SyncItemInput[]; file: CsvFile }> {
  const iterator = chunks[Symbol.asyncIterator]();
  try {
    return await readRecords(iterator, keepRows, limits);
  } finally {
    // Reading may stop early; the body's reader must hear of it to deal with the unread rest.
    void iterator.return?.(undefined)?.catch(() => undefined);
  }
}

async function readRecords(iterator: AsyncIterator<Buffer>, keepRows: boolean, limits: CsvLimits): Promise<{ items: SyncItemInput[]; file: CsvFile }> {
  // The dialect needs the whole first line.
  const head: Buffer[] = [];
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
    if (next.value.includes(0x0a)) break;
  }
  const dialect = detectDialect(Buffer.concat(head).toString("utf8"));
  const source = Readable.from((async function* () {
    yield* head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  })());
  const parser = parse({ delimiter: dialect.delimiter, bom: true, info: true, skip_empty_lines: true, relax_column_count: false });
  pipeline(source, parser, () => undefined);

  const items: SyncItemInput[] = [];
  const file: CsvFile = { header: [], lines: [], rows: null, dialect };
  let setters: (ColumnDef["set"] | undefined)[] = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!setters.length) {
        if (record.length > limits.maxColumns) {
          throw tooLarge(`the header has ${record.length} columns; at most ${limits.maxColumns} are accepted`, info.lines);
        }
        file.header = record.map((name) => name.trim());
        const seen = new Set<string>();
        for (const name of file.header) {
          if (name && seen.has(name)) throw malformed(`column ${name} appears twice`, 1);
          seen.add(name);
        }
        setters = file.header.map((column) => COLUMNS[column]?.set);
        if (keepRows || file.header.some((column) => !COLUMNS[column])) file.rows = [];
        continue;
      }
      const item: Item = {};
      let newlines = 0;
      for (let i = 0; i < record.length; i++) {
        const cell = NEUTRALIZED.test(record[i]) ? record[i].slice(1) : record[i];
        record[i] = cell;
        setters[i]?.(item, cell);
        for (let at = cell.indexOf("\n"); at !== -1; at = cell.indexOf("\n", at + 1)) newlines++;
      }
      // csv-parse counts to a record's last line; a quoted cell may span lines, so step back to its first.
      const line = info.lines - newlines;
      if (items.length === limits.maxRows) {
        throw tooLarge(`the file has more than ${limits.maxRows} rows; at most ${limits.maxRows} are accepted in one upload`, line);
      }
      items.push(item);
      file.lines.push(line);
      file.rows?.push(JSON.stringify(record));
    }
  } catch (error) {
    if (error instanceof HttpProblem) throw error;
    throw malformed((error as Error).message, (error as { lines?: number }).lines);
  }
  return { items, file };
}

/** An uploaded row's cells, when the file's rows were kept. */
export const uploadedCells = (file: CsvFile, index: number): string[] => (file.rows ? JSON.parse(file.rows[index]) : []);

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

/** The cells of a registration for the given columns; `fallback` answers columns we do not know. */
export function registrationCells(r: RegistrationView | null, columns: string[], fallback: (i: number) => string = () => ""): string[] {
  return columns.map((column, i) => {
    const def = COLUMNS[column];
    return def && r ? def.get(r) : fallback(i);
  });
}
