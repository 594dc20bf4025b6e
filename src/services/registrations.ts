// Reading an activity's registrations (downloads and GraphQL).
import type { DataSource } from "typeorm";
import type { RegistrationState } from "../entities/registration";
import { isObjectId } from "../db/object-id";
import { loadReachableActivity } from "./access";
import { InvalidInputError, NotFoundError } from "./domain-errors";
import type { RequestContext } from "./request-context";
import {
  PERSON_COLUMNS,
  REGISTRATION_COLUMNS,
  personFromRow,
  registrationFromRow,
  type PersonView,
  type RegistrationView,
} from "./registration-view";
import { normalizeStartNumber, startNumberKey } from "./start-number";
import { personKnownToOrganizers } from "./person-reach";

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

/** The largest page a client may ask for. */
export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 50;

/** The longest search (GraphQL refuses longer at the edge): a name or code is far shorter, and a long ILIKE pattern costs the database time. */
export const MAX_SEARCH_LENGTH = 200;

export interface RegistrationPageRequest {
  states?: readonly RegistrationState[] | null;
  /** Part of a name or code, or an exact start number. */
  search?: string | null;
  first?: number | null;
  /** Opaque cursor of the last registration of the previous page. */
  after?: string | null;
}

export interface RegistrationPage {
  nodes: RegistrationView[];
  totalCount: number;
  hasNextPage: boolean;
}

export const cursorOf = (registrationId: string) => Buffer.from(`registration:${registrationId}`).toString("base64url");

// One answer for a malformed cursor, another activity's and a registration that does not exist: no existence oracle.
const invalidCursor = () =>
  new InvalidInputError("after", "after is not a cursor of this list: pass the previous page's endCursor");

/** The registration the cursor points at, when it is one of the activity's. @throws InvalidInputError otherwise. */
async function registrationOfCursor(db: DataSource, activityId: string, cursor: string): Promise<string> {
  const decoded = Buffer.from(cursor, "base64url").toString("utf8");
  const match = /^registration:([0-9a-f]{24})$/.exec(decoded);
  if (!match) throw invalidCursor();
  const [found] = await db.query(`SELECT 1 FROM registration WHERE id = $1 AND activity_id = $2`, [
    match[1],
    activityId,
  ]);
  if (!found) throw invalidCursor();
  return match[1];
}

/**
 * A page of a reachable activity's registrations in a stable order (creation time, then id), with
 * the number of all that match. Two statements, whatever the page size.
 * @throws NotFoundError for an unreachable activity; InvalidInputError for a bad page size or cursor.
 */
export async function pageRegistrations(
  db: DataSource,
  ctx: RequestContext,
  activityId: string,
  request: RegistrationPageRequest,
): Promise<RegistrationPage> {
  await loadReachableActivity(db, ctx, activityId);
  const first = request.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new InvalidInputError("first", `first must be between 0 and ${MAX_PAGE_SIZE}`, "PageTooLarge");
  }
  const after = request.after ? await registrationOfCursor(db, activityId, request.after) : null;
  const search = request.search?.trim() || null;
  // $4 is the search with LIKE's wildcards and escape character escaped: "%" is a percent sign, not "anything".
  const filter = `r.activity_id = $1
    AND ($2::text[] IS NULL OR r.state = ANY($2::text[]))
    AND ($3::text IS NULL
         OR (p.given_name || ' ' || p.surname) ILIKE '%' || $4 || '%' ESCAPE '\\'
         OR r.code ILIKE $4 ESCAPE '\\'
         OR start_number_key(r.start_number) = $5)`;
  // A number is searched as a runner reads it: 10 finds 0010.
  const number = search === null ? null : normalizeStartNumber(search);
  const params = [
    activityId,
    request.states?.length ? [...request.states] : null,
    search,
    search?.replace(/[\\%_]/g, (c) => `\\${c}`) ?? null,
    typeof number === "string" ? startNumberKey(number) : null,
  ];
  const [rows, [{ count }]] = await Promise.all([
    db.query(
      `SELECT ${REGISTRATION_COLUMNS} FROM registration r JOIN person p ON p.id = r.person_id
        WHERE ${filter}
          AND ($6::bpchar IS NULL OR (r.created_at, r.id) > (SELECT created_at, id FROM registration WHERE id = $6::bpchar))
        ORDER BY r.created_at, r.id LIMIT $7`,
      [...params, after, first + 1],
    ),
    db.query(
      `SELECT count(*)::int AS count FROM registration r JOIN person p ON p.id = r.person_id WHERE ${filter}`,
      params,
    ),
  ]);
  return { nodes: rows.slice(0, first).map(registrationFromRow), totalCount: count, hasNextPage: rows.length > first };
}

/** A registration in an activity the caller reaches. @throws NotFoundError otherwise. */
export async function loadRegistration(db: DataSource, ctx: RequestContext, id: string): Promise<RegistrationView> {
  const [row] = isObjectId(id)
    ? await db.query(
        `SELECT ${REGISTRATION_COLUMNS} FROM registration r JOIN person p ON p.id = r.person_id
           JOIN activity a ON a.id = r.activity_id JOIN event e ON e.id = a.event_id
          WHERE r.id = $1 AND e.organizer_id = ANY($2::bpchar[])`,
        [id, [...ctx.reachableOrganizerIds]],
      )
    : [];
  if (!row) throw new NotFoundError("Registration", id);
  return registrationFromRow(row);
}

/** A person registered in at least one activity the caller reaches. @throws NotFoundError otherwise. */
export async function loadPerson(db: DataSource, ctx: RequestContext, id: string): Promise<PersonView> {
  const [row] = isObjectId(id)
    ? await db.query(
        `SELECT ${PERSON_COLUMNS}
           FROM person p
          WHERE p.id = $1 AND ${personKnownToOrganizers("p", "$2")}`,
        [id, [...ctx.reachableOrganizerIds]],
      )
    : [];
  if (!row) throw new NotFoundError("Person", id);
  return personFromRow(row);
}
