// Persons a sync creates (an external registration's runner, a result's runner the platform does not know):
// each with a generated, unclaimed account that the runner may claim later (SPEC §4, §9).
import type { EntityManager } from "typeorm";
import { newObjectId } from "../../db/object-id";
import { copyRandomBytes } from "../../db/random-pool";
import type { PersonView } from "../registration-view";
import { slices } from "./slices";

/** A person's stored fields: their columns (in this order), SQL types and view keys. */
const PERSON_FIELDS = [
  ["given_name", "text", "givenName"],
  ["middle_name", "text", "middleName"],
  ["surname", "text", "surname"],
  ["sex", "text", "sex"],
  ["birth_date", "date", "birthDate"],
  ["language", "text", "language"],
  ["nickname", "text", "nickname"],
  ["country", "text", "country"],
  ["is_profile_public", "boolean", "isProfilePublic"],
] as const satisfies readonly (readonly [string, string, keyof PersonView])[];

/** The person table's field columns, in PERSON_FIELDS' order. */
export const PERSON_FIELD_COLUMNS: readonly string[] = PERSON_FIELDS.map(([column]) => column);
/** Their SQL types, for `unnest($n::type[], …)`. */
export const PERSON_FIELD_TYPES = PERSON_FIELDS.map(([, type]) => type);

/** The persons' fields as one array per column, in PERSON_FIELDS' order: the parameters of a set-based write. */
export function personFieldColumns(persons: readonly PersonView[]): unknown[][] {
  return PERSON_FIELDS.map(([, , key]) => persons.map((person) => person[key]));
}

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
    await transaction.query(
      `INSERT INTO person (id, account_id, ${PERSON_FIELD_COLUMNS.join(", ")})
       SELECT * FROM unnest($1::text[], $2::text[], ${PERSON_FIELD_TYPES.map((type, i) => `$${i + 3}::${type}[]`).join(", ")})`,
      [slice.map((person) => person.id), accountIds, ...personFieldColumns(slice)],
    );
  }
}
