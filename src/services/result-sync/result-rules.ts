// The results sync's row rules (SPEC §9), in the order the planner runs them: whose result each item is,
// one per person, what it changes, and positions that only equal times share. Pure: no database.
import { newObjectId } from "../../db/object-id";
import { personView, type PersonFields } from "../registration-view";
import { sameResultFields, type ResultView } from "../result-view";
import { startNumberKey } from "../start-number";
import type { RowError } from "../sync-input";
import type { RowRule } from "../sync/row-rule";
import {
  failedResult,
  identityKey,
  resultOf,
  type Candidate,
  type KeptResult,
  type MatchedRow,
  type ReadRow,
  type ResultFacts,
  type ResultRow,
} from "./result-plan";

/** The facts, and whether the upload is the whole list (`prune`: the results it leaves out are deleted). */
export interface ResultPlanning extends ResultFacts {
  readonly prune: boolean;
}

type Rule = RowRule<ResultRow, ResultPlanning>;

const error = (
  index: number,
  field: string | null,
  code: RowError["code"],
  message: string,
  registrationId?: string,
) => ({
  index,
  field,
  code,
  message,
  ...(registrationId ? { registrationId } : {}),
});

const matched = (row: ReadRow, candidate: Candidate, newPerson: boolean): MatchedRow => ({
  kind: "matched",
  index: row.index,
  keys: row.keys,
  person: candidate.person,
  registrationId: candidate.registrationId,
  newPerson,
});

/** The person fields an item gives that differ from `candidate`'s (names in any case, birth date). */
function mismatch(row: ReadRow, candidate: Candidate): string | null {
  const given = row.keys.person;
  const { person } = candidate;
  for (const name of ["givenName", "surname"] as const) {
    if (given[name] && given[name].toLowerCase() !== person[name].toLowerCase()) return `person.${name}`;
  }
  return given.birthDate && given.birthDate !== person.birthDate ? "person.birthDate" : null;
}

/**
 * Whose result: `person.id` of a person known to this organizer; else the registration in this activity that
 * holds the startNumber; else the person's fields, which find a runner of this activity with that name and
 * birth date, or make a new person (with an account, as an external registration's runner).
 */
export const whoseResult: Rule = {
  name: "whoseResult",
  each: (facts) => (row) => {
    if (row.kind !== "read") return row;
    const { keys, index } = row;
    const fail = (...errors: RowError[]) => failedResult(row, errors, facts);
    const holder = keys.startNumber ? facts.holders.get(startNumberKey(keys.startNumber)) : undefined;
    if (keys.personId) {
      const known = facts.known.get(keys.personId);
      if (!known)
        return fail(
          error(index, "person.id", "UnknownPerson", `Person ${keys.personId} is not known to this organizer`),
        );
      if (holder && holder.person.id !== known.person.id)
        return fail(
          error(
            index,
            "startNumber",
            "StartNumberTaken",
            `Start number ${keys.startNumber} is ${holder.person.name}'s in this activity, not this person's`,
            holder.registrationId ?? undefined,
          ),
        );
      return matched(row, known, false);
    }
    if (holder) {
      const field = mismatch(row, holder);
      if (field)
        return fail(
          error(
            index,
            field,
            "PersonMismatch",
            `Start number ${keys.startNumber} is ${holder.person.name}'s (born ${holder.person.birthDate}) in this activity; ${field} does not match`,
            holder.registrationId ?? undefined,
          ),
        );
      return matched(row, holder, false);
    }
    if (keys.hasPersonFields) {
      if (keys.personErrors.length) return fail(...keys.personErrors);
      const { givenName, surname, birthDate } = keys.person as PersonFields;
      const found = facts.byIdentity.get(identityKey(givenName, surname, birthDate)) ?? [];
      if (found.length > 1)
        return fail(
          error(
            index,
            "person",
            "AmbiguousPerson",
            `${found.length} runners of this activity are ${givenName} ${surname}, born ${birthDate}; give person.id (${found.map((c) => c.person.id).join(", ")})`,
          ),
        );
      if (found.length === 1) return matched(row, found[0], false);
      const given: Partial<PersonFields> = keys.person;
      const fields = {
        middleName: null,
        language: null,
        nickname: null,
        country: null,
        isProfilePublic: false,
        ...given,
      } as PersonFields;
      return matched(row, { person: personView(newObjectId(facts.now), fields), registrationId: null }, true);
    }
    if (keys.startNumber)
      return fail(
        error(
          index,
          "startNumber",
          "UnknownRegistration",
          `No registration in this activity has start number ${keys.startNumber}; give person.id, or the person's givenName, surname, sex and birthDate`,
        ),
      );
    return fail(
      error(
        index,
        "person",
        "UnknownPerson",
        "The item names no one: give person.id, the startNumber of a registration in this activity, or the person's givenName, surname, sex and birthDate",
      ),
    );
  },
};

