// What a batch touches, read from the database in a fixed number of set-based statements, whatever
// the batch's size: the registrations and persons its items name, the holders of the numbers they ask for.
import type { EntityManager } from "typeorm";
import type { ActivityRef } from "../access";
import { personKnownToOrganizers } from "../person-reach";
import { PERSON_COLUMNS, REGISTRATION_COLUMNS, personFieldsFromRow, registrationFromRow } from "../registration-view";
import { sameStartNumber, startNumberKey } from "../start-number";
import type { SyncWarning } from "./sync-outcome";
import {
  targetOf,
  type AttachablePerson,
  type BatchFacts,
  type KeyedItem,
  type NumberHolder,
  type RowPlan,
  type StoredLookup,
  type StoredRegistration,
} from "./row-plan";

/**
 * Reads what the planner needs to know about a batch (see BatchFacts), in its transaction: at most
 * three statements (the registrations named, the persons inserts attach, the holders of wanted numbers).
 */
export async function readBatchFacts(
  transaction: EntityManager,
  activity: ActivityRef,
  keyed: readonly KeyedItem[],
): Promise<BatchFacts> {
  // Which stored registrations the items name, by id or by the client's externalId.
  const ids = keyed.flatMap(({ keys: k }) => (k.id ? [k.id] : []));
  const externalIds = keyed.flatMap(({ keys: k }) => (!k.id && k.externalId ? [k.externalId] : []));
  const storedRows = await transaction.query(
    `SELECT ${REGISTRATION_COLUMNS}, u.unclaimed
       FROM registration r JOIN person p ON p.id = r.person_id JOIN user_account u ON u.id = p.account_id
      WHERE r.activity_id = $1 AND (r.id = ANY($2::bpchar[]) OR r.external_id = ANY($3::text[]))`,
    [activity.id, ids, externalIds],
  );
  const storedById = new Map<string, StoredRegistration>();
  const storedByExternalId = new Map<string, StoredRegistration>();
  for (const row of storedRows) {
    const entry = { view: registrationFromRow(row), unclaimed: row.unclaimed as boolean };
    storedById.set(entry.view.id, entry);
    if (entry.view.externalId) storedByExternalId.set(entry.view.externalId, entry);
  }
  const stored: StoredLookup = { storedById, storedByExternalId };
  const attachable = await readAttachable(transaction, activity, keyed, stored);
  const numberHolders = await readNumberHolders(transaction, activity, keyed, stored);
  return { activity, storedById, storedByExternalId, attachable, numberHolders };
}

/** Persons that inserts attach by id: those registered with this organizer (any other is unknown to the client). */
async function readAttachable(
  transaction: EntityManager,
  activity: ActivityRef,
  keyed: readonly KeyedItem[],
  stored: StoredLookup,
): Promise<Map<string, AttachablePerson>> {
  const attachIds = keyed.flatMap(({ keys: k }) =>
    !k.id && k.personId && !(k.externalId && stored.storedByExternalId.has(k.externalId)) ? [k.personId] : [],
  );
  const attachable = new Map<string, AttachablePerson>();
  if (!attachIds.length) return attachable;
  const rows = await transaction.query(
    `SELECT ${PERSON_COLUMNS}, u.unclaimed
       FROM person p JOIN user_account u ON u.id = p.account_id
      WHERE p.id = ANY($1::bpchar[]) AND ${personKnownToOrganizers("p", "$2")}`,
    [attachIds, [activity.organizerId]],
  );
  for (const row of rows) {
    attachable.set(row.person_id, {
      unclaimed: row.unclaimed,
      fields: personFieldsFromRow(row),
    });
  }
  return attachable;
}

/**
 * The activity's registrations (not cancelled) that hold a number an item asks for: an insert's, or an
 * update's that differs from its stored one. Read before planning, so a few may turn out not to be
 * needed (an item that fails); none the rules need is missing.
 */
