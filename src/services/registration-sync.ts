// The registration sync (SPEC §4): one service behind the GraphQL mutation and both REST formats.
// A batch runs in one transaction with the activity locked; every database step is set-based, so
// a batch costs the same number of statements whatever its size.
import { randomInt } from "node:crypto";
import { EventEmitter } from "node:events";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { DataSource, QueryRunner } from "typeorm";
import { unavailability } from "../db/database-errors";
import { newObjectId } from "../db/object-id";
import { copyRandomBytes } from "../db/random-pool";
import type { RegistrationState } from "../entities/registration";
import { loadWritableActivity, type ActivityRef } from "./access";
import { ConflictError } from "./domain-errors";
import { previewRegistrationCode, registrationCode } from "./registration-code";
import type { RequestContext } from "./request-context";
import { sameStartNumber, startNumberKey } from "./start-number";
import {
  PERSON_FIELDS, readInsertAmount, readInsertState, readItemKeys, readPersonFields,
  type ItemKeys, type RowError, type SyncItemInput,
} from "./sync-input";
import {
  REGISTRATION_COLUMNS, personView, registrationFromRow,
  type PersonFields, type RegistrationView,
} from "./registration-view";

export type { RowError, SyncItemInput } from "./sync-input";

/** The platform's documented result values; `Deleted` is reserved (deleting is not offered). */
export type SyncResultType = "Created" | "Updated" | "Unchanged" | "Deleted" | "Skipped";
export const SYNC_RESULT_TYPES: readonly SyncResultType[] = ["Created", "Updated", "Unchanged", "Deleted", "Skipped"];

export type SyncMode = "AllOrNothing" | "Partial";

/** Every committed batch is announced here (metrics count its rows). */
export const syncEvents = new EventEmitter<{ applied: [SyncOutcome] }>();

export interface SyncOptions {
  mode?: SyncMode;
  dryRun?: boolean;
  /** Domain of generated logins (`<32 random chars>@<domain>`). */
  accountDomain: string;
  /** How messages name another item of the batch: `item 3` by default; a CSV upload says `line 5`. */
  itemLabel?: (index: number) => string;
  /** Runs inside the batch's transaction once it is written, with the outcome: what it writes commits with the batch. */
  beforeCommit?: (runner: QueryRunner, outcome: SyncOutcome) => Promise<void>;
}

export interface SyncWarning {
  code: "PossibleDuplicatePerson";
  message: string;
  personIds: string[];
}

export interface SyncItemResult {
  index: number;
  syncResultType: SyncResultType;
  /** The registration as stored (or as it would be, in a dry run); null for a failed insert. */
  registration: RegistrationView | null;
  errors: RowError[];
  warnings: SyncWarning[];
}

export interface SyncOutcome {
  /** False when the batch was rejected (all-or-nothing with failing rows) or was a dry run. */
  applied: boolean;
  dryRun: boolean;
  /** One per item, in input order; empty when the batch was rejected. */
  results: SyncItemResult[];
  /** The errors of the first LISTED_FAILED_ROWS failing rows, in input order (see failedRows and errorCount for all). */
  errors: RowError[];
  /** How many rows failed, and how many errors they had, in all. */
  failedRows: number;
  errorCount: number;
}

/**
 * Most failing rows whose errors an outcome lists; the rest are only counted. 50,000 rows that all fail
 * would otherwise make an answer of hundreds of thousands of errors, megabytes a client cannot use.
 */
export const LISTED_FAILED_ROWS = 1000;

/** The errors an outcome lists (see LISTED_FAILED_ROWS), with the counts of all. */
function listedErrors(plans: Plan[]): Pick<SyncOutcome, "errors" | "failedRows" | "errorCount"> {
  const errors: RowError[] = [];
  let failedRows = 0;
  let errorCount = 0;
  for (const plan of plans) {
    if (!failed(plan)) continue;
    if (++failedRows <= LISTED_FAILED_ROWS) errors.push(...plan.errors);
    errorCount += plan.errors.length;
  }
  return { errors, failedRows, errorCount };
}

