// Reading one sync item's values: types, formats and required fields (SPEC §4). No database here.
import { isObjectId } from "../db/object-id";
import { REGISTRATION_STATES, type RegistrationState } from "../entities/registration";
import { SEXES } from "../entities/person";
import type { PersonFields } from "./registration-view";
import { InvalidInputError } from "./domain-errors";
import { normalizeStartNumber } from "./start-number";
import { CONTROL_CHARACTER } from "./text-arguments";

export type SyncErrorCode =
  | "InvalidValue"
  | "MissingField"
  | "UnknownRegistration"
  | "UnknownPerson"
  | "PersonMismatch"
  | "DuplicateItem"
  | "StartNumberTaken";

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

export const PERSON_FIELDS = [
  "givenName", "middleName", "surname", "sex", "birthDate",
  "language", "nickname", "country", "isProfilePublic",
] as const satisfies readonly (keyof PersonFields)[];
const REQUIRED_PERSON_FIELDS = ["givenName", "surname", "sex", "birthDate"] as const;
// Made once rather than per row: 50,000 rows that all miss their names made 400,000 strings.
const PERSON_FIELD_PATHS = Object.fromEntries(PERSON_FIELDS.map((name) => [name, `person.${name}`])) as Record<(typeof PERSON_FIELDS)[number], string>;
const MISSING_MESSAGES = Object.fromEntries(PERSON_FIELDS.map((name) => [name, `person.${name} is required for a new registration`])) as Record<(typeof PERSON_FIELDS)[number], string>;

type Failure = { error: string };
const fail = (error: string): Failure => ({ error });
const isFailure = (value: unknown): value is Failure =>
  typeof value === "object" && value !== null && "error" in value && Object.keys(value).length === 1;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * No value a sync reads may hold a control character (U+0000–U+001F, U+007F): PostgreSQL refuses NUL in
 * text, and tabs or line breaks are no part of a name, id, date or key. One rule for every sync format.
 */
const NO_CONTROL_CHARACTERS = "must not contain control characters";

/** Text that may be empty: "" and null both mean "none". */
function optionalText(value: unknown, max: number): string | null | Failure {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") return fail("must be a string");
  const text = value.trim();
  if (text.length > max) return fail(`must be at most ${max} characters`);
  if (CONTROL_CHARACTER.test(text)) return fail(NO_CONTROL_CHARACTERS);
  // JSON's "\ud800" escapes make half characters, which PostgreSQL refuses in its JSON and mangles in text.
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) return fail("must not contain half of a Unicode character");
  return text === "" ? null : text;
}

function requiredText(value: unknown, max: number): string | Failure {
  const text = optionalText(value, max);
  if (text === null) return fail("is required and must not be empty");
  return text;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T00:00:00(?:\.0+)?(?:Z|[+-]00:?00)?)?$/;

/** Accepts the seed's `1975-11-27T00:00:00Z` and the CSV's `1975-11-27`. */
function birthDate(value: unknown): string | Failure {
  if (typeof value !== "string") return fail("must be a date like 1975-11-27");
  if (CONTROL_CHARACTER.test(value)) return fail(NO_CONTROL_CHARACTERS);
  const match = DATE.exec(value.trim());
  if (!match) return fail(`must be a date like 1975-11-27 with a four-digit year, not ${quoted(value)}`);
  const [, y, m, d] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return fail(`is not a calendar date: ${y}-${m}-${d} (day ${Number(d)} of month ${Number(m)})`);
  if (Number(y) < 1900 || date.getTime() > Date.now()) return fail("must be between 1900-01-01 and today");
  // The CSV's own text is kept as it is rather than copied: a large upload holds one string per row less.
  return match[0].length === 10 ? match[0] : `${y}-${m}-${d}`;
}

function flag(value: unknown): boolean | Failure {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
  return fail("must be true or false");
}

function personField(name: (typeof PERSON_FIELDS)[number], value: unknown): unknown {
  switch (name) {
    case "givenName":
    case "surname":
      return requiredText(value, 100);
    case "middleName":
    case "nickname":
      return optionalText(value, 100);
    case "language": {
      const text = optionalText(value, 35);
      if (typeof text === "string" && !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(text)) return fail("must be a language tag like cs or en-GB");
      return text;
    }
    case "country": {
      const text = optionalText(value, 2);
      if (typeof text === "string" && !/^[A-Za-z]{2}$/.test(text)) return fail("must be an ISO 3166 alpha-2 code like CZ");
      return typeof text === "string" ? text.toUpperCase() : text;
    }
    case "sex":
      // The constant, not the client's copy of it: one string for every row of a large upload.
      return SEXES.find((sex) => sex === value) ?? fail(`must be one of ${SEXES.join(", ")}`);
    case "birthDate":
      return birthDate(value);
    case "isProfilePublic":
      return value === null || value === "" ? false : flag(value);
  }
}

/** A start number in its stored form (see normalizeStartNumber); a whole JSON number is taken as its digits. */
function startNumber(value: unknown): string | null | Failure {
  if (value === null) return null;
  const raw = typeof value === "number" && Number.isInteger(value) ? String(value) : value;
  if (typeof raw !== "string") return fail("must be a string");
  const number = normalizeStartNumber(raw);
  if (number === null || typeof number === "string") return number !== null && number.length > 20 ? fail("must be at most 20 characters") : number;
  return fail(number.error);
}

export interface ItemKeys {
  id?: string;
  /** undefined: absent; a string: the client's id of the registration. */
  externalId?: string;
  /** undefined: leave as is; null: clear. */
  startNumber?: string | null;
  personId?: string;
}

