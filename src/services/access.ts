// Authorization (SPEC §2): which organizers a key reaches, and loading an activity only through that.
import type { DataSource, EntityManager } from "typeorm";
import { isObjectId } from "../db/object-id";
import type { MembershipRole } from "../entities/membership";
import { ForbiddenError, NotFoundError } from "./domain-errors";
import type { RequestContext } from "./request-context";

export type Access = Pick<RequestContext, "roles" | "reachableOrganizerIds" | "visibleOrganizationIds">;

/**
 * What an account reaches, from its current memberships, in one query: its own organizations,
 * organizers that associated one of them (an association lets the associate in, not the reverse),
 * and, by name only, the associates of its own organizations. A key limited to some organizations
 * (`scope`) counts only those memberships.
 */
export async function loadAccess(
  db: DataSource | EntityManager,
  accountId: string,
  scope: readonly string[] | null = null,
): Promise<Access> {
  const rows = (await db.query(
    `WITH m AS (SELECT organization_id, role FROM membership
                 WHERE account_id = $1 AND ($2::bpchar[] IS NULL OR organization_id = ANY($2::bpchar[])))
     SELECT m.organization_id AS id, m.role, 'member' AS via FROM m
     UNION ALL
     SELECT a.organizer_id, NULL, 'organizer' FROM association a JOIN m ON m.organization_id = a.associate_id
     UNION ALL
     SELECT a.associate_id, NULL, 'associate' FROM association a JOIN m ON m.organization_id = a.organizer_id`,
    [accountId, scope],
  )) as { id: string; role: MembershipRole | null; via: "member" | "organizer" | "associate" }[];
  const roles = new Map<string, MembershipRole>();
  const reachable = new Set<string>();
  const visible = new Set<string>();
  for (const row of rows) {
    visible.add(row.id);
    if (row.via !== "associate") reachable.add(row.id);
    if (row.role) roles.set(row.id, row.role);
  }
  return { roles, reachableOrganizerIds: reachable, visibleOrganizationIds: visible };
}

/** The organizers an account reaches (see loadAccess). */
export async function reachableOrganizerIds(db: DataSource | EntityManager, accountId: string): Promise<Set<string>> {
  return new Set((await loadAccess(db, accountId)).reachableOrganizerIds);
}

/** @throws ForbiddenError when the caller's key is read-only. */
export function requireWritableKey(ctx: RequestContext): void {
  if (ctx.readOnly) throw new ForbiddenError("This access key is read-only");
}

/**
 * Checks that the caller may manage an organization (Owner or Admin).
 * @throws NotFoundError when the organization is not visible to the caller; ForbiddenError when it is but the role is too low.
 */
export function requireManager(ctx: RequestContext, organizationId: string, what = "Organization"): MembershipRole {
  const role = ctx.roles.get(organizationId);
  if (role === "Owner" || role === "Admin") return role;
  if (!ctx.visibleOrganizationIds.has(organizationId)) throw new NotFoundError(what, organizationId);
  throw new ForbiddenError("Only an Owner or Admin of the organization may do this");
}

/** @throws NotFoundError when not visible; ForbiddenError when visible but the caller is not a member. */
export function requireMember(ctx: RequestContext, organizationId: string): MembershipRole {
  const role = ctx.roles.get(organizationId);
  if (role) return role;
  if (!ctx.visibleOrganizationIds.has(organizationId)) throw new NotFoundError("Organization", organizationId);
  throw new ForbiddenError("Only members of the organization may see this");
}

export interface ActivityRef {
  id: string;
  eventId: string;
  name: string;
  startsAt: Date | null;
  organizerId: string;
  currency: string;
}

/** Columns of an ActivityRef; the query joins `activity a` and `event e`. */
export const ACTIVITY_COLUMNS = `a.id, a.event_id AS "eventId", a.name, a.starts_at AS "startsAt", e.organizer_id AS "organizerId", a.currency`;

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
    `SELECT ${ACTIVITY_COLUMNS}
       FROM activity a JOIN event e ON e.id = a.event_id
      WHERE a.id = $1 AND e.organizer_id = ANY($2::bpchar[])
      ${lock ? "FOR UPDATE OF a" : ""}`,
    [activityId, [...ctx.reachableOrganizerIds]],
  )) as ActivityRef[];
  if (!rows[0]) throw new NotFoundError("Activity", activityId);
  return rows[0];
}

/**
 * The activity a sync writes to. One rule for both times it is checked: before a PUT's body is read (so
 * that a key which may not write there spends no work on it) and inside the sync's transaction (`lock`).
 * @throws ForbiddenError when the key is read-only (before anything else); NotFoundError when the activity is missing or out of reach.
 */
export async function loadWritableActivity(
  db: DataSource | EntityManager,
  ctx: RequestContext,
  activityId: string,
  lock = false,
): Promise<ActivityRef> {
  requireWritableKey(ctx);
  return loadReachableActivity(db, ctx, activityId, lock);
}