interface Plan {
  index: number;
  errors: RowError[];
  warnings: SyncWarning[];
  /** Stored registration (update) or null (insert). */
  stored: RegistrationView | null;
  /** The resulting registration. */
  result: RegistrationView | null;
  personChanged: boolean;
  newPerson: boolean;
  numberChanged: boolean;
}

const LOGIN_ALPHABET = Buffer.from("abcdefghijklmnopqrstuvwxyz0123456789");
const loginBytes = Buffer.alloc(32);

/** Built from bytes in one piece: a string grown a character at a time stays a 32-node rope in memory. */
function generatedLogin(domain: string): string {
  copyRandomBytes(loginBytes, 0, loginBytes.length);
  for (let i = 0; i < loginBytes.length; i++) loginBytes[i] = LOGIN_ALPHABET[loginBytes[i] % LOGIN_ALPHABET.length];
  return `${loginBytes.toString("latin1")}@${domain}`;
}

function personFieldsOf(view: RegistrationView["person"]): PersonFields {
  const { givenName, middleName, surname, sex, birthDate, language, nickname, country, isProfilePublic } = view;
  return { givenName, middleName, surname, sex, birthDate, language, nickname, country, isProfilePublic };
}

const failed = (plan: Plan) => plan.errors.length > 0;

/**
 * Items planned between two turns of the event loop: planning 30,000 rows at once held the server for
 * a third of a second, in which it answered nothing else (issue 12). A turn costs microseconds.
 */
const ITEMS_PER_TURN = 2000;

/** Tries of a batch that meets a deadlock or serialization failure; then the error goes to the caller (503). */
export const SYNC_ATTEMPTS = 3;

/**
 * Applies a batch of items to an activity's registrations.
 * Row failures are returned in the outcome, never thrown. A batch that deadlocks with another transaction
 * is rolled back and run again from the start, up to SYNC_ATTEMPTS times.
 * @param items emptied once the batch is done; kept until then, since a batch run again is planned again.
 * @throws ForbiddenError when the caller's key is read-only.
 * @throws NotFoundError when the activity is missing or unreachable for the caller.
 * @throws ConflictError when the database refuses the batch at commit (a concurrent change).
 * @throws the database's error when the batch still deadlocks after its last try, or the database is unavailable (see database-errors.ts).
 */
export async function syncRegistrations(
  db: DataSource,
  ctx: RequestContext,
  activityId: string,
  items: SyncItemInput[],
  options: SyncOptions,
): Promise<SyncOutcome> {
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        return await syncOnce(db, ctx, activityId, items, options);
      } catch (error) {
        if (attempt >= SYNC_ATTEMPTS || unavailability(error) !== "contention") throw error;
        // A random pause, so that the transactions that met do not meet again at once.
        await new Promise((resolve) => setTimeout(resolve, attempt * (25 + randomInt(75))));
      }
    }
  } finally {
    items.length = 0;
  }
}

async function syncOnce(
  db: DataSource,
  ctx: RequestContext,
  activityId: string,
  items: readonly SyncItemInput[],
  options: SyncOptions,
): Promise<SyncOutcome> {
  const mode = options.mode ?? "AllOrNothing";
  const dryRun = options.dryRun ?? false;
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const activity = await loadWritableActivity(runner.manager, ctx, activityId, true);
    const now = new Date();
    const plans = await planBatch(runner, activity, items, now, options.itemLabel ?? ((index) => `item ${index}`));
    const errors = listedErrors(plans);
    if (errors.errorCount > 0 && mode === "AllOrNothing") {
      await runner.rollbackTransaction();
      return { applied: false, dryRun, results: [], ...errors };
    }
    // Only now: a rejected batch uses up no codes.
    await assignCodes(runner, plans, dryRun);
    if (!dryRun) await writeBatch(runner, ctx, activity, plans, options.accountDomain, now);
    // Made after the write, so that a large batch's results and its write's parameters are not held at once.
    const outcome: SyncOutcome = { applied: !dryRun, dryRun, results: plans.map(resultOf), ...errors };
    if (dryRun) {
      await runner.rollbackTransaction();
    } else {
      await options.beforeCommit?.(runner, outcome);
      await runner.commitTransaction();
      syncEvents.emit("applied", outcome);
    }
    return outcome;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    const code = (error as { code?: string }).code;
    if (code === "23P01" || code === "23505") {
      throw new ConflictError("A concurrent change conflicts with this batch; nothing was written. Retry it.");
    }
    throw error;
  } finally {
    await runner.release();
  }
}