/** A client's value as an error message quotes it: short, whatever was sent. */
function quoted(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** An id that a spreadsheet read as a number (`630312345678901234567890` → `6.30312345678901E+023`). */
const SPREADSHEET_NUMBER = /^\d+(?:[.,]\d+)?E\+?\d+$/i;

/** Why an id that is not one was not found: a spreadsheet's number gets a hint instead of "does not exist". */
function spreadsheetNumber(field: string, id: string): string | null {
  return SPREADSHEET_NUMBER.test(id)
    ? `${field} ${id} is a number a spreadsheet made of an id; ids are text: open the file with that column as Text, or use registrations.xlsx`
    : null;
}

/**
 * Why a JSON number is no externalId: the JSON parser has already rounded one beyond 2^53
 * (90071992547409931 arrives as 90071992547409940), so two runners' ids could become one. Only a number
 * that arrived exact is quoted back; a rounded one is not shown, as it is not what the client sent.
 */
function externalIdNumber(value: number): string {
  return Number.isSafeInteger(value)
    ? `externalId must be a string; send "${value}" in quotes`
    : "externalId must be a string; this number has more digits than a JSON number keeps exactly, so send the id in quotes as your system writes it";
}

/** The parts of an item needed before the database is read: which registration, which number. */
export function readItemKeys(item: SyncItemInput, index: number, errors: RowError[]): ItemKeys {
  const keys: ItemKeys = {};
  const error = (field: string, code: SyncErrorCode, message: string) => errors.push({ index, field, code, message });
  if (item.id !== undefined && item.id !== null && item.id !== "") {
    if (typeof item.id !== "string") error("id", "InvalidValue", "id must be a string");
    else if (CONTROL_CHARACTER.test(item.id)) error("id", "InvalidValue", `id ${NO_CONTROL_CHARACTERS}`);
    else if (spreadsheetNumber("id", item.id)) error("id", "InvalidValue", spreadsheetNumber("id", item.id)!);
    else if (!isObjectId(item.id)) error("id", "UnknownRegistration", `Registration ${quoted(item.id)} does not exist in this activity`);
    else keys.id = item.id;
  }
  if (typeof item.externalId === "number") {
    error("externalId", "InvalidValue", externalIdNumber(item.externalId));
  } else if (item.externalId !== undefined) {
    const text = optionalText(item.externalId, 100);
    if (isFailure(text)) error("externalId", "InvalidValue", `externalId ${text.error}`);
    else if (text !== null) keys.externalId = text;
  }
  if (item.startNumber !== undefined) {
    const number = startNumber(item.startNumber);
    const shown = typeof item.startNumber === "string" ? ` ${quoted(item.startNumber)}` : "";
    if (isFailure(number)) error("startNumber", "InvalidValue", `startNumber${shown} ${number.error}`);
    else keys.startNumber = number;
  }
  if (item.person !== undefined && item.person !== null) {
    if (!isRecord(item.person)) error("person", "InvalidValue", "person must be an object");
    else if (item.person.id !== undefined && item.person.id !== null && item.person.id !== "") {
      // Not String(): an object such as {"toString": 1} cannot be made a string and would throw.
      if (typeof item.person.id !== "string") error("person.id", "InvalidValue", "person.id must be a string");
      else if (CONTROL_CHARACTER.test(item.person.id)) error("person.id", "InvalidValue", `person.id ${NO_CONTROL_CHARACTERS}`);
      else if (spreadsheetNumber("person.id", item.person.id)) error("person.id", "InvalidValue", spreadsheetNumber("person.id", item.person.id)!);
      else if (!isObjectId(item.person.id)) error("person.id", "UnknownPerson", `Person ${quoted(item.person.id)} is not known to this organizer`);
      else keys.personId = item.person.id;
    }
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
  for (const name of PERSON_FIELDS) {
    const raw = person[name];
    if (raw === undefined || (reading === "check" && (raw === null || raw === ""))) {
      if (reading === "new" && (REQUIRED_PERSON_FIELDS as readonly string[]).includes(name)) {
        errors.push({ index, field: PERSON_FIELD_PATHS[name], code: "MissingField", message: MISSING_MESSAGES[name] });
      }
      continue;
    }
    const value = personField(name, raw);
    if (isFailure(value)) {
      errors.push({ index, field: PERSON_FIELD_PATHS[name], code: "InvalidValue", message: `${PERSON_FIELD_PATHS[name]} ${value.error}` });
    } else {
      fields[name] = value;
    }
  }
  return fields as Partial<PersonFields>;
}

/** State of a new registration: Confirmed unless another supported state is given. */
export function readInsertState(item: SyncItemInput, index: number, errors: RowError[]): RegistrationState {
  if (item.state === undefined || item.state === null || item.state === "") return "Confirmed";
  const state = REGISTRATION_STATES.find((known) => known === item.state);
  if (state) return state;
  errors.push({ index, field: "state", code: "InvalidValue", message: `state must be one of ${REGISTRATION_STATES.join(", ")}` });
  return "Confirmed";
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
  const value = typeof amount.value === "string" && /^\d+$/.test(amount.value) ? Number(amount.value) : amount.value;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 2_000_000_000) {
    errors.push({ index, field: "amount.value", code: "InvalidValue", message: "amount.value must be a whole number of hundredths, 0 or more" });
    return { value: 0, currency };
  }
  const code = amount.currency ?? currency;
  if (typeof code !== "string" || !/^[A-Z]{3}$/.test(code)) {
    errors.push({ index, field: "amount.currency", code: "InvalidValue", message: "amount.currency must be an ISO 4217 code like CZK" });
    return { value, currency };
  }
  return { value, currency: code };
}
