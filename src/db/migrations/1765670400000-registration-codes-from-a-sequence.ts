// Issue 12: registration codes were drawn at random per batch and collided across batches written at
// once. Written codes now number from this sequence (registration-code.ts turns a number into a code):
// a sequence hands out each value once, across transactions and server processes, without waiting.
// Its end is the size of the code space (23³ × 1,000 codes); nextval fails there instead of repeating.
import type { MigrationInterface, QueryRunner } from "typeorm";
import { CODE_SPACE } from "../../services/registration-code";

export class RegistrationCodesFromASequence1765670400000 implements MigrationInterface {
  name = "RegistrationCodesFromASequence1765670400000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE SEQUENCE registration_code_seq AS integer MINVALUE 0 MAXVALUE ${CODE_SPACE - 1} START 0 NO CYCLE`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SEQUENCE registration_code_seq`);
  }
}
