// The results download's CSV and workbook columns: the result's own fields, the person's public-facing ones and
// birth date (the key's holder is the organizer or its timing company), then one column per split distance.
import type { ResultView } from "../services/result-view";
import { clockTime } from "../services/result-view";

const text = (value: string | number | null) => (value === null ? "" : String(value));

/** Every fixed column, in order, with how its cell is written. */
export const RESULT_CELLS: Record<string, (r: ResultView) => string> = {
  "result.id": (r) => r.id,
  "result.status": (r) => r.status,
  "result.category": (r) => text(r.category),
  "result.position": (r) => text(r.position),
  "result.positionByCategory": (r) => text(r.positionByCategory),
  "result.positionBySex": (r) => text(r.positionBySex),
  "result.time": (r) => text(r.time),
  "result.clockTime": (r) => (r.time === null ? "" : clockTime(r.time)),
  "result.startNumber": (r) => text(r.startNumber),
  "person.id": (r) => r.person.id,
  "person.givenName": (r) => r.person.givenName,
  "person.surname": (r) => r.person.surname,
  "person.sex": (r) => r.person.sex,
  "person.birthDate": (r) => r.person.birthDate,
  "person.country": (r) => text(r.person.country),
};

/** The fixed columns' names, in the order the download writes them. */
export const RESULT_COLUMN_NAMES: readonly string[] = Object.keys(RESULT_CELLS);

/** What each column holds, for the API's documentation. */
export const RESULT_COLUMN_NOTES: Record<string, string> = {
  "result.id": "The result's id (24 hex digits).",
  "result.status": "Finished, DidNotFinish, DidNotStart or Disqualified.",
  "result.category": "The category, like M40; empty when none.",
  "result.position": "Overall position; finishers only.",
  "result.positionByCategory": "Position in the category; finishers only.",
  "result.positionBySex": "Position among the same sex; finishers only.",
  "result.time": "Finish time in milliseconds (600000 is 10 minutes).",
  "result.clockTime": "The finish time as h:mm:ss (0:10:00), tenths and below only when there are any.",
  "result.startNumber": "The start (bib) number, text.",
  "person.id": "The person's id.",
  "person.givenName": "Given name.",
  "person.surname": "Surname.",
  "person.sex": "Male or Female.",
  "person.birthDate": "Birth date as 1975-11-27.",
  "person.country": "ISO 3166 alpha-2 country code, may be empty.",
};

/** The prefix of a split's column: `split.4` holds the instant the runner passed 4 km. */
export const SPLIT_COLUMN_PREFIX = "split.";

/** The split distances any of the results has, ascending: one column each. */
export function splitDistances(results: readonly ResultView[]): number[] {
  const distances = new Set<number>();
  for (const r of results) for (const split of r.splitTimes) distances.add(split.distance);
  return [...distances].sort((a, b) => a - b);
}

/** The download's header: the fixed columns, then `split.<km>` per distance. */
export function resultHeader(distances: readonly number[]): string[] {
  return [...RESULT_COLUMN_NAMES, ...distances.map((d) => `${SPLIT_COLUMN_PREFIX}${d}`)];
}

/** One result's row under resultHeader(distances); a split the runner has no time at is an empty cell. */
export function resultCells(r: ResultView, distances: readonly number[]): string[] {
  const fixed = RESULT_COLUMN_NAMES.map((name) => RESULT_CELLS[name](r));
  const at = new Map(r.splitTimes.map((split) => [split.distance, split.time]));
  return [...fixed, ...distances.map((d) => at.get(d) ?? "")];
}
