// The results paths (issue 14): the keyed download and sync in three formats (and the sync's suffix-less route),
// the public list and the page. The sync's operations are the registration sync's, told of results (result-sync-operation.ts).
import { RESULT_STATUSES } from "../../entities/result";
import { SYNC_RESULT_TYPES } from "../../services/registration-sync";
import { queryValues } from "../query-parameters";
import { CsvResultDownloadQuery } from "../result-query";
import {
  OBJECT_ID,
  answer,
  example,
  header,
  parameter,
  problemAnswer,
  problemExample,
  response,
  schema,
} from "./builders";
import { RESULT_COLUMNS_TABLE } from "./codes-and-columns";
import type { JsonSchema, MediaType, Operation, Parameter, PathItem, Response } from "./document-types";
import { keyed } from "./parameters";
import { CSV_TEXT, invalidQuery } from "./registration-examples";
import { RESULT_SYNC } from "./result-sync-operation";
import { SYNC_RESULT_ITEM_SCHEMA } from "./sync-item-schema";
import { sync } from "./sync-operation";
import { XLSX_CELLS, syncXlsx, workbookContent } from "./workbook-operations";

type Format = "json" | "csv" | "xlsx";

const PUBLIC: Record<string, string[]>[] = [];

const nullable = (type: "string" | "integer", description: string, extra: JsonSchema = {}): JsonSchema => ({
  type: [type, "null"],
  description,
  ...extra,
});

/** A result as the REST answers give it (rest/result-json.ts). */
const RESULT: JsonSchema & { properties: Record<string, JsonSchema>; required: string[] } = {
  type: "object",
  description: "A person's official result in an activity, as the platform's API shows it, with the full person.",
  properties: {
    id: { ...OBJECT_ID, description: "The result's id." },
    category: nullable("string", "The category, like M40; null when none."),
    person: schema("Person"),
    position: nullable("integer", "Overall position; null for non-finishers.", { minimum: 1 }),
    positionByCategory: nullable("integer", "Position in the category; null for non-finishers.", { minimum: 1 }),
    positionBySex: nullable("integer", "Position among the same sex; null for non-finishers.", { minimum: 1 }),
    splitTimes: {
      type: "array",
      description: "Splits in increasing distance; empty when none.",
      items: {
        type: "object",
        description: "Where (km from the start) and when (UTC) the runner passed a split.",
        properties: {
          distance: { type: "number", minimum: 0, description: "Kilometres from the start, like 4.0." },
          time: { type: "string", format: "date-time", description: "The instant, like 2022-09-01T15:10:00.000Z." },
        },
        required: ["distance", "time"],
      },
    },
    startNumber: nullable("string", "Start (bib) number as text."),
    time: nullable("integer", "Finish time in milliseconds: 600000 is 10:00.000.", { minimum: 0 }),
    status: {
      type: "string",
      enum: RESULT_STATUSES,
      description: "How the race ended; only finishers have positions.",
    },
    registrationId: { ...OBJECT_ID, type: ["string", "null"], description: "The person's registration, if any." },
    created: { type: "string", format: "date-time", description: "When the result was first stored." },
    modified: { type: "string", format: "date-time", description: "When the result last changed." },
  },
  required: [
    "id",
    "category",
    "person",
    "position",
    "positionByCategory",
    "positionBySex",
    "splitTimes",
    "startNumber",
    "time",
    "status",
    "registrationId",
    "created",
    "modified",
  ],
};

