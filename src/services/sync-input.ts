// Reading one sync item's values (SPEC §4) by the rules its input classes declare (sync-item-input.ts). No database here.
import { isObjectId } from "../db/object-id";
import type { RegistrationState } from "../entities/registration";
import type { PersonFields } from "./registration-view";
import { InvalidInputError } from "./domain-errors";
import { isFailure, missingMessage, ruledFields, type FieldRule, type RuledField } from "./field-rule";
import { MoneyInput, SyncPersonInput, SyncRegistrationInput } from "./sync-item-input";
import { quoted } from "./sync-field-rules";

export type SyncErrorCode =
  | "InvalidValue"
  | "MissingField"
  | "UnknownRegistration"
  | "UnknownPerson"
  | "PersonMismatch"
  | "DuplicateItem"
  | "StartNumberTaken"
  | "AmbiguousPerson"
  | "PositionTaken";

/** A failing row: which item (0-based index), which field, why. */
export interface RowError {
  index: number;
  field: string | null;
  code: SyncErrorCode;
  message: string;
  /** The registration the error is about, for example the one holding a wanted start number. */
  registrationId?: string;
}

/** One item as the adapters hand it over: the seed's JSON shape; absent keys are undefined. */
export interface SyncItemInput {
  id?: unknown;
  externalId?: unknown;
  startNumber?: unknown;
  state?: unknown;
  amount?: unknown;
  person?: unknown;
}

/** Why a sync with more than `max` items (MAX_SYNC_ITEMS) is refused, whatever its format. */
export function tooManyItemsMessage(max: number): string {
  return `a sync takes at most ${max} items; split the batch`;
}

/**
 * The item cap of a sync whose items arrive whole (GraphQL); the REST readers stop reading at it instead.
 * @throws InvalidInputError (field `items`) for more than `max` items.
 */
export function checkItemCount(count: number, max: number): void {
  if (count > max) throw new InvalidInputError("items", `${count} items were sent: ${tooManyItemsMessage(max)}`);
}

type PersonFieldName = Exclude<keyof SyncPersonInput, "id"> & keyof PersonFields;

// The rules are read from the classes' decorators once, here, rather than per row.
const ITEM = Object.fromEntries(ruledFields(SyncRegistrationInput).map((field) => [field.property, field])) as Record<
  keyof SyncRegistrationInput,
  RuledField | undefined
>;
const PERSON_ID = ruledFields(SyncPersonInput).find((field) => field.property === "id");
const PERSON_RULES = ruledFields(SyncPersonInput)
  .filter((field) => field.property !== "id")
  // Made once rather than per row: 50,000 rows that all miss their names made 400,000 strings.
  .map((field) => ({ ...field, missing: missingMessage(field.path) }));
const [AMOUNT_VALUE, AMOUNT_CURRENCY] = ["value", "currency"].map((name) =>
  ruledFields(MoneyInput).find((field) => field.property === name),
);

/** The person fields a sync item may carry, in the order of SyncPersonInput (its `id` aside). */
export const PERSON_FIELDS = PERSON_RULES.map((field) => field.property) as readonly PersonFieldName[];

/** The field's rule, which the input class cannot be without: a decorator removed by mistake fails at start-up. */
function ruleOf(field: RuledField | undefined, name: string): FieldRule {
  if (!field) throw new Error(`${name} has no @Reads rule`);
  return field.rule;
}

