// Authorization (SPEC §2): which organizers a key reaches, and loading an activity only through that.
import type { DataSource, EntityManager } from "typeorm";
import { isObjectId } from "../db/object-id";
import { NotFoundError } from "./domain-errors";
import type { RequestContext } from "./request-context";

/**
 * The organizers an account reaches: those it is a member of, and those that associated an
 * organization it is a member of (an association lets the associate in, not the reverse).
 */
export async function reachableOrganizerIds(db: DataSource | EntityManager, accountId: string): Promise<Set<string>> {
  const rows = (await db.query(
    `SELECT m.organization_id AS id FROM membership m WHERE m.account_id = $1
     UNION
     SELECT a.organizer_id FROM association a
       JOIN membership m ON m.organization_id = a.associate_id
      WHERE m.account_id = $1`,
    [accountId],
  )) as { id: string }[];
  return new Set(rows.map((row) => row.id));
}

export interface ActivityRef {
  id: string;
  name: string;
  organizerId: string;
  currency: string;
}

/**
 * Loads an activity the caller may reach; with `lock`, also locks it for the transaction so that
 * batches on one activity run one after another.
 * @throws NotFoundError when it does not exist or is not reachable (the same answer for both).
 */
export async function loadReachableActivity(
  db: DataSource | EntityManager,
  ctx: RequestContext,
  activityId: string,
  lock = false,
): Promise<ActivityRef> {
  if (!isObjectId(activityId)) throw new NotFoundError("Activity", activityId);
  const rows = (await db.query(
    `SELECT a.id, a.name, e.organizer_id AS "organizerId", a.currency
       FROM activity a JOIN event e ON e.id = a.event_id
      WHERE a.id = $1 AND e.organizer_id = ANY($2::text[])
      ${lock ? "FOR UPDATE OF a" : ""}`,
    [activityId, [...ctx.reachableOrganizerIds]],
  )) as ActivityRef[];
  if (!rows[0]) throw new NotFoundError("Activity", activityId);
  return rows[0];
}
