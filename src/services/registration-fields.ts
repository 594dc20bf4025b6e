// The registration as clients see it, defined once. Each output field says its name, kind, nullability and
// descriptions here; the outputs are built from these lists: the GraphQL types (schema/registration-types.ts),
// the JSON answer and its OpenAPI schemas (rest/registration-json.ts), the CSV and workbook columns
// (rest/registration-table.ts). The view types below follow from the lists too, so code that builds a
// registration without a new field (a row reader, the sync) fails to compile until it fills it in.
//
// Adding a field: add it to the list of its object, in the place its CSV column should take; say
// `json: false` or `csv: false` when an output leaves it out. Then select it in registration-view.ts.
import { SEXES, type Sex } from "../entities/person";
import { REGISTRATION_STATES, type RegistrationSource, type RegistrationState } from "../entities/registration";

/** A GraphQL enum a field's values belong to (schema/enums.ts registers each under this name). */
export type OutputEnumName = "RegistrationState" | "Sex" | "RegistrationSource";

/** Extra JSON Schema keywords of a field's OpenAPI schema, beyond its type. */
export interface JsonSchemaExtras {
  pattern?: string;
  format?: string;
  minLength?: number;
  minimum?: number;
}

/** How the JSON answer writes a field; `false`: the JSON answer leaves it out. */
export type JsonOutput =
  | false
  | {
      /** What the OpenAPI schema says of it (REST readers are told what is absent when); none on a `$ref`. */
      description?: string;
      /** Left out of the answer when null or empty, as the seed does; otherwise always there (null when nullable). */
      omitWhenEmpty?: true;
      schema?: JsonSchemaExtras;
    };

/** How the CSV and workbook formats write a field; `false`: no column. */
export type CsvOutput = false | { note: string };

interface FieldBase {
  /** What GraphQL's schema says of the field. */
  description: string;
  /** Null when absent; GraphQL's field is then nullable. */
  nullable?: boolean;
  json: JsonOutput;
}

/**
 * What a field holds, and so how each output writes it: `id` 24 hex digits; `date` a day (YYYY-MM-DD; JSON
 * writes it at midnight UTC, as the seed does); `dateTime` an instant; `enum` one of a GraphQL enum's values;
 * `object` the fields of another shape.
 */
export type OutputField =
  | (FieldBase & { kind: "id" | "string" | "int" | "boolean" | "date" | "dateTime"; csv: CsvOutput })
  | (FieldBase & { kind: "enum"; enumName: OutputEnumName; values: readonly string[]; csv: CsvOutput })
  /** An object's columns are its fields', named `{prefix}.{field}`. */
  | (FieldBase & { kind: "object"; shape: OutputShape; csv: false | { prefix: string } });

/** An object of the answer: its fields in CSV column order, and the seed's key order for JSON. */
export interface OutputShape {
  /** The GraphQL type's name, and the OpenAPI component's when `componentDescription` is set. */
  name: string;
  /** What GraphQL's schema says of the type. */
  description: string;
  /** When set, OpenAPI describes the object once, as components/schemas/{name}, in these words. */
  componentDescription?: string;
  fields: Record<string, OutputField>;
  /** The seed's key order; fields it does not list follow in the order of `fields`. */
  jsonOrder?: readonly string[];
}

/** A shape whose `jsonOrder` names only its own fields (the compiler checks). */
const defineShape = <const F extends Record<string, OutputField>>(
  shape: Omit<OutputShape, "fields" | "jsonOrder"> & { fields: F; jsonOrder?: readonly (keyof F & string)[] },
) => shape;

// The TypeScript type of each kind; a field's value, and a shape's view.
type KindValue<F> = F extends { kind: "int" }
  ? number
  : F extends { kind: "boolean" }
    ? boolean
    : F extends { kind: "dateTime" }
      ? Date
      : F extends { kind: "enum"; values: readonly (infer V)[] }
        ? V
        : F extends { kind: "object"; shape: { fields: infer S } }
          ? ViewOf<S>
          : string;
type FieldValue<F> = F extends { nullable: true } ? KindValue<F> | null : KindValue<F>;
/** The object a shape's fields describe, as services hand it to the outputs. */
export type ViewOf<S> = { -readonly [K in keyof S]: FieldValue<S[K]> };