/** One result per person in a batch: a later item for the same person (or the same new person twice) fails. */
export const oneResultPerPerson: Rule = {
  name: "oneResultPerPerson",
  each: (facts) => {
    const first = new Map<string, number>();
    return (row) => {
      if (row.kind !== "matched") return row;
      const { person } = row;
      const key = row.newPerson ? identityKey(person.givenName, person.surname, person.birthDate) : person.id;
      const earlier = first.get(key);
      if (earlier === undefined) {
        first.set(key, row.index);
        return row;
      }
      return failedResult(
        row,
        [
          error(
            row.index,
            "person",
            "DuplicateItem",
            `${person.name} already has a result in this batch, at ${facts.label(earlier)}`,
          ),
        ],
        facts,
      );
    };
  },
};

/** A matched row against the person's stored result: a new result, a changed one, or the same. */
export const readResultChange: Rule = {
  name: "readResultChange",
  each: (facts) => (row) => {
    if (row.kind !== "matched") return row;
    const { fields } = row.keys;
    const stored = facts.stored.get(row.person.id);
    if (stored && sameResultFields(stored, fields)) return { kind: "unchanged", index: row.index, stored };
    if (stored) {
      const result: ResultView = {
        ...stored,
        ...fields,
        registrationId: row.registrationId ?? stored.registrationId,
        modified: facts.now,
      };
      return { kind: "update", index: row.index, stored, result };
    }
    const result: ResultView = {
      id: newObjectId(facts.now),
      activityId: facts.activity.id,
      registrationId: row.registrationId,
      person: row.person,
      ...fields,
      created: facts.now,
      modified: facts.now,
    };
    return { kind: "insert", index: row.index, result, newPerson: row.newPerson };
  },
};

/** A result at the end of the batch, and the batch's row that has it (null: stored before, not in the batch). */
type Entry = { result: ResultView; row: number | null };

const POSITIONS = [
  { field: "position", group: () => "" },
  { field: "positionByCategory", group: (r: ResultView) => r.category ?? "" },
  { field: "positionBySex", group: (r: ResultView) => r.person.sex },
] as const;

/**
 * Two finishers share a position only with equal times (a tie), overall, in a category and by sex: checked
 * over the results the activity has at the end of the batch. A batch's row in such a clash fails; results
 * stored before are never blamed.
 */
export const tiesHaveEqualTimes: Rule = {
  name: "tiesHaveEqualTimes",
  whole: (rows, facts) => {
    const kept = rows.filter(
      (row): row is KeptResult => row.kind === "insert" || row.kind === "update" || row.kind === "unchanged",
    );
    const named = new Set(rows.flatMap((row) => ("stored" in row && row.stored ? [row.stored.id] : [])));
    const replaced = new Set(kept.flatMap((row) => (row.kind === "insert" ? [] : [row.stored.id])));
    const entries: Entry[] = kept.map((row) => ({
      result: resultOf(row),
      row: row.index,
    }));
    for (const stored of facts.stored.values())
      if (!replaced.has(stored.id) && (!facts.prune || named.has(stored.id)))
        entries.push({ result: stored, row: null });
    const failures = new Map<number, RowError[]>();
    for (const { field, group } of POSITIONS) {
      // By group (category, sex, or one for all), then by position.
      const groups = new Map<string, Map<number, Entry[]>>();
      for (const entry of entries) {
        const value = entry.result[field];
        if (entry.result.status !== "Finished" || value === null) continue;
        const name = group(entry.result);
        let positions = groups.get(name);
        if (!positions) groups.set(name, (positions = new Map()));
        const sharing = positions.get(value);
        if (sharing) sharing.push(entry);
        else positions.set(value, [entry]);
      }
      for (const positions of groups.values()) {
        for (const sharing of positions.values()) {
          if (sharing.length < 2 || sharing.every((entry) => entry.result.time === sharing[0].result.time)) continue;
          for (const entry of sharing) {
            if (entry.row === null) continue;
            const other = sharing.find((o) => o !== entry && o.result.time !== entry.result.time) ?? sharing[0];
            const where = other.row === null ? "a stored result" : facts.label(other.row);
            const list = failures.get(entry.row) ?? [];
            list.push(
              error(
                entry.row,
                field,
                "PositionTaken",
                `${field} ${entry.result[field]} is also ${other.result.person.name}'s (${where}) with another time; only equal times share a position`,
              ),
            );
            failures.set(entry.row, list);
          }
        }
      }
    }
    if (!failures.size) return rows;
    return rows.map((row) => {
      const errors = "index" in row ? failures.get(row.index) : undefined;
      return errors ? failedResult(row, errors, facts) : row;
    });
  },
};

/** The rules, in the order they run. */
export const RESULT_RULES: readonly Rule[] = [whoseResult, oneResultPerPerson, readResultChange, tiesHaveEqualTimes];