async function readNumberHolders(
  transaction: EntityManager,
  activity: ActivityRef,
  keyed: readonly KeyedItem[],
  stored: StoredLookup,
): Promise<NumberHolder[]> {
  const wanted = new Set<string>();
  for (const { keys, errors } of keyed) {
    if (errors.length || !keys.startNumber) continue;
    const target = targetOf(keys, stored);
    if (
      target ? target.view.state === "Cancelled" || sameStartNumber(keys.startNumber, target.view.startNumber) : keys.id
    )
      continue;
    wanted.add(startNumberKey(keys.startNumber));
  }
  if (!wanted.size) return [];
  const rows = await registrationsHoldingNumbers(transaction, activity.id, wanted);
  return rows.map((row) => ({ id: row.id, code: row.code, startNumber: row.startNumber }));
}

/** A registration (not cancelled) that holds one of the numbers asked for, with the number's key. */
export interface HeldNumber {
  id: string;
  code: string;
  personId: string;
  startNumber: string;
  numberKey: string;
}

/**
 * The activity's registrations (not cancelled) holding a start number whose key (startNumberKey) is among `keys`:
 * one statement, for any sync. A join on the keys, not `= ANY(keys)`: PostgreSQL compared each registration with
 * every key of the array, which took 0.66 s for 10,000 numbers.
 */
export async function registrationsHoldingNumbers(
  transaction: EntityManager,
  activityId: string,
  keys: Iterable<string>,
): Promise<HeldNumber[]> {
  const rows = (await transaction.query(
    `SELECT r.id, r.code, r.person_id, r.start_number, k.number_key
       FROM unnest($2::text[]) AS k(number_key)
       JOIN registration r ON r.activity_id = $1 AND r.state <> 'Cancelled' AND r.start_number IS NOT NULL
        AND start_number_key(r.start_number) = k.number_key`,
    [activityId, [...keys]],
  )) as { id: string; code: string; person_id: string; start_number: string; number_key: string }[];
  return rows.map((row) => ({
    id: row.id,
    code: row.code,
    personId: row.person_id,
    startNumber: row.start_number,
    numberKey: row.number_key,
  }));
}

/**
 * A new person with the name and birth date of one this organizer already has is worth a look: the
 * warnings by row index. The database answers one row per such item, with the persons it matches: a
 * re-import of last year's 50,000 runners would otherwise bring back a row per match and per registration.
 */
export async function findPossibleDuplicates(
  transaction: EntityManager,
  activity: ActivityRef,
  plans: readonly RowPlan[],
): Promise<Map<number, SyncWarning[]>> {
  const warnings = new Map<number, SyncWarning[]>();
  const fresh = plans.flatMap((plan) => (plan.kind === "insert" && plan.newPerson ? [plan] : []));
  if (!fresh.length) return warnings;
  const rows = (await transaction.query(
    `SELECT v.i::int AS i, string_agg(DISTINCT p.id, ',') AS ids
       FROM unnest($2::text[], $3::text[], $4::date[]) WITH ORDINALITY AS v(g, s, b, i)
       JOIN person p ON lower(p.surname) = v.s AND lower(p.given_name) = v.g AND p.birth_date = v.b
      WHERE ${personKnownToOrganizers("p", "$1")}
      GROUP BY v.i`,
    [
      [activity.organizerId],
      fresh.map((plan) => plan.registration.person.givenName.toLowerCase()),
      fresh.map((plan) => plan.registration.person.surname.toLowerCase()),
      fresh.map((plan) => plan.registration.person.birthDate),
    ],
  )) as { i: number; ids: string }[];
  for (const { i, ids } of rows) {
    const {
      index,
      registration: { person },
    } = fresh[i - 1];
    warnings.set(index, [
      {
        code: "PossibleDuplicatePerson",
        message: `${person.name}, born ${person.birthDate}, is already registered with this organizer; consider attaching person.id instead`,
        // split() makes an array of the exact size; pg's array parser grows one, which kept room for 17.
        personIds: ids.split(","),
      },
    ]);
  }
  return warnings;
}
