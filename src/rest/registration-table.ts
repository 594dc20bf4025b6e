// Registrations as a table: the columns of the CSV (and spreadsheet) formats, how an uploaded table's
// cells become sync items, and the rows of the answer (REGISTRATION_TABLE). Reading a table's rows is
// upload-table.ts's, the same for every sync; the file format is its codec's.
import type { RegistrationColumnName } from "../services/registration-fields";
import type { RegistrationView } from "../services/registration-view";
import { registrationColumns } from "./registration-columns";
import type { SyncItemResult, SyncWarning } from "../services/registration-sync";
import type { CellSetter, TableItem, TableShape } from "./upload-table";

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

type Item = TableItem & { person?: Record<string, unknown>; amount?: Record<string, unknown> };

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

/** The registration sync's tables. */
export const REGISTRATION_TABLE: TableShape<SyncItemResult> = {
  noun: "registrations",
  setter: (column) => COLUMNS[column]?.set as CellSetter | undefined,
  knows: (column) => column in COLUMNS,
  cells: (result, columns, fallback) => registrationCells(result.registration, columns, fallback),
  columnOfField,
  warnings: (result) => warningsCell(result.warnings),
};
