// The registration and its person as the REST API answers them (the seed's shape).
import { SEXES } from "../../entities/person";
import { REGISTRATION_STATES } from "../../entities/registration";
import { OBJECT_ID, schema } from "./builders";
import type { JsonSchema } from "./document-types";

export const PERSON: JsonSchema = {
  type: "object",
  description: "The registered person, in the seed's key order; optional fields are left out when empty.",
  properties: {
    id: { ...OBJECT_ID, description: "The person's id." },
    isProfilePublic: { type: "boolean", description: "Whether the public start list shows the person's year of birth and country." },
    givenName: { type: "string", description: "Given name." },
    middleName: { type: "string", description: "Middle name; absent when there is none." },
    surname: { type: "string", description: "Surname." },
    sex: { type: "string", enum: SEXES, description: "Sex, as the platform records it." },
    birthDate: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}T00:00:00Z$", description: "Birth date at midnight UTC, as in the seed: 1975-11-27T00:00:00Z." },
    language: { type: "string", description: "Language tag like cs; absent when unknown." },
    nickname: { type: "string", description: "Nickname; absent when there is none." },
    country: { type: "string", pattern: "^[A-Z]{2}$", description: "ISO 3166 alpha-2 country code; absent when unknown." },
    name: { type: "string", description: "Given name and surname." },
    ref: { type: "string", description: "The nickname, or else the person's id." },
  },
  required: ["id", "isProfilePublic", "givenName", "surname", "sex", "birthDate", "name", "ref"],
};

export const REGISTRATION_PROPERTIES: Record<string, JsonSchema> = {
  id: { ...OBJECT_ID, description: "The registration's id." },
  created: { type: "string", format: "date-time", description: "When the registration was made, UTC with milliseconds: 2022-12-06T09:12:03.701Z." },
  code: { type: "string", pattern: "^[A-Z0-9]{4,12}$", description: "Short code people quote, like RGZ196." },
  state: { type: "string", enum: REGISTRATION_STATES, description: "State; only Confirmed registrations are on the start list." },
  startNumber: { type: ["string", "null"], minLength: 1, description: "Start (bib) number as text, so 0001 keeps its zeros; null when none is assigned." },
  externalId: { type: "string", minLength: 1, description: "The client's own id of an imported registration; absent on registrations made in the platform." },
  amount: {
    type: "object",
    description: "What the entry costs.",
    properties: {
      value: { type: "integer", minimum: 0, description: "In hundredths of the currency: 85000 is 850.00." },
      currency: { type: "string", pattern: "^[A-Z]{3}$", description: "ISO 4217 code, like CZK." },
    },
    required: ["value", "currency"],
  },
  person: schema("Person"),
};

export const REGISTRATION_REQUIRED = ["id", "created", "code", "state", "startNumber", "amount", "person"];

/** The schemas of a registration answer, under their names in components.schemas. */
export const REGISTRATION_RESPONSE_SCHEMAS: Record<string, JsonSchema> = {
  Person: PERSON,
  Registration: {
    type: "object",
    description: "A registration as the platform's REST API shows it (the seed's shape, in its key order).",
    properties: REGISTRATION_PROPERTIES,
    required: REGISTRATION_REQUIRED,
  },
};
