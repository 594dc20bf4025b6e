// The public start list (SPEC §7): Confirmed registrations in numeric order of start numbers.
import type { DataSource } from "typeorm";
import { isObjectId } from "../db/object-id";
import { NotFoundError } from "./domain-errors";

export interface StartListEntry {
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

/**
 * Anyone may read it: no key. Never shows logins or full birth dates; private profiles show only
 * name and number.
 * @throws NotFoundError when the activity does not exist.
 */
export async function loadStartList(db: DataSource, activityId: string): Promise<StartList> {
  if (!isObjectId(activityId)) throw new NotFoundError("Activity", activityId);
  const [activity] = await db.query(
    `SELECT a.id, a.name, e.name AS event_name FROM activity a JOIN event e ON e.id = a.event_id WHERE a.id = $1`,
    [activityId],
  );
  if (!activity) throw new NotFoundError("Activity", activityId);
  const rows = (await db.query(
    `SELECT r.start_number, p.given_name, p.surname, p.is_profile_public,
            extract(year FROM p.birth_date)::int AS year_of_birth, p.country
       FROM registration r JOIN person p ON p.id = r.person_id
      WHERE r.activity_id = $1 AND r.state = 'Confirmed'
      ORDER BY r.start_number IS NULL,
               CASE WHEN r.start_number ~ '^[0-9]{1,18}$' THEN r.start_number::bigint END NULLS LAST,
               r.start_number, p.surname, p.given_name`,
    [activityId],
  )) as { start_number: string | null; given_name: string; surname: string; is_profile_public: boolean; year_of_birth: number; country: string | null }[];
  return {
    activityId: activity.id,
    activityName: activity.name,
    eventName: activity.event_name,
    entries: rows.map((row) => ({
      startNumber: row.start_number,
      name: `${row.given_name} ${row.surname}`,
      ...(row.is_profile_public ? { yearOfBirth: row.year_of_birth, country: row.country } : {}),
    })),
  };
}