/** How many of a batch's rows got each result: every type but the reserved `Deleted`, in the documented order. */
export function countResults(outcome: SyncOutcome): Map<SyncResultType, number> {
  const counts = new Map<SyncResultType, number>(SYNC_RESULT_TYPES.filter((type) => type !== "Deleted").map((type) => [type, 0]));
  for (const result of outcome.results) counts.set(result.syncResultType, counts.get(result.syncResultType)! + 1);
  return counts;
}

function resultOf(plan: Plan): SyncItemResult {
  let syncResultType: SyncResultType;
  if (failed(plan)) syncResultType = "Skipped";
  else if (!plan.stored) syncResultType = "Created";
  else syncResultType = plan.personChanged || plan.numberChanged ? "Updated" : "Unchanged";
  const registration = failed(plan) ? plan.stored : plan.result;
  return { index: plan.index, syncResultType, registration, errors: plan.errors, warnings: plan.warnings };
}

async function planBatch(
  runner: QueryRunner,
  activity: ActivityRef,
  items: readonly SyncItemInput[],
  now: Date,
  label: (index: number) => string,
): Promise<Plan[]> {
  // Each item's keys, by index; not kept in the plans, which outlive planning.
  const keys: ItemKeys[] = [];
  const plans: Plan[] = [];
  for (const [index, item] of items.entries()) {
    if (index % ITEMS_PER_TURN === ITEMS_PER_TURN - 1) await nextTurn();
    const errors: RowError[] = [];
    keys.push(readItemKeys(item, index, errors));
    plans.push({
      index, errors, warnings: [], stored: null, result: null,
      personChanged: false, newPerson: false, numberChanged: false,
    });
  }

  // Which stored registrations the items name, by id or by the client's externalId.
  const ids = keys.flatMap((k) => (k.id ? [k.id] : []));
  const externalIds = keys.flatMap((k) => (!k.id && k.externalId ? [k.externalId] : []));
  const storedRows = await runner.query(
    `SELECT ${REGISTRATION_COLUMNS}, u.unclaimed
       FROM registration r JOIN person p ON p.id = r.person_id JOIN user_account u ON u.id = p.account_id
      WHERE r.activity_id = $1 AND (r.id = ANY($2::bpchar[]) OR r.external_id = ANY($3::text[]))`,
    [activity.id, ids, externalIds],
  );
  const byId = new Map<string, { view: RegistrationView; unclaimed: boolean }>();
  const byExternalId = new Map<string, { view: RegistrationView; unclaimed: boolean }>();
  for (const row of storedRows) {
    const entry = { view: registrationFromRow(row), unclaimed: row.unclaimed as boolean };
    byId.set(entry.view.id, entry);
    if (entry.view.externalId) byExternalId.set(entry.view.externalId, entry);
  }

  // Persons that inserts attach by id must already be registered with this organizer.
  const attachIds = keys.flatMap((k) => (!k.id && k.personId && !(k.externalId && byExternalId.has(k.externalId)) ? [k.personId] : []));
  const attachable = new Map<string, { fields: PersonFields; unclaimed: boolean }>();
  if (attachIds.length) {
    const rows = await runner.query(
      `SELECT p.id, p.given_name, p.middle_name, p.surname, p.sex, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date,
              p.language, p.nickname, p.country, p.is_profile_public, u.unclaimed
         FROM person p JOIN user_account u ON u.id = p.account_id
        WHERE p.id = ANY($1::bpchar[]) AND EXISTS (
          SELECT 1 FROM registration r JOIN activity a ON a.id = r.activity_id JOIN event e ON e.id = a.event_id
           WHERE r.person_id = p.id AND e.organizer_id = $2)`,
      [attachIds, activity.organizerId],
    );
    for (const row of rows) {
      attachable.set(row.id, {
        unclaimed: row.unclaimed,
        fields: {
          givenName: row.given_name, middleName: row.middle_name, surname: row.surname, sex: row.sex,
          birthDate: row.birth_date, language: row.language, nickname: row.nickname, country: row.country,
          isProfilePublic: row.is_profile_public,
        },
      });
    }
  }

  const claimedBy = new Map<string, number>();
  const externalIdOfInsert = new Map<string, number>();
  for (const plan of plans) {
    if (plan.index % ITEMS_PER_TURN === ITEMS_PER_TURN - 1) await nextTurn();
    if (failed(plan)) continue;
    const item = items[plan.index];
    const itemKeys = keys[plan.index];
    const entry = itemKeys.id ? byId.get(itemKeys.id) : itemKeys.externalId ? byExternalId.get(itemKeys.externalId) : undefined;
    if (itemKeys.id && !entry) {
      plan.errors.push({ index: plan.index, field: "id", code: "UnknownRegistration", message: `Registration ${itemKeys.id} does not exist in this activity` });
      continue;
    }
    if (entry) {
      const earlier = claimedBy.get(entry.view.id);
      if (earlier !== undefined) {
        plan.errors.push({ index: plan.index, field: itemKeys.id ? "id" : "externalId", code: "DuplicateItem", message: `Registration ${entry.view.code} is already changed by ${label(earlier)}`, registrationId: entry.view.id });
        continue;
      }
      claimedBy.set(entry.view.id, plan.index);
      planUpdate(plan, itemKeys, item, entry.view, entry.unclaimed, now);
    } else {
      if (itemKeys.externalId) {
        const earlier = externalIdOfInsert.get(itemKeys.externalId);
        if (earlier !== undefined) {
          plan.errors.push({ index: plan.index, field: "externalId", code: "DuplicateItem", message: `externalId ${itemKeys.externalId} is already inserted by ${label(earlier)}` });
          continue;
        }
        externalIdOfInsert.set(itemKeys.externalId, plan.index);
      }
      planInsert(plan, itemKeys, item, activity, attachable, now);
    }
  }

  failSharedPersonChanges(plans, label);
  await checkStartNumbers(runner, activity, plans, label);
  await flagPossibleDuplicates(runner, activity, plans);
  return plans;
}

