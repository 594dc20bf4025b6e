// Per-request batch loaders (DataLoader) for the GraphQL read side. Each is made for one caller and
// answers null (or nothing) for what that caller may not see, so no nested path can reveal more
// than a root query. Never share them across requests.
import DataLoader from "dataloader";
import { In, type DataSource } from "typeorm";
import { Event } from "../entities/event";
import type { MembershipRole } from "../entities/membership";
import { Organization, type OrganizationKind } from "../entities/organization";
import { ACTIVITY_COLUMNS, type ActivityRef } from "./access";
import { membershipViews } from "./members";
import type { RequestContext } from "./request-context";
import { RESULT_COLUMNS, resultFromRow, type ResultRow, type ResultView } from "./result-view";

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

const ORGANIZATION_FIELDS = { id: true, name: true, kind: true, createdAt: true } as const;
// A date column reads as its YYYY-MM-DD text, which is what an EventView holds.
const EVENT_FIELDS = { id: true, organizerId: true, name: true, startsOn: true, endsOn: true } as const;

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
  return {
    organization: new DataLoader<string, OrganizationView | null>(async (ids) => {
      const seen = ids.filter((id) => ctx.visibleOrganizationIds.has(id));
      const rows = seen.length
        ? await db.getRepository(Organization).find({ select: ORGANIZATION_FIELDS, where: { id: In(seen) } })
        : [];
      return byKey<OrganizationView>(ids, rows, (o) => o.id);
    }),

    event: new DataLoader<string, EventView | null>(async (ids) =>
      byKey<EventView>(
        ids,
        reachable.length
          ? await db
              .getRepository(Event)
              .find({ select: EVENT_FIELDS, where: { id: In([...ids]), organizerId: In(reachable) } })
          : [],
        (e) => e.id,
      ),
    ),

    activity: new DataLoader<string, ActivityRef | null>(async (ids) =>
      byKey<ActivityRef>(
        ids,
        await db.query(
          `SELECT ${ACTIVITY_COLUMNS} FROM activity a JOIN event e ON e.id = a.event_id
          WHERE a.id = ANY($1::bpchar[]) AND e.organizer_id = ANY($2::bpchar[])`,
          [ids, reachable],
        ),
        (a: ActivityRef) => a.id,
      ),
    ),

    eventsByOrganizer: new DataLoader<string, EventView[]>(async (ids) => {
      const reached = ids.filter((id) => ctx.reachableOrganizerIds.has(id));
      const rows = reached.length
        ? await db.getRepository(Event).find({
            select: EVENT_FIELDS,
            where: { organizerId: In(reached) },
            order: { startsOn: { direction: "ASC", nulls: "LAST" }, createdAt: "ASC", id: "ASC" },
          })
        : [];
      return groupBy<EventView>(ids, rows, (e) => e.organizerId);
    }),

    activitiesByEvent: new DataLoader<string, ActivityRef[]>(async (ids) =>
      groupBy(
        ids,
        await db.query(
          `SELECT ${ACTIVITY_COLUMNS} FROM activity a JOIN event e ON e.id = a.event_id
          WHERE a.event_id = ANY($1::bpchar[]) AND e.organizer_id = ANY($2::bpchar[]) ORDER BY a.starts_at NULLS LAST, a.created_at, a.id`,
          [ids, reachable],
        ),
        (a: ActivityRef) => a.eventId,
      ),
    ),

    /** A person's results in activities the caller reaches, by the activities' start, then as made. */
    resultsByPerson: new DataLoader<string, ResultView[]>(async (ids) =>
      groupBy(
        ids,
        (
          (await db.query(
            `SELECT ${RESULT_COLUMNS} FROM result s JOIN person p ON p.id = s.person_id
             JOIN activity a ON a.id = s.activity_id JOIN event e ON e.id = a.event_id
            WHERE s.person_id = ANY($1::bpchar[]) AND e.organizer_id = ANY($2::bpchar[])
            ORDER BY a.starts_at NULLS LAST, s.created_at, s.id`,
            [ids, reachable],
          )) as ResultRow[]
        ).map(resultFromRow),
        (r) => r.person.id,
      ),
    ),

    /** Members of organizations the caller is a member of. */
    membershipsByOrganization: new DataLoader<string, MembershipView[]>(async (ids) => {
      const own = ids.filter((id) => ctx.roles.has(id));
      const rows = own.length
        ? await membershipViews(db)
            .where("m.organizationId IN (:...own)", { own })
            .orderBy("m.createdAt")
            .addOrderBy("m.id")
            .getRawMany<MembershipView>()
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
