// The result as clients see it (SPEC §9): the platform's fields, its status, and the full person, read with one SELECT.
import type { ResultStatus, SplitTime } from "../entities/result";
import { PERSON_COLUMNS, personFromRow, type PersonRow, type PersonView } from "./registration-view";

export type { ResultStatus, SplitTime } from "../entities/result";

export interface ResultView {
  id: string;
  activityId: string;
  /** The person's registration in the activity, when there is one. */
  registrationId: string | null;
  person: PersonView;
  status: ResultStatus;
  category: string | null;
  position: number | null;
  positionByCategory: number | null;
  positionBySex: number | null;
  /** Finish time in milliseconds. */
  time: number | null;
  /** In increasing distance; each instant in UTC, ISO 8601 with milliseconds. */
  splitTimes: readonly SplitTime[];
  startNumber: string | null;
  created: Date;
  modified: Date;
}

/** The fields a result sync sets, in the platform's order: what makes two results the same (see sameResultFields). */
export const RESULT_FIELDS = [
  "status",
  "category",
  "position",
  "positionByCategory",
  "positionBySex",
  "time",
  "splitTimes",
  "startNumber",
] as const satisfies readonly (keyof ResultView)[];

export type ResultFields = Pick<ResultView, (typeof RESULT_FIELDS)[number]>;

/** Columns for `resultFromRow`; the query joins `result s` and `person p`. */
export const RESULT_COLUMNS = `
  s.id, s.activity_id, s.registration_id, s.status, s.category, s.position, s.position_by_category,
  s.position_by_sex, s.time_ms, s.split_times, s.start_number, s.created_at, s.modified_at, ${PERSON_COLUMNS}`;

/** A row as RESULT_COLUMNS name it. */
export interface ResultRow extends PersonRow {
  id: string;
  activity_id: string;
  registration_id: string | null;
  status: ResultStatus;
  category: string | null;
  position: number | null;
  position_by_category: number | null;
  position_by_sex: number | null;
  time_ms: string | number | null;
  split_times: SplitTime[] | string;
  start_number: string | null;
  created_at: Date | string;
  modified_at: Date | string;
}

/** A row selected with RESULT_COLUMNS. */
export function resultFromRow(row: ResultRow): ResultView {
  return {
    id: row.id,
    activityId: row.activity_id,
    registrationId: row.registration_id,
    person: personFromRow(row),
    status: row.status,
    category: row.category,
    position: row.position,
    positionByCategory: row.position_by_category,
    positionBySex: row.position_by_sex,
    time: row.time_ms === null ? null : Number(row.time_ms),
    splitTimes: typeof row.split_times === "string" ? JSON.parse(row.split_times) : row.split_times,
    startNumber: row.start_number,
    created: new Date(row.created_at),
    modified: new Date(row.modified_at),
  };
}

/** Whether two results hold the same value in `field`: splits compared split by split. */
export function sameField(field: (typeof RESULT_FIELDS)[number], a: ResultFields, b: ResultFields): boolean {
  if (field !== "splitTimes") return a[field] === b[field];
  return (
    a.splitTimes.length === b.splitTimes.length &&
    a.splitTimes.every((split, i) => split.distance === b.splitTimes[i].distance && split.time === b.splitTimes[i].time)
  );
}

/** Whether two results hold the same values in every field a sync sets. */
export function sameResultFields(a: ResultFields, b: ResultFields): boolean {
  return RESULT_FIELDS.every((field) => sameField(field, a, b));
}

/** `h:mm:ss` of a time in milliseconds, tenths shown only when there are any: 600000 → `0:10:00`, 3723400 → `1:02:03.4`. */
export function clockTime(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor(ms / 60_000) % 60;
  const seconds = Math.floor(ms / 1000) % 60;
  const fraction = ms % 1000;
  const pad = (n: number) => String(n).padStart(2, "0");
  const base = `${hours}:${pad(minutes)}:${pad(seconds)}`;
  return fraction ? `${base}.${String(fraction).padStart(3, "0").replace(/0+$/, "")}` : base;
}
