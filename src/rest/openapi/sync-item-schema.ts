// The request schemas of the syncs' items (SyncItem, SyncResultItem), generated from their input classes: each
// field's JSON types, limits and enum come from its class-validator decorator (services/sync-item-input.ts,
// services/result-item-input.ts); only the prose is written here.
import { decoratedProperties, ruledFields, type RuleSchema } from "../../services/field-rule";
import { MoneyInput, SyncPersonInput, SyncRegistrationInput } from "../../services/sync-item-input";
import { SyncResultInput } from "../../services/result-item-input";
import type { JsonSchema } from "./document-types";

/** A field's description; a function is given its rule's schema, so a limit it names is the decorator's. */
type Note = string | ((schema: RuleSchema) => string);

type InputClass<T = object> = new () => T;

/** The prose of one input class. */
interface ObjectNotes<T> {
  /** Which class the field holds, for a field that is an object of its own. */
  nested?: Partial<Record<keyof T, InputClass>>;
  /** The prose of every field: a Record, so a field added to the class fails to compile until it is described. */
  notes: Record<keyof T, Note>;
  examples?: Partial<Record<keyof T, unknown[]>>;
  /** The prose of a list's items, for a field whose rule gives their shape: the item, and each of its fields. */
  items?: Partial<Record<keyof T, { description: string; fields: Record<string, string> }>>;
}

/** The prose of the classes a schema is generated from. */
type NoteBook = ReadonlyMap<InputClass, ObjectNotes<Record<string, unknown>>>;

/** One class's notes, checked against the class, for a NoteBook. */
const notesOf = <T>(
  target: InputClass<T>,
  notes: ObjectNotes<T>,
): [InputClass, ObjectNotes<Record<string, unknown>>] => [
  target as InputClass,
  notes as unknown as ObjectNotes<Record<string, unknown>>,
];

/** A rule's schema with the prose of its list's items. */
function described(rule: RuleSchema, items?: { description: string; fields: Record<string, string> }): JsonSchema {
  if (!items || !rule.items) return rule as JsonSchema;
  const properties = Object.fromEntries(
    Object.entries(rule.items.properties ?? {}).map(([name, schema]) => [
      name,
      { ...(schema as JsonSchema), description: items.fields[name] },
    ]),
  );
  return {
    ...(rule as JsonSchema),
    items: { ...(rule.items as JsonSchema), description: items.description, properties },
  };
}

/** The properties of `target`, in its declaration order, each its rule's schema and its note. */
function propertiesOf(target: InputClass, book: NoteBook): Record<string, JsonSchema> {
  const { notes, nested = {}, examples = {}, items = {} } = book.get(target) as ObjectNotes<Record<string, unknown>>;
  const rules = new Map(ruledFields(target).map((field) => [field.property, field.rule.schema]));
  const properties: Record<string, JsonSchema> = {};
  for (const property of decoratedProperties(target)) {
    const rule = rules.get(property) ?? { type: ["object", "null"] };
    const note = notes[property];
    const inner = nested[property];
    properties[property] = {
      ...described(rule, items[property]),
      ...(rule.enum ? { enum: [...rule.enum] } : {}),
      description: typeof note === "function" ? note(rule) : note,
      ...(examples[property] ? { examples: examples[property] } : {}),
      ...(inner ? { properties: propertiesOf(inner, book) } : {}),
    };
  }
  return properties;
}

/** The request schema of `target`'s items: its fields, described by `book`, under `description`. */
export function itemSchema(target: InputClass, book: NoteBook, description: string): JsonSchema {
  return { type: "object", description, properties: propertiesOf(target, book) };
}

const amount = notesOf(MoneyInput, {
  notes: {
    value: (rule) =>
      `Hundredths of the currency, a whole number ${rule.minimum} to ${rule.maximum?.toLocaleString("en")} (digits in a string are accepted).`,
    currency: "ISO 4217 code; default the activity's currency.",
  },
});

const person = notesOf(SyncPersonInput, {
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
});

const registration = notesOf(SyncRegistrationInput, {
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
});

const positionNote = (among: string) => (rule: RuleSchema) =>
  `Position ${among}, a whole number ${rule.minimum} to ${rule.maximum?.toLocaleString("en")} (digits in a string are taken too); empty or null for none. Finishers only. Two finishers share one only with equal times (PositionTaken).`;