/** components.schemas of the results. */
export const RESULT_SCHEMAS: Record<string, JsonSchema> = {
  Result: RESULT,
  SyncResultItem: SYNC_RESULT_ITEM_SCHEMA,
  SyncedResult: {
    type: "object",
    description: `What the results sync did with one item, in input order, then with \`prune=true\` the results it deleted:
the result as stored (as it would be, in a dry run; as it was, when Deleted) with \`syncResultType\`. A Skipped row
(partial mode) has its \`errors\`, and the runner's stored result when the item found one; otherwise nothing more.`,
    properties: {
      ...RESULT.properties,
      syncResultType: {
        type: "string",
        enum: SYNC_RESULT_TYPES,
        description:
          "Created (a new result), Updated (changed), Unchanged (the item equals what is stored), Deleted (left out of an upload with prune=true), Skipped (failed, partial mode only).",
      },
      errors: { type: "array", items: schema("RowError"), description: "Why a Skipped row failed." },
    },
    required: ["syncResultType"],
    anyOf: [
      { required: RESULT.required },
      { properties: { syncResultType: { const: "Skipped" } }, required: ["errors"] },
    ],
  },
  PublicResults: {
    type: "object",
    description:
      "An activity's public results: never a birth date; of a private profile only name, number, category and time.",
    properties: {
      activityId: { ...OBJECT_ID, description: "The activity." },
      activityName: { type: "string", description: "Name of the activity." },
      eventName: { type: "string", description: "Name of the event." },
      entries: {
        type: "array",
        description: "Finishers by position (ties by time), then the others by status and name.",
        items: {
          type: "object",
          description: "A line of the results.",
          properties: {
            id: {
              type: "string",
              pattern: "^[\\w-]{22}$",
              description: "A stable id of the entry, derived from the result's, which it does not reveal.",
            },
            status: { type: "string", enum: RESULT_STATUSES, description: "How the race ended." },
            position: nullable("integer", "Overall position; finishers only.", { minimum: 1 }),
            positionByCategory: nullable("integer", "Position in the category; finishers only.", { minimum: 1 }),
            positionBySex: nullable("integer", "Position among the same sex; finishers only.", { minimum: 1 }),
            category: nullable("string", "The category, like M40."),
            startNumber: nullable("string", "Start (bib) number."),
            name: { type: "string", description: "Given name and surname." },
            time: nullable("integer", "Finish time in milliseconds.", { minimum: 0 }),
            clockTime: nullable("string", "The finish time as h:mm:ss, like 0:10:00 or 1:02:03.4.", {
              pattern: "^\\d+:\\d{2}:\\d{2}(\\.\\d{1,3})?$",
            }),
            gap: nullable(
              "integer",
              "Milliseconds behind the fastest finisher (0 for the winner); null for non-finishers.",
              {
                minimum: 0,
              },
            ),
            yearOfBirth: { type: "integer", description: "Year of birth; public profiles only (absent otherwise)." },
            country: nullable("string", "ISO 3166 alpha-2 country; public profiles only (absent otherwise)."),
          },
          required: [
            "id",
            "status",
            "position",
            "positionByCategory",
            "positionBySex",
            "category",
            "startNumber",
            "name",
            "time",
            "clockTime",
            "gap",
          ],
        },
      },
    },
    required: ["activityId", "activityName", "eventName", "entries"],
  },
};

const statusParameter: Parameter = {
  name: "status",
  in: "query",
  style: "form",
  explode: false,
  description:
    "Only results with these statuses, comma-separated (`status=DidNotFinish,DidNotStart`); the parameter may also be repeated. Absent: all.",
  schema: { type: "array", items: { type: "string", enum: RESULT_STATUSES }, uniqueItems: true },
};

const categoryParameter: Parameter = {
  name: "category",
  in: "query",
  description: "Only results in this category, exactly as stored (`M40`). Once; 1 to 32 characters.",
  schema: { type: "string", minLength: 1, maxLength: 32 },
};

const modifiedSinceParameter: Parameter = {
  name: "modifiedSince",
  in: "query",
  description:
    "Only results changed at or after this time, so a client can poll for changes: an RFC 3339 date-time with `Z` or an offset (write its `+` as `%2B`), or a date (midnight UTC).",
  schema: {
    anyOf: [
      { type: "string", format: "date-time" },
      { type: "string", format: "date" },
    ],
  },
};

const dialectParameter: Parameter = {
  name: "dialect",
  in: "query",
  description: "`excel`: `;`-separated, CRLF, UTF-8 byte order mark (Czech Excel). `plain` or none: `,`, LF, no BOM.",
  schema: { type: "string", enum: queryValues(CsvResultDownloadQuery, "dialect"), default: "plain" },
};

