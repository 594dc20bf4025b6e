// Persons a sync creates (an external registration's runner, a result's runner the platform does not know):
// each with a generated, unclaimed account that the runner may claim later (SPEC §4, §9).
import type { EntityManager } from "typeorm";
import { newObjectId } from "../../db/object-id";
import { copyRandomBytes } from "../../db/random-pool";
import type { PersonView } from "../registration-view";
import { slices } from "./slices";

const LOGIN_ALPHABET = Buffer.from("abcdefghijklmnopqrstuvwxyz0123456789");
const loginBytes = Buffer.alloc(32);

/** Built from bytes in one piece: a string grown a character at a time stays a 32-node rope in memory. */
function generatedLogin(domain: string): string {
  copyRandomBytes(loginBytes, 0, loginBytes.length);
  for (let i = 0; i < loginBytes.length; i++) loginBytes[i] = LOGIN_ALPHABET[loginBytes[i] % LOGIN_ALPHABET.length];
  return `${loginBytes.toString("latin1")}@${domain}`;
}

/**
 * Inserts `persons` (their ids already made) with an unclaimed account each, login `<32 random chars>@<domain>`:
 * two statements per slice of ROWS_PER_STATEMENT persons.
 */
export async function insertNewPersons(
  transaction: EntityManager,
  persons: readonly PersonView[],
  accountDomain: string,
  now: Date,
): Promise<void> {
  for (const slice of slices(persons)) {
    const accountIds = slice.map(() => newObjectId(now));
    await transaction.query(
      `INSERT INTO user_account (id, login, unclaimed, created_at)
       SELECT id, login, true, $3 FROM unnest($1::text[], $2::text[]) AS v(id, login)`,
      [accountIds, slice.map(() => generatedLogin(accountDomain)), now],
    );
    const pick = <K extends keyof PersonView>(key: K) => slice.map((person) => person[key]);
    await transaction.query(
      `INSERT INTO person (id, account_id, given_name, middle_name, surname, sex, birth_date, language, nickname, country, is_profile_public)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::text[], $9::text[], $10::text[], $11::boolean[])`,
      [
        pick("id"),
        accountIds,
        pick("givenName"),
        pick("middleName"),
        pick("surname"),
        pick("sex"),
        pick("birthDate"),
        pick("language"),
        pick("nickname"),
        pick("country"),
        pick("isProfilePublic"),
      ],
    );
  }
}
