// Results as a table (CSV, workbooks): the columns, how an upload's cells become result items, and the rows
// of answers and downloads. Person columns are read as the registration table reads them; `time` takes
// milliseconds or h:mm:ss; one `split.<km>` column per split, its cells the instants passed.
import type { ResultSyncItem } from "../services/result-sync";
import { clockTime, type ResultView } from "../services/result-view";
import type { RegistrationView } from "../services/registration-view";
import { COLUMNS, COLUMN_INPUTS } from "./registration-table";
import type { CellSetter, TableItem, TableShape } from "./upload-table";

interface ResultColumn {
  get(r: ResultView): string;
  /** How an upload reads the column; none for a column written on download only. */
  set?: CellSetter;
  /** The result item's field the column carries, as errors name it. */
  field?: string;
  note: string;
}

const text = (value: string | number | null) => (value === null ? "" : String(value));
const field =
  (name: string): CellSetter =>
  (item, cell) => {
    item[name] = cell;
  };

/** The person columns of a result, read and written as the registration table does, and what they mean here. */
const PERSON_COLUMNS = {
  "person.id":
    "The runner, a person known to this organizer; empty: the start number, or name, sex and birth date, find the runner.",
  "person.givenName": "Given name; with surname, sex and birth date it finds (or creates) a runner without person.id.",
  "person.middleName": "Middle name of a runner created by the upload.",
  "person.surname": "Surname; with the start number, checked against that registration's runner.",
  "person.sex": "Male or Female; needed for a runner the upload creates.",
  "person.birthDate": "1975-11-27 (or 27.11.1975); with the start number, checked against that registration's runner.",
  "person.country": "ISO 3166 alpha-2 code of a runner created by the upload.",
} as const;

/** Every result column but the splits, in download order. */
export const RESULT_COLUMNS: Record<string, ResultColumn> = Object.assign(Object.create(null), {
  "result.id": { get: (r: ResultView) => r.id, note: "The result's id; ignored on upload." },
  "result.status": {
    get: (r: ResultView) => r.status,
    set: field("status"),
    field: "status",
    note: "Finished (default when empty), DidNotFinish, DidNotStart or Disqualified.",
  },
  "result.category": {
    get: (r: ResultView) => text(r.category),
    set: field("category"),
    field: "category",
    note: "Category, such as M40.",
  },
  "result.position": {
    get: (r: ResultView) => text(r.position),
    set: field("position"),
    field: "position",
    note: "Overall position; finishers only.",
  },
  "result.positionByCategory": {
    get: (r: ResultView) => text(r.positionByCategory),
    set: field("positionByCategory"),
    field: "positionByCategory",
    note: "Position in the category.",
  },
  "result.positionBySex": {
    get: (r: ResultView) => text(r.positionBySex),
    set: field("positionBySex"),
    field: "positionBySex",
    note: "Position among runners of the same sex.",
  },
  "result.time": {
    get: (r: ResultView) => text(r.time),
    set: field("time"),
    field: "time",
    note: "Finish time: milliseconds (600000) or h:mm:ss(.fff) on upload; milliseconds on download.",
  },
  "result.clockTime": {
    get: (r: ResultView) => (r.time === null ? "" : clockTime(r.time)),
    note: "Finish time as h:mm:ss; ignored on upload (result.time takes this form too).",
  },
  "result.startNumber": {
    get: (r: ResultView) => text(r.startNumber),
    set: field("startNumber"),
    field: "startNumber",
    note: "Start number; without person.id it finds the runner's registration.",
  },
  ...Object.fromEntries(
    (Object.entries(PERSON_COLUMNS) as [keyof typeof PERSON_COLUMNS, string][]).map(([column, note]) => [
      column,
      {
        // A person column reads nothing of a registration but its person.
        get: (r: ResultView) => COLUMNS[column].get({ person: r.person } as RegistrationView),
        set: COLUMN_INPUTS[column]?.set as CellSetter,
        field: COLUMN_INPUTS[column]?.field,
        note,
      },
    ]),
  ),
});

const SPLIT = /^split\.(.+)$/;

/** A `split.<km>` cell into the item's splits, kept in order of distance whatever the columns' order. */
function splitSetter(km: string): CellSetter {
  return (item: TableItem, cell) => {
    if (cell.trim() === "") return;
    const splits = ((item.splitTimes as { distance: string; time: string }[] | undefined) ??= []);
    const at = splits.findIndex((split) => Number(split.distance.replace(",", ".")) > Number(km.replace(",", ".")));
    splits.splice(at === -1 ? splits.length : at, 0, { distance: km, time: cell });
  };
}

/** The cell of a column for a result: a split's instant, or the column's value. */
function resultCell(r: ResultView, column: string): string | undefined {
  const split = SPLIT.exec(column);
  if (split) return r.splitTimes.find((s) => s.distance === Number(split[1].replace(",", ".")))?.time ?? "";
  return RESULT_COLUMNS[column]?.get(r);
}

/** A download's columns: every result column, then a `split.<km>` per distance any of `results` has. */
export function resultColumns(results: readonly ResultView[]): string[] {
  const distances = [...new Set(results.flatMap((r) => r.splitTimes.map((s) => s.distance)))].sort((a, b) => a - b);
  return [...Object.keys(RESULT_COLUMNS), ...distances.map((km) => `split.${km}`)];
}

/** A result's cells for `columns`; `fallback` answers the columns we do not know. */
export function resultCells(
  r: ResultView | null,
  columns: string[],
  fallback: (i: number) => string = () => "",
): string[] {
  return columns.map((column, i) => (r ? (resultCell(r, column) ?? fallback(i)) : fallback(i)));
}

const FIELD_TO_COLUMN = new Map(
  Object.entries(RESULT_COLUMNS).flatMap(([column, def]) => (def.field ? [[def.field, column] as const] : [])),
);

/** The results sync's tables. */
export const RESULT_TABLE: TableShape<ResultSyncItem> = {
  noun: "results",
  setter: (column) => {
    const split = SPLIT.exec(column);
    return split ? splitSetter(split[1]) : RESULT_COLUMNS[column]?.set;
  },
  knows: (column) => SPLIT.test(column) || column in RESULT_COLUMNS,
  cells: (item, columns, fallback) => resultCells(item.result, columns, fallback),
  columnOfField: (name) =>
    name === null ? null : name === "splitTimes" ? "split.*" : (FIELD_TO_COLUMN.get(name) ?? name),
};
