// What a results batch touches, read in a fixed number of set-based statements whatever its size: the
// activity's results, the persons items name, the registrations holding their numbers, and the persons
// their name and birth date find.
import type { EntityManager } from "typeorm";
import type { ActivityRef } from "../access";
import { personKnownToOrganizers } from "../person-reach";
import { PERSON_COLUMNS, personFromRow, type PersonRow } from "../registration-view";
import { RESULT_COLUMNS, resultFromRow, type ResultView } from "../result-view";
import { startNumberKey } from "../start-number";
import { registrationsHoldingNumbers } from "../sync/batch-reader";
import { identityKey, type Candidate, type ResultFacts, type ResultKeys } from "./result-plan";

/** The registration of the person in the activity that a result names: a live one before a cancelled one. */
const REGISTRATION_OF_PERSON = `(SELECT r.id FROM registration r WHERE r.activity_id = $1 AND r.person_id = p.id
   ORDER BY r.state = 'Cancelled', r.created_at LIMIT 1) AS registration_id`;

type CandidateRow = PersonRow & { registration_id: string | null };

const candidateOf = (row: CandidateRow): Candidate => ({
  person: personFromRow(row),
  registrationId: row.registration_id,
});

/** Reads what the planner needs to know about a batch (ResultFacts without its time and labels): at most five statements. */
export async function readResultFacts(
  transaction: EntityManager,
  activity: ActivityRef,
  keyed: readonly { keys: ResultKeys | null }[],
): Promise<Omit<ResultFacts, "now" | "label">> {
  const stored = new Map<string, ResultView>();
  const rows = await transaction.query(
    `SELECT ${RESULT_COLUMNS} FROM result s JOIN person p ON p.id = s.person_id WHERE s.activity_id = $1`,
    [activity.id],
  );
  for (const row of rows) stored.set(row.person_id, resultFromRow(row));

  const personIds = new Set<string>();
  const numbers = new Set<string>();
  const identities: [string, string, string][] = [];
  for (const { keys } of keyed) {
    if (!keys) continue;
    if (keys.personId) personIds.add(keys.personId);
    if (keys.startNumber) numbers.add(startNumberKey(keys.startNumber));
    const { givenName, surname, birthDate } = keys.person;
    if (!keys.personId && givenName && surname && birthDate) identities.push([givenName, surname, birthDate]);
  }

  const known = new Map<string, Candidate>();
  if (personIds.size) {
    const found = (await transaction.query(
      `SELECT ${PERSON_COLUMNS}, ${REGISTRATION_OF_PERSON}
         FROM person p WHERE p.id = ANY($2::bpchar[]) AND ${personKnownToOrganizers("p", "$3")}`,
      [activity.id, [...personIds], [activity.organizerId]],
    )) as CandidateRow[];
    for (const row of found) known.set(row.person_id, candidateOf(row));
  }

  const holders = new Map<string, Candidate>();
  if (numbers.size) {
    const found = await registrationsHoldingNumbers(transaction, activity.id, numbers);
    // A holder's person is read only when no result of the activity holds it already: a corrected upload reads none.
    const persons = new Map([...stored.values()].map((result) => [result.person.id, result.person]));
    const missing = found.flatMap((row) => (persons.has(row.personId) ? [] : [row.personId]));
    if (missing.length) {
      const rows = (await transaction.query(`SELECT ${PERSON_COLUMNS} FROM person p WHERE p.id = ANY($1::bpchar[])`, [
        missing,
      ])) as PersonRow[];
      for (const row of rows) persons.set(row.person_id, personFromRow(row));
    }
    for (const row of found) {
      const person = persons.get(row.personId);
      if (person) holders.set(row.numberKey, { person, registrationId: row.id });
    }
  }

  const byIdentity = new Map<string, Candidate[]>();
  if (identities.length) {
    // Persons registered in this activity or with a result in it: a re-upload finds the runners it created.
    const found = (await transaction.query(
      `SELECT DISTINCT ON (p.id) ${PERSON_COLUMNS}, ${REGISTRATION_OF_PERSON}
         FROM unnest($2::text[], $3::text[], $4::date[]) AS v(g, s, b)
         JOIN person p ON lower(p.surname) = v.s AND lower(p.given_name) = v.g AND p.birth_date = v.b
        WHERE EXISTS (SELECT 1 FROM registration r WHERE r.activity_id = $1 AND r.person_id = p.id)
           OR EXISTS (SELECT 1 FROM result s WHERE s.activity_id = $1 AND s.person_id = p.id)`,
      [
        activity.id,
        identities.map(([g]) => g.toLowerCase()),
        identities.map(([, s]) => s.toLowerCase()),
        identities.map(([, , b]) => b),
      ],
    )) as CandidateRow[];
    for (const row of found) {
      const key = identityKey(row.given_name, row.surname, row.birth_date);
      byIdentity.set(key, [...(byIdentity.get(key) ?? []), candidateOf(row)]);
    }
  }
  return { activity, stored, known, holders, byIdentity };
}
