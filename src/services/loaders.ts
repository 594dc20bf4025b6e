// Per-request batch loaders (DataLoader) for the GraphQL read side. Each is made for one caller and
// answers null (or nothing) for what that caller may not see, so no nested path can reveal more
// than a root query. Never share them across requests.
import DataLoader from "dataloader";
import type { DataSource } from "typeorm";
import type { MembershipRole } from "../entities/membership";
import type { OrganizationKind } from "../entities/organization";
import { ACTIVITY_COLUMNS, type ActivityRef } from "./access";
import { membershipViews } from "./members";
import type { RequestContext } from "./request-context";

export interface OrganizationView {
  id: string;
  name: string;
  kind: OrganizationKind;
  createdAt: Date;
}

export interface EventView {
  id: string;
  organizerId: string;
  name: string;
  startsOn: string | null;
  endsOn: string | null;
}

export interface MembershipView {
  id: string;
  organizationId: string;
  accountId: string;
  login: string;
  role: MembershipRole;
  createdAt: Date;
}

export interface AssociationView {
  id: string;
  organizerId: string;
  associateId: string;
  createdAt: Date;
}

function byKey<T>(keys: readonly string[], rows: T[], key: (row: T) => string): (T | null)[] {
  const map = new Map(rows.map((row) => [key(row), row]));
  return keys.map((k) => map.get(k) ?? null);
}

function groupBy<T>(keys: readonly string[], rows: T[], key: (row: T) => string): T[][] {
  const map = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) map.get(key(row))?.push(row);
  return keys.map((k) => map.get(k)!);
}

export type Loaders = ReturnType<typeof createLoaders>;

export function createLoaders(db: DataSource, ctx: RequestContext) {
  const reachable = [...ctx.reachableOrganizerIds];
  const visible = [...ctx.visibleOrganizationIds];
  return {
    organization: new DataLoader<string, OrganizationView | null>(async (ids) =>
      byKey<OrganizationView>(ids, await db.query(
        `SELECT id, name, kind, created_at AS "createdAt" FROM organization WHERE id = ANY($1::bpchar[]) AND id = ANY($2::bpchar[])`,
        [ids, visible],
      ), (o: OrganizationView) => o.id)),

    event: new DataLoader<string, EventView | null>(async (ids) =>
      byKey<EventView>(ids, await db.query(
        `SELECT id, organizer_id AS "organizerId", name, to_char(starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(ends_on, 'YYYY-MM-DD') AS "endsOn"
           FROM event WHERE id = ANY($1::bpchar[]) AND organizer_id = ANY($2::bpchar[])`,
        [ids, reachable],
      ), (e: EventView) => e.id)),

    activity: new DataLoader<string, ActivityRef | null>(async (ids) =>
      byKey<ActivityRef>(ids, await db.query(
        `SELECT ${ACTIVITY_COLUMNS} FROM activity a JOIN event e ON e.id = a.event_id
          WHERE a.id = ANY($1::bpchar[]) AND e.organizer_id = ANY($2::bpchar[])`,
        [ids, reachable],
      ), (a: ActivityRef) => a.id)),

    eventsByOrganizer: new DataLoader<string, EventView[]>(async (ids) =>
      groupBy(ids, await db.query(
        `SELECT id, organizer_id AS "organizerId", name, to_char(starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(ends_on, 'YYYY-MM-DD') AS "endsOn"
           FROM event WHERE organizer_id = ANY($1::bpchar[]) AND organizer_id = ANY($2::bpchar[]) ORDER BY starts_on NULLS LAST, created_at, id`,
        [ids, reachable],
      ), (e: EventView) => e.organizerId)),

    activitiesByEvent: new DataLoader<string, ActivityRef[]>(async (ids) =>
      groupBy(ids, await db.query(
        `SELECT ${ACTIVITY_COLUMNS} FROM activity a JOIN event e ON e.id = a.event_id
          WHERE a.event_id = ANY($1::bpchar[]) AND e.organizer_id = ANY($2::bpchar[]) ORDER BY a.starts_at NULLS LAST, a.created_at, a.id`,
        [ids, reachable],
      ), (a: ActivityRef) => a.eventId)),

    /** Members of organizations the caller is a member of. */
    membershipsByOrganization: new DataLoader<string, MembershipView[]>(async (ids) => {
      const own = ids.filter((id) => ctx.roles.has(id));
      const rows = own.length
        ? await membershipViews(db).where("m.organizationId IN (:...own)", { own }).orderBy("m.createdAt").addOrderBy("m.id").getRawMany<MembershipView>()
        : [];
      return groupBy(ids, rows, (m) => m.organizationId);
    }),

    /** Associations on either side of organizations the caller is a member of. */
    associationsByOrganization: new DataLoader<string, AssociationView[]>(async (ids) => {
      const rows: AssociationView[] = await db.query(
        `SELECT id, organizer_id AS "organizerId", associate_id AS "associateId", created_at AS "createdAt" FROM association
          WHERE (organizer_id = ANY($1::bpchar[]) OR associate_id = ANY($1::bpchar[])) AND (organizer_id = ANY($2::bpchar[]) OR associate_id = ANY($2::bpchar[]))
          ORDER BY created_at, id`,
        [ids, [...ctx.roles.keys()]],
      );
      return ids.map((id) => rows.filter((a) => a.organizerId === id || a.associateId === id));
    }),
  };
}
