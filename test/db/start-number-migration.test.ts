// The migration to start numbers compared up to leading zeros, on data stored before it: numbers in
// other forms are normalized with an audit entry, and numbers that now collide are all kept, the
// later ones marked start_number_clash, instead of the migration failing or dropping one.
import { Client } from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { MIGRATIONS, openDatabase } from "../../src/db/data-source";
import { StartNumbersAsRunnersReadThem1765411200000 } from "../../src/db/migrations/1765411200000-start-numbers-as-runners-read-them";
import { activityOf, nativeRegistration, organizationWithMember } from "../support/fixtures";
import { temporaryDataDir } from "../support/test-server";

const databaseUrl = inject("databaseUrl");
const dropLater: string[] = [];

/** A database of its own: this test takes the last migration back, which no other test may see. */
async function freshDatabase(): Promise<{ databaseUrl?: string; dataDir: string }> {
  if (!databaseUrl) return { dataDir: temporaryDataDir() };
  const name = `regsync_migration_${Date.now()}_${process.pid}`;
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  dropLater.push(name);
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return { databaseUrl: url.toString(), dataDir: "" };
}

afterAll(async () => {
  if (!databaseUrl || !dropLater.length) return;
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  for (const name of dropLater) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

describe("migration to start numbers compared up to leading zeros", () => {
  it("keeps colliding numbers, marks the later ones, and normalizes odd forms with an audit entry", async () => {
    const db = await openDatabase(await freshDatabase());
    try {
      // Back to before this migration (and the later ones, which run again with it).
      for (let n = MIGRATIONS.length - MIGRATIONS.indexOf(StartNumbersAsRunnersReadThem1765411200000); n > 0; n--)
        await db.undoLastMigration({ transaction: "each" });
      const organizer = await organizationWithMember(db);
      const activityId = await activityOf(db, organizer.organizationId);
      const other = await activityOf(db, organizer.organizationId);
      // What the old rule let in: one "10" five times over, in five spellings.
      const first = await nativeRegistration(db, activityId, { startNumber: "10" });
      const zeros = await nativeRegistration(db, activityId, { startNumber: "0010" });
      const fullwidth = await nativeRegistration(db, activityId, { startNumber: "１０" });
      const hidden = await nativeRegistration(db, activityId, { startNumber: "01\u200B0" });
      const cancelled = await nativeRegistration(db, activityId, { startNumber: "010", state: "Cancelled" });
      const elsewhere = await nativeRegistration(db, other, { startNumber: "010" });
      const letters = await nativeRegistration(db, activityId, { startNumber: "a7" });
      const capital = await nativeRegistration(db, activityId, { startNumber: "A7" });

      await db.runMigrations({ transaction: "each" });

      const rows = await db.query(
        `SELECT id, start_number, start_number_clash FROM registration WHERE activity_id = ANY($1::bpchar[])`,
        [[activityId, other]],
      );
      const byId = new Map(rows.map((r: any) => [r.id, [r.start_number, r.start_number_clash]]));
      expect(byId.get(first.id)).toEqual(["10", false]);
      expect(byId.get(zeros.id)).toEqual(["0010", true]);
      expect(byId.get(fullwidth.id)).toEqual(["10", true]);
      expect(byId.get(hidden.id)).toEqual(["010", true]);
      expect(byId.get(cancelled.id)).toEqual(["010", false]);
      expect(byId.get(elsewhere.id)).toEqual(["010", false]);
      expect(byId.get(letters.id)).toEqual(["a7", false]);
      expect(byId.get(capital.id)).toEqual(["A7", true]);
      const audits = await db.query(
        `SELECT registration_id, old_values, new_values, account_id FROM audit_entry WHERE registration_id = ANY($1::bpchar[]) ORDER BY registration_id`,
        [[fullwidth.id, hidden.id]],
      );
      expect(audits).toEqual(
        expect.arrayContaining([
          {
            registration_id: fullwidth.id,
            old_values: { startNumber: "１０" },
            new_values: { startNumber: "10" },
            account_id: null,
          },
          {
            registration_id: hidden.id,
            old_values: { startNumber: "01\u200B0" },
            new_values: { startNumber: "010" },
            account_id: null,
          },
        ]),
      );

      // From now on the rule holds: no new 10, and a marked registration that gets a new number loses its mark.
      await expect(nativeRegistration(db, activityId, { startNumber: "00010" })).rejects.toMatchObject({
        code: "23P01",
      });
      await db.query(`UPDATE registration SET start_number = '11', start_number_clash = false WHERE id = $1`, [
        zeros.id,
      ]);
    } finally {
      await db.destroy();
    }
  }, 120_000);
});