const SEED_RESULT = {
  id: "6391b0d5c5eaf533c891fd01",
  category: "M40",
  person: {
    id: "6303aec90f8fc8574e68d664",
    isProfilePublic: true,
    givenName: "Martin",
    surname: "Dufek",
    sex: "Male",
    birthDate: "1975-11-27T00:00:00Z",
    language: "cs",
    country: "CZ",
    name: "Martin Dufek",
    ref: "6303aec90f8fc8574e68d664",
  },
  position: 1,
  positionByCategory: 1,
  positionBySex: 1,
  splitTimes: [{ distance: 4, time: "2022-09-01T15:10:00.000Z" }],
  startNumber: "0001",
  time: 600000,
  status: "Finished",
  registrationId: "638f0763c5eaf533c891fb76",
  created: "2022-09-01T16:02:11.000Z",
  modified: "2022-09-01T16:02:11.000Z",
};

function successOf(format: Format): Response {
  if (format === "json")
    return answer("The results, in result order.", {
      "application/json": {
        schema: { type: "array", items: schema("Result") },
        examples: { seed: example("The spec's winner", [SEED_RESULT]) },
      },
    });
  if (format === "csv")
    return answer("The results: a header line of the columns, then one row per result.", {
      "text/csv": { schema: CSV_TEXT },
    });
  return answer("The results: a sheet with a header row of the columns, then one row per result.", workbookContent());
}

