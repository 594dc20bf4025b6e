// The SyncItem request schema, generated from the sync's input classes: each field's JSON types, limits and enum
// come from its class-validator decorator (services/sync-item-input.ts); only the prose is written here.
import { decoratedProperties, ruledFields, type RuleSchema } from "../../services/field-rule";
import { MoneyInput, SyncPersonInput, SyncRegistrationInput } from "../../services/sync-item-input";
import type { JsonSchema } from "./document-types";

/** A field's description; a function is given its rule's schema, so a limit it names is the decorator's. */
type Note = string | ((schema: RuleSchema) => string);

interface ObjectNotes<T> {
  /** Which class the field holds, for a field that is an object of its own. */
  nested?: Partial<Record<keyof T, new () => object>>;
  /** The prose of every field: a Record, so a field added to the class fails to compile until it is described. */
  notes: Record<keyof T, Note>;
  examples?: Partial<Record<keyof T, unknown[]>>;
}

const amount: ObjectNotes<MoneyInput> = {
  notes: {
    value: (rule) =>
      `Hundredths of the currency, a whole number ${rule.minimum} to ${rule.maximum?.toLocaleString("en")} (digits in a string are accepted).`,
    currency: "ISO 4217 code; default the activity's currency.",
  },
};

const person: ObjectNotes<SyncPersonInput> = {
  examples: { birthDate: ["1975-11-27T00:00:00Z"] },
  notes: {
    id: "A person already registered with this organizer.",
    givenName: "Given name; required for a new person.",
    middleName: "Middle name.",
    surname: "Surname; required for a new person.",
    sex: "Required for a new person.",
    birthDate: "1975-11-27 or 1975-11-27T00:00:00Z, between 1900-01-01 and today; required for a new person.",
    language: "Language tag like cs or en-GB.",
    nickname: "Nickname.",
    country: "ISO 3166 alpha-2 code like CZ (upper-cased).",
    isProfilePublic: "true or false (also as text); default false.",
  },
};

const item: ObjectNotes<SyncRegistrationInput> = {
  nested: { amount: MoneyInput, person: SyncPersonInput },
  notes: {
    id: "The registration to update; empty or null inserts.",
    externalId: (rule) =>
      `The client's own id of the registration (at most ${rule.maxLength} characters), as text: a JSON number is refused, as one beyond 2^53 loses digits; it makes re-imports update instead of duplicate.`,
    startNumber: (rule) =>
      `The start number (at most ${rule.maxLength} characters); empty or null clears it. Numbers are taken as text.`,
    state: "State of a new registration (default Confirmed); ignored on update.",
    amount: "Amount of a new registration; ignored on update. Absent: zero in the activity's currency.",
    person:
      "The person: by id, or by the fields of a new (or unclaimed imported) person. Null or empty values clear optional fields.",
  },
};

const NOTES = new Map<object, ObjectNotes<never>>([
  [SyncRegistrationInput, item],
  [SyncPersonInput, person],
  [MoneyInput, amount],
]);

/** The properties of `target`, in its declaration order, each its rule's schema and its note. */
function propertiesOf(target: new () => object): Record<string, JsonSchema> {
  const { notes, nested = {}, examples = {} } = NOTES.get(target) as ObjectNotes<Record<string, unknown>>;
  const rules = new Map(ruledFields(target).map((field) => [field.property, field.rule.schema]));
  const properties: Record<string, JsonSchema> = {};
  for (const property of decoratedProperties(target)) {
    const rule = rules.get(property) ?? { type: ["object", "null"] };
    const note = notes[property];
    const inner = nested[property];
    properties[property] = {
      ...(rule as JsonSchema),
      ...(rule.enum ? { enum: [...rule.enum] } : {}),
      description: typeof note === "function" ? note(rule) : note,
      ...(examples[property] ? { examples: examples[property] } : {}),
      ...(inner ? { properties: propertiesOf(inner) } : {}),
    };
  }
  return properties;
}

const required = ruledFields(SyncPersonInput)
  .filter((field) => field.requiredForNew)
  .map((field) => `\`${field.property}\``);
const listed = `${required.slice(0, -1).join(", ")} and ${required[required.length - 1]}`;

export const SYNC_ITEM_SCHEMA: JsonSchema = {
  type: "object",
  description: `One item of a sync, in the seed's shape. What it does:

- **With \`id\`**: updates that registration of this activity. \`startNumber\` present sets it (empty or null clears it),
  absent leaves it. \`state\` and \`amount\` are ignored. A \`person.id\` other than the registration's fails the row.
  Person fields change the person only for an imported person whose account nobody has claimed; otherwise they are ignored.
- **Without \`id\`, with an \`externalId\` already known in this activity**: the same as an update of that registration.
- **Otherwise**: inserts an external registration. The person needs ${listed},
  or a \`person.id\` of a person already registered with this organizer. \`state\` defaults to Confirmed.

Other keys (\`created\`, \`code\`, \`person.name\`, …) are ignored, so a downloaded registration can be sent back as it is.
A value of the wrong type fails its row (422), it does not make the request malformed.`,
  properties: propertiesOf(SyncRegistrationInput),
};
