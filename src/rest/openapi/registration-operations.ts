// The registrations resources, once per format.
import { COLUMNS } from "../registration-table";
import { answer, example, parameter, problemAnswer, response, schema } from "./builders";
import { CSV_COLUMNS_TABLE, CSV_DIALECTS, CSV_FORMULAS } from "./codes-and-columns";
import type { Operation, PathItem } from "./document-types";
import { keyed } from "./parameters";
import { CSV_TEXT, SEED_CSV_HEADER, SEED_REGISTRATION, invalidQuery, type Format } from "./registration-examples";
import { sync } from "./sync-operation";

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
    put: sync(format),
  };
}
