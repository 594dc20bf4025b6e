// The registration as clients see it: the seed's response shape, read with one SELECT.
import type { RegistrationSource, RegistrationState } from "../entities/registration";
import type { Sex } from "../entities/person";

export interface PersonView {
  id: string;
  isProfilePublic: boolean;
  givenName: string;
  middleName: string | null;
  surname: string;
  sex: Sex;
  /** YYYY-MM-DD */
  birthDate: string;
  language: string | null;
  nickname: string | null;
  country: string | null;
  /** Given name and surname, as in the seed. */
  name: string;
  /** Nickname, else id. */
  ref: string;
}

export interface RegistrationView {
  id: string;
  activityId: string;
  created: Date;
  modified: Date;
  code: string;
  state: RegistrationState;
  startNumber: string | null;
  amount: { value: number; currency: string };
  source: RegistrationSource;
  externalId: string | null;
  person: PersonView;
}

/** Columns for `registrationFromRow`; the query joins `registration r` and `person p`. */
export const REGISTRATION_COLUMNS = `
  r.id, r.activity_id, r.created_at, r.modified_at, r.code, r.state, r.start_number,
  r.amount_value, r.amount_currency, r.source, r.external_id,
  p.id AS person_id, p.is_profile_public, p.given_name, p.middle_name, p.surname, p.sex,
  to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date, p.language, p.nickname, p.country`;

export interface PersonFields {
  givenName: string;
  middleName: string | null;
  surname: string;
  sex: Sex;
  birthDate: string;
  language: string | null;
  nickname: string | null;
  country: string | null;
  isProfilePublic: boolean;
}

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
export function registrationFromRow(row: any): RegistrationView {
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

/** The person columns of REGISTRATION_COLUMNS (`person_id`, `given_name`, …). */
export function personFromRow(row: any): PersonView {
  return personView(row.person_id, {
    givenName: row.given_name,
    middleName: row.middle_name,
    surname: row.surname,
    sex: row.sex,
    birthDate: row.birth_date,
    language: row.language,
    nickname: row.nickname,
    country: row.country,
    isProfilePublic: row.is_profile_public,
  });
}