function planUpdate(plan: Plan, keys: ItemKeys, item: SyncItemInput, stored: RegistrationView, unclaimed: boolean, now: Date): void {
  const { index } = plan;
  plan.stored = stored;
  if (keys.personId && keys.personId !== stored.person.id) {
    plan.errors.push({ index, field: "person.id", code: "PersonMismatch", message: `Registration ${stored.code} belongs to person ${stored.person.id}, not ${keys.personId}` });
    return;
  }
  // A number equal to the stored one up to leading zeros or case keeps the stored spelling: a
  // spreadsheet that turned 0010 into 10 changes nothing.
  const wanted = keys.startNumber === undefined ? stored.startNumber : keys.startNumber;
  const startNumber = sameStartNumber(wanted, stored.startNumber) ? stored.startNumber : wanted;
  plan.numberChanged = startNumber !== stored.startNumber;
  let person = stored.person;
  // Every row's person values are read by the same rules; only imported persons whose account nobody
  // has claimed are the client's to edit.
  const given = readPersonFields(item, index, unclaimed ? "edit" : "check", plan.errors);
  if (failed(plan)) return;
  if (unclaimed) {
    const fields = { ...personFieldsOf(stored.person), ...given };
    plan.personChanged = PERSON_FIELDS.some((name) => fields[name] !== stored.person[name]);
    if (plan.personChanged) person = personView(stored.person.id, fields);
  }
  // What does not change is shared with the stored view rather than copied.
  plan.result = plan.numberChanged || plan.personChanged ? { ...stored, startNumber, modified: now, person } : stored;
}

