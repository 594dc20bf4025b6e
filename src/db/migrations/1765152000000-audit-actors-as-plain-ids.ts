// Issue 4: the audit trail names who made a change by id, without foreign keys to the account and
// the key. Their per-row checks were 40% of the audit INSERT (220 ms per 10,000 rows, measured),
// and their ON DELETE SET NULL would have erased who made a change if an account or a key were
// ever deleted; the product deletes neither (keys are revoked), and the ids come from the
// authenticated caller. The registration keeps its foreign key.
import { MigrationInterface, QueryRunner } from "typeorm";

export class AuditActorsAsPlainIds1765152000000 implements MigrationInterface {
  name = "AuditActorsAsPlainIds1765152000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE audit_entry DROP CONSTRAINT audit_entry_account_id_fkey, DROP CONSTRAINT audit_entry_access_key_id_fkey`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audit_entry
        ADD CONSTRAINT audit_entry_account_id_fkey FOREIGN KEY (account_id) REFERENCES user_account(id) ON DELETE SET NULL,
        ADD CONSTRAINT audit_entry_access_key_id_fkey FOREIGN KEY (access_key_id) REFERENCES access_key(id) ON DELETE SET NULL`);
  }
}
