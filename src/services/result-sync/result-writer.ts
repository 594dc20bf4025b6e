// Writes a planned results batch: set-based statements (a fixed number per batch, one more per slice of
// ROWS_PER_STATEMENT rows and table), the persons it creates, and an audit entry per result created, changed or deleted.
import type { EntityManager } from "typeorm";
import type { ActivityRef } from "../access";
import type { RequestContext } from "../request-context";
import { RESULT_FIELDS, type ResultFields, type ResultView } from "../result-view";
import { insertNewPersons } from "../sync/new-persons";
import { slices } from "../sync/slices";
import type { ResultDelete, ResultInsert, ResultPlan, ResultUpdate } from "./result-plan";

/** Where the batch goes, and who writes it (the audit's account and key). */
export interface ResultWriteTarget {
  activity: ActivityRef;
  ctx: RequestContext;
  accountDomain: string;
  now: Date;
}

/** A result's synced fields as an audit entry's JSON: all of them, or those that differ from `before`. */
function auditValues(result: ResultFields, before?: ResultFields): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of RESULT_FIELDS) {
    if (before && JSON.stringify(before[field]) === JSON.stringify(result[field])) continue;
    values[field] = result[field];
  }
  return values;
}

/** The columns of results written by one statement, in the order of the statements' unnest. */
function columns(results: readonly ResultView[]): unknown[] {
  const pick = <T>(get: (r: ResultView) => T) => results.map(get);
  return [
    pick((r) => r.id),
    pick((r) => r.person.id),
    pick((r) => r.registrationId),
    pick((r) => r.status),
    pick((r) => r.category),
    pick((r) => r.position),
    pick((r) => r.positionByCategory),
    pick((r) => r.positionBySex),
    pick((r) => r.time),
    pick((r) => JSON.stringify(r.splitTimes)),
    pick((r) => r.startNumber),
  ];
}

const UNNEST = `unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::int[], $10::int[],
    $11::bigint[], $12::text[], $13::text[])
  AS v(id, person_id, registration_id, status, category, position, position_by_category, position_by_sex,
    time_ms, split_times, start_number)`;

/** Writes the batch's inserts, updates and (with prune) deletions, in its transaction; failed and unchanged rows write nothing. */
export async function writeResults(
  transaction: EntityManager,
  { activity, ctx, accountDomain, now }: ResultWriteTarget,
  plans: readonly ResultPlan[],
  deleted: readonly ResultDelete[],
): Promise<void> {
  const inserted: ResultInsert[] = [];
  const updated: ResultUpdate[] = [];
  for (const plan of plans) {
    if (plan.kind === "insert") inserted.push(plan);
    if (plan.kind === "update") updated.push(plan);
  }
  await insertNewPersons(
    transaction,
    inserted.flatMap((plan) => (plan.newPerson ? [plan.result.person] : [])),
    accountDomain,
    now,
  );
  for (const slice of slices(inserted)) {
    await transaction.query(
      `INSERT INTO result (id, activity_id, person_id, registration_id, status, category, position, position_by_category,
                           position_by_sex, time_ms, split_times, start_number, created_at, modified_at)
       SELECT v.id, $1, v.person_id, v.registration_id, v.status, v.category, v.position, v.position_by_category,
              v.position_by_sex, v.time_ms, v.split_times::jsonb, v.start_number, $2, $2
         FROM ${UNNEST}`,
      [activity.id, now, ...columns(slice.map((plan) => plan.result))],
    );
  }
  for (const slice of slices(updated)) {
    await transaction.query(
      `UPDATE result s SET registration_id = v.registration_id, status = v.status, category = v.category,
              position = v.position, position_by_category = v.position_by_category, position_by_sex = v.position_by_sex,
              time_ms = v.time_ms, split_times = v.split_times::jsonb, start_number = v.start_number, modified_at = $2
         FROM ${UNNEST}
        WHERE s.id = v.id AND s.activity_id = $1`,
      [activity.id, now, ...columns(slice.map((plan) => plan.result))],
    );
  }
  for (const slice of slices(deleted)) {
    await transaction.query(`DELETE FROM result WHERE activity_id = $1 AND id = ANY($2::bpchar[])`, [
      activity.id,
      slice.map((plan) => plan.stored.id),
    ]);
  }
  const audited = [
    ...inserted.map((plan) => ({ id: plan.result.id, action: "Created", old: null, new: auditValues(plan.result) })),
    ...updated.map((plan) => ({
      id: plan.result.id,
      action: "Updated",
      old: auditValues(plan.stored, plan.result),
      new: auditValues(plan.result, plan.stored),
    })),
    ...deleted.map((plan) => ({ id: plan.stored.id, action: "Deleted", old: auditValues(plan.stored), new: {} })),
  ];
  for (const slice of slices(audited)) {
    await transaction.query(
      `INSERT INTO audit_entry (at, account_id, access_key_id, result_id, action, old_values, new_values)
       SELECT $1, $2, $3, v.id, v.action, v.old_values::jsonb, v.new_values::jsonb
         FROM unnest($4::text[], $5::text[], $6::text[], $7::text[]) AS v(id, action, old_values, new_values)`,
      [
        now,
        ctx.accountId,
        ctx.accessKeyId,
        slice.map((entry) => entry.id),
        slice.map((entry) => entry.action),
        slice.map((entry) => (entry.old ? JSON.stringify(entry.old) : null)),
        slice.map((entry) => JSON.stringify(entry.new)),
      ],
    );
  }
}