const RULES = {
  id: ruleOf(ITEM.id, "id"),
  externalId: ruleOf(ITEM.externalId, "externalId"),
  startNumber: ruleOf(ITEM.startNumber, "startNumber"),
  state: ruleOf(ITEM.state, "state"),
  person: ruleOf(ITEM.person, "person"),
  personId: ruleOf(PERSON_ID, "person.id"),
  amountValue: ruleOf(AMOUNT_VALUE, "amount.value"),
  amountCurrency: ruleOf(AMOUNT_CURRENCY, "amount.currency"),
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface ItemKeys {
  id?: string;
  /** undefined: absent; a string: the client's id of the registration. */
  externalId?: string;
  /** undefined: leave as is; null: clear. */
  startNumber?: string | null;
  personId?: string;
}

/**
 * Reads `value` by `rule` into `keep`; a failure is a row error (InvalidValue) naming `path`.
 * Returns false when the value failed.
 */
function readField<T>(
  rule: FieldRule,
  path: string,
  value: unknown,
  index: number,
  errors: RowError[],
  keep: (read: T) => void,
): boolean {
  const read = rule.read(value);
  if (isFailure(read)) {
    errors.push({ index, field: path, code: "InvalidValue", message: `${path} ${read.error}` });
    return false;
  }
  keep(read as T);
  return true;
}

/**
 * An item's `person.id`: an object id, or undefined when there is none or it cannot name anyone (then a row error:
 * InvalidValue for a wrong value, UnknownPerson for text that is no object id). Any sync's items.
 */
export function readPersonId(person: Record<string, unknown>, index: number, errors: RowError[]): string | undefined {
  let personId: string | undefined;
  readField<string | null>(RULES.personId, "person.id", person.id, index, errors, (id) => {
    if (id === null) return;
    if (isObjectId(id)) personId = id;
    else
      errors.push({
        index,
        field: "person.id",
        code: "UnknownPerson",
        message: `Person ${quoted(id)} is not known to this organizer`,
      });
  });
  return personId;
}

/** The parts of an item needed before the database is read: which registration, which number. */
export function readItemKeys(item: SyncItemInput, index: number, errors: RowError[]): ItemKeys {
  const keys: ItemKeys = {};
  // An id's form is the input class's rule; whether it can name anything (an object id) is the sync's, with its own code.
  readField<string | null>(RULES.id, "id", item.id, index, errors, (id) => {
    if (id === null) return;
    if (isObjectId(id)) keys.id = id;
    else
      errors.push({
        index,
        field: "id",
        code: "UnknownRegistration",
        message: `Registration ${quoted(id)} does not exist in this activity`,
      });
  });
  if (item.externalId !== undefined) {
    readField<string | null>(RULES.externalId, "externalId", item.externalId, index, errors, (text) => {
      if (text !== null) keys.externalId = text;
    });
  }
  if (item.startNumber !== undefined) {
    readField<string | null>(RULES.startNumber, "startNumber", item.startNumber, index, errors, (number) => {
      keys.startNumber = number;
    });
  }
  if (item.person !== undefined) {
    readField<Record<string, unknown> | null>(RULES.person, "person", item.person, index, errors, (person) => {
      if (person === null) return;
      const id = readPersonId(person, index, errors);
      if (id) keys.personId = id;
    });
  }
  return keys;
}

/**
 * What readPersonFields reads: `new` (a new person: the required fields must be there), `edit` (only
 * the fields present; null or empty clears an optional one), `check` (a person the client may not
 * edit: the values given are checked by the same rules, empty ones are nothing to check).
 */
export type PersonReading = "new" | "edit" | "check";

/** The person fields an item carries, checked (see PersonReading). */
export function readPersonFields(
  item: SyncItemInput,
  index: number,
  reading: PersonReading,
  errors: RowError[],
): Partial<PersonFields> {
  const person = isRecord(item.person) ? item.person : {};
  const fields: Record<string, unknown> = {};
  for (const { property, path, rule, requiredForNew, missing } of PERSON_RULES) {
    const raw = person[property];
    if (raw === undefined || (reading === "check" && (raw === null || raw === ""))) {
      if (reading === "new" && requiredForNew)
        errors.push({ index, field: path, code: "MissingField", message: missing });
      continue;
    }
    const value = rule.read(raw);
    if (isFailure(value)) {
      errors.push({ index, field: path, code: "InvalidValue", message: `${path} ${value.error}` });
    } else {
      fields[property] = value;
    }
  }
  return fields as Partial<PersonFields>;
}

/** State of a new registration: Confirmed unless another supported state is given. */
export function readInsertState(item: SyncItemInput, index: number, errors: RowError[]): RegistrationState {
  let state: RegistrationState | null = null;
  if (item.state !== undefined)
    readField<RegistrationState | null>(RULES.state, "state", item.state, index, errors, (read) => (state = read));
  return state ?? "Confirmed";
}

const zeroAmounts = new Map<string, { value: number; currency: string }>();

/** No amount: one shared zero per currency rather than one object per row of a large upload. */
function zeroAmount(currency: string): { value: number; currency: string } {
  let amount = zeroAmounts.get(currency);
  if (!amount) zeroAmounts.set(currency, (amount = Object.freeze({ value: 0, currency })));
  return amount;
}

/** Amount of a new registration in minor units; defaults to zero in the activity's currency. */
export function readInsertAmount(
  item: SyncItemInput,
  index: number,
  currency: string,
  errors: RowError[],
): { value: number; currency: string } {
  if (item.amount === undefined || item.amount === null) return zeroAmount(currency);
  const amount = isRecord(item.amount) ? item.amount : {};
  let value = 0;
  if (!readField<number>(RULES.amountValue, "amount.value", amount.value, index, errors, (read) => (value = read)))
    return { value, currency };
  let code: string | null = null;
  if (
    !readField<string | null>(
      RULES.amountCurrency,
      "amount.currency",
      amount.currency,
      index,
      errors,
      (read) => (code = read),
    )
  )
    return { value, currency };
  return { value, currency: code ?? currency };
}
