// The sync item's input classes: their decorators say the same thing through class-validator (GraphQL inputs,
// fieldFailures) as through the sync's per-row reader, with the REST API's exact messages. Pure: no HTTP, no database.
import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { fieldFailures } from "../../src/services/input-validation";
import { MoneyInput, SyncPersonInput, SyncRegistrationInput } from "../../src/services/sync-item-input";
import {
  PERSON_FIELDS,
  readInsertAmount,
  readInsertState,
  readItemKeys,
  readPersonFields,
  type RowError,
  type SyncItemInput,
} from "../../src/services/sync-input";

/** Every row error the sync's readers give `item` (a new person, an insert in CZK). */
function rowErrors(item: SyncItemInput): Omit<RowError, "index">[] {
  const errors: RowError[] = [];
  readItemKeys(item, 0, errors);
  readPersonFields(item, 0, "new", errors);
  readInsertState(item, 0, errors);
  readInsertAmount(item, 0, "CZK", errors);
  return errors.map(({ index: _index, ...error }) => error);
}

/** The same item as instances of the input classes, as GraphQL hands it to a resolver. */
function asInput(item: SyncItemInput): SyncRegistrationInput {
  const { person, amount, ...rest } = item as Record<string, unknown>;
  return Object.assign(new SyncRegistrationInput(), rest, {
    ...(person === undefined
      ? {}
      : { person: typeof person === "object" && person ? Object.assign(new SyncPersonInput(), person) : person }),
    ...(amount === undefined
      ? {}
      : { amount: typeof amount === "object" && amount ? Object.assign(new MoneyInput(), amount) : amount }),
  });
}

const PERSON = { givenName: "Jana", surname: "Nováková", sex: "Female", birthDate: "1990-01-02" };
const withPerson = (fields: Record<string, unknown>): SyncItemInput => ({ person: { ...PERSON, ...fields } });

// Each: an item with one wrong value, and the one error both ways of checking give, byte for byte as the REST API says it.
const CASES: [string, SyncItemInput, string, string][] = [
  [
    "a given name of 101 characters",
    withPerson({ givenName: "x".repeat(101) }),
    "person.givenName",
    "person.givenName must be at most 100 characters",
  ],
  [
    "an empty surname",
    withPerson({ surname: " " }),
    "person.surname",
    "person.surname is required and must not be empty",
  ],
  [
    "a control character in a nickname",
    withPerson({ nickname: "a\u0007b" }),
    "person.nickname",
    "person.nickname must not contain control characters",
  ],
  [
    "a 31st of February",
    withPerson({ birthDate: "1990-02-31" }),
    "person.birthDate",
    "person.birthDate is not a calendar date: 1990-02-31 (day 31 of month 2)",
  ],
  ["an unknown sex", withPerson({ sex: "X" }), "person.sex", "person.sex must be one of Male, Female"],
  [
    "a three-letter country",
    withPerson({ country: "CZE" }),
    "person.country",
    "person.country must be at most 2 characters",
  ],
  [
    "a language that is no tag",
    withPerson({ language: "c" }),
    "person.language",
    "person.language must be a language tag like cs or en-GB",
  ],
  [
    "isProfilePublic as yes",
    withPerson({ isProfilePublic: "yes" }),
    "person.isProfilePublic",
    "person.isProfilePublic must be true or false",
  ],
  [
    "a person id a spreadsheet made a number",
    withPerson({ id: "6.30312345678901E+023" }),
    "person.id",
    "person.id 6.30312345678901E+023 is a number a spreadsheet made of an id; ids are text: open the file with that column as Text, or use registrations.xlsx",
  ],
  [
    "an externalId sent as a number",
    { ...withPerson({}), externalId: 1042 },
    "externalId",
    'externalId must be a string; send "1042" in quotes',
  ],
  [
    "a start number of 21 characters",
    { ...withPerson({}), startNumber: "1".repeat(21) },
    "startNumber",
    `startNumber ${"1".repeat(21)} must be at most 20 characters`,
  ],
  [
    "a start number with a space inside",
    { ...withPerson({}), startNumber: "0 1" },
    "startNumber",
    "startNumber 0 1 must not contain a space inside it",
  ],
  ["an unknown state", { ...withPerson({}), state: "Paid" }, "state", "state must be one of New, Confirmed, Cancelled"],
  [
    "a negative amount",
    { ...withPerson({}), amount: { value: -1 } },
    "amount.value",
    "amount.value must be a whole number of hundredths, 0 or more",
  ],
  [
    "a lower-case currency",
    { ...withPerson({}), amount: { value: 100, currency: "czk" } },
    "amount.currency",
    "amount.currency must be an ISO 4217 code like CZK",
  ],
];

describe("the sync item's input classes", () => {
  it.each(CASES)(
    "refuses %s with the same message through class-validator and through the sync",
    (_what, item, field, message) => {
      expect(rowErrors(item)).toEqual([{ field, code: "InvalidValue", message }]);
      expect(fieldFailures(asInput(item))).toEqual([{ field, code: "InvalidValue", message }]);
    },
  );

  it("refuses a person that is no object, and then misses a new person's fields", () => {
    expect(rowErrors({ person: "Jana" })[0]).toEqual({
      field: "person",
      code: "InvalidValue",
      message: "person must be an object",
    });
    expect(fieldFailures(asInput({ person: "Jana" }))).toEqual([
      { field: "person", code: "InvalidValue", message: "person must be an object" },
    ]);
  });

  it("needs givenName, surname, sex and birthDate for a new person, each a MissingField", () => {
    const missing = ["givenName", "surname", "sex", "birthDate"].map((name) => ({
      field: `person.${name}`,
      code: "MissingField",
      message: `person.${name} is required for a new registration`,
    }));
    expect(rowErrors({ person: {} })).toEqual(missing);
    expect(fieldFailures(asInput({ person: {} }))).toEqual(missing);
  });

  it("takes a valid new person and reads values into their stored form", () => {
    const errors: RowError[] = [];
    const fields = readPersonFields(
      withPerson({ birthDate: "1975-11-27T00:00:00Z", country: "cz", isProfilePublic: "TRUE", middleName: "" }),
      0,
      "new",
      errors,
    );
    expect(errors).toEqual([]);
    expect(fields).toEqual({
      ...PERSON,
      birthDate: "1975-11-27",
      country: "CZ",
      isProfilePublic: true,
      middleName: null,
    });
    expect(fieldFailures(asInput(withPerson({ country: "cz" })))).toEqual([]);
  });

  it("reads a person the client may not edit by the same rules, passing over empty values", () => {
    const errors: RowError[] = [];
    expect(readPersonFields({ person: { givenName: "", surname: null, country: "CZE" } }, 3, "check", errors)).toEqual(
      {},
    );
    expect(errors).toEqual([
      {
        index: 3,
        field: "person.country",
        code: "InvalidValue",
        message: "person.country must be at most 2 characters",
      },
    ]);
  });

  it("lists the person fields in the class's order, the person's id aside", () => {
    expect(PERSON_FIELDS).toEqual([
      "givenName",
      "middleName",
      "surname",
      "sex",
      "birthDate",
      "language",
      "nickname",
      "country",
      "isProfilePublic",
    ]);
  });
});