const result = notesOf(SyncResultInput, {
  nested: { person: SyncPersonInput },
  notes: {
    person:
      "Whose result: `id` of a person registered with this organizer; without it, the startNumber's registration in this activity, or the runner of this activity with the given givenName, surname and birthDate; else a new person (givenName, surname, sex and birthDate needed). Names and birth date given beside a startNumber must be its runner's.",
    startNumber: (rule) =>
      `Start number (at most ${rule.maxLength} characters), stored with the result. Without person.id it finds the runner: the registration of this activity holding it (7 finds 0007).`,
    status:
      "Finished (default when absent or empty), DidNotFinish, DidNotStart or Disqualified; only Finished has positions.",
    category: (rule) => `Category, like M40 (at most ${rule.maxLength} characters); empty or null for none.`,
    position: positionNote("overall"),
    positionByCategory: positionNote("in the category"),
    positionBySex: positionNote("among runners of the same sex"),
    time: (rule) =>
      `Finish time: whole milliseconds, ${rule.minimum} to ${rule.maximum?.toLocaleString("en")} (600000 is 10:00), or text h:mm:ss with up to three decimals as timing software writes it (0:10:00, 1:02:03.4, 0:59:59,999). 10:00 alone is refused: minutes or hours would be a guess. Answers give milliseconds.`,
    splitTimes: (rule) =>
      `At most ${rule.maxItems} splits, each further and later than the one before; stored with the instant in UTC. Empty or null: none.`,
  },
  examples: { time: [600000, "0:10:00", "1:02:03.4"] },
  items: {
    splitTimes: {
      description: "Where and when the runner passed a split.",
      fields: {
        distance: "Kilometres from the start, above 0, like 4.0 (digits in a string, with . or ,, are taken too).",
        time: "The instant passed, ISO 8601 with its offset, like 2022-09-01T15:10:00Z or 2022-09-01T17:10:00+02:00.",
      },
    },
  },
});

const BOOK: NoteBook = new Map([registration, person, amount, result]);

const required = ruledFields(SyncPersonInput)
  .filter((field) => field.requiredForNew)
  .map((field) => `\`${field.property}\``);
const listed = `${required.slice(0, -1).join(", ")} and ${required[required.length - 1]}`;

export const SYNC_ITEM_SCHEMA = itemSchema(
  SyncRegistrationInput,
  BOOK,
  `One item of a sync, in the seed's shape. What it does:

- **With \`id\`**: updates that registration of this activity. \`startNumber\` present sets it (empty or null clears it),
  absent leaves it. \`state\` and \`amount\` are ignored. A \`person.id\` other than the registration's fails the row.
  Person fields change the person only for an imported person whose account nobody has claimed; otherwise they are ignored.
- **Without \`id\`, with an \`externalId\` already known in this activity**: the same as an update of that registration.
- **Otherwise**: inserts an external registration. The person needs ${listed},
  or a \`person.id\` of a person already registered with this organizer. \`state\` defaults to Confirmed.

Other keys (\`created\`, \`code\`, \`person.name\`, …) are ignored, so a downloaded registration can be sent back as it is.
A value of the wrong type fails its row (422), it does not make the request malformed.`,
);

export const SYNC_RESULT_ITEM_SCHEMA = itemSchema(
  SyncResultInput,
  BOOK,
  `One item of a results sync, in the platform's shape: one person's result in the activity. Whose result it is:

1. **\`person.id\`**: that person, who must be registered with this organizer (UnknownPerson otherwise); a
   \`startNumber\` another runner of this activity holds fails the row (StartNumberTaken).
2. **Else a \`startNumber\`** that a registration of this activity holds (not a cancelled one; 7 finds 0007): its
   runner. Names or a birth date given beside it must be the runner's (PersonMismatch).
3. **Else the person's fields**: the person registered in this activity, or with a result in it, with this
   \`givenName\`, \`surname\` and \`birthDate\` (names in any case; AmbiguousPerson if several), or else a new person,
   which needs ${listed}, as an external registration's runner does. Their result has no registration.

A person has one result per activity: an item for a person who has one updates it (Updated, or Unchanged when nothing
differs), and a second item for the same person in one batch fails (DuplicateItem). Fields left out are stored empty:
an item is the whole result. Other keys (\`id\`, \`registrationId\`, \`person.name\`, …) are ignored, so a downloaded
result can be sent back as it is. A value of the wrong type fails its row (422), it does not make the request malformed.`,
);