function planInsert(
  plan: Plan,
  keys: ItemKeys,
  item: SyncItemInput,
  activity: ActivityRef,
  attachable: Map<string, { fields: PersonFields; unclaimed: boolean }>,
  now: Date,
): void {
  const { index } = plan;
  const state = readInsertState(item, index, plan.errors);
  const amount = readInsertAmount(item, index, activity.currency, plan.errors);
  let personId: string;
  let fields: PersonFields;
  if (keys.personId) {
    const known = attachable.get(keys.personId);
    if (!known) {
      plan.errors.push({ index, field: "person.id", code: "UnknownPerson", message: `Person ${keys.personId} is not known to this organizer` });
      return;
    }
    personId = keys.personId;
    fields = known.fields;
    const given = readPersonFields(item, index, known.unclaimed ? "edit" : "check", plan.errors);
    if (known.unclaimed) {
      fields = { ...fields, ...given };
      plan.personChanged = PERSON_FIELDS.some((name) => fields[name] !== known.fields[name]);
    }
  } else {
    const given = readPersonFields(item, index, "new", plan.errors);
    personId = newObjectId(now);
    plan.newPerson = true;
    fields = {
      middleName: null, language: null, nickname: null, country: null, isProfilePublic: false,
      ...given,
    } as PersonFields;
  }
  if (failed(plan)) return;
  plan.numberChanged = true;
  plan.result = {
    id: newObjectId(now),
    activityId: activity.id,
    created: now,
    modified: now,
    code: "",
    state,
    startNumber: keys.startNumber ?? null,
    amount,
    source: "External",
    externalId: keys.externalId ?? null,
    person: personView(personId, fields),
  };
}

/**
 * A person changed by one item may not appear in another item of the batch (an update of another of
 * their registrations, or an insert attaching them): each result would show its own version of the
 * person, while only one can be stored. The first item keeps the person; the others fail.
 */
function failSharedPersonChanges(plans: Plan[], label: (index: number) => string): void {
  // A new person's id is fresh, so only stored persons can be shared. No list per person: at 50,000
  // rows those lists were megabytes, kept for the whole batch.
  const named = (plan: Plan) => !failed(plan) && plan.result !== null && !plan.newPerson;
  const first = new Map<string, Plan>();
  const repeated = new Set<string>();
  const changed = new Set<string>();
  for (const plan of plans) {
    if (!named(plan)) continue;
    const personId = plan.result!.person.id;
    if (first.has(personId)) repeated.add(personId);
    else first.set(personId, plan);
    if (plan.personChanged) changed.add(personId);
  }
  for (const plan of plans) {
    if (!named(plan)) continue;
    const personId = plan.result!.person.id;
    const keeper = first.get(personId)!;
    if (keeper === plan || !repeated.has(personId) || !changed.has(personId)) continue;
    plan.errors.push({
      index: plan.index, field: "person.id", code: "DuplicateItem",
      message: `Person ${personId} is already in ${label(keeper.index)}; change a person in one item per batch`,
    });
  }
}

/**
 * Start numbers are unique among an activity's registrations that are not cancelled, compared by their
 * key (`10` and `0010` are one number). The batch is judged by its end state, so numbers may be
 * exchanged inside it. In partial mode a failed row keeps its stored number, which can make another
 * row fail: repeat until nothing changes.
 */
