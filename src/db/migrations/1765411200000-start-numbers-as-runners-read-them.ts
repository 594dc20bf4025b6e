// Issue 11: start numbers that differ only by leading zeros (or by the case of their letters) are one
// number, enforced by the database as before, now on start_number_key(start_number).
//
// Existing data is kept, never dropped: stored numbers that were not in normal form (fullwidth or
// Arabic-Indic digits, zero-width characters, surrounding spaces) are rewritten to it, each with an
// audit entry naming no account; then, where two live registrations of an activity hold the same
// number under the new rule, the earliest keeps it plainly and each later one is marked
// start_number_clash, which exempts it from the constraint until its number is changed. Every such
// pair is printed while the migration runs; README ("Start numbers") says how to find them later.
import type { MigrationInterface, QueryRunner } from "typeorm";
import { normalizeStartNumber } from "../../services/start-number";

// The letters start_number_key folds to lower case: ASCII, Latin-1 and Latin Extended-A (as startNumberKey does).
const UPPER =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ";
const LOWER =
  "abcdefghijklmnopqrstuvwxyzàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįĳĵķĺļľŀłńņňŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷÿźżž";

export class StartNumbersAsRunnersReadThem1765411200000 implements MigrationInterface {
  name = "StartNumbersAsRunnersReadThem1765411200000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION start_number_key(number text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT CASE WHEN number ~ '^[0-9]+$' THEN coalesce(nullif(ltrim(number, '0'), ''), '0')
                          ELSE translate(number, '${UPPER}', '${LOWER}') END $$;
      ALTER TABLE registration ADD COLUMN start_number_clash boolean NOT NULL DEFAULT false;
      COMMENT ON COLUMN registration.start_number_clash IS
        'True when this registration''s number already clashed with an earlier one''s when start numbers began to be compared up to leading zeros; exempt from uniqueness until the number is changed';
      ALTER TABLE registration DROP CONSTRAINT registration_start_number_unique;
    `);

    // Only numbers with something besides ASCII letters, digits and common punctuation can change.
    const odd = (await q.query(
      `SELECT id, start_number FROM registration WHERE start_number !~ '^[A-Za-z0-9._/#-]+$'`,
    )) as { id: string; start_number: string }[];
    const rewritten = odd.flatMap(({ id, start_number }) => {
      const normal = normalizeStartNumber(start_number);
      return typeof normal === "string" && normal !== start_number ? [{ id, from: start_number, to: normal }] : [];
    });
    if (rewritten.length) {
      await q.query(
        `UPDATE registration r SET start_number = v.start_number FROM unnest($1::bpchar[], $2::text[]) AS v(id, start_number) WHERE r.id = v.id`,
        [rewritten.map((r) => r.id), rewritten.map((r) => r.to)],
      );
      await q.query(
        `INSERT INTO audit_entry (registration_id, action, old_values, new_values)
         SELECT id, 'Updated', jsonb_build_object('startNumber', old), jsonb_build_object('startNumber', new)
           FROM unnest($1::text[], $2::text[], $3::text[]) AS v(id, old, new)`,
        [rewritten.map((r) => r.id), rewritten.map((r) => r.from), rewritten.map((r) => r.to)],
      );
    }

    const clashes = (await q.query(`
      WITH live AS (
        SELECT r.id, r.code, r.activity_id, r.start_number,
               first_value(r.code) OVER w AS keeper_code, first_value(r.start_number) OVER w AS keeper_number,
               row_number() OVER w AS n
          FROM registration r
         WHERE r.state <> 'Cancelled' AND r.start_number IS NOT NULL
        WINDOW w AS (PARTITION BY r.activity_id, start_number_key(r.start_number) ORDER BY r.created_at, r.id)
      ), marked AS (
        UPDATE registration r SET start_number_clash = true FROM live
         WHERE live.id = r.id AND live.n > 1
        RETURNING live.activity_id, live.code, live.start_number, live.keeper_code, live.keeper_number
      )
      SELECT * FROM marked`)) as {
      activity_id: string;
      code: string;
      start_number: string;
      keeper_code: string;
      keeper_number: string;
    }[];
    for (const c of clashes) {
      console.warn(
        `start numbers: activity ${c.activity_id}: registration ${c.code} (${c.start_number}) clashes with ${c.keeper_code} (${c.keeper_number}); kept, marked start_number_clash`,
      );
    }

    await q.query(`
      ALTER TABLE registration ADD CONSTRAINT registration_start_number_unique
        EXCLUDE USING btree (activity_id WITH =, start_number_key(start_number) WITH =)
        WHERE (state <> 'Cancelled' AND start_number IS NOT NULL AND NOT start_number_clash)
        DEFERRABLE INITIALLY DEFERRED;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE registration DROP CONSTRAINT registration_start_number_unique;
      ALTER TABLE registration DROP COLUMN start_number_clash;
      ALTER TABLE registration ADD CONSTRAINT registration_start_number_unique
        EXCLUDE USING btree (activity_id WITH =, start_number WITH =)
        WHERE (state <> 'Cancelled' AND start_number IS NOT NULL)
        DEFERRABLE INITIALLY DEFERRED;
      DROP FUNCTION start_number_key(text);
    `);
  }
}
