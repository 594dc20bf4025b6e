// The rules of a sync item's values (SPEC §4): types, formats, limits and their messages. No database here.
// Each is attached to its field by a decorator in sync-item-input.ts; a limit is written once, in the call below.
import { SEXES } from "../entities/person";
import { REGISTRATION_STATES, type RegistrationState } from "../entities/registration";
import { isCalendarDay } from "./calendar-day";
import { fail, type Failure, type FieldRule } from "./field-rule";
import { normalizeStartNumber } from "./start-number";
import { CONTROL_CHARACTER } from "./text-arguments";

/**
 * No value a sync reads may hold a control character (U+0000–U+001F, U+007F): PostgreSQL refuses NUL in
 * text, and tabs or line breaks are no part of a name, id, date or key. One rule for every sync format.
 */
export const NO_CONTROL_CHARACTERS = "must not contain control characters";

/** A client's value as an error message quotes it: short, whatever was sent. */
export function quoted(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Text that may be empty: "" and null both mean "none". */
function optionalText(value: unknown, max: number): string | null | Failure {
  if (value === null || value === undefined) return null;
  if (typeof value !== "string") return fail("must be a string");
  const text = value.trim();
  if (text.length > max) return fail(`must be at most ${max} characters`);
  if (CONTROL_CHARACTER.test(text)) return fail(NO_CONTROL_CHARACTERS);
  // JSON's "\ud800" escapes make half characters, which PostgreSQL refuses in its JSON and mangles in text.
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text))
    return fail("must not contain half of a Unicode character");
  return text === "" ? null : text;
}

/** One line of text, at most `max` characters after trimming; empty or null is none. */
export function text(max: number): FieldRule<string | null> {
  return {
    name: "text",
    read: (value) => optionalText(value, max),
    schema: { type: ["string", "null"], maxLength: max },
  };
}

/** Like text, but a value that is there must not be empty (a name). */
export function requiredText(max: number): FieldRule<string> {
  return {
    name: "requiredText",
    read: (value) => {
      const read = optionalText(value, max);
      return read === null ? fail("is required and must not be empty") : read;
    },
    schema: { type: "string", maxLength: max },
  };
}

/** Text that must also match `pattern` once trimmed (`what` says what it must look like); `then` may rewrite it. */
export function patternText(
  max: number,
  pattern: RegExp,
  what: string,
  then: (text: string) => string = (t) => t,
): FieldRule<string | null> {
  return {
    name: "patternText",
    read: (value) => {
      const read = optionalText(value, max);
      if (typeof read !== "string") return read;
      return pattern.test(read) ? then(read) : fail(what);
    },
    // No pattern here: the value is trimmed before it is matched, which a JSON Schema pattern cannot say.
    schema: { type: ["string", "null"], maxLength: max },
  };
}

/** One of `values`, exactly; the constant's own string is kept, so a large upload holds one string per value, not per row. */
export function oneOf<T extends string>(values: readonly T[], emptyIsNone: boolean): FieldRule<T | null> {
  return {
    name: "oneOf",
    read: (value) => {
      if (emptyIsNone && (value === null || value === "")) return null;
      return values.find((known) => known === value) ?? fail(`must be one of ${values.join(", ")}`);
    },
    schema: emptyIsNone ? { type: ["string", "null"], enum: [...values, "", null] } : { type: "string", enum: values },
  };
}

export const sex = oneOf(SEXES, false);
export const registrationState: FieldRule<RegistrationState | null> = oneOf(REGISTRATION_STATES, true);

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T00:00:00(?:\.0+)?(?:Z|[+-]00:?00)?)?$/;

/** Accepts the seed's `1975-11-27T00:00:00Z` and the CSV's `1975-11-27`, between 1900-01-01 and today. */
export const birthDate: FieldRule<string> = {
  name: "birthDate",
  read(value) {
    if (typeof value !== "string") return fail("must be a date like 1975-11-27");
    if (CONTROL_CHARACTER.test(value)) return fail(NO_CONTROL_CHARACTERS);
    const match = DATE.exec(value.trim());
    if (!match) return fail(`must be a date like 1975-11-27 with a four-digit year, not ${quoted(value)}`);
    const [, y, m, d] = match;
    if (!isCalendarDay(Number(y), Number(m), Number(d)))
      return fail(`is not a calendar date: ${y}-${m}-${d} (day ${Number(d)} of month ${Number(m)})`);
    if (Number(y) < 1900 || Date.UTC(Number(y), Number(m) - 1, Number(d)) > Date.now())
      return fail("must be between 1900-01-01 and today");
    // The CSV's own text is kept as it is rather than copied: a large upload holds one string per row less.
    return match[0].length === 10 ? match[0] : `${y}-${m}-${d}`;
  },
  schema: { type: "string" },
};

