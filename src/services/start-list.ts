// The public start list (SPEC §7): Confirmed registrations in numeric order of start numbers.
import { createHash } from "node:crypto";
import type { DataSource } from "typeorm";
import { isObjectId } from "../db/object-id";
import { NotFoundError } from "./domain-errors";

export interface StartListEntry {
  /** A stable id of the entry, for a client's cache (Apollo Client normalizes by it); see entryId. */
  id: string;
  startNumber: string | null;
  name: string;
  /** Only for public profiles. */
  yearOfBirth?: number;
  /** Only for public profiles. */
  country?: string | null;
}

export interface StartList {
  activityId: string;
  activityName: string;
  eventName: string;
  entries: StartListEntry[];
}

/** A line of the HTML page: the name's parts too, which it sorts by (surname first). Nothing more private. */
export interface DetailedStartListEntry extends StartListEntry {
  givenName: string;
  surname: string;
}

/** The start list with what the HTML page's heading shows: when the race starts. */
export interface DetailedStartList {
  activityId: string;
  activityName: string;
  eventName: string;
  /** The activity's start, when the organizer set it. */
  activityStartsAt: Date | null;
  /** The event's first and last day (`YYYY-MM-DD`), shown when the activity has no start time. */
  eventStartsOn: string | null;
  eventEndsOn: string | null;
  entries: DetailedStartListEntry[];
}

/**
 * The entry's id: derived from the registration's, which it does not reveal. A registration id begins with its
 * creation time, which a public list must not show of a private profile (SPEC §7: name and number only).
 */
export function entryId(registrationId: string): string {
  return createHash("sha256").update(`start-list-entry:${registrationId}`).digest("base64url").slice(0, 22);
}

/**
 * Anyone may read it: no key. Never shows logins or full birth dates; private profiles show only
 * name and number. The JSON and GraphQL start list.
 * @throws NotFoundError when the activity does not exist.
 */
export async function loadStartList(db: DataSource, activityId: string): Promise<StartList> {
  const list = await loadDetailedStartList(db, activityId);
  // Built field by field: the JSON answer is this object as it is, so nothing of the detailed list may slip in.
  return {
    activityId: list.activityId,
    activityName: list.activityName,
    eventName: list.eventName,
    entries: list.entries.map(({ id, startNumber, name, yearOfBirth, country }) => ({
      id,
      startNumber,
      name,
      ...(yearOfBirth !== undefined ? { yearOfBirth, country } : {}),
    })),
  };
}

/**
 * The same public start list for the HTML page, with the start time and the name's parts.
 * @throws NotFoundError when the activity does not exist.
 */
export async function loadDetailedStartList(db: DataSource, activityId: string): Promise<DetailedStartList> {
  if (!isObjectId(activityId)) throw new NotFoundError("Activity", activityId);
  const [activity] = (await db.query(
    `SELECT a.id, a.name, a.starts_at, e.name AS event_name, e.starts_on::text AS event_starts_on, e.ends_on::text AS event_ends_on
       FROM activity a JOIN event e ON e.id = a.event_id WHERE a.id = $1`,
    [activityId],
  )) as {
    id: string;
    name: string;
    starts_at: Date | string | null;
    event_name: string;
    event_starts_on: string | null;
    event_ends_on: string | null;
  }[];
  if (!activity) throw new NotFoundError("Activity", activityId);
  const rows = (await db.query(
    `SELECT r.id, r.start_number, p.given_name, p.surname, p.is_profile_public,
            extract(year FROM p.birth_date)::int AS year_of_birth, p.country
       FROM registration r JOIN person p ON p.id = r.person_id
      WHERE r.activity_id = $1 AND r.state = 'Confirmed'
      ORDER BY r.start_number IS NULL,
               CASE WHEN r.start_number ~ '^[0-9]{1,18}$' THEN r.start_number::bigint END NULLS LAST,
               r.start_number, p.surname, p.given_name`,
    [activityId],
  )) as {
    id: string;
    start_number: string | null;
    given_name: string;
    surname: string;
    is_profile_public: boolean;
    year_of_birth: number;
    country: string | null;
  }[];
  return {
    activityId: activity.id,
    activityName: activity.name,
    eventName: activity.event_name,
    activityStartsAt: activity.starts_at === null ? null : new Date(activity.starts_at),
    eventStartsOn: activity.event_starts_on,
    eventEndsOn: activity.event_ends_on,
    entries: rows.map((row) => ({
      id: entryId(row.id),
      startNumber: row.start_number,
      name: `${row.given_name} ${row.surname}`,
      givenName: row.given_name,
      surname: row.surname,
      ...(row.is_profile_public ? { yearOfBirth: row.year_of_birth, country: row.country } : {}),
    })),
  };
}

/**
 * How many entries the start lists of these activities have (their Confirmed registrations), in one statement;
 * an activity that does not exist has none. What GraphQL's cost estimate counts before it runs anything.
 */
export async function startListSizes(db: DataSource, activityIds: readonly string[]): Promise<Map<string, number>> {
  const ids = [...new Set(activityIds)].filter(isObjectId);
  const sizes = new Map<string, number>();
  if (!ids.length) return sizes;
  const rows = (await db.query(
    `SELECT activity_id, count(*)::int AS size FROM registration WHERE activity_id = ANY($1::bpchar[]) AND state = 'Confirmed' GROUP BY activity_id`,
    [ids],
  )) as { activity_id: string; size: number }[];
  for (const row of rows) sizes.set(row.activity_id, row.size);
  return sizes;
}

/** The most entries a start list of these organizers' activities has: the bound for a start list reached through an activity. */
export async function largestStartList(db: DataSource, organizerIds: readonly string[]): Promise<number> {
  if (!organizerIds.length) return 0;
  const [{ size }] = (await db.query(
    `SELECT coalesce(max(size), 0)::int AS size FROM (
       SELECT count(*) AS size FROM registration r JOIN activity a ON a.id = r.activity_id JOIN event e ON e.id = a.event_id
        WHERE e.organizer_id = ANY($1::bpchar[]) AND r.state = 'Confirmed' GROUP BY r.activity_id) sizes`,
    [[...organizerIds]],
  )) as { size: number }[];
  return size;
}
