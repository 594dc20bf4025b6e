// The schemas under components.schemas.
import { LISTED_FAILED_ROWS, SYNC_RESULT_TYPES } from "../../services/registration-sync";
import { OBJECT_ID, code, schema, table } from "./builders";
import { ROW_ERROR_CODES } from "./codes-and-columns";
import type { JsonSchema } from "./document-types";
import {
  REGISTRATION_PROPERTIES,
  REGISTRATION_REQUIRED,
  REGISTRATION_RESPONSE_SCHEMAS,
} from "./registration-responses";
import { SYNC_ITEM_SCHEMA } from "./sync-item-schema";

export const ROW_ERROR: JsonSchema = {
  type: "object",
  description: "Why one row failed.",
  properties: {
    field: {
      type: ["string", "null"],
      description:
        "The item's field (JSON: person.birthDate) or the CSV column (person.birthDate, registration.startNumber); null when the row as a whole is wrong.",
    },
    code: {
      type: "string",
      enum: Object.keys(ROW_ERROR_CODES),
      description: table(
        ["Code", "Meaning"],
        Object.entries(ROW_ERROR_CODES).map(([c, m]) => [code(c), m]),
      ),
    },
    message: { type: "string", description: "What is wrong, for a person to read." },
    registrationId: {
      ...OBJECT_ID,
      description: "The registration the error is about, such as the one holding a wanted start number.",
    },
  },
  required: ["field", "code", "message"],
};

export const SCHEMAS: Record<string, JsonSchema> = {
  ...REGISTRATION_RESPONSE_SCHEMAS,
  SyncItem: SYNC_ITEM_SCHEMA,
  SyncWarning: {
    type: "object",
    description: "Something worth a look that did not stop the row.",
    properties: {
      code: {
        type: "string",
        const: "PossibleDuplicatePerson",
        description:
          "A new person has the name and birth date of one this organizer already has; attaching person.id would have avoided a second person.",
      },
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
        description:
          "Created (inserted), Updated (changed), Unchanged (the item equals what is stored), Skipped (failed, partial mode only). Deleted is the platform's reserved value; deleting is not offered.",
      },
      errors: { type: "array", items: schema("RowError"), description: "Why a Skipped row failed." },
      warnings: {
        type: "array",
        items: schema("SyncWarning"),
        description: "Warnings about an applied row; absent when none.",
      },
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
      line: {
        type: "integer",
        minimum: 2,
        description:
          "CSV: the line the row starts on in the uploaded file (the header is line 1). Workbook: the row of the sheet.",
      },
      ...ROW_ERROR.properties,
    },
    required: ROW_ERROR.required,
    oneOf: [{ required: ["index"] }, { required: ["line"] }],
  },
  Problem: {
    type: "object",
    description:
      "An RFC 9457 problem document. Other members may be added later; clients should ignore those they do not know.",
    properties: {
      type: {
        type: "string",
        format: "uri-reference",
        description: "What kind of problem, like /problems/invalid-rows; about:blank for an unexpected server error.",
      },
      title: { type: "string", description: "The status's name, like Unprocessable Content." },
      status: { type: "integer", minimum: 400, maximum: 599, description: "The HTTP status." },
      detail: { type: "string", description: "What went wrong in this request, for a person to read." },
      requestId: {
        type: "string",
        description: "The request's id, as in X-Request-Id: quote it when reporting a problem.",
      },
      errors: {
        type: "array",
        items: schema("RowProblem"),
        description: `The failing rows' errors (422 invalid-rows: those of the first ${LISTED_FAILED_ROWS.toLocaleString("en")} failing rows; 400 malformed-json names the broken item).`,
      },
      errorCount: {
        type: "integer",
        minimum: 1,
        description: "422 invalid-rows: how many errors the failing rows had in all.",
      },
      errorsOmitted: {
        type: "integer",
        minimum: 0,
        description: `422 invalid-rows: how many of them \`errors\` leaves out (those of the failing rows after the first ${LISTED_FAILED_ROWS.toLocaleString("en")}).`,
      },
      index: {
        type: "integer",
        minimum: 0,
        description: "JSON: the item a too-many-items problem is on (the first one over MAX_SYNC_ITEMS).",
      },
      line: {
        type: "integer",
        minimum: 1,
        description:
          "CSV: the line a malformed-csv, csv-encoding or csv-too-large problem is on. Workbook: the sheet row of a malformed-xlsx or xlsx-too-large problem.",
      },
      field: {
        type: ["string", "null"],
        description: "The request value an invalid-request problem is about, like Idempotency-Key.",
      },
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
            id: {
              type: "string",
              pattern: "^[A-Za-z0-9_-]{22}$",
              description:
                "A stable id of the entry (of its registration, which it does not reveal), for a client's cache.",
            },
            startNumber: { type: ["string", "null"], description: "Start number, or null when none is assigned yet." },
            name: { type: "string", description: "Given name and surname." },
            yearOfBirth: { type: "integer", description: "Only for public profiles." },
            country: {
              type: ["string", "null"],
              pattern: "^[A-Z]{2}$",
              description: "Only for public profiles; null when unknown.",
            },
          },
          required: ["id", "startNumber", "name"],
        },
      },
    },
    required: ["activityId", "activityName", "eventName", "entries"],
  },
};