async function checkStartNumbers(runner: QueryRunner, activity: ActivityRef, plans: Plan[], label: (index: number) => string): Promise<void> {
  const live = (state: RegistrationState) => state !== "Cancelled";
  const wanted = [...new Set(plans.flatMap((p) => (p.result?.startNumber && p.numberChanged && live(p.result.state) ? [startNumberKey(p.result.startNumber)] : [])))];
  if (!wanted.length) return;
  const holders = (await runner.query(
    `SELECT id, code, start_number FROM registration
      WHERE activity_id = $1 AND state <> 'Cancelled' AND start_number_key(start_number) = ANY($2::text[])`,
    [activity.id, wanted],
  )) as { id: string; code: string; start_number: string }[];

  type Holder = Plan | { id: string; code: string; start_number: string };
  const isPlan = (who: Holder): who is Plan => "index" in who;
  const numberOf = (who: Holder) => (isPlan(who) ? who.result!.startNumber! : who.start_number);
  for (;;) {
    // key → who holds it at the end of the batch; a list only where two or more do.
    const first = new Map<string, Holder>();
    const clashes = new Map<string, Holder[]>();
    const add = (who: Holder) => {
      const key = startNumberKey(numberOf(who));
      const earlier = first.get(key);
      if (!earlier) first.set(key, who);
      else if (clashes.has(key)) clashes.get(key)!.push(who);
      else clashes.set(key, [earlier, who]);
    };
    const inBatch = new Set(plans.filter((p) => !failed(p) && p.stored).map((p) => p.stored!.id));
    for (const holder of holders) {
      if (!inBatch.has(holder.id)) add(holder);
    }
    for (const plan of plans) {
      if (failed(plan) || !plan.result?.startNumber || !live(plan.result.state)) continue;
      add(plan);
    }
    let newFailures = false;
    for (const list of clashes.values()) {
      for (const who of list) {
        if (!isPlan(who) || !who.numberChanged) continue;
        const other = list.find((o) => o !== who)!;
        const otherName = isPlan(other)
          ? other.stored ? `registration ${other.stored.code} (${label(other.index)})` : label(other.index)
          : `registration ${other.code}`;
        const spelled = numberOf(other) === numberOf(who) ? "" : ` as ${numberOf(other)}`;
        who.errors.push({
          index: who.index, field: "startNumber", code: "StartNumberTaken",
          message: `Start number ${numberOf(who)} is held by ${otherName}${spelled}`,
          registrationId: isPlan(other) ? other.stored?.id : other.id,
        });
        newFailures = true;
      }
    }
    if (!newFailures) return;
  }
}

/**
 * Gives each new registration a unique code. A batch that writes numbers its codes from the database's
 * sequence, so batches written at once never draw the same code and never wait for each other's;
 * the codes of older registrations (drawn at random before the sequence) are skipped, and the few they
 * displace are drawn again. A dry run shows unreserved random codes. The statement count stays fixed.
 */
async function assignCodes(runner: QueryRunner, plans: Plan[], dryRun: boolean): Promise<void> {
  let pending = plans.filter((p) => !failed(p) && p.result && !p.stored);
  while (pending.length) {
    let candidates: string[];
    if (dryRun) {
      const drawn = new Set<string>();
      while (drawn.size < pending.length + Math.max(16, Math.ceil(pending.length / 4))) drawn.add(previewRegistrationCode());
      candidates = [...drawn];
    } else {
      const numbers = (await runner.query(
        `SELECT nextval('registration_code_seq')::int AS n FROM generate_series(1, $1::int)`,
        [pending.length],
      )) as { n: number }[];
      candidates = numbers.map(({ n }) => registrationCode(n));
    }
    const taken = new Set(
      ((await runner.query(`SELECT code FROM registration WHERE code = ANY($1::text[])`, [candidates])) as { code: string }[]).map((r) => r.code),
    );
    const free = candidates.filter((code) => !taken.has(code));
    for (const plan of pending.splice(0, free.length)) plan.result!.code = free.pop()!;
  }
}

/**
 * A new person with the name and birth date of one this organizer already has is worth a look.
 * The database answers one row per such item, with the persons it matches: a re-import of last
 * year's 50,000 runners would otherwise bring back a row per match and per registration.
 */
