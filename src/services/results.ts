// Reading an activity's results (downloads, GraphQL, the public list and page).
import type { DataSource } from "typeorm";
import type { ResultStatus } from "../entities/result";
import { loadReachableActivity } from "./access";
import { InvalidInputError } from "./domain-errors";
import type { RequestContext } from "./request-context";
import { RESULT_COLUMNS, resultFromRow, type ResultView } from "./result-view";

export interface ResultFilter {
  /** Only results in this category (exactly as stored). */
  category?: string | null;
  statuses?: readonly ResultStatus[] | null;
  /** Only results changed at or after this time (incremental polling). */
  modifiedSince?: Date | null;
}

/** The order of every result list: finishers by position (ties by time), then the others by status, then by name. */
export const RESULT_ORDER = `s.status <> 'Finished', s.position NULLS LAST, s.time_ms NULLS LAST, s.status,
  lower(p.surname), lower(p.given_name), s.id`;

/** A result list's WHERE, from `$2` on (`$1` is the activity). */
const FILTER = `($2::text IS NULL OR s.category = $2)
  AND ($3::text[] IS NULL OR s.status = ANY($3::text[]))
  AND ($4::timestamptz IS NULL OR s.modified_at >= $4::timestamptz)`;

const filterParams = (filter: ResultFilter) => [
  filter.category ?? null,
  filter.statuses?.length ? [...filter.statuses] : null,
  filter.modifiedSince ?? null,
];

/** An activity's results in result order (RESULT_ORDER), with no reach check: callers check it. */
export async function readResults(
  db: DataSource,
  activityId: string,
  filter: ResultFilter = {},
): Promise<ResultView[]> {
  const rows = await db.query(
    `SELECT ${RESULT_COLUMNS} FROM result s JOIN person p ON p.id = s.person_id
      WHERE s.activity_id = $1 AND ${FILTER}
      ORDER BY ${RESULT_ORDER}`,
    [activityId, ...filterParams(filter)],
  );
  return rows.map(resultFromRow);
}

/**
 * The results of a reachable activity, in result order.
 * @throws NotFoundError when the activity is missing or unreachable.
 */
export async function listResults(
  db: DataSource,
  ctx: RequestContext,
  activityId: string,
  filter: ResultFilter = {},
): Promise<ResultView[]> {
  await loadReachableActivity(db, ctx, activityId);
  return readResults(db, activityId, filter);
}

/** The largest page of results a client may ask for, and the default. */
export const MAX_RESULT_PAGE_SIZE = 1000;
export const DEFAULT_RESULT_PAGE_SIZE = 50;

export interface ResultPageRequest {
  category?: string | null;
  statuses?: readonly ResultStatus[] | null;
  first?: number | null;
  /** Opaque cursor of the last result of the previous page. */
  after?: string | null;
}

export interface ResultPage {
  nodes: ResultView[];
  totalCount: number;
  hasNextPage: boolean;
}

export const resultCursorOf = (resultId: string) => Buffer.from(`result:${resultId}`).toString("base64url");

/**
 * A page of a reachable activity's results in result order (RESULT_ORDER), with the number of all that match.
 * The order has no index to seek in, so the matching results are read in one statement and the page cut from
 * them after its cursor: an activity has at most a few thousand results.
 * @throws NotFoundError for an unreachable activity; InvalidInputError for a bad page size, or a cursor that is
 * not of a result on this list (the same answer for a malformed one, another activity's and a deleted one).
 */
export async function pageResults(
  db: DataSource,
  ctx: RequestContext,
  activityId: string,
  request: ResultPageRequest,
): Promise<ResultPage> {
  const first = request.first ?? DEFAULT_RESULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_RESULT_PAGE_SIZE) {
    throw new InvalidInputError("first", `first must be between 0 and ${MAX_RESULT_PAGE_SIZE}`, "PageTooLarge");
  }
  const all = await listResults(db, ctx, activityId, { category: request.category, statuses: request.statuses });
  let start = 0;
  if (request.after) {
    const match = /^result:([0-9a-f]{24})$/.exec(Buffer.from(request.after, "base64url").toString("utf8"));
    const index = match ? all.findIndex((r) => r.id === match[1]) : -1;
    if (index === -1)
      throw new InvalidInputError("after", "after is not a cursor of this list: pass the previous page's endCursor");
    start = index + 1;
  }
  return { nodes: all.slice(start, start + first), totalCount: all.length, hasNextPage: all.length > start + first };
}
