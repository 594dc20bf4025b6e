// The rule that decides what an item changes: an update of the registration it names, or an insert.
import { newObjectId } from "../../db/object-id";
import { personView, type PersonFields, type PersonView } from "../registration-view";
import { sameStartNumber } from "../start-number";
import { PERSON_FIELDS, readInsertAmount, readInsertState, readPersonFields, type RowError } from "../sync-input";
import type { PendingRow, RowPlan, StoredRegistration } from "./row-plan";
import type { PlanningFacts, RowRule } from "./row-rule";

function personFieldsOf(view: PersonView): PersonFields {
  const { givenName, middleName, surname, sex, birthDate, language, nickname, country, isProfilePublic } = view;
  return { givenName, middleName, surname, sex, birthDate, language, nickname, country, isProfilePublic };
}

const changes = (from: PersonFields | PersonView, to: PersonFields) =>
  PERSON_FIELDS.some((name) => to[name] !== from[name]);

/** An update changes the start number and, of a person nobody has claimed, the person's fields; nothing else. */
function planUpdate(row: PendingRow, target: StoredRegistration, now: Date): RowPlan {
  const { index, keys, item } = row;
  const stored = target.view;
  if (keys.personId && keys.personId !== stored.person.id) {
    const error: RowError = {
      index,
      field: "person.id",
      code: "PersonMismatch",
      message: `Registration ${stored.code} belongs to person ${stored.person.id}, not ${keys.personId}`,
    };
    return { kind: "failed", index, errors: [error], stored };
  }
  // A number equal to the stored one up to leading zeros or case keeps the stored spelling: a
  // spreadsheet that turned 0010 into 10 changes nothing.
  const wanted = keys.startNumber === undefined ? stored.startNumber : keys.startNumber;
  const startNumber = sameStartNumber(wanted, stored.startNumber) ? stored.startNumber : wanted;
  const numberChanged = startNumber !== stored.startNumber;
  // Every row's person values are read by the same rules; only imported persons whose account nobody
  // has claimed are the client's to edit.
  const errors: RowError[] = [];
  const given = readPersonFields(item, index, target.unclaimed ? "edit" : "check", errors);
  if (errors.length) return { kind: "failed", index, errors, stored };
  const fields = target.unclaimed ? { ...personFieldsOf(stored.person), ...given } : null;
  const personChanged = fields !== null && changes(stored.person, fields);
  if (!numberChanged && !personChanged) return { kind: "unchanged", index, stored };
  // What does not change is shared with the stored view rather than copied.
  const person = fields && personChanged ? personView(stored.person.id, fields) : stored.person;
  return {
    kind: "update",
    index,
    stored,
    registration: { ...stored, startNumber, modified: now, person },
    numberChanged,
    personChanged,
  };
}

/** A new person's fields: the optional ones default to none. Undefined when a required one is missing. */
function newPersonFields(given: Partial<PersonFields>): PersonFields | undefined {
  const { givenName, surname, sex, birthDate } = given;
  if (givenName === undefined || surname === undefined || sex === undefined || birthDate === undefined)
    return undefined;
  return {
    givenName,
    surname,
    sex,
    birthDate,
    middleName: given.middleName ?? null,
    language: given.language ?? null,
    nickname: given.nickname ?? null,
    country: given.country ?? null,
    isProfilePublic: given.isProfilePublic ?? false,
  };
}

/** An insert brings a new person, or attaches one the organizer knows (and, if nobody claimed it, edits it). */
function planInsert(row: PendingRow, facts: PlanningFacts): RowPlan {
  const { index, keys, item } = row;
  const { activity, now } = facts;
  const errors: RowError[] = [];
  const state = readInsertState(item, index, errors);
  const amount = readInsertAmount(item, index, activity.currency, errors);
  let personId: string;
  let fields: PersonFields | undefined;
  let personChanged = false;
  if (keys.personId) {
    const known = facts.attachable.get(keys.personId);
    if (!known) {
      errors.push({
        index,
        field: "person.id",
        code: "UnknownPerson",
        message: `Person ${keys.personId} is not known to this organizer`,
      });
      return { kind: "failed", index, errors, stored: null };
    }
    personId = keys.personId;
    fields = known.fields;
    const given = readPersonFields(item, index, known.unclaimed ? "edit" : "check", errors);
    if (known.unclaimed) {
      fields = { ...fields, ...given };
      personChanged = changes(known.fields, fields);
    }
  } else {
    fields = newPersonFields(readPersonFields(item, index, "new", errors));
    personId = newObjectId(now);
  }
  if (errors.length) return { kind: "failed", index, errors, stored: null };
  // readPersonFields reports a missing required field, so there is always an error when fields is undefined.
  if (!fields) throw new Error(`item ${index}: a new person without its required fields was not reported`);
  return {
    kind: "insert",
    index,
    newPerson: !keys.personId,
    personChanged,
    registration: {
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
    },
  };
}

/**
 * Reads what each undecided item changes: an item that names a stored registration updates it (its
 * start number, and its person's fields if nobody claimed the person), any other inserts. Values that
 * are wrong fail the row here, every one of them reported.
 */
export const readChange: RowRule = {
  name: "readChange",
  each: (facts) => (row) => {
    if (row.kind !== "pending") return row;
    return row.target ? planUpdate(row, row.target, facts.now) : planInsert(row, facts);
  },
};
