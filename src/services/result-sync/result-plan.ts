// What the results sync's planner decides for each row, and what it knows when it decides: the types its
// reader, rules and writer share. No database here.
import type { ActivityRef } from "../access";
import type { PersonFields, PersonView } from "../registration-view";
import type { ResultFields, ResultView } from "../result-view";
import type { RowError } from "../sync-input";

/** What an item says before the database is read: whose result, and the result's fields. */
export interface ResultKeys {
  personId?: string;
  /** The item's start number (also one of the result's fields). */
  startNumber: string | null;
  /** The person fields the item carries, read as for a new person (errors only when they are needed). */
  person: Partial<PersonFields>;
  /** Why person fields cannot make a new person (missing or wrong ones); empty when they can. */
  personErrors: readonly RowError[];
  /** Whether the item carries any person field besides the id. */
  hasPersonFields: boolean;
  fields: ResultFields;
}

/** A person the batch may name, with their registration in the activity (when there is one). */
export interface Candidate {
  readonly person: PersonView;
  readonly registrationId: string | null;
}

/** What the database says about a batch (see result-reader.ts). */
export interface ResultFacts {
  readonly activity: ActivityRef;
  readonly now: Date;
  readonly label: (index: number) => string;
  /** The activity's results, by person id. */
  readonly stored: ReadonlyMap<string, ResultView>;
  /** Persons named by `person.id` and known to this organizer. */
  readonly known: ReadonlyMap<string, Candidate>;
  /** The activity's registrations (not cancelled) holding the start numbers items give, by number key. */
  readonly holders: ReadonlyMap<string, Candidate>;
  /** Persons registered in the activity or with a result in it, by identityKey (name and birth date). */
  readonly byIdentity: ReadonlyMap<string, readonly Candidate[]>;
}

/** The key that finds a person by the fields an item gives: given name, surname (any case) and birth date. */
export const identityKey = (givenName: string, surname: string, birthDate: string) =>
  `${givenName.toLowerCase()}\u0000${surname.toLowerCase()}\u0000${birthDate}`;

/** A row whose item was read: whose result it is is not decided yet. */
export interface ReadRow {
  readonly kind: "read";
  readonly index: number;
  readonly keys: ResultKeys;
}

/** A row whose person is known (or new): what it changes is not decided yet. */
export interface MatchedRow {
  readonly kind: "matched";
  readonly index: number;
  readonly keys: ResultKeys;
  readonly person: PersonView;
  readonly registrationId: string | null;
  readonly newPerson: boolean;
}

export interface ResultInsert {
  readonly kind: "insert";
  readonly index: number;
  readonly result: ResultView;
  readonly newPerson: boolean;
}

export interface ResultUpdate {
  readonly kind: "update";
  readonly index: number;
  readonly stored: ResultView;
  readonly result: ResultView;
}

export interface ResultUnchanged {
  readonly kind: "unchanged";
  readonly index: number;
  readonly stored: ResultView;
}

export interface ResultFailed {
  readonly kind: "failed";
  readonly index: number;
  readonly errors: readonly RowError[];
  /** The stored result the row named; null when it named none (or no one). */
  readonly stored: ResultView | null;
}

/** A stored result that `prune` deletes: no item named its person. */
export interface ResultDelete {
  readonly kind: "delete";
  readonly stored: ResultView;
}

/** What the planner decided for a row. */
export type ResultPlan = ResultInsert | ResultUpdate | ResultUnchanged | ResultFailed;

/** A row as the rules see it. */
export type ResultRow = ReadRow | MatchedRow | ResultPlan;

/** A row the batch keeps: its result exists at the end of the batch. */
export type KeptResult = ResultInsert | ResultUpdate | ResultUnchanged;

/** The result a kept row has at the end of the batch. */
export const resultOf = (plan: KeptResult): ResultView => (plan.kind === "unchanged" ? plan.stored : plan.result);

/** The row failed with `errors`: its replacement. */
export function failedResult(row: ResultRow, errors: readonly RowError[], facts: ResultFacts): ResultFailed {
  const earlier = row.kind === "failed" ? row.errors : [];
  const stored =
    row.kind === "update" || row.kind === "unchanged" || row.kind === "failed"
      ? row.stored
      : row.kind === "matched"
        ? (facts.stored.get(row.person.id) ?? null)
        : null;
  return { kind: "failed", index: row.index, errors: [...earlier, ...errors], stored };
}
