// The floors `npm run bench` (sync-bench.ts) measures the results sync against (issue 14): the same result rows
// and audit entries written by hand-made set-based SQL in one transaction, knowing every id beforehand.
import type { Client } from "pg";
import { newObjectId } from "../src/db/object-id";
import type { Fixture } from "./baselines";

/** One runner's result as the benchmark uploads it. */
export interface BenchResult {
  startNumber: string;
  position: number;
  time: number;
  category: string;
}

/** The registrations a results benchmark runs on: start number i + 1 is `registrationIds[i]`, `personIds[i]`'s. */
export interface Runners {
  activityId: string;
  registrationIds: string[];
  personIds: string[];
}

/** A new result's audit values, every synced field as the sync writes them. */
const createdValues = (r: BenchResult) =>
  JSON.stringify({
    status: "Finished",
    category: r.category,
    position: r.position,
    positionByCategory: null,
    positionBySex: null,
    time: r.time,
    splitTimes: [],
    startNumber: r.startNumber,
  });

/**
 * New results as the least SQL can write them: a lock on the activity, one INSERT of the rows (their persons and
 * registrations already known, so no lookup), one INSERT of their audit entries.
 */
export async function resultInsertFloor(pg: Client, f: Fixture, runners: Runners, results: BenchResult[]) {
  const ids = results.map(() => newObjectId());
  await pg.query("BEGIN");
  await pg.query(`SELECT id FROM activity WHERE id = $1 FOR UPDATE`, [runners.activityId]);
  await pg.query(
    `INSERT INTO result (id, activity_id, person_id, registration_id, status, category, position, time_ms, start_number)
     SELECT v.id, $1, v.p, v.r, 'Finished', v.c, v.pos, v.t, v.n
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[], $8::text[]) AS v(id, p, r, c, pos, t, n)`,
    [
      runners.activityId,
      ids,
      runners.personIds,
      runners.registrationIds,
      results.map((r) => r.category),
      results.map((r) => r.position),
      results.map((r) => r.time),
      results.map((r) => r.startNumber),
    ],
  );
  await pg.query(
    `INSERT INTO audit_entry (account_id, access_key_id, result_id, action, new_values)
     SELECT $1, $2, v.id, 'Created', v.n::jsonb FROM unnest($3::text[], $4::text[]) AS v(id, n)`,
    [f.accountId, f.keyId, ids, results.map(createdValues)],
  );
  await pg.query("COMMIT");
}

/** A corrected upload where every time changes, as the least SQL can do it: one locked read, one UPDATE, one audit INSERT. */
export async function resultUpdateFloor(pg: Client, f: Fixture, activityId: string, results: BenchResult[]) {
  await pg.query("BEGIN");
  await pg.query(`SELECT id FROM activity WHERE id = $1 FOR UPDATE`, [activityId]);
  const old = await pg.query(`SELECT id, start_number, time_ms FROM result WHERE activity_id = $1 FOR UPDATE`, [
    activityId,
  ]);
  const byNumber = new Map<string, { id: string; time: string }>(
    old.rows.map((row) => [row.start_number, { id: row.id, time: row.time_ms }]),
  );
  const stored = results.map((r) => byNumber.get(r.startNumber)!);
  await pg.query(
    `UPDATE result s SET time_ms = v.t, modified_at = now() FROM unnest($2::bpchar[], $3::bigint[]) AS v(id, t)
      WHERE s.id = v.id AND s.activity_id = $1`,
    [activityId, stored.map((s) => s.id), results.map((r) => r.time)],
  );
  await pg.query(
    `INSERT INTO audit_entry (account_id, access_key_id, result_id, action, old_values, new_values)
     SELECT $1, $2, v.id, 'Updated', v.o::jsonb, v.n::jsonb FROM unnest($3::text[], $4::text[], $5::text[]) AS v(id, o, n)`,
    [
      f.accountId,
      f.keyId,
      stored.map((s) => s.id),
      stored.map((s) => JSON.stringify({ time: Number(s.time) })),
      results.map((r) => JSON.stringify({ time: r.time })),
    ],
  );
  await pg.query("COMMIT");
}
