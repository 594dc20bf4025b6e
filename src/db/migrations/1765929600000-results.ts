// Issue 14: the results of an activity (SPEC §9), one per person, and their audit entries. A result
// names its registration when the person has one in the activity; positions belong to finishers only.
// An audit entry names a result by a plain id, so that a deleted result's entry keeps naming it.
import type { MigrationInterface, QueryRunner } from "typeorm";

export class Results1765929600000 implements MigrationInterface {
  name = "Results1765929600000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE result (
        id object_id PRIMARY KEY,
        activity_id object_id NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
        person_id object_id NOT NULL REFERENCES person(id),
        registration_id object_id REFERENCES registration(id) ON DELETE SET NULL,
        status text NOT NULL CHECK (status IN ('Finished', 'DidNotFinish', 'DidNotStart', 'Disqualified')),
        category text CHECK (category <> '' AND char_length(category) <= 32),
        position integer CHECK (position > 0),
        position_by_category integer CHECK (position_by_category > 0),
        position_by_sex integer CHECK (position_by_sex > 0),
        time_ms bigint CHECK (time_ms >= 0),
        split_times jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(split_times) = 'array'),
        start_number text CHECK (start_number <> ''),
        created_at timestamptz NOT NULL DEFAULT now(),
        modified_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT result_person_unique UNIQUE (activity_id, person_id),
        CONSTRAINT result_positions_of_finishers CHECK (
          status = 'Finished' OR (position IS NULL AND position_by_category IS NULL AND position_by_sex IS NULL))
      );
      CREATE INDEX result_activity_position_idx ON result (activity_id, position);
      CREATE INDEX result_activity_modified_idx ON result (activity_id, modified_at);
      CREATE INDEX result_person_idx ON result (person_id);

      ALTER TABLE audit_entry
        ALTER COLUMN registration_id DROP NOT NULL,
        ADD COLUMN result_id object_id,
        DROP CONSTRAINT audit_entry_action_check,
        ADD CONSTRAINT audit_entry_action_check CHECK (action IN ('Created', 'Updated', 'Deleted')),
        ADD CONSTRAINT audit_entry_subject CHECK (registration_id IS NOT NULL OR result_id IS NOT NULL);
      CREATE INDEX audit_entry_result_idx ON audit_entry (result_id, at) WHERE result_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM audit_entry WHERE registration_id IS NULL;
      ALTER TABLE audit_entry
        DROP CONSTRAINT audit_entry_subject,
        DROP COLUMN result_id,
        DROP CONSTRAINT audit_entry_action_check,
        ADD CONSTRAINT audit_entry_action_check CHECK (action IN ('Created', 'Updated')),
        ALTER COLUMN registration_id SET NOT NULL;
      DROP TABLE result;
    `);
  }
}
