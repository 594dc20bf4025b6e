// The registration as clients see it (its fields: registration-fields.ts), read with one SELECT.
import type { PersonView, RegistrationView } from "./registration-fields";

export type { MoneyView, PersonView, RegistrationView } from "./registration-fields";

/** Columns for `personFromRow`; the query names the person `p`. */
export const PERSON_COLUMNS = `
  p.id AS person_id, p.is_profile_public, p.given_name, p.middle_name, p.surname, p.sex,
  to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date, p.language, p.nickname, p.country`;

/** Columns for `registrationFromRow`; the query joins `registration r` and `person p`. */
export const REGISTRATION_COLUMNS = `
  r.id, r.activity_id, r.created_at, r.modified_at, r.code, r.state, r.start_number,
  r.amount_value, r.amount_currency, r.source, r.external_id, ${PERSON_COLUMNS}`;

/** A row as PERSON_COLUMNS name it: the driver's values, before they become a view. */
export interface PersonRow {
  person_id: string;
  is_profile_public: boolean;
  given_name: string;
  middle_name: string | null;
  surname: string;
  sex: PersonView["sex"];
  birth_date: string;
  language: string | null;
  nickname: string | null;
  country: string | null;
}

/** A row as REGISTRATION_COLUMNS name it. */
export interface RegistrationRow extends PersonRow {
  id: string;
  activity_id: string;
  created_at: Date | string;
  modified_at: Date | string;
  code: string;
  state: RegistrationView["state"];
  start_number: string | null;
  amount_value: string | number;
  amount_currency: string;
  source: RegistrationView["source"];
  external_id: string | null;
}

/** A person's stored fields: the view without the id and what is computed from the rest. */
export type PersonFields = Omit<PersonView, "id" | "name" | "ref">;

export function personView(id: string, fields: PersonFields): PersonView {
  return {
    id,
    isProfilePublic: fields.isProfilePublic,
    givenName: fields.givenName,
    middleName: fields.middleName,
    surname: fields.surname,
    sex: fields.sex,
    birthDate: fields.birthDate,
    language: fields.language,
    nickname: fields.nickname,
    country: fields.country,
    name: `${fields.givenName} ${fields.surname}`,
    ref: fields.nickname || id,
  };
}

/** A row selected with REGISTRATION_COLUMNS. */
export function registrationFromRow(row: RegistrationRow): RegistrationView {
  return {
    id: row.id,
    activityId: row.activity_id,
    created: new Date(row.created_at),
    modified: new Date(row.modified_at),
    code: row.code,
    state: row.state,
    startNumber: row.start_number,
    amount: { value: Number(row.amount_value), currency: row.amount_currency },
    source: row.source,
    externalId: row.external_id,
    person: personFromRow(row),
  };
}

/** A row selected with PERSON_COLUMNS (or REGISTRATION_COLUMNS). */
export function personFromRow(row: PersonRow): PersonView {
  return personView(row.person_id, personFieldsFromRow(row));
}

/** The stored fields of a row selected with PERSON_COLUMNS' names. */
export function personFieldsFromRow(row: PersonRow): PersonFields {
  return {
    givenName: row.given_name,
    middleName: row.middle_name,
    surname: row.surname,
    sex: row.sex,
    birthDate: row.birth_date,
    language: row.language,
    nickname: row.nickname,
    country: row.country,
    isProfilePublic: row.is_profile_public,
  };
}
