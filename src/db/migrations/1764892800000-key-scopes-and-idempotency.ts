// Issue 5: access keys limited to reading or to some organizations, and the record of
// Idempotency-Key requests, kept in the database so that every server process sees it.
import { MigrationInterface, QueryRunner } from "typeorm";

export class KeyScopesAndIdempotency1764892800000 implements MigrationInterface {
  name = "KeyScopesAndIdempotency1764892800000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE access_key
        ADD COLUMN read_only boolean NOT NULL DEFAULT false,
        -- NULL: every organization the account is a member of.
        ADD COLUMN organization_ids char(24)[];

      CREATE TABLE idempotent_request (
        access_key_id object_id NOT NULL REFERENCES access_key(id) ON DELETE CASCADE,
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        request_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- NULL while the first request is running.
        completed_at timestamptz,
        status int,
        content_type text,
        body bytea,
        -- The answer's Sync-Summary header, sent again with a replay.
        summary text,
        PRIMARY KEY (access_key_id, key)
      );
      CREATE INDEX idempotent_request_created_idx ON idempotent_request (created_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE idempotent_request;
      ALTER TABLE access_key DROP COLUMN read_only, DROP COLUMN organization_ids;
    `);
  }
}
