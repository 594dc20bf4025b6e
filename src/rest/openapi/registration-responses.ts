// The registration and its person as the REST API answers them (the seed's shape), generated from the one
// definition of the registration's output fields (services/registration-fields.ts, via rest/registration-json.ts).
import { PERSON_SCHEMA, REGISTRATION_SCHEMA } from "../registration-json";
import type { JsonSchema } from "./document-types";

export { REGISTRATION_PROPERTIES, REGISTRATION_REQUIRED } from "../registration-json";

/** The schemas of a registration answer, under their names in components.schemas. */
export const REGISTRATION_RESPONSE_SCHEMAS: Record<string, JsonSchema> = {
  Person: PERSON_SCHEMA,
  Registration: REGISTRATION_SCHEMA,
};
