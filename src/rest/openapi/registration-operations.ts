// The registrations resources, once per format; their sync's particulars for the sync operations.
import { COLUMNS } from "../registration-table";
import { answer, example, parameter, problemAnswer, problemExample, response, schema } from "./builders";
import { CSV_COLUMNS_TABLE, CSV_DIALECTS, CSV_FORMULAS } from "./codes-and-columns";
import type { Operation, PathItem } from "./document-types";
import { keyed } from "./parameters";
import {
  CSV_TEXT,
  SEED_CSV,
  SEED_CSV_HEADER,
  SEED_REGISTRATION,
  invalidQuery,
  type Format,
} from "./registration-examples";
import { sync, type SyncDoc } from "./sync-operation";

/** The registration sync (SPEC §4), as its operations describe it. */
export const REGISTRATION_SYNC: SyncDoc = {
  noun: "registrations",
  tag: "Registrations",
  operationIds: { json: "syncRegistrationsJson", csv: "syncRegistrationsCsv", xlsx: "syncRegistrationsXlsx" },
  label: "registrations",
  what: "Sets start numbers, updates imported registrations and inserts external ones, in one transaction per request (SPEC §4).",
  jsonBody:
    "The body is a JSON array of items in the seed's shape (see SyncItem); the answer has one result per item, in order.",
  itemSchema: "SyncItem",
  answerSchema: "SyncResult",
  columnsTable: CSV_COLUMNS_TABLE,
  tableAnswerNote: `When some row has a warning, a last column \`sync.warnings\` holds each row's warnings (empty for the
others), like \`PossibleDuplicatePerson: Jana Nováková, born 1990-01-02, is already registered with this organizer; consider
attaching person.id instead (person.id 6303aec90f8fc8574e68d664)\`, several separated by \`; \`.`,
  parameters: [],
  conflict: "a start number this batch wanted",
  examples: {
    json: {
      seed: example("The seed's example: set a start number", [
        { id: "638f0763c5eaf533c891fb76", startNumber: "0001", person: { id: "6303aec90f8fc8574e68d664" } },
      ]),
      insert: example("Insert an external registration", [
        {
          externalId: "timing-1042",
          startNumber: "1042",
          state: "Confirmed",
          person: { givenName: "Jana", surname: "Nováková", sex: "Female", birthDate: "1990-01-02", country: "CZ" },
        },
      ]),
    },
    jsonAnswer: { seed: example("The seed's answer", [{ ...SEED_REGISTRATION, syncResultType: "Updated" }]) },
    csv: { seed: example("The seed's example: set start number 0002", SEED_CSV) },
    csvAnswer: { seed: example("The seed's answer", SEED_CSV) },
    jsonRejected: [
      {
        index: 0,
        field: "startNumber",
        code: "StartNumberTaken",
        message: "Start number 0001 is held by registration RGZ197",
        registrationId: "638f0763c5eaf533c891fb77",
      },
    ],
    csvRejected: [
      {
        line: 2,
        field: "person.birthDate",
        code: "InvalidValue",
        message: "person.birthDate is not a calendar date: 1990-02-31 (day 31 of month 2)",
      },
    ],
    // The codecs' messages of a workbook sent as CSV, and of CSV sent as a workbook, name the registrations resources.
    unsupported: {
      csv: {
        workbook: example(
          "An Excel workbook",
          problemExample(
            "/problems/unsupported-media-type",
            "Unsupported Media Type",
            415,
            'This is an Excel workbook, not a CSV file: send it to registrations.xlsx instead, or save the sheet as CSV ("CSV UTF-8")',
          ),
        ),
      },
      xlsx: {
        csv: example(
          "CSV sent as a workbook",
          problemExample(
            "/problems/unsupported-media-type",
            "Unsupported Media Type",
            415,
            'The body is not an .xlsx workbook (it starts with "registration.id,registration.startNumber"); send CSV to registrations.csv, or save the file as an .xlsx workbook',
          ),
        ),
      },
    },
  },
};

export function download(format: Format): Operation {
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
          ? {
              "application/json": {
                schema: { type: "array", items: schema("Registration") },
                examples: { seed: example("The seed's registration", [SEED_REGISTRATION]) },
              },
            }
          : {
              "text/csv": {
                schema: CSV_TEXT,
                examples: {
                  seed: example(
                    "The seed's columns, plain dialect",
                    `${SEED_CSV_HEADER}\n638f0763c5eaf533c891fb76,Confirmed,0001,6303aec90f8fc8574e68d664,Martin,,Dufek,Male,1975-11-27\n`,
                  ),
                },
              },
            },
      ),
      400: problemAnswer(
        400,
        json
          ? "A query parameter is wrong: state or modifiedSince."
          : "A query parameter is wrong: state, modifiedSince or columns.",
        ["/problems/invalid-query"],
        {
          state: example("An unknown state", invalidQuery("state must be among New, Confirmed, Cancelled; got Paid")),
          ...(json
            ? {}
            : {
                columns: example(
                  "An unknown column",
                  invalidQuery(`columns must be among ${Object.keys(COLUMNS).join(", ")}; got person.email`),
                ),
              }),
        },
      ),
      401: response("Unauthorized"),
      404: response("ActivityNotFound"),
      429: response("TooManyRequests"),
      500: response("ServerError"),
      503: response("ServiceUnavailable"),
    }),
  };
}

export function registrationsPath(format: Format): PathItem {
  return {
    summary: `An activity's registrations as ${format === "json" ? "JSON" : "CSV"}`,
    parameters: [parameter("activityId")],
    get: download(format),
    put: sync(REGISTRATION_SYNC, format),
  };
}