/** An enum field whose TypeScript type is `T`. */
const enumOf = <T extends string>(enumName: OutputEnumName, values: readonly T[]) => ({
  kind: "enum" as const,
  enumName,
  values,
});
// The entity has no list of sources; the type still says which they are.
const SOURCES: readonly RegistrationSource[] = ["Native", "External"];

export const MONEY = defineShape({
  name: "Money",
  description: "An amount in minor units: { value: 85000, currency: CZK } is 850 CZK.",
  fields: {
    value: {
      kind: "int",
      description: "Amount in hundredths of the currency unit.",
      json: { description: "In hundredths of the currency: 85000 is 850.00.", schema: { minimum: 0 } },
      csv: { note: "Amount paid in hundredths (85000 is 850.00). Read on insert only." },
    },
    currency: {
      kind: "string",
      description: "ISO 4217 currency code.",
      json: { description: "ISO 4217 code, like CZK.", schema: { pattern: "^[A-Z]{3}$" } },
      csv: { note: "ISO 4217 code of the amount, like CZK. Read on insert only; default the activity's." },
    },
  },
});

export const PERSON = defineShape({
  name: "Person",
  description: "A registered person.",
  componentDescription: "The registered person, in the seed's key order; optional fields are left out when empty.",
  fields: {
    id: {
      kind: "id",
      description: "24-character hex id.",
      json: { description: "The person's id." },
      csv: { note: "The person's id. On insert, attaches a person already registered with this organizer." },
    },
    givenName: {
      kind: "string",
      description: "Given name.",
      json: { description: "Given name." },
      csv: { note: "Given name; required for a new person." },
    },
    middleName: {
      kind: "string",
      nullable: true,
      description: "Middle name, if any.",
      json: { description: "Middle name; absent when there is none.", omitWhenEmpty: true },
      csv: { note: "Middle name, may be empty." },
    },
    surname: {
      kind: "string",
      description: "Surname.",
      json: { description: "Surname." },
      csv: { note: "Surname; required for a new person." },
    },
    sex: {
      ...enumOf<Sex>("Sex", SEXES),
      description: "Sex.",
      json: { description: "Sex, as the platform records it." },
      csv: { note: `${SEXES.join(" or ")}; required for a new person.` },
    },
    birthDate: {
      kind: "date",
      description: "Date of birth.",
      json: {
        description: "Birth date at midnight UTC, as in the seed: 1975-11-27T00:00:00Z.",
        schema: { pattern: "^\\d{4}-\\d{2}-\\d{2}T00:00:00Z$" },
      },
      csv: {
        note: "Birth date as 1975-11-27 (so downloaded); an upload may also write 1975-11-27T00:00:00Z or the Czech 27.11.1975, 27. 11. 1975, 1.2.1990. An impossible date (31.2.1990) fails its row. Required for a new person.",
      },
    },
    language: {
      kind: "string",
      nullable: true,
      description: "Preferred language (BCP 47 tag such as cs).",
      json: { description: "Language tag like cs; absent when unknown.", omitWhenEmpty: true },
      csv: { note: "Language tag like cs or en-GB, may be empty." },
    },
    nickname: {
      kind: "string",
      nullable: true,
      description: "Public nickname.",
      json: { description: "Nickname; absent when there is none.", omitWhenEmpty: true },
      csv: { note: "Nickname, may be empty." },
    },
    country: {
      kind: "string",
      nullable: true,
      description: "Country, ISO 3166 alpha-2.",
      json: {
        description: "ISO 3166 alpha-2 country code; absent when unknown.",
        omitWhenEmpty: true,
        schema: { pattern: "^[A-Z]{2}$" },
      },
      csv: { note: "ISO 3166 alpha-2 country code like CZ, may be empty." },
    },
    isProfilePublic: {
      kind: "boolean",
      description: "Whether the person's profile is public.",
      json: { description: "Whether the public start list shows the person's year of birth and country." },
      csv: { note: "true or false: whether the public start list shows year of birth and country." },
    },
    name: {
      kind: "string",
      description: "Given name and surname.",
      json: { description: "Given name and surname." },
      csv: { note: "Given name and surname, as the platform shows them." },
    },
    ref: {
      kind: "string",
      description: "Nickname, else id: how the platform links to the person.",
      json: { description: "The nickname, or else the person's id." },
      csv: { note: "The person's nickname, or else their id." },
    },
  },
  jsonOrder: [
    "id",
    "isProfilePublic",
    "givenName",
    "middleName",
    "surname",
    "sex",
    "birthDate",
    "language",
    "nickname",
    "country",
    "name",
    "ref",
  ],
});

