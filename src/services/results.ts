// Reading an activity's results (downloads, GraphQL, the public list and page).
import type { DataSource } from "typeorm";
import type { ResultStatus } from "../entities/result";
import { loadReachableActivity } from "./access";
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
