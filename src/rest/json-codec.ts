// JSON bodies and answers in the seed's shape.
import type { RegistrationView } from "../services/registration-view";
import type { SyncItemInput, SyncItemResult } from "../services/registration-sync";
import { problem } from "./problem";

/** The seed's key order; optional person fields are left out when empty, as the seed does. */
export function registrationJson(r: RegistrationView): Record<string, unknown> {
  const p = r.person;
  const person: Record<string, unknown> = { id: p.id, isProfilePublic: p.isProfilePublic, givenName: p.givenName };
  if (p.middleName) person.middleName = p.middleName;
  Object.assign(person, { surname: p.surname, sex: p.sex, birthDate: `${p.birthDate}T00:00:00Z` });
  if (p.language) person.language = p.language;
  if (p.nickname) person.nickname = p.nickname;
  if (p.country) person.country = p.country;
  Object.assign(person, { name: p.name, ref: p.ref });
  const json: Record<string, unknown> = {
    id: r.id,
    created: r.created.toISOString(),
    code: r.code,
    state: r.state,
    startNumber: r.startNumber,
  };
  if (r.externalId) json.externalId = r.externalId;
  json.amount = { value: r.amount.value, currency: r.amount.currency };
  json.person = person;
  return json;
}

export function syncResultJson(result: SyncItemResult): Record<string, unknown> {
  const json: Record<string, unknown> = result.registration ? registrationJson(result.registration) : {};
  json.syncResultType = result.syncResultType;
  if (result.errors.length) json.errors = result.errors.map(({ index: _index, ...rest }) => rest);
  if (result.warnings.length) json.warnings = result.warnings;
  return json;
}

export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** A PUT body: a JSON array of objects. @throws HttpProblem 400 otherwise. */
export function parseJsonItems(body: Buffer): SyncItemInput[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8").replace(/^\uFEFF/, ""));
  } catch (error) {
    throw problem(400, "malformed-json", "Malformed JSON", `The body is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) {
    throw problem(400, "malformed-json", "Malformed JSON", "The body must be a JSON array of registrations");
  }
  parsed.forEach((item, index) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw problem(400, "malformed-json", "Malformed JSON", `Item ${index} must be an object`, {
        errors: [{ index, field: null, code: "InvalidValue", message: "Each item must be a JSON object" }],
      });
    }
  });
  return parsed as SyncItemInput[];
}
