// Reading an activity's registrations (downloads and GraphQL).
import type { DataSource } from "typeorm";
import type { RegistrationState } from "../entities/registration";
import { loadReachableActivity } from "./access";
import type { RequestContext } from "./request-context";
import { REGISTRATION_COLUMNS, registrationFromRow, type RegistrationView } from "./registration-view";

export interface RegistrationFilter {
  states?: readonly RegistrationState[];
  /** Only registrations changed at or after this time (incremental polling). */
  modifiedSince?: Date;
}

/**
 * The registrations of a reachable activity, oldest first.
 * @throws NotFoundError when the activity is missing or unreachable.
 */
export async function listRegistrations(
  db: DataSource,
  ctx: RequestContext,
  activityId: string,
  filter: RegistrationFilter = {},
): Promise<RegistrationView[]> {
  await loadReachableActivity(db, ctx, activityId);
  const rows = await db.query(
    `SELECT ${REGISTRATION_COLUMNS}
       FROM registration r JOIN person p ON p.id = r.person_id
      WHERE r.activity_id = $1
        AND ($2::text[] IS NULL OR r.state = ANY($2::text[]))
        AND ($3::timestamptz IS NULL OR r.modified_at >= $3::timestamptz)
      ORDER BY r.created_at, r.id`,
    [activityId, filter.states?.length ? [...filter.states] : null, filter.modifiedSince ?? null],
  );
  return rows.map(registrationFromRow);
}