async function flagPossibleDuplicates(runner: QueryRunner, activity: ActivityRef, plans: Plan[]): Promise<void> {
  const fresh = plans.filter((p) => !failed(p) && p.newPerson && p.result);
  if (!fresh.length) return;
  const rows = (await runner.query(
    `SELECT v.i::int AS i, string_agg(DISTINCT p.id, ',') AS ids
       FROM unnest($2::text[], $3::text[], $4::date[]) WITH ORDINALITY AS v(g, s, b, i)
       JOIN person p ON lower(p.surname) = v.s AND lower(p.given_name) = v.g AND p.birth_date = v.b
      WHERE EXISTS (SELECT 1 FROM registration r JOIN activity a ON a.id = r.activity_id JOIN event e ON e.id = a.event_id
                     WHERE r.person_id = p.id AND e.organizer_id = $1)
      GROUP BY v.i`,
    [
      activity.organizerId,
      fresh.map((p) => p.result!.person.givenName.toLowerCase()),
      fresh.map((p) => p.result!.person.surname.toLowerCase()),
      fresh.map((p) => p.result!.person.birthDate),
    ],
  )) as { i: number; ids: string }[];
  for (const { i, ids } of rows) {
    const plan = fresh[i - 1];
    const person = plan.result!.person;
    plan.warnings = [{
      code: "PossibleDuplicatePerson",
      message: `${person.name}, born ${person.birthDate}, is already registered with this organizer; consider attaching person.id instead`,
      // split() makes an array of the exact size; pg's array parser grows one, which kept room for 17.
      personIds: ids.split(","),
    }];
  }
}

const AUDITED_PERSON_KEYS = PERSON_FIELDS.map((name) => [name, `person.${name}`] as const);

/** The audited values (start number, person fields) that differ, as the audit entry's old and new JSON. */
function auditedChange(from: RegistrationView, to: RegistrationView): { old: string; new: string } {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  if (from.startNumber !== to.startNumber) {
    before.startNumber = from.startNumber;
    after.startNumber = to.startNumber;
  }
  for (const [name, key] of AUDITED_PERSON_KEYS) {
    if (from.person[name] !== to.person[name]) {
      before[key] = from.person[name];
      after[key] = to.person[name];
    }
  }
  return { old: JSON.stringify(before), new: JSON.stringify(after) };
}


/**
 * Rows per statement. Up to this many a batch costs a fixed number of statements; a bigger one is
 * written in slices inside the same transaction, so that no single statement's parameters (tens of
 * megabytes for 50,000 rows) are held at once.
 */
export const ROWS_PER_STATEMENT = 10_000;

function* slices<T>(list: T[]): Generator<T[]> {
  for (let start = 0; start < list.length; start += ROWS_PER_STATEMENT) yield list.slice(start, start + ROWS_PER_STATEMENT);
}