/** true or false, also as text in any case; empty or null is false. */
export const flag: FieldRule<boolean> = {
  name: "flag",
  read(value) {
    if (value === null || value === "") return false;
    if (typeof value === "boolean") return value;
    if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === "true";
    return fail("must be true or false");
  },
  schema: { type: ["boolean", "string", "null"] },
};

/** A start number in its stored form (see normalizeStartNumber); a whole JSON number is taken as its digits. */
export function startNumber(max: number): FieldRule<string | null> {
  return {
    name: "startNumber",
    read(value) {
      if (value === null) return null;
      const raw = typeof value === "number" && Number.isInteger(value) ? String(value) : value;
      if (typeof raw !== "string") return fail("must be a string");
      // The message quotes what was sent: `startNumber 0 0 1 must not contain a space inside it`.
      const shown = typeof value === "string" ? `${quoted(value)} ` : "";
      const number = normalizeStartNumber(raw);
      if (number === null) return null;
      if (typeof number !== "string") return fail(`${shown}${number.error}`);
      return number.length > max ? fail(`${shown}must be at most ${max} characters`) : number;
    },
    schema: { type: ["string", "integer", "null"], maxLength: max },
  };
}

/**
 * Why a JSON number is no externalId: the JSON parser has already rounded one beyond 2^53
 * (90071992547409931 arrives as 90071992547409940), so two runners' ids could become one. Only a number
 * that arrived exact is quoted back; a rounded one is not shown, as it is not what the client sent.
 */
function externalIdNumber(value: number): Failure {
  return fail(
    Number.isSafeInteger(value)
      ? `must be a string; send "${value}" in quotes`
      : "must be a string; this number has more digits than a JSON number keeps exactly, so send the id in quotes as your system writes it",
  );
}

/** The client's own id of a registration: text of at most `max` characters, never a JSON number. */
export function externalId(max: number): FieldRule<string | null> {
  return {
    name: "externalId",
    read: (value) => (typeof value === "number" ? externalIdNumber(value) : optionalText(value, max)),
    schema: { type: ["string", "null"], maxLength: max },
  };
}

/** An id that a spreadsheet read as a number (`630312345678901234567890` → `6.30312345678901E+023`). */
const SPREADSHEET_NUMBER = /^\d+(?:[.,]\d+)?E\+?\d+$/i;

/**
 * An id as text; empty or null is none. Whether it names anything (an object id of this activity or organizer) is
 * for the sync to say; a spreadsheet's number gets a hint here instead of "does not exist".
 */
export const idText: FieldRule<string | null> = {
  name: "idText",
  read(value) {
    if (value === undefined || value === null || value === "") return null;
    if (typeof value !== "string") return fail("must be a string");
    if (CONTROL_CHARACTER.test(value)) return fail(NO_CONTROL_CHARACTERS);
    if (SPREADSHEET_NUMBER.test(value)) {
      return fail(
        `${value} is a number a spreadsheet made of an id; ids are text: open the file with that column as Text, or use registrations.xlsx`,
      );
    }
    return value;
  },
  schema: { type: ["string", "null"] },
};

/** A nested object (the person); null is none. */
export const nestedObject: FieldRule<Record<string, unknown> | null> = {
  name: "nestedObject",
  read(value) {
    if (value === null || value === undefined) return null;
    return typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : fail("must be an object");
  },
  schema: { type: ["object", "null"] },
};

/** A whole number of hundredths from 0 to `max`; digits in a string are taken too. Required once there is an amount. */
export function minorUnits(max: number): FieldRule<number> {
  return {
    name: "minorUnits",
    readsAbsent: true,
    read(value) {
      const number = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
      if (typeof number !== "number" || !Number.isInteger(number) || number < 0 || number > max)
        return fail("must be a whole number of hundredths, 0 or more");
      return number;
    },
    schema: { type: ["integer", "string"], minimum: 0, maximum: max },
  };
}

const CURRENCY = /^[A-Z]{3}$/;

/** An ISO 4217 code; null is none (the activity's currency). */
export const currencyCode: FieldRule<string | null> = {
  name: "currencyCode",
  read(value) {
    if (value === null || value === undefined) return null;
    return typeof value === "string" && CURRENCY.test(value) ? value : fail("must be an ISO 4217 code like CZK");
  },
  schema: { type: ["string", "null"], pattern: CURRENCY.source },
};
