// The public results of an activity (issue 14): what anyone may read without a key, for the JSON list, GraphQL's
// publicResults and the results page. Like the start list (start-list.ts): never logins or birth dates, and of a
// private profile nothing beyond name, number, category and time.
import { createHash } from "node:crypto";
import type { DataSource } from "typeorm";
import { isObjectId } from "../db/object-id";
import type { Sex } from "../entities/person";
import type { ResultStatus } from "../entities/result";
import { NotFoundError } from "./domain-errors";
import { clockTime, type ResultView } from "./result-view";
import { readResults } from "./results";

export interface PublicResultEntry {
  /** A stable id of the entry, derived from the result's, which it does not reveal (see publicEntryId). */
  id: string;
  status: ResultStatus;
  position: number | null;
  positionByCategory: number | null;
  positionBySex: number | null;
  category: string | null;
  startNumber: string | null;
  /** Given name and surname. */
  name: string;
  /** Finish time in milliseconds. */
  time: number | null;
  /** The finish time as `h:mm:ss` (tenths and below only when there are any). */
  clockTime: string | null;
  /** Milliseconds behind the activity's fastest finisher; null for whoever did not finish or has no time. */
  gap: number | null;
  /** Only for public profiles. */
  yearOfBirth?: number;
  /** Only for public profiles. */
  country?: string | null;
}

export interface PublicResults {
  activityId: string;
  activityName: string;
  eventName: string;
  /** Finishers by position, then the others by status and name (services/results.ts, RESULT_ORDER). */
  entries: PublicResultEntry[];
}

/** An entry with what the page filters and sorts by: the sex (positionBySex shows it anyway) and the name's parts. */
export interface DetailedPublicResultEntry extends PublicResultEntry {
  givenName: string;
  surname: string;
  sex: Sex;
}

export interface DetailedPublicResults extends PublicResults {
  entries: DetailedPublicResultEntry[];
}

/**
 * The entry's id: derived from the result's, which it does not reveal. A result id begins with its creation time,
 * which a public list need not show; the prefix keeps it apart from the start list's entry ids.
 */
export function publicEntryId(resultId: string): string {
  return createHash("sha256").update(`result-entry:${resultId}`).digest("base64url").slice(0, 22);
}

/** The fastest finish time among finishers, the one gaps are measured from; null when no finisher has a time. */
export function winningTime(results: readonly { status: ResultStatus; time: number | null }[]): number | null {
  let best: number | null = null;
  for (const r of results)
    if (r.status === "Finished" && r.time !== null && (best === null || r.time < best)) best = r.time;
  return best;
}

function detailedEntry(result: ResultView, winner: number | null): DetailedPublicResultEntry {
  const { person } = result;
  const finished = result.status === "Finished" && result.time !== null;
  return {
    id: publicEntryId(result.id),
    status: result.status,
    position: result.position,
    positionByCategory: result.positionByCategory,
    positionBySex: result.positionBySex,
    category: result.category,
    startNumber: result.startNumber,
    name: `${person.givenName} ${person.surname}`,
    time: result.time,
    clockTime: result.time === null ? null : clockTime(result.time),
    gap: finished && winner !== null ? result.time! - winner : null,
    givenName: person.givenName,
    surname: person.surname,
    sex: person.sex,
    ...(person.isProfilePublic ? { yearOfBirth: Number(person.birthDate.slice(0, 4)), country: person.country } : {}),
  };
}

/**
 * The public results with what the HTML page needs too (names' parts, sex). Anyone may read them: no key.
 * @throws NotFoundError when the activity does not exist.
 */
export async function loadDetailedPublicResults(db: DataSource, activityId: string): Promise<DetailedPublicResults> {
  if (!isObjectId(activityId)) throw new NotFoundError("Activity", activityId);
  const [activity] = (await db.query(
    `SELECT a.id, a.name, e.name AS event_name FROM activity a JOIN event e ON e.id = a.event_id WHERE a.id = $1`,
    [activityId],
  )) as { id: string; name: string; event_name: string }[];
  if (!activity) throw new NotFoundError("Activity", activityId);
  const results = await readResults(db, activityId);
  const winner = winningTime(results);
  return {
    activityId: activity.id,
    activityName: activity.name,
    eventName: activity.event_name,
    entries: results.map((result) => detailedEntry(result, winner)),
  };
}

/**
 * The public results list (JSON and GraphQL): no key, nothing private.
 * @throws NotFoundError when the activity does not exist.
 */
export async function loadPublicResults(db: DataSource, activityId: string): Promise<PublicResults> {
  const list = await loadDetailedPublicResults(db, activityId);
  // Built field by field: the JSON answer is this object as it is, so nothing of the detailed list may slip in.
  return {
    activityId: list.activityId,
    activityName: list.activityName,
    eventName: list.eventName,
    entries: list.entries.map((e) => ({
      id: e.id,
      status: e.status,
      position: e.position,
      positionByCategory: e.positionByCategory,
      positionBySex: e.positionBySex,
      category: e.category,
      startNumber: e.startNumber,
      name: e.name,
      time: e.time,
      clockTime: e.clockTime,
      gap: e.gap,
      ...(e.yearOfBirth !== undefined ? { yearOfBirth: e.yearOfBirth, country: e.country } : {}),
    })),
  };
}