async function writeBatch(
  runner: QueryRunner,
  ctx: RequestContext,
  activity: ActivityRef,
  plans: Plan[],
  accountDomain: string,
  now: Date,
): Promise<void> {
  const ok = plans.filter((p) => !failed(p) && p.result);
  const updated = ok.filter((p) => p.stored && (p.numberChanged || p.personChanged));
  const inserted = ok.filter((p) => !p.stored);
  const changedPersons = new Map<string, RegistrationView["person"]>();
  for (const plan of ok) if (plan.personChanged) changedPersons.set(plan.result!.person.id, plan.result!.person);
  const column = <T>(list: Plan[], pick: (r: RegistrationView) => T) => list.map((p) => pick(p.result!));

  for (const slice of slices(updated)) {
    await runner.query(
      `UPDATE registration r SET start_number = v.start_number, modified_at = $3,
              start_number_clash = r.start_number_clash AND r.start_number IS NOT DISTINCT FROM v.start_number
         FROM unnest($1::bpchar[], $2::text[]) AS v(id, start_number) WHERE r.id = v.id`,
      [column(slice, (r) => r.id), column(slice, (r) => r.startNumber), now],
    );
  }
  if (changedPersons.size) {
    const newPersonIds = new Set(inserted.filter((p) => p.newPerson).map((p) => p.result!.person.id));
    for (const persons of slices([...changedPersons.values()].filter((person) => !newPersonIds.has(person.id)))) {
      const pick = <K extends keyof RegistrationView["person"]>(key: K) => persons.map((p) => p[key]);
      await runner.query(
        `UPDATE person p SET given_name = v.given_name, middle_name = v.middle_name, surname = v.surname,
                sex = v.sex, birth_date = v.birth_date, language = v.language, nickname = v.nickname,
                country = v.country, is_profile_public = v.is_profile_public
           FROM unnest($1::bpchar[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::text[], $8::text[], $9::text[], $10::boolean[])
             AS v(id, given_name, middle_name, surname, sex, birth_date, language, nickname, country, is_profile_public)
          WHERE p.id = v.id`,
        [pick("id"), pick("givenName"), pick("middleName"), pick("surname"), pick("sex"), pick("birthDate"),
          pick("language"), pick("nickname"), pick("country"), pick("isProfilePublic")],
      );
    }
  }
  for (const newPersons of slices(inserted.filter((p) => p.newPerson))) {
    const accountIds = newPersons.map(() => newObjectId(now));
    await runner.query(
      `INSERT INTO user_account (id, login, unclaimed, created_at)
       SELECT id, login, true, $3 FROM unnest($1::text[], $2::text[]) AS v(id, login)`,
      [accountIds, newPersons.map(() => generatedLogin(accountDomain)), now],
    );
    const pick = <K extends keyof RegistrationView["person"]>(key: K) => column(newPersons, (r) => r.person[key]);
    await runner.query(
      `INSERT INTO person (id, account_id, given_name, middle_name, surname, sex, birth_date, language, nickname, country, is_profile_public)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::text[], $9::text[], $10::text[], $11::boolean[])`,
      [pick("id"), accountIds, pick("givenName"), pick("middleName"), pick("surname"), pick("sex"), pick("birthDate"),
        pick("language"), pick("nickname"), pick("country"), pick("isProfilePublic")],
    );
  }
  for (const slice of slices(inserted)) {
    await runner.query(
      `INSERT INTO registration (id, activity_id, person_id, code, state, start_number, amount_value, amount_currency,
                                 source, external_id, created_at, modified_at)
       SELECT v.id, $1, v.person_id, v.code, v.state, v.start_number, v.amount_value, v.amount_currency,
              'External', v.external_id, $9, $9
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $10::text[])
           AS v(id, person_id, code, state, start_number, amount_value, amount_currency, external_id)`,
      [activity.id, column(slice, (r) => r.id), column(slice, (r) => r.person.id), column(slice, (r) => r.code),
        column(slice, (r) => r.state), column(slice, (r) => r.startNumber), column(slice, (r) => r.amount.value),
        column(slice, (r) => r.amount.currency), now, column(slice, (r) => r.externalId)],
    );
  }
  const audited = slices([...updated, ...inserted]);
  for (const slice of audited) {
    const changes = slice.filter((p) => p.stored);
    const audits = changes.map((p) => auditedChange(p.stored!, p.result!));
    // New registrations' audit values are read back in SQL rather than sent as JSON: a large import
    // would otherwise ship (and hold in memory) one JSON document per row.
    await runner.query(
      `INSERT INTO audit_entry (at, account_id, access_key_id, registration_id, action, old_values, new_values)
       SELECT $1::timestamptz, $2::text, $3::text, v.registration_id, 'Updated', v.old_values::jsonb, v.new_values::jsonb
         FROM unnest($4::text[], $5::text[], $6::text[]) AS v(registration_id, old_values, new_values)
       UNION ALL
       SELECT $1::timestamptz, $2::text, $3::text, r.id, 'Created', NULL, jsonb_build_object(
                'code', r.code, 'state', r.state, 'externalId', r.external_id, 'personId', r.person_id,
                'amount', jsonb_build_object('value', r.amount_value, 'currency', r.amount_currency),
                'startNumber', r.start_number, 'person.givenName', p.given_name, 'person.middleName', p.middle_name,
                'person.surname', p.surname, 'person.sex', p.sex, 'person.birthDate', p.birth_date,
                'person.language', p.language, 'person.nickname', p.nickname, 'person.country', p.country,
                'person.isProfilePublic', p.is_profile_public)
         FROM registration r JOIN person p ON p.id = r.person_id WHERE r.id = ANY($7::bpchar[])`,
      [now, ctx.accountId, ctx.accessKeyId, changes.map((p) => p.result!.id),
        audits.map((change) => change.old), audits.map((change) => change.new),
        slice.filter((p) => !p.stored).map((p) => p.result!.id)],
    );
  }
}