function download(format: Format): Operation {
  const name = { json: "Json", csv: "Csv", xlsx: "Xlsx" }[format];
  const label = { json: "JSON", csv: "CSV", xlsx: "an Excel workbook" }[format];
  return {
    operationId: `downloadResults${name}`,
    tags: ["Results"],
    summary: `Download an activity's results as ${label}`,
    description:
      format === "json"
        ? "The activity's results in result order (finishers by position, ties by time; then DidNotFinish, DidNotStart, Disqualified, each by name), each with the full person as the registration answer has it. The same keys and reach as the registrations."
        : `The activity's results in result order, one row each.\n\n${RESULT_COLUMNS_TABLE}${format === "xlsx" ? `\n\n${XLSX_CELLS}` : ""}`,
    parameters: [
      categoryParameter,
      statusParameter,
      modifiedSinceParameter,
      ...(format === "csv" ? [dialectParameter] : []),
      parameter("RequestId"),
    ],
    responses: keyed({
      200: successOf(format),
      400: problemAnswer(
        400,
        `A query parameter is wrong: category, status or modifiedSince${format === "xlsx" ? "; dialect, which is for CSV only" : ""}.`,
        ["/problems/invalid-query"],
        {
          status: example(
            "An unknown status",
            invalidQuery(`status must be among ${RESULT_STATUSES.join(", ")}; got Lost`),
          ),
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

const html: Record<string, MediaType> = {
  "text/html": { schema: { type: "string", description: "An HTML page (Content-Language: cs)." } },
};

const tooManyAnonymous = problemAnswer(
  429,
  "More requests from this client address in a minute than ANONYMOUS_REQUESTS_PER_MINUTE allows (keyless GraphQL, the start lists and the results count together).",
  ["/problems/too-many-requests"],
  {
    throttled: example(
      "Too many requests from one address",
      problemExample(
        "/problems/too-many-requests",
        "Too Many Requests",
        429,
        "Too many requests without an access key from this address; retry after 42 seconds",
      ),
    ),
  },
  { "Retry-After": header("Retry-After") },
);

/** PUT …/results, as the platform's own example calls it: the JSON sync. */
function suffixless(): Operation {
  const json = sync(RESULT_SYNC, "json");
  return {
    ...json,
    operationId: "syncResults",
    summary: "Sync results from JSON (the platform's route)",
    description: `The same as PUT …/results.json, on the route the platform's own example calls (no suffix: the body is JSON).

${json.description}`,
  };
}

/** The results paths, by route. */
export const RESULT_PATHS: Record<string, PathItem> = {
  ...Object.fromEntries(
    (["json", "csv", "xlsx"] as const).map((format) => [
      `/api/events/activities/{activityId}/results.${format}`,
      {
        parameters: [parameter("activityId")],
        get: download(format),
        put: format === "xlsx" ? syncXlsx(RESULT_SYNC) : sync(RESULT_SYNC, format),
      } satisfies PathItem,
    ]),
  ),
  "/api/events/activities/{activityId}/results": {
    summary: "The results sync on the platform's route: results.json without its suffix",
    parameters: [parameter("activityId")],
    put: suffixless(),
  },
  "/api/events/activities/{activityId}/publicresults.json": {
    parameters: [parameter("publicActivityId")],
    get: {
      operationId: "getPublicResults",
      tags: ["Results"],
      summary: "An activity's public results",
      description:
        "The results for anyone, in result order: no key is needed, and an Authorization header is not looked at. Times in milliseconds and as h:mm:ss, the gap to the fastest finisher; never a birth date, and of a private profile only name, number, category and time.",
      security: PUBLIC,
      parameters: [parameter("RequestId")],
      responses: {
        200: answer("The results.", {
          "application/json": {
            schema: schema("PublicResults"),
            examples: {
              small: example("A winner and a runner with a private profile who did not finish", {
                activityId: "638f1045c5eaf533c891fc07",
                activityName: "10 km",
                eventName: "Velká Kunratická",
                entries: [
                  {
                    id: "Qm1tT2yF3b6cJd3rQ0nX2a",
                    status: "Finished",
                    position: 1,
                    positionByCategory: 1,
                    positionBySex: 1,
                    category: "M40",
                    startNumber: "0001",
                    name: "Martin Dufek",
                    time: 600000,
                    clockTime: "0:10:00",
                    gap: 0,
                    yearOfBirth: 1975,
                    country: "CZ",
                  },
                  {
                    id: "x3VdZp0sLq8wYc2KfR7uTe",
                    status: "DidNotFinish",
                    position: null,
                    positionByCategory: null,
                    positionBySex: null,
                    category: "Z30",
                    startNumber: "7",
                    name: "Jana Nováková",
                    time: null,
                    clockTime: null,
                    gap: null,
                  },
                ],
              }),
            },
          },
        }),
        404: problemAnswer(404, "No such activity.", ["/problems/not-found"], {
          notFound: example(
            "An unknown activity",
            problemExample("/problems/not-found", "Not Found", 404, "Activity 000000000000000000000000 was not found"),
          ),
        }),
        429: tooManyAnonymous,
        500: response("ServerError"),
        503: response("ServiceUnavailable"),
      },
    },
  },
  "/activities/{activityId}/results": {
    parameters: [parameter("publicActivityId")],
    get: {
      operationId: "getResultsPage",
      tags: ["Results"],
      summary: "An activity's results as a web page",
      description:
        "The public results as a plain HTML page in Czech for people (no JavaScript, no key), in the start list page's style: times as h:mm:ss, the gap to the leader of what is shown, non-finishers after the finishers with their status. Filtered on the server through a GET form.",
      security: PUBLIC,
      parameters: [
        {
          name: "category",
          in: "query",
          description:
            "Only this category; positions are then in the category and gaps to its winner. A category the results do not have: everyone.",
          schema: { type: "string" },
        },
        {
          name: "sex",
          in: "query",
          description:
            "Only this sex; positions are then among the sex and gaps to its fastest. Any other value: everyone.",
          schema: { type: "string", enum: ["Male", "Female"] },
        },
        parameter("RequestId"),
      ],
      responses: {
        200: answer("The page.", html),
        404: answer("No such activity: a page that says so.", html),
        429: answer(
          "More requests from this client address in a minute than ANONYMOUS_REQUESTS_PER_MINUTE allows: a page that says so.",
          html,
          { "Retry-After": header("Retry-After") },
        ),
        503: answer("The database cannot serve the page now: a page that says so, with Retry-After.", html, {
          "Retry-After": header("Retry-After"),
        }),
        500: response("ServerError"),
      },
    },
  },
};
