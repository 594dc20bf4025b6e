// The OpenAPI 3.1 document of the REST API (SPEC §5), served at GET /openapi.json and rendered at GET /api/docs.
// Enumerations (states, sexes, result types, CSV columns) come from the code that enforces them, so they cannot drift;
// test/rest/openapi.test.ts checks the rest against the router and against real answers.
import { WWW_AUTHENTICATE } from "../auth/basic-credentials";
import { SEXES } from "../entities/person";
import { REGISTRATION_STATES } from "../entities/registration";
import { LISTED_FAILED_ROWS, SYNC_RESULT_TYPES } from "../services/registration-sync";
import type { SyncErrorCode } from "../services/sync-input";
import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS } from "./cors";
import { COLUMNS, DEFAULT_COLUMNS, DEFAULT_TABLE_LIMITS } from "./registration-table";
import { XLSX_MEDIA_TYPE } from "./xlsx-codec";

// ---------------------------------------------------------------------------------------------------------------
// The parts of OpenAPI 3.1 this document uses.

type JsonType = "string" | "integer" | "number" | "boolean" | "object" | "array" | "null";

/** A JSON Schema 2020-12 (OpenAPI 3.1's dialect), limited to the keywords used here. */
export interface JsonSchema {
  $ref?: string;
  title?: string;
  description?: string;
  type?: JsonType | JsonType[];
  enum?: readonly unknown[];
  const?: unknown;
  default?: unknown;
  examples?: unknown[];
  format?: string;
  /** OpenAPI 3.1 way to say a string is a file of this media type (a binary body). */
  contentMediaType?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  uniqueItems?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  not?: JsonSchema;
}

export interface Reference {
  $ref: string;
  description?: string;
}

export interface Example {
  summary?: string;
  description?: string;
  value: unknown;
}

export interface MediaType {
  schema: JsonSchema;
  examples?: Record<string, Example>;
}

export interface Header {
  description: string;
  required?: boolean;
  schema: JsonSchema;
}

export interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  description: string;
  required?: boolean;
  style?: "simple" | "form";
  explode?: boolean;
  schema: JsonSchema;
  examples?: Record<string, Example>;
}

export interface RequestBody {
  description: string;
  required: boolean;
  content: Record<string, MediaType>;
}

export interface Response {
  description: string;
  headers?: Record<string, Header | Reference>;
  content?: Record<string, MediaType>;
}

export interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  description: string;
  security?: Record<string, string[]>[];
  parameters?: (Parameter | Reference)[];
  requestBody?: RequestBody;
  responses: Record<string, Response | Reference>;
}

export interface PathItem {
  summary?: string;
  parameters?: (Parameter | Reference)[];
  get?: Operation;
  put?: Operation;
}

export interface SecurityScheme {
  type: "http";
  scheme: "basic";
  description: string;
}

