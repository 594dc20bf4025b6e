// Writes a planned results batch: set-based statements (a fixed number per batch, one more per slice of
// ROWS_PER_STATEMENT rows and table), the persons it creates, and an audit entry per result created, changed or deleted.
import type { EntityManager } from "typeorm";
import type { ActivityRef } from "../access";
import type { RequestContext } from "../request-context";
import { RESULT_FIELDS, sameField, type ResultFields, type ResultView } from "../result-view";
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
    if (before && sameField(field, before, result)) continue;
    values[field] = result[field];
  }
  return values;
}

/** A result's written columns: the table's column, its SQL type in `unnest`, and its value. */
interface WrittenColumn {
  column: string;
  type: string;
  value(r: ResultView): unknown;
}

const column = (column: string, type: string, value: (r: ResultView) => unknown): WrittenColumn => ({
  column,
  type,
  value,
});

/** The columns a sync may change, in the order of the INSERT (after id and person_id). */
const CHANGEABLE: readonly WrittenColumn[] = [
  column("registration_id", "text", (r) => r.registrationId),
  column("status", "text", (r) => r.status),
  column("category", "text", (r) => r.category),
  column("position", "int", (r) => r.position),
  column("position_by_category", "int", (r) => r.positionByCategory),
  column("position_by_sex", "int", (r) => r.positionBySex),
  column("time_ms", "bigint", (r) => r.time),
  column("split_times", "text", (r) => JSON.stringify(r.splitTimes)),
  column("start_number", "text", (r) => r.startNumber),
];

/** `v.<column>`, with split_times (sent as JSON text) read as jsonb. */
const valueOf = ({ column }: WrittenColumn) => (column === "split_times" ? "v.split_times::jsonb" : `v.${column}`);

/** `unnest($first::type[], …) AS v(id, …)` of the given columns, their parameters from `$first` on. */
function unnest(columns: readonly WrittenColumn[], first: number): string {
  const types = columns.map(({ type }, i) => `$${first + i}::${type}[]`).join(", ");
  return `unnest(${types}) AS v(${columns.map(({ column }) => column).join(", ")})`;
}

const ID = column("id", "text", (r) => r.id);
const PERSON_ID = column("person_id", "text", (r) => r.person.id);

/**
 * The columns an update writes: those some row of the batch changes. A corrected upload usually changes times
 * only; sending every column of 10,000 rows cost a third more than the statement itself.
 */
function changedColumns(updated: readonly ResultUpdate[]): WrittenColumn[] {
  return CHANGEABLE.filter(({ column, value }) =>
    updated.some((plan) =>
      column === "split_times"
        ? !sameField("splitTimes", plan.stored, plan.result)
        : value(plan.stored) !== value(plan.result),
    ),
  );
}

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
  const insertedColumns = [ID, PERSON_ID, ...CHANGEABLE];
  for (const slice of slices(inserted)) {
    await transaction.query(
      `INSERT INTO result (${insertedColumns.map(({ column }) => column).join(", ")}, activity_id, created_at, modified_at)
       SELECT ${insertedColumns.map(valueOf).join(", ")}, $1, $2, $2 FROM ${unnest(insertedColumns, 3)}`,
      [activity.id, now, ...insertedColumns.map(({ value }) => slice.map((plan) => value(plan.result)))],
    );
  }
  const updatedColumns = changedColumns(updated);
  for (const slice of slices(updated)) {
    const set = updatedColumns.map((written) => `${written.column} = ${valueOf(written)}`);
    await transaction.query(
      `UPDATE result s SET ${[...set, "modified_at = $2"].join(", ")}
         FROM ${unnest([ID, ...updatedColumns], 3)}
        WHERE s.id = v.id AND s.activity_id = $1`,
      [activity.id, now, ...[ID, ...updatedColumns].map(({ value }) => slice.map((plan) => value(plan.result)))],
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