export const REGISTRATION = defineShape({
  name: "Registration",
  description: "A person's entry in an activity.",
  componentDescription: "A registration as the platform's REST API shows it (the seed's shape, in its key order).",
  fields: {
    id: {
      kind: "id",
      description: "24-character hex id.",
      json: { description: "The registration's id." },
      csv: { note: "The registration's id (24 hex digits). Empty on a row that inserts an external registration." },
    },
    code: {
      kind: "string",
      description: "Short human-friendly code such as RGZ196.",
      json: { description: "Short code people quote, like RGZ196.", schema: { pattern: "^[A-Z0-9]{4,12}$" } },
      csv: { note: "The short code people quote, like RGZ196." },
    },
    created: {
      kind: "dateTime",
      description: "When the registration was made.",
      json: {
        description: "When the registration was made, UTC with milliseconds: 2022-12-06T09:12:03.701Z.",
        schema: { format: "date-time" },
      },
      csv: { note: "When the registration was made (ISO 8601, UTC)." },
    },
    modified: { kind: "dateTime", description: "When the registration last changed.", json: false, csv: false },
    state: {
      ...enumOf<RegistrationState>("RegistrationState", REGISTRATION_STATES),
      description: "State of the registration.",
      json: { description: "State; only Confirmed registrations are on the start list." },
      csv: { note: `${REGISTRATION_STATES.join(", ")}. Read on insert (default Confirmed), ignored on update.` },
    },
    startNumber: {
      kind: "string",
      nullable: true,
      description: "Start (bib) number; a string so that 0001 keeps its zeros.",
      json: {
        description: "Start (bib) number as text, so 0001 keeps its zeros; null when none is assigned.",
        schema: { minLength: 1 },
      },
      csv: { note: "The start (bib) number, text (leading zeros kept). An empty cell clears it." },
    },
    externalId: {
      kind: "string",
      nullable: true,
      description: "The registration's id in the importing client's own system.",
      json: {
        description: "The client's own id of an imported registration; absent on registrations made in the platform.",
        omitWhenEmpty: true,
        schema: { minLength: 1 },
      },
      csv: { note: "The client's own id of an external registration; re-uploading a row with a known one updates it." },
    },
    source: {
      ...enumOf<RegistrationSource>("RegistrationSource", SOURCES),
      description: "Where the registration was made.",
      json: false,
      csv: { note: "Native (made in the platform) or External (imported)." },
    },
    amount: {
      kind: "object",
      shape: MONEY,
      description: "Amount paid or due.",
      json: { description: "What the entry costs." },
      csv: { prefix: "registration.amount" },
    },
    person: {
      kind: "object",
      shape: PERSON,
      description: "The registered person.",
      json: {},
      csv: { prefix: "person" },
    },
  },
  jsonOrder: ["id", "created", "code", "state", "startNumber", "externalId", "amount", "person"],
});

/** The CSV column prefix of the registration's own fields (`registration.startNumber`). */
export const REGISTRATION_CSV_PREFIX = "registration";

// The column names, as a type: `${prefix}.${field}` for each field with a column, an object's fields under its prefix.
type ColumnsOf<S, P extends string> = {
  [K in keyof S & string]: S[K] extends { csv: false }
    ? never
    : S[K] extends { kind: "object"; csv: { prefix: infer Q extends string }; shape: { fields: infer F } }
      ? ColumnsOf<F, Q>
      : `${P}.${K}`;
}[keyof S & string];
/** A CSV column's name, such as `registration.startNumber` or `person.givenName`. */
export type RegistrationColumnName = ColumnsOf<typeof REGISTRATION.fields, typeof REGISTRATION_CSV_PREFIX>;

export type MoneyView = ViewOf<typeof MONEY.fields>;
export type PersonView = ViewOf<typeof PERSON.fields>;
/** A registration as services hand it to the outputs; `activityId` is for the resolvers, no output shows it. */
export type RegistrationView = ViewOf<typeof REGISTRATION.fields> & { activityId: string };