export interface OpenApiDocument {
  openapi: "3.1.1";
  info: { title: string; version: string; summary: string; description: string };
  servers: { url: string; description: string }[];
  tags: { name: string; description: string }[];
  security: Record<string, string[]>[];
  paths: Record<string, PathItem>;
  components: {
    schemas: Record<string, JsonSchema>;
    parameters: Record<string, Parameter>;
    headers: Record<string, Header>;
    responses: Record<string, Response>;
    securitySchemes: Record<string, SecurityScheme>;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Small builders, so that each operation below reads as a list of what it takes and answers.

const schema = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const parameter = (name: string): Reference => ({ $ref: `#/components/parameters/${name}` });
const header = (name: string): Reference => ({ $ref: `#/components/headers/${name}` });
const response = (name: string): Reference => ({ $ref: `#/components/responses/${name}` });

/** Every answer, whatever its status, names its request. */
function answer(description: string, content?: Record<string, MediaType>, headers: Record<string, Header | Reference> = {}): Response {
  return { description, headers: { ...headers, "X-Request-Id": header("X-Request-Id") }, ...(content ? { content } : {}) };
}

const PROBLEM_TYPE = "application/problem+json";

/** A problem document of one status whose `type` is one of `types`. */
function problemAnswer(
  status: number,
  description: string,
  types: string[],
  examples: Record<string, Example>,
  headers: Record<string, Header | Reference> = {},
): Response {
  const schemaOfStatus: JsonSchema = {
    allOf: [schema("Problem")],
    properties: { type: { enum: types }, status: { const: status } },
  };
  return answer(description, { [PROBLEM_TYPE]: { schema: schemaOfStatus, examples } }, headers);
}

const example = (summary: string, value: unknown): Example => ({ summary, value });

const REQUEST_ID = "0f5e3a5c-2a4e-4a53-9b0c-5d1c7a3f8e21";

/** A problem document as the server writes it (the request id is the answer's X-Request-Id). */
const problemExample = (type: string, title: string, status: number, detail: string, extra: Record<string, unknown> = {}) => ({
  type, title, status, detail, ...extra, requestId: REQUEST_ID,
});

/** A batch rejected for its rows: kept byte for byte for Idempotency-Key replays, so it has no request id. */
const rejectedRows = (errors: Record<string, unknown>[]) => ({
  type: "/problems/invalid-rows", title: "Unprocessable Content", status: 422,
  detail: `${errors.length} ${errors.length === 1 ? "row" : "rows"} failed; nothing was written`, errorCount: errors.length, errorsOmitted: 0, errors,
});

/** A Markdown table. */
function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

const code = (text: string) => `\`${text}\``;

// ---------------------------------------------------------------------------------------------------------------
// What the codes and columns mean.

/** Every row error code the sync reports (a Record, so a new code in sync-input.ts fails to compile until it is described here). */
const ROW_ERROR_CODES: Record<SyncErrorCode, string> = {
  InvalidValue: "The field's value has the wrong type or format (the message says which).",
  MissingField: "A field a new registration needs is absent (givenName, surname, sex, birthDate without a person.id).",
  UnknownRegistration: "The id is not a registration of this activity.",
  UnknownPerson: "The person.id is not a person registered with this organizer (no other person can be attached).",
  PersonMismatch: "The person.id differs from the person of the registration the item names.",
  DuplicateItem: "An earlier item of the same batch already changes this registration, or inserts this externalId.",
  StartNumberTaken: "Another registration of the activity holds the start number; registrationId names it.",
};

/** What each CSV column holds; the list of columns itself is the codec's. */
const COLUMN_NOTES: Record<string, string> = {
  "registration.id": "The registration's id (24 hex digits). Empty on a row that inserts an external registration.",
  "registration.code": "The short code people quote, like RGZ196.",
  "registration.created": "When the registration was made (ISO 8601, UTC).",
  "registration.state": `${REGISTRATION_STATES.join(", ")}. Read on insert (default Confirmed), ignored on update.`,
  "registration.startNumber": "The start (bib) number, text (leading zeros kept). An empty cell clears it.",
  "registration.externalId": "The client's own id of an external registration; re-uploading a row with a known one updates it.",
  "registration.source": "Native (made in the platform) or External (imported).",
  "registration.amount.value": "Amount paid in hundredths (85000 is 850.00). Read on insert only.",
  "registration.amount.currency": "ISO 4217 code of the amount, like CZK. Read on insert only; default the activity's.",
  "person.id": "The person's id. On insert, attaches a person already registered with this organizer.",
  "person.givenName": "Given name; required for a new person.",
  "person.middleName": "Middle name, may be empty.",
  "person.surname": "Surname; required for a new person.",
  "person.sex": `${SEXES.join(" or ")}; required for a new person.`,
  "person.birthDate": "Birth date as 1975-11-27 (so downloaded); an upload may also write 1975-11-27T00:00:00Z or the Czech 27.11.1975, 27. 11. 1975, 1.2.1990. An impossible date (31.2.1990) fails its row. Required for a new person.",
  "person.language": "Language tag like cs or en-GB, may be empty.",
  "person.nickname": "Nickname, may be empty.",
  "person.country": "ISO 3166 alpha-2 country code like CZ, may be empty.",
  "person.isProfilePublic": "true or false: whether the public start list shows year of birth and country.",
  "person.name": "Given name and surname, as the platform shows them.",
  "person.ref": "The person's nickname, or else their id.",
};

const CSV_COLUMNS_TABLE = table(
  ["Column", "Upload", "Meaning"],
  Object.entries(COLUMNS).map(([column, def]) => [code(column), def.set ? "read" : "ignored", COLUMN_NOTES[column] ?? ""]),
);

const CSV_DIALECTS = `**Dialects.** The plain dialect is \`,\`-separated with LF line ends and no byte order mark. The Excel dialect
(\`dialect=excel\`), which Czech Excel opens without a wizard, is \`;\`-separated with CRLF line ends and a UTF-8 byte
order mark. An upload may be either, or any mix of \`,\`/\`;\`, LF/CRLF and BOM or none: the separator is the one that splits
the header line into more columns. Fields may be quoted; a quoted field may span lines.`;

const CSV_FORMULAS = `**Formulas.** A downloaded cell that starts with \`=\`, \`+\`, \`-\`, \`@\`, tab or carriage return, after any number
of \`'\`, gets one more leading \`'\`, so a spreadsheet shows it instead of running it (\`=x\` → \`'=x\`, a stored \`'=x\` →
\`''=x\`). An uploaded cell that starts with one or more \`'\` and then such a character loses exactly one \`'\`. So
uploading a downloaded file unchanged changes nothing, whatever the values; a cell typed as \`'=x\` is read as \`=x\`.
The header cells an answer echoes are written the same way.`;

const CSV_CHARSETS = `**Charsets.** An upload is UTF-8 (with or without byte order mark) unless the Content-Type's \`charset\` says
\`windows-1250\` (also \`cp1250\`: what Czech Excel's plain "CSV" is) or \`iso-8859-2\` (also \`latin2\`); any other charset
answers 415. A body that is not text in its charset (a Windows-1250 file sent as UTF-8) is refused with 400
(\`/problems/csv-encoding\`) naming its first such line: it is never guessed at, and nothing is stored in its place. An
Excel workbook (.xlsx or .xls) answers 415. Downloads and answers are always UTF-8.`;

// ---------------------------------------------------------------------------------------------------------------
// Schemas.

const OBJECT_ID: JsonSchema = { type: "string", pattern: "^[0-9a-f]{24}$", description: "An id of 24 lowercase hex digits." };

const PERSON: JsonSchema = {
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

const REGISTRATION_PROPERTIES: Record<string, JsonSchema> = {
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

const REGISTRATION_REQUIRED = ["id", "created", "code", "state", "startNumber", "amount", "person"];

const ROW_ERROR: JsonSchema = {
  type: "object",
  description: "Why one row failed.",
  properties: {
    field: { type: ["string", "null"], description: "The item's field (JSON: person.birthDate) or the CSV column (person.birthDate, registration.startNumber); null when the row as a whole is wrong." },
    code: { type: "string", enum: Object.keys(ROW_ERROR_CODES), description: table(["Code", "Meaning"], Object.entries(ROW_ERROR_CODES).map(([c, m]) => [code(c), m])) },
    message: { type: "string", description: "What is wrong, for a person to read." },
    registrationId: { ...OBJECT_ID, description: "The registration the error is about, such as the one holding a wanted start number." },
  },
  required: ["field", "code", "message"],
};

const SCHEMAS: Record<string, JsonSchema> = {
  Person: PERSON,
  Registration: {
    type: "object",
    description: "A registration as the platform's REST API shows it (the seed's shape, in its key order).",
    properties: REGISTRATION_PROPERTIES,
    required: REGISTRATION_REQUIRED,
  },
  SyncItem: {
    type: "object",
    description: `One item of a sync, in the seed's shape. What it does:

- **With \`id\`**: updates that registration of this activity. \`startNumber\` present sets it (empty or null clears it),
  absent leaves it. \`state\` and \`amount\` are ignored. A \`person.id\` other than the registration's fails the row.
  Person fields change the person only for an imported person whose account nobody has claimed; otherwise they are ignored.
- **Without \`id\`, with an \`externalId\` already known in this activity**: the same as an update of that registration.
- **Otherwise**: inserts an external registration. The person needs \`givenName\`, \`surname\`, \`sex\` and \`birthDate\`,
  or a \`person.id\` of a person already registered with this organizer. \`state\` defaults to Confirmed.

Other keys (\`created\`, \`code\`, \`person.name\`, …) are ignored, so a downloaded registration can be sent back as it is.
A value of the wrong type fails its row (422), it does not make the request malformed.`,
    properties: {
      id: { type: ["string", "null"], description: "The registration to update; empty or null inserts." },
      externalId: { type: ["string", "null"], description: "The client's own id of the registration (at most 100 characters), as text: a JSON number is refused, as one beyond 2^53 loses digits; it makes re-imports update instead of duplicate." },
      startNumber: { type: ["string", "integer", "null"], description: "The start number (at most 20 characters); empty or null clears it. Numbers are taken as text." },
      state: { type: ["string", "null"], enum: [...REGISTRATION_STATES, "", null], description: "State of a new registration (default Confirmed); ignored on update." },
      amount: {
        type: ["object", "null"],
        description: "Amount of a new registration; ignored on update. Absent: zero in the activity's currency.",
        properties: {
          value: { type: ["integer", "string"], description: "Hundredths of the currency, a whole number 0 to 2,000,000,000 (digits in a string are accepted)." },
          currency: { type: "string", pattern: "^[A-Z]{3}$", description: "ISO 4217 code; default the activity's currency." },
        },
      },
      person: {
        type: ["object", "null"],
        description: "The person: by id, or by the fields of a new (or unclaimed imported) person. Null or empty values clear optional fields.",
        properties: {
          id: { type: ["string", "null"], description: "A person already registered with this organizer." },
          givenName: { type: "string", maxLength: 100, description: "Given name; required for a new person." },
          middleName: { type: ["string", "null"], maxLength: 100, description: "Middle name." },
          surname: { type: "string", maxLength: 100, description: "Surname; required for a new person." },
          sex: { type: "string", enum: SEXES, description: "Required for a new person." },
          birthDate: { type: "string", description: "1975-11-27 or 1975-11-27T00:00:00Z, between 1900-01-01 and today; required for a new person.", examples: ["1975-11-27T00:00:00Z"] },
          language: { type: ["string", "null"], description: "Language tag like cs or en-GB." },
          nickname: { type: ["string", "null"], maxLength: 100, description: "Nickname." },
          country: { type: ["string", "null"], description: "ISO 3166 alpha-2 code like CZ (upper-cased)." },
          isProfilePublic: { type: ["boolean", "string", "null"], description: "true or false (also as text); default false." },
        },
      },
    },
  },
  SyncWarning: {
    type: "object",
    description: "Something worth a look that did not stop the row.",
    properties: {
      code: { type: "string", const: "PossibleDuplicatePerson", description: "A new person has the name and birth date of one this organizer already has; attaching person.id would have avoided a second person." },
      message: { type: "string", description: "The warning, for a person to read." },
      personIds: { type: "array", items: OBJECT_ID, description: "The persons that look the same." },
    },
    required: ["code", "message", "personIds"],
  },
  SyncResult: {
    type: "object",
    description: `The result of one item, in input order: the registration as stored (or as it would be, in a dry run) with
\`syncResultType\`. A failed insert in partial mode has no registration, only \`syncResultType\` Skipped and its \`errors\`.`,
    properties: {
      ...REGISTRATION_PROPERTIES,
      syncResultType: {
        type: "string",
        enum: SYNC_RESULT_TYPES,
        description: "Created (inserted), Updated (changed), Unchanged (the item equals what is stored), Skipped (failed, partial mode only). Deleted is the platform's reserved value; deleting is not offered.",
      },
      errors: { type: "array", items: schema("RowError"), description: "Why a Skipped row failed." },
      warnings: { type: "array", items: schema("SyncWarning"), description: "Warnings about an applied row; absent when none." },
    },
    required: ["syncResultType"],
    anyOf: [
      { required: REGISTRATION_REQUIRED },
      { properties: { syncResultType: { const: "Skipped" } }, required: ["errors"] },
    ],
  },
  RowError: ROW_ERROR,
  RowProblem: {
    type: "object",
    description: "One failing row in a problem document: JSON rows by `index`, CSV rows by `line`.",
    properties: {
      index: { type: "integer", minimum: 0, description: "JSON: the item's 0-based position in the array." },
      line: { type: "integer", minimum: 2, description: "CSV: the line the row starts on in the uploaded file (the header is line 1). Workbook: the row of the sheet." },
      ...ROW_ERROR.properties,
    },
    required: ROW_ERROR.required,
    oneOf: [{ required: ["index"] }, { required: ["line"] }],
  },
  Problem: {
    type: "object",
    description: "An RFC 9457 problem document. Other members may be added later; clients should ignore those they do not know.",
    properties: {
      type: { type: "string", format: "uri-reference", description: "What kind of problem, like /problems/invalid-rows; about:blank for an unexpected server error." },
      title: { type: "string", description: "The status's name, like Unprocessable Content." },
      status: { type: "integer", minimum: 400, maximum: 599, description: "The HTTP status." },
      detail: { type: "string", description: "What went wrong in this request, for a person to read." },
      requestId: { type: "string", description: "The request's id, as in X-Request-Id: quote it when reporting a problem." },
      errors: { type: "array", items: schema("RowProblem"), description: `The failing rows' errors (422 invalid-rows: those of the first ${LISTED_FAILED_ROWS.toLocaleString("en")} failing rows; 400 malformed-json names the broken item).` },
      errorCount: { type: "integer", minimum: 1, description: "422 invalid-rows: how many errors the failing rows had in all." },
      errorsOmitted: { type: "integer", minimum: 0, description: `422 invalid-rows: how many of them \`errors\` leaves out (those of the failing rows after the first ${LISTED_FAILED_ROWS.toLocaleString("en")}).` },
      index: { type: "integer", minimum: 0, description: "JSON: the item a too-many-items problem is on (the first one over MAX_SYNC_ITEMS)." },
      line: { type: "integer", minimum: 1, description: "CSV: the line a malformed-csv, csv-encoding or csv-too-large problem is on. Workbook: the sheet row of a malformed-xlsx or xlsx-too-large problem." },
      field: { type: ["string", "null"], description: "The request value an invalid-request problem is about, like Idempotency-Key." },
    },
    required: ["type", "title", "status"],
  },
  StartList: {
    type: "object",
    description: "An activity's public start list.",
    properties: {
      activityId: { ...OBJECT_ID, description: "The activity." },
      activityName: { type: "string", description: "The activity's name, like 10 km." },
      eventName: { type: "string", description: "The event's name." },
      entries: {
        type: "array",
        description: "Confirmed registrations in numeric order of start numbers; those without a number last.",
        items: {
          type: "object",
          description: "One starter. Full birth dates and logins are never shown.",
          properties: {
            id: { type: "string", pattern: "^[A-Za-z0-9_-]{22}$", description: "A stable id of the entry (of its registration, which it does not reveal), for a client's cache." },
            startNumber: { type: ["string", "null"], description: "Start number, or null when none is assigned yet." },
            name: { type: "string", description: "Given name and surname." },
            yearOfBirth: { type: "integer", description: "Only for public profiles." },
            country: { type: ["string", "null"], pattern: "^[A-Z]{2}$", description: "Only for public profiles; null when unknown." },
          },
          required: ["id", "startNumber", "name"],
        },
      },
    },
    required: ["activityId", "activityName", "eventName", "entries"],
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Parameters and headers.

const PARAMETERS: Record<string, Parameter> = {
  activityId: {
    name: "activityId", in: "path", required: true,
    description: "The activity (race). One the key may not reach answers 404, the same as one that does not exist.",
    schema: OBJECT_ID,
    examples: { seed: example("The seed's activity", "638f01d0c5eaf533c891fac3") },
  },
  publicActivityId: {
    name: "activityId", in: "path", required: true,
    description: "The activity (race); anyone may read its start list.",
    schema: OBJECT_ID,
    examples: { seed: example("The seed's activity", "638f01d0c5eaf533c891fac3") },
  },
  state: {
    name: "state", in: "query", style: "form", explode: false,
    description: "Only registrations in these states, comma-separated: `state=New,Confirmed`. Absent: all states.",
    schema: { type: "array", items: { type: "string", enum: REGISTRATION_STATES }, uniqueItems: true },
  },
  modifiedSince: {
    name: "modifiedSince", in: "query",
    description: "Only registrations changed at or after this time, so a client can poll for changes: pass the time of its previous download. An RFC 3339 date-time with `Z` or an offset (write its `+` as `%2B`), or a date `2022-12-06` (midnight UTC); anything else, a time without an offset included, is a 400.",
    schema: { anyOf: [{ type: "string", format: "date-time" }, { type: "string", format: "date" }], examples: ["2022-12-06T09:12:03.701Z", "2022-12-06T10:12:03+01:00", "2022-12-06"] },
  },
  columns: {
    name: "columns", in: "query", style: "form", explode: false,
    description: `The CSV columns, comma-separated, in this order. Absent: the seed's nine (${DEFAULT_COLUMNS.join(", ")}). See the columns table in the operation's description.`,
    schema: { type: "array", items: { type: "string", enum: Object.keys(COLUMNS) }, default: DEFAULT_COLUMNS },
  },
  dialect: {
    name: "dialect", in: "query",
    description: "`excel`: `;`-separated, CRLF, UTF-8 byte order mark (Czech Excel). `plain` or none: `,`, LF, no BOM. Anything else: 400.",
    schema: { type: "string", enum: ["plain", "excel"], default: "plain" },
  },
  mode: {
    name: "mode", in: "query",
    description: "`all` (default): if any row fails, nothing is written and the answer is 422 listing every failing row. `partial`: the valid rows are applied and the failed ones come back as Skipped with their errors.",
    schema: { type: "string", enum: ["all", "partial"], default: "all" },
  },
  dryRun: {
    name: "dryRun", in: "query",
    description: "`true`: answer what the sync would do (the same status and body) and write nothing. Exactly `true` or `false`.",
    schema: { type: "boolean", default: false },
  },
  IdempotencyKey: {
    name: "Idempotency-Key", in: "header",
    description: `Makes a retry safe. The first request with a key is applied once; a repeat with the same key, route, query,
body and CSV charset gets the first answer again, byte for byte, with \`Idempotent-Replayed: true\` (its 200 or its 422; nothing is
applied twice). The same key with another request answers 422 idempotency-key-reused; a repeat while the first is still
running answers 409 with \`Retry-After\`: as many seconds as the first has run so far (at least 1), and never more than the
seconds until a reservation whose server died is taken over (10 minutes after it was made). Keys belong to the access key that used them and are kept for 24 hours; a key
whose request failed otherwise (403, 404, 409 conflict, 5xx) is freed for a retry. A value outside 1–255 characters answers 400.`,
    schema: { type: "string", minLength: 1, maxLength: 255 },
    examples: { uuid: example("A fresh UUID per logical request", "5b0d2a8e-7f1c-4d8e-9a57-0c3e1b6f4a92") },
  },
  ContentEncoding: {
    name: "Content-Encoding", in: "header",
    description: "A compressed body: gzip (or x-gzip) and deflate are decoded as they arrive. The size limit counts the decoded bytes. Anything else answers 415.",
    schema: { type: "string", enum: ["gzip", "x-gzip", "deflate", "identity"], default: "identity" },
  },
  RequestId: {
    name: "X-Request-Id", in: "header",
    description: "The client's own id for this request, kept when it has 1–128 letters, digits or `_ . : -`; anything else is replaced by a new UUID. Either way it comes back in X-Request-Id.",
    schema: { type: "string", pattern: "^[\\w.:-]{1,128}$" },
  },
};

const HEADERS: Record<string, Header> = {
  "X-Request-Id": {
    description: "The request's id (the client's own, or a new UUID): it is on the server's log line for the request and in the requestId of problem documents.",
    required: true,
    schema: { type: "string", minLength: 1 },
  },
  "WWW-Authenticate": {
    description: "How to authenticate: HTTP Basic with an access key.",
    required: true,
    schema: { type: "string", const: WWW_AUTHENTICATE },
  },
  "Retry-After": {
    description: "Seconds to wait before trying again.",
    required: true,
    schema: { type: "integer", minimum: 1 },
  },
  "Sync-Summary": {
    description: "Counts of the batch's result types, like `Created=3, Updated=1, Unchanged=10, Skipped=0` (a dry run: what would happen). Sent with the first answer only, not with a replay.",
    schema: { type: "string", pattern: "^Created=\\d+, Updated=\\d+, Unchanged=\\d+, Skipped=\\d+$" },
  },
  "Idempotent-Replayed": {
    description: "`true` when this is the stored answer of an earlier request with the same Idempotency-Key, sent again; absent otherwise.",
    schema: { type: "string", const: "true" },
  },
  "RateLimit-Policy": {
    description: "The per-key quota (IETF httpapi RateLimit headers draft): `q` requests in `w` seconds. On every answer to a request whose key was accepted, 429 included; absent without a key and when the server sets no per-key limit.",
    schema: { type: "string", pattern: '^"per-key";q=\\d+;w=60$', examples: ['"per-key";q=1200;w=60'] },
  },
  RateLimit: {
    description: "What is left of the per-key quota after this request: `r` requests, until the window resets in `t` seconds (`r=0` on a 429, whose Retry-After equals `t`). Sent with RateLimit-Policy.",
    schema: { type: "string", pattern: '^"per-key";r=\\d+;t=\\d+$', examples: ['"per-key";r=1187;t=42'] },
  },
};

/** The quota headers, on every answer of an operation that takes a key but the 401 (no key was accepted). */
const QUOTA = { "RateLimit-Policy": header("RateLimit-Policy"), RateLimit: header("RateLimit") };

function keyed(responses: Record<string, Response | Reference>): Record<string, Response | Reference> {
  return Object.fromEntries(Object.entries(responses).map(([status, answer]) =>
    [status, "$ref" in answer ? answer : { ...answer, headers: { ...QUOTA, ...answer.headers } }]));
}

// ---------------------------------------------------------------------------------------------------------------
// Answers shared by several operations.

const RESPONSES: Record<string, Response> = {
  Unauthorized: problemAnswer(401, "No access key, or one that is unknown, wrong or revoked.", ["/problems/unauthorized"], {
    missing: example("No Authorization header", problemExample("/problems/unauthorized", "Unauthorized", 401, "This API needs an access key: Authorization: Basic base64(keyName:keySecret)")),
    wrong: example("A wrong or revoked key", problemExample("/problems/unauthorized", "Unauthorized", 401, "The access key is unknown, wrong or revoked")),
  }, { "WWW-Authenticate": header("WWW-Authenticate") }),
  ReadOnlyKey: problemAnswer(403, "The access key is read-only: it may download, but not sync.", ["/problems/forbidden"], {
    readOnly: example("A read-only key", problemExample("/problems/forbidden", "Forbidden", 403, "This access key is read-only")),
  }, QUOTA),
  ActivityNotFound: problemAnswer(404, "No such activity, or one the key may not reach: the same answer for both.", ["/problems/not-found"], {
    notFound: example("An unknown activity", problemExample("/problems/not-found", "Not Found", 404, "Activity 000000000000000000000000 was not found")),
  }, QUOTA),
  TooManyRequests: problemAnswer(429, `Over a rate limit: too many failed authentications for this key name from this address, or
from this address whatever the key name (counted before the secret is checked, given back when it is right), or more
requests with this key in a minute than the server allows.`, ["/problems/too-many-requests"], {
    throttled: example("Too many requests with one key", problemExample("/problems/too-many-requests", "Too Many Requests", 429, "Too many requests with this access key; retry after 42 seconds")),
  }, { "Retry-After": header("Retry-After"), ...QUOTA }),
  ServerError: problemAnswer(500, "An unexpected failure. The answer carries no detail; the server logs it with the request id.", ["about:blank"], {
    unexpected: example("An unexpected failure", { type: "about:blank", title: "Internal Server Error", status: 500, requestId: REQUEST_ID }),
  }),
  ServiceUnavailable: problemAnswer(503, `The database cannot serve the request now: it is unreachable, a statement ran longer than the server
allows (STATEMENT_TIMEOUT_MS, 30 s by default), or a batch still deadlocked with concurrent transactions after 3 tries.
Nothing was changed; try again after Retry-After seconds. The detail names no host, port or statement.`, ["/problems/service-unavailable"], {
    outage: example("The database is down", problemExample("/problems/service-unavailable", "Service Unavailable", 503, "The database is unavailable right now; nothing was changed. Try again shortly.")),
  }, { "Retry-After": header("Retry-After") }),
};

// ---------------------------------------------------------------------------------------------------------------
// The registrations resources, once per format.

type Format = "json" | "csv";

const SEED_REGISTRATION = {
  id: "638f0763c5eaf533c891fb76",
  created: "2022-12-06T09:12:03.701Z",
  code: "RGZ196",
  state: "Confirmed",
  startNumber: "0001",
  amount: { value: 85000, currency: "CZK" },
  person: {
    id: "6303aec90f8fc8574e68d664", isProfilePublic: true, givenName: "Martin", surname: "Dufek", sex: "Male",
    birthDate: "1975-11-27T00:00:00Z", language: "cs", nickname: "martin.dufek", country: "CZ", name: "Martin Dufek", ref: "martin.dufek",
  },
};

const SEED_CSV_HEADER = DEFAULT_COLUMNS.join(",");
const SEED_CSV = `${SEED_CSV_HEADER}\n638f0763c5eaf533c891fb76,Confirmed,0002,6303aec90f8fc8574e68d664,Martin,,Dufek,Male,1975-11-27\n`;

const CSV_TEXT: JsonSchema = { type: "string", description: "CSV text in UTF-8." };

/** Media types the CSV upload takes: curl's --data-binary sends application/x-www-form-urlencoded unless told otherwise, as in the seed. */
const CSV_UPLOAD_TYPES = ["text/csv", "application/csv", "text/plain", "application/vnd.ms-excel", "application/octet-stream", "application/x-www-form-urlencoded"];

const invalidQuery = (detail: string) => problemExample("/problems/invalid-query", "Bad Request", 400, detail);

function download(format: Format): Operation {
  const json = format === "json";
  return {
    operationId: json ? "downloadRegistrationsJson" : "downloadRegistrationsCsv",
    tags: ["Registrations"],
    summary: json ? "Download an activity's registrations as JSON" : "Download an activity's registrations as CSV",
    description: json
      ? "The activity's registrations, oldest first, in the seed's JSON shape. Filter by state, or fetch only what changed since the previous download."
      : `The activity's registrations, oldest first, one row each. The columns are the seed's nine unless \`columns\` asks for others.

${CSV_COLUMNS_TABLE}

${CSV_DIALECTS}

${CSV_FORMULAS}`,
    parameters: [
      parameter("state"),
      parameter("modifiedSince"),
      ...(json ? [] : [parameter("columns"), parameter("dialect")]),
      parameter("RequestId"),
    ],
    responses: keyed({
      200: answer(
        json ? "The registrations." : "The registrations: a header line of the columns, then one row per registration.",
        json
          ? { "application/json": { schema: { type: "array", items: schema("Registration") }, examples: { seed: example("The seed's registration", [SEED_REGISTRATION]) } } }
          : { "text/csv": { schema: CSV_TEXT, examples: { seed: example("The seed's columns, plain dialect", `${SEED_CSV_HEADER}\n638f0763c5eaf533c891fb76,Confirmed,0001,6303aec90f8fc8574e68d664,Martin,,Dufek,Male,1975-11-27\n`) } } },
      ),
      400: problemAnswer(400, json ? "A query parameter is wrong: state or modifiedSince." : "A query parameter is wrong: state, modifiedSince or columns.", ["/problems/invalid-query"], {
        state: example("An unknown state", invalidQuery("state must be among New, Confirmed, Cancelled; got Paid")),
        ...(json ? {} : { columns: example("An unknown column", invalidQuery(`columns must be among ${Object.keys(COLUMNS).join(", ")}; got person.email`)) }),
      }),
      401: response("Unauthorized"),
      404: response("ActivityNotFound"),
      429: response("TooManyRequests"),
      500: response("ServerError"),
      503: response("ServiceUnavailable"),
    }),
  };
}

function sync(format: Format): Operation {
  const json = format === "json";
  const summary = { "Sync-Summary": header("Sync-Summary"), "Idempotent-Replayed": header("Idempotent-Replayed") };
  const rowsRejected = rejectedRows(json
    ? [{ index: 0, field: "startNumber", code: "StartNumberTaken", message: "Start number 0001 is held by registration RGZ197", registrationId: "638f0763c5eaf533c891fb77" }]
    : [{ line: 2, field: "person.birthDate", code: "InvalidValue", message: "person.birthDate is not a calendar date: 1990-02-31 (day 31 of month 2)" }]);
  return {
    operationId: json ? "syncRegistrationsJson" : "syncRegistrationsCsv",
    tags: ["Registrations"],
    summary: json ? "Sync registrations from JSON" : "Sync registrations from CSV",
    description: `Sets start numbers, updates imported registrations and inserts external ones, in one transaction per request
(SPEC §4). All or nothing by default: if any row fails, nothing is written and the answer lists every failing row.
${json
    ? "The body is a JSON array of items in the seed's shape (see SyncItem); the answer has one result per item, in order."
    : `The body is a CSV file, usually one downloaded from this API and edited; columns may come in any order and unknown
columns are ignored. The answer is the uploaded file with each row as stored: the same columns in the same order and
dialect (unknown columns echo what was uploaded; uploaded \`sync.*\` columns of an earlier answer are left out). In partial
mode two more columns follow: \`sync.resultType\` (the row's result type) and \`sync.errors\` (\`column: message\` pairs
separated by \`; \`). When some row has a warning, a last column \`sync.warnings\` holds each row's warnings (empty for the
others), like \`PossibleDuplicatePerson: Jana Nováková, born 1990-01-02, is already registered with this organizer; consider
attaching person.id instead (person.id 6303aec90f8fc8574e68d664)\`, several separated by \`; \`. At most ${DEFAULT_TABLE_LIMITS.maxColumns} columns and
${DEFAULT_TABLE_LIMITS.maxRows.toLocaleString("en")} rows in one upload.

${CSV_COLUMNS_TABLE}

${CSV_DIALECTS}

${CSV_CHARSETS}

${CSV_FORMULAS}`}

The body is read as it arrives and may be compressed (Content-Encoding). A key that is read-only gets 403, and an activity
out of reach 404, before a byte of the body is read.`,
    parameters: [parameter("mode"), parameter("dryRun"), parameter("IdempotencyKey"), parameter("ContentEncoding"), parameter("RequestId")],
    requestBody: {
      description: json
        ? "A JSON array of sync items (UTF-8, a byte order mark is allowed). Any `+json` media type is taken too, and so is a body without Content-Type."
        : "A CSV file: UTF-8 (with or without byte order mark), or Windows-1250 or ISO-8859-2 when the Content-Type says so (`text/csv; charset=windows-1250`). Besides text/csv the listed media types are taken, with the same charset parameter, since tools send them for CSV files; so is a body without Content-Type.",
      required: true,
      content: json
        ? {
          "application/json": {
            schema: { type: "array", items: schema("SyncItem") },
            examples: {
              seed: example("The seed's example: set a start number", [{ id: "638f0763c5eaf533c891fb76", startNumber: "0001", person: { id: "6303aec90f8fc8574e68d664" } }]),
              insert: example("Insert an external registration", [{ externalId: "timing-1042", startNumber: "1042", state: "Confirmed", person: { givenName: "Jana", surname: "Nováková", sex: "Female", birthDate: "1990-01-02", country: "CZ" } }]),
            },
          },
        }
        : Object.fromEntries(CSV_UPLOAD_TYPES.map((type) => [type, {
          schema: CSV_TEXT,
          ...(type === "text/csv" ? { examples: { seed: example("The seed's example: set start number 0002", SEED_CSV) } } : {}),
        }])),
    },
    responses: keyed({
      200: answer(
        json
          ? "Applied (or, in a dry run, what would be applied): one result per item, in input order."
          : "Applied (or, in a dry run, what would be applied): the uploaded rows as stored, in the upload's columns and dialect.",
        json
          ? { "application/json": { schema: { type: "array", items: schema("SyncResult") }, examples: { seed: example("The seed's answer", [{ ...SEED_REGISTRATION, syncResultType: "Updated" }]) } } }
          : { "text/csv": { schema: CSV_TEXT, examples: { seed: example("The seed's answer", SEED_CSV) } } },
        summary,
      ),
      400: problemAnswer(400, `The request cannot be read: a wrong query parameter (mode, dryRun), a body that is not ${json ? "a JSON array of objects" : "readable CSV (a broken quote, a duplicated column, an empty file; csv-encoding: bytes that are not text in the request's charset, with the first such line)"}, a body that does not decode as its Content-Encoding, or an Idempotency-Key outside 1–255 characters.`,
        ["/problems/invalid-query", ...(json ? ["/problems/malformed-json"] : ["/problems/malformed-csv", "/problems/csv-encoding"]), "/problems/malformed-body", "/problems/invalid-request"], {
          query: example("A wrong mode", invalidQuery("mode must be all or partial")),
          ...(json
            ? { body: example("A broken item", problemExample("/problems/malformed-json", "Malformed JSON", 400, "Item 1 is not valid JSON: Expected property name or '}' in JSON at position 1", { errors: [{ index: 1, field: null, code: "InvalidValue", message: "The item is not valid JSON" }] })) }
            : {
              body: example("A broken line", problemExample("/problems/malformed-csv", "Malformed CSV", 400, "Line 2: Invalid Closing Quote: got \"x\" at line 2 instead of delimiter, record delimiter, trimable character (if activated) or comment", { line: 2 })),
              encoding: example("A Windows-1250 file sent as UTF-8", problemExample("/problems/csv-encoding", "Wrong Character Encoding", 400, "Line 3: the file is not UTF-8 text. If Czech Excel saved it, it is Windows-1250: send it with Content-Type: text/csv; charset=windows-1250, or save it from the spreadsheet as \"CSV UTF-8\"", { line: 3 })),
            }),
          idempotencyKey: example("An Idempotency-Key that is too long", problemExample("/problems/invalid-request", "Bad Request", 400, "An Idempotency-Key has 1 to 255 characters", { field: "Idempotency-Key" })),
        }),
      401: response("Unauthorized"),
      403: response("ReadOnlyKey"),
      404: response("ActivityNotFound"),
      409: problemAnswer(409, `A request with this Idempotency-Key is still being served (idempotency-key-in-use: retry after
Retry-After seconds and get its answer), or a concurrent change took a start number this batch wanted at commit (conflict:
nothing was written; send the batch again).`, ["/problems/idempotency-key-in-use", "/problems/conflict"], {
        inUse: example("The first request with the key is still running", problemExample("/problems/idempotency-key-in-use", "Conflict", 409, "A request with this Idempotency-Key has been running for 4 seconds; retry after 4 seconds. If its server stopped, the key is taken over in 596 seconds.")),
        conflict: example("A concurrent change", problemExample("/problems/conflict", "Conflict", 409, "A concurrent change conflicts with this batch; nothing was written. Retry it.")),
      }, { "Retry-After": { description: "With idempotency-key-in-use only: seconds to wait: as long as the first request has run so far, at most until a dead server's reservation is taken over.", schema: { type: "integer", minimum: 1 } } }),
      413: problemAnswer(413, json
        ? `The body (after decoding) is larger than the server accepts (BODY_LIMIT_BYTES, 20 MiB by default; a larger Content-Length is answered before the body is read), or it has more than ${DEFAULT_TABLE_LIMITS.maxRows.toLocaleString("en")} items (MAX_SYNC_ITEMS; too-many-items, with the index of the first one over; reading stops there). The connection is closed after the answer.`
        : `The body (after decoding) is larger than the server accepts (BODY_LIMIT_BYTES, 20 MiB by default; a larger Content-Length is answered before the body is read), or the file has more than ${DEFAULT_TABLE_LIMITS.maxRows.toLocaleString("en")} rows (MAX_SYNC_ITEMS) or ${DEFAULT_TABLE_LIMITS.maxColumns} columns (MAX_CSV_COLUMNS, counted on the raw header line as it arrives) (csv-too-large, with the line). The connection is closed after the answer.`,
      json ? ["/problems/body-too-large", "/problems/too-many-items"] : ["/problems/body-too-large", "/problems/csv-too-large"], {
        tooLarge: example("Too large", problemExample("/problems/body-too-large", "Content Too Large", 413, "The request body is larger than this server accepts (20971520 bytes)")),
        ...(json
          ? { tooManyItems: example("Too many items", problemExample("/problems/too-many-items", "Content Too Large", 413, "Item 50000: a sync takes at most 50000 items; split the batch", { index: 50_000 })) }
          : { tooManyColumns: example("Too many columns", problemExample("/problems/csv-too-large", "Content Too Large", 413, "Line 1: the header has more than 200 columns; at most 200 are accepted", { line: 1 })) }),
      }),
      415: problemAnswer(415, `The body's Content-Type is not one this resource takes (${json ? "application/json or +json" : "text/csv and the other listed types; a charset other than utf-8, windows-1250 or iso-8859-2; or a body that is an Excel workbook or UTF-16 text"}), or its Content-Encoding is not gzip, deflate or identity.`,
        ["/problems/unsupported-media-type"], {
          mediaType: example("A wrong media type", problemExample("/problems/unsupported-media-type", "Unsupported Media Type", 415, json ? "registrations.json takes application/json, not text/csv" : "registrations.csv takes text/csv, not application/json")),
          ...(json ? {} : {
            charset: example("An unsupported charset", problemExample("/problems/unsupported-media-type", "Unsupported Media Type", 415, "charset iso-8859-1 is not supported; send utf-8, windows-1250 (cp1250) or iso-8859-2 (latin2)")),
            workbook: example("An Excel workbook", problemExample("/problems/unsupported-media-type", "Unsupported Media Type", 415, "This is an Excel workbook, not a CSV file: send it to registrations.xlsx instead, or save the sheet as CSV (\"CSV UTF-8\")")),
          }),
        }),
      422: problemAnswer(422, `Nothing was written. Either rows failed in the default all-or-nothing mode (invalid-rows: the errors
of the first ${LISTED_FAILED_ROWS.toLocaleString("en")} failing rows, each with its ${json ? "index" : "line, column"}, code and message; \`errorCount\` counts
all errors and \`errorsOmitted\` those left out, and \`detail\` says how many rows failed; this document has no requestId, as it is
kept byte for byte for Idempotency-Key replays), or the Idempotency-Key was used before for a different request (idempotency-key-reused).`,
        ["/problems/invalid-rows", "/problems/idempotency-key-reused"], {
          rows: example("Failing rows", rowsRejected),
          reused: example("An Idempotency-Key used for another request", problemExample("/problems/idempotency-key-reused", "Unprocessable Content", 422, "This Idempotency-Key was used for a different request; use a new key for a new request")),
        }, { "Idempotent-Replayed": header("Idempotent-Replayed") }),
      429: response("TooManyRequests"),
      500: response("ServerError"),
      503: response("ServiceUnavailable"),
    }),
  };
}

// The workbook resources: the CSV operations, with a workbook for body and answer and no dialect.

const WORKBOOK: JsonSchema = { type: "string", contentMediaType: XLSX_MEDIA_TYPE, description: "An Excel workbook (.xlsx, Office Open XML)." };
const workbookContent = (): Record<string, MediaType> => ({ [XLSX_MEDIA_TYPE]: { schema: WORKBOOK } });

const XLSX_CELLS = `**Cells.** A download is one sheet: a header row of the columns, then one row per registration, every cell a
text cell in a text-formatted column, so a spreadsheet keeps start numbers like \`0010\` and shows formulas as text. An
upload is read from its first sheet: the first row with a value is the header, empty rows are skipped, and \`line\` in an
error is the sheet's row number. Cells are read by their type: a text cell as it is; a number as a plain decimal (\`10\`,
never \`10.0\` or an exponent); a date as ISO \`1975-11-27\` (with the time, in UTC, when it has one); a boolean as
\`true\`/\`false\`; a formula as its saved result. A formula without a saved result, an error value (\`#N/A\`) or a value
in a column without a header is a 400 naming the cell. At most ${DEFAULT_TABLE_LIMITS.maxColumns} columns and
${DEFAULT_TABLE_LIMITS.maxRows.toLocaleString("en")} rows; the workbook may unpack to at most ten times BODY_LIMIT_BYTES
(a zip bomb is refused with 413 before it is read).`;

function downloadXlsx(): Operation {
  const csv = download("csv");
  const dialect = JSON.stringify(parameter("dialect"));
  return {
    ...csv,
    operationId: "downloadRegistrationsXlsx",
    summary: "Download an activity's registrations as an Excel workbook",
    description: `The activity's registrations, oldest first, one row each, as the CSV download has them. The columns are the seed's nine unless \`columns\` asks for others.

${CSV_COLUMNS_TABLE}

${XLSX_CELLS}`,
    parameters: csv.parameters?.filter((p) => JSON.stringify(p) !== dialect),
    responses: {
      ...csv.responses,
      200: answer("The registrations: a sheet with a header row of the columns, then one row per registration.", workbookContent()),
      400: problemAnswer(400, "A query parameter is wrong: state, modifiedSince or columns; dialect, which is for CSV only.", ["/problems/invalid-query"], {
        state: example("An unknown state", invalidQuery("state must be among New, Confirmed, Cancelled; got Paid")),
      }),
    },
  };
}

function syncXlsx(): Operation {
  const csv = sync("csv");
  const tooLarge = "The body (after decoding) is larger than the server accepts (BODY_LIMIT_BYTES, 20 MiB by default), the workbook unpacks to more than ten times that, or its sheet has too many rows or columns (xlsx-too-large, with the sheet row). The connection is closed after the answer.";
  return {
    ...csv,
    operationId: "syncRegistrationsXlsx",
    summary: "Sync registrations from an Excel workbook",
    description: `Sets start numbers, updates imported registrations and inserts external ones, in one transaction per request,
exactly as the CSV sync does (same columns, modes and answers). The body is an .xlsx workbook, usually one downloaded
from this API and edited in a spreadsheet. The answer is a workbook of the uploaded header and rows as stored; in
partial mode with the two more columns \`sync.resultType\` and \`sync.errors\`.

${CSV_COLUMNS_TABLE}

${XLSX_CELLS}

A workbook is read once it has arrived whole (it is a zip file); it may be compressed (Content-Encoding). A key that is read-only
gets 403, and an activity out of reach 404, before a byte of the body is read.`,
    requestBody: {
      description: "An .xlsx workbook. application/octet-stream and curl's default for --data-binary are taken too, and so is a body without Content-Type; a body that is not a workbook is refused with 415.",
      required: true,
      content: Object.fromEntries([XLSX_MEDIA_TYPE, "application/octet-stream", "application/x-www-form-urlencoded"].map((type) => [type, { schema: WORKBOOK }])),
    },
    responses: {
      ...csv.responses,
      200: answer("Applied (or, in a dry run, what would be applied): the uploaded rows as stored, as a workbook.", workbookContent(),
        { "Sync-Summary": header("Sync-Summary"), "Idempotent-Replayed": header("Idempotent-Replayed") }),
      400: problemAnswer(400, "The request cannot be read: a wrong query parameter (mode, dryRun), a workbook that cannot be read (a broken zip, a duplicated column, an empty first sheet, a formula without a saved result, an error value, a value outside the header's columns), a body that does not decode as its Content-Encoding, or an Idempotency-Key outside 1–255 characters.",
        ["/problems/invalid-query", "/problems/malformed-xlsx", "/problems/malformed-body", "/problems/invalid-request"], {
          query: example("A wrong mode", invalidQuery("mode must be all or partial")),
          cell: example("A formula without a result", problemExample("/problems/malformed-xlsx", "Malformed workbook", 400, "Line 3: cell B3 holds a formula without a saved result; open the file in a spreadsheet and save it again, or paste the values", { line: 3 })),
        }),
      413: problemAnswer(413, tooLarge, ["/problems/body-too-large", "/problems/xlsx-too-large"], {
        tooLarge: example("Unpacks too large", problemExample("/problems/xlsx-too-large", "Content Too Large", 413, "The workbook unpacks to more than 209715200 bytes, more than this server accepts (10 times BODY_LIMIT_BYTES)")),
      }),
      415: problemAnswer(415, "The body's Content-Type is not one this resource takes, the body is not an .xlsx workbook (CSV text, an old .xls, an .ods file), or its Content-Encoding is not gzip, deflate or identity.",
        ["/problems/unsupported-media-type"], {
          csv: example("CSV sent as a workbook", problemExample("/problems/unsupported-media-type", "Unsupported Media Type", 415, "The body is not an .xlsx workbook (it starts with \"registration.id,registration.startNumber\"); send CSV to registrations.csv, or save the file as an .xlsx workbook")),
        }),
    },
  };
}

function registrationsPath(format: Format): PathItem {
  return {
    summary: `An activity's registrations as ${format === "json" ? "JSON" : "CSV"}`,
    parameters: [parameter("activityId")],
    get: download(format),
    put: sync(format),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The document.

const PUBLIC: Record<string, string[]>[] = [];

export const OPENAPI_DOCUMENT: OpenApiDocument = {
  openapi: "3.1.1",
  info: {
    title: "regsync REST API",
    version: "0.1.0",
    summary: "Download and sync an activity's registrations (start numbers, imported entries) as JSON, CSV or Excel workbooks.",
    description: `Race organizers sell entries in the platform; timing companies and the organizers' other tools download them
and push start (bib) numbers and whole registrations back, as JSON or CSV. The same sync is offered over GraphQL at
\`/graphql\` (schema: \`schema.graphql\`), which this document does not describe.

**Access keys.** \`Authorization: Basic base64(keyName:keySecret)\`. A key reaches the activities of organizations its
creator is a member of, and of organizers that associated such an organization (a timing company). A key may be
read-only (downloads only: every sync answers 403) or limited to some organizations (others answer 404).

**Errors** are \`application/problem+json\` (RFC 9457) with a \`requestId\`; failing rows come in \`errors[]\`.

**Limits.** A sync takes at most ${DEFAULT_TABLE_LIMITS.maxRows.toLocaleString("en")} items or rows (\`MAX_SYNC_ITEMS\`) and a body of at most 20 MiB after
decoding (\`BODY_LIMIT_BYTES\`); more is refused with 413 as soon as it is read. A request's headers must arrive within 20
seconds (\`HEADERS_TIMEOUT_SECONDS\`) and the whole request, body included, within 120 seconds (\`REQUEST_TIMEOUT_SECONDS\`);
after that the server answers 408 (plain text, not a problem document) and closes the connection.

**Rate limits.** Failed authentications are counted per key name from one client address and per client address, and each key may make a
limited number of requests a minute; over a limit the answer is 429 with \`Retry-After\`. Requests without a valid key
(the start list) are counted per client address (\`ANONYMOUS_REQUESTS_PER_MINUTE\`). Every answer to a request whose key was accepted carries the key's quota as \`RateLimit-Policy:
"per-key";q=1200;w=60\` and \`RateLimit: "per-key";r=1187;t=42\` (IETF httpapi RateLimit headers draft: \`r\` requests
left, the window resets in \`t\` seconds), so a client can slow down before it is refused.

**CORS** is off unless the server is configured with \`CORS_ORIGINS\` (origins, or \`*\`). Then a page from such an origin
may call \`/api\` (and \`/graphql\`): a preflight \`OPTIONS\` answers 204 allowing the methods GET, HEAD, POST, PUT and the
request headers ${CORS_ALLOWED_HEADERS.map((name) => `\`${name}\``).join(", ")}; answers let the page read
${CORS_EXPOSED_HEADERS.map((name) => `\`${name}\``).join(", ")}. Credentials (cookies) are never allowed: the key travels in the
Authorization header that the page's script sets. Off, or from another origin, there are no CORS headers and the browser
refuses the call.

**Every answer** carries \`X-Request-Id\` and security headers: \`X-Content-Type-Options: nosniff\`, \`Referrer-Policy:
no-referrer\`, \`X-Frame-Options: DENY\`, \`Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\` (the
HTML pages send their own), \`Cross-Origin-Resource-Policy\` and \`Cross-Origin-Opener-Policy: same-origin\`.`,
  },
  servers: [{ url: "/", description: "This server" }],
  tags: [
    { name: "Registrations", description: "Download and sync an activity's registrations; every call needs an access key." },
    { name: "Start list", description: "The public start list; no key." },
    { name: "Operations", description: "Health, readiness and metrics, for the people running the server." },
    { name: "Documentation", description: "This document and the page that renders it." },
  ],
  security: [{ accessKey: [] }],
  paths: {
    "/api/events/activities/{activityId}/registrations.json": registrationsPath("json"),
    "/api/events/activities/{activityId}/registrations.csv": registrationsPath("csv"),
    "/api/events/activities/{activityId}/registrations.xlsx": {
      summary: "An activity's registrations as an Excel workbook",
      parameters: [parameter("activityId")],
      get: downloadXlsx(),
      put: syncXlsx(),
    },
    "/api/events/activities/{activityId}/startlist.json": {
      parameters: [parameter("publicActivityId")],
      get: {
        operationId: "getStartList",
        tags: ["Start list"],
        summary: "An activity's public start list",
        description: "Confirmed registrations in numeric order of start numbers, for anyone: no key is needed, and an Authorization header is not looked at. Private profiles show only name and number.",
        security: PUBLIC,
        parameters: [parameter("RequestId")],
        responses: {
          200: answer("The start list.", {
            "application/json": {
              schema: schema("StartList"),
              examples: {
                small: example("Two starters, one with a private profile", {
                  activityId: "638f01d0c5eaf533c891fac3", activityName: "10 km", eventName: "Velká Kunratická",
                  entries: [
                    { id: "I50_H2mefrHOaKPSnmzF_m", startNumber: "1", name: "Martin Dufek", yearOfBirth: 1975, country: "CZ" },
                    { id: "_wcuHe9GXAC8pd184K_x-i", startNumber: "2", name: "Jana Nováková" },
                  ],
                }),
              },
            },
          }),
          404: problemAnswer(404, "No such activity.", ["/problems/not-found"], {
            notFound: example("An unknown activity", problemExample("/problems/not-found", "Not Found", 404, "Activity 000000000000000000000000 was not found")),
          }),
          429: problemAnswer(429, "More requests from this client address in a minute than ANONYMOUS_REQUESTS_PER_MINUTE allows (keyless GraphQL and both start lists count together).", ["/problems/too-many-requests"], {
            throttled: example("Too many requests from one address", problemExample("/problems/too-many-requests", "Too Many Requests", 429, "Too many requests without an access key from this address; retry after 42 seconds")),
          }, { "Retry-After": header("Retry-After") }),
          500: response("ServerError"),
          503: response("ServiceUnavailable"),
        },
      },
    },
    "/activities/{activityId}/startlist": {
      parameters: [parameter("publicActivityId")],
      get: {
        operationId: "getStartListPage",
        tags: ["Start list"],
        summary: "An activity's start list as a web page",
        description: "The public start list as a plain HTML page in Czech for people (no JavaScript, no key): sorted and searched on the server through its query parameters. It shows the same entries as startlist.json, and the race's start time.",
        security: PUBLIC,
        parameters: [
          { name: "sort", in: "query", description: "Sort by start number (default), name (surname first, Czech order), year of birth or country. Any other value: by number.", schema: { type: "string", enum: ["number", "name", "year", "country"], default: "number" } },
          { name: "dir", in: "query", description: "`desc` sorts the other way; anything else ascending.", schema: { type: "string", enum: ["asc", "desc"], default: "asc" } },
          { name: "q", in: "query", description: "Only starters whose name or start number contains every word of this, ignoring case and diacritics (novak finds Novák). Longer than 100 characters: cut.", schema: { type: "string" } },
          parameter("RequestId"),
        ],
        responses: {
          200: answer("The page.", { "text/html": { schema: { type: "string", description: "An HTML page (Content-Language: cs)." } } }),
          404: answer("No such activity: a page that says so.", { "text/html": { schema: { type: "string", description: "An HTML page (Content-Language: cs)." } } }),
          429: answer("More requests from this client address in a minute than ANONYMOUS_REQUESTS_PER_MINUTE allows: a page that says so.", {
            "text/html": { schema: { type: "string", description: "An HTML page (Content-Language: cs)." } },
          }, { "Retry-After": header("Retry-After") }),
          503: answer("The database cannot serve the page now: a page that says so, with Retry-After.", { "text/html": { schema: { type: "string", description: "An HTML page (Content-Language: cs)." } } },
            { "Retry-After": header("Retry-After") }),
          500: response("ServerError"),
        },
      },
    },
    "/healthz": {
      get: {
        operationId: "getHealth",
        tags: ["Operations"],
        summary: "Liveness",
        description: "Answers as long as the process serves HTTP; it does not look at the database (see /readyz).",
        security: PUBLIC,
        parameters: [parameter("RequestId")],
        responses: {
          200: answer("The process is up.", {
            "application/json": { schema: { type: "object", description: "Always the same.", properties: { status: { const: "ok", description: "Up." } }, required: ["status"] } },
          }),
        },
      },
    },
    "/readyz": {
      get: {
        operationId: "getReadiness",
        tags: ["Operations"],
        summary: "Readiness",
        description: "Whether the server can serve requests: the database answers and no migration is pending. A load balancer should send traffic only while this answers 200.",
        security: PUBLIC,
        parameters: [parameter("RequestId")],
        responses: {
          200: answer("Ready.", { "application/json": { schema: readiness("ready") } }),
          503: answer("Not ready: the database does not answer, or migrations are pending; detail says which.", { "application/json": { schema: readiness("not ready") } }),
        },
      },
    },
    "/metrics": {
      get: {
        operationId: "getMetrics",
        tags: ["Operations"],
        summary: "Prometheus metrics",
        description: `Metrics in the Prometheus text format: \`regsync_http_requests_total\` and \`regsync_http_request_duration_seconds\`
by method, route pattern and status; \`regsync_rows_synced_total\` by result type; \`regsync_db_pool_*\` (PostgreSQL pool);
Node process metrics (\`regsync_process_*\`, \`regsync_nodejs_*\`). Not protected by a key: restrict it at the proxy if the
counts are not for everyone.`,
        security: PUBLIC,
        parameters: [parameter("RequestId")],
        responses: {
          200: answer("The metrics.", {
            "text/plain": { schema: { type: "string", description: "Prometheus text exposition format 0.0.4 (Content-Type `text/plain; version=0.0.4; charset=utf-8`)." } },
          }),
        },
      },
    },
    "/openapi.json": {
      get: {
        operationId: "getOpenApiDocument",
        tags: ["Documentation"],
        summary: "This OpenAPI document",
        description: "The OpenAPI 3.1 description of the REST API, for code generators and API tools.",
        security: PUBLIC,
        parameters: [parameter("RequestId")],
        responses: {
          200: answer("The document.", { "application/json": { schema: { type: "object", description: "An OpenAPI 3.1 document.", required: ["openapi", "info", "paths"] } } }),
        },
      },
    },
    "/api/docs": {
      get: {
        operationId: "getApiDocsPage",
        tags: ["Documentation"],
        summary: "This document, rendered for a browser",
        description: "A Swagger UI page that renders /openapi.json. All its files are served by this server, so it works without internet access.",
        security: PUBLIC,
        parameters: [parameter("RequestId")],
        responses: {
          200: answer("The page.", { "text/html": { schema: { type: "string", description: "An HTML page." } } }),
        },
      },
    },
  },
  components: {
    schemas: SCHEMAS,
    parameters: PARAMETERS,
    headers: HEADERS,
    responses: RESPONSES,
    securitySchemes: {
      accessKey: {
        type: "http",
        scheme: "basic",
        description: "An access key: user name = the key's name, password = its secret (`Authorization: Basic base64(keyName:keySecret)`). Keys are made with the operator CLI or GraphQL's createAccessKey; the secret is shown once.",
      },
    },
  },
};

function readiness(status: "ready" | "not ready"): JsonSchema {
  return {
    type: "object",
    description: "Readiness and why.",
    properties: {
      status: { const: status, description: status === "ready" ? "Ready." : "Not ready." },
      detail: { type: "string", description: "What was checked, or what failed." },
    },
    required: ["status", "detail"],
  };
}
