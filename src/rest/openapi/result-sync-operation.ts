// The results sync's particulars (SPEC §9) for the shared sync operations (sync-operation.ts): what it does, its
// `prune` parameter, its schemas and the platform's example.
import { RESULTS_EXAMPLE, RESULTS_SECOND_PERSON_ID, SEED_PERSON_ID } from "../../services/demo-data";
import { example } from "./builders";
import { RESULT_COLUMNS_TABLE } from "./codes-and-columns";
import type { Parameter } from "./document-types";
import { SEED_REGISTRATION } from "./registration-examples";
import type { SyncDoc } from "./sync-operation";

const prune: Parameter = {
  name: "prune",
  in: "query",
  description:
    "`true`: the upload is the activity's whole results list, and the results it names no one of are deleted; the answer lists them after the items, as they were, as Deleted (a dry run deletes nothing; a result whose item failed in partial mode is kept). `false` (default): results the upload leaves out stay. Exactly `true` or `false`.",
  schema: { type: "boolean", default: false },
};

const CREATED = "2022-09-01T16:02:11.000Z";
const stamp = { created: CREATED, modified: CREATED };

/** The platform's example as this server answers it: three results created, the third with a new person. */
const PLATFORM_ANSWER = [
  {
    id: "6391b0d5c5eaf533c891fd01",
    category: "M40",
    person: { ...SEED_REGISTRATION.person, id: SEED_PERSON_ID },
    position: 1,
    positionByCategory: 1,
    positionBySex: 1,
    splitTimes: [{ distance: 4, time: "2022-09-01T15:10:00.000Z" }],
    startNumber: "0001",
    time: 600000,
    status: "Finished",
    registrationId: "638e9a00de7000000000002a",
    ...stamp,
    syncResultType: "Created",
  },
  {
    id: "6391b0d5c5eaf533c891fd02",
    category: "M30",
    person: {
      id: RESULTS_SECOND_PERSON_ID,
      isProfilePublic: true,
      givenName: "Petr",
      surname: "Kolář",
      sex: "Male",
      birthDate: "1988-04-12T00:00:00Z",
      language: "cs",
      country: "CZ",
      name: "Petr Kolář",
      ref: RESULTS_SECOND_PERSON_ID,
    },
    position: 2,
    positionByCategory: 1,
    positionBySex: 2,
    splitTimes: [],
    startNumber: "0002",
    time: 660000,
    status: "Finished",
    registrationId: "638e9a00de7000000000002b",
    ...stamp,
    syncResultType: "Created",
  },
  {
    id: "6391b0d5c5eaf533c891fd03",
    category: "M20",
    person: {
      id: "6391b0d5c5eaf533c891fd04",
      isProfilePublic: false,
      givenName: "Jan",
      surname: "Svoboda",
      sex: "Male",
      birthDate: "2001-10-01T00:00:00Z",
      country: "CZ",
      name: "Jan Svoboda",
      ref: "6391b0d5c5eaf533c891fd04",
    },
    position: 3,
    positionByCategory: 1,
    positionBySex: 3,
    splitTimes: [],
    startNumber: "0003",
    time: 720000,
    status: "Finished",
    registrationId: null,
    ...stamp,
    syncResultType: "Created",
  },
];

const CSV_HEADER =
  "result.startNumber,result.status,result.category,result.position,result.positionByCategory,result.positionBySex,result.time,split.4";

/** The results sync, as its operations describe it. */
export const RESULT_SYNC: SyncDoc = {
  noun: "results",
  tag: "Results",
  operationIds: { json: "syncResultsJson", csv: "syncResultsCsv", xlsx: "syncResultsXlsx" },
  label: "results",
  what: `Stores an activity's official results (SPEC §9), in one transaction per request: a result for each runner who
has none, the new values of those whose result differs and, with \`prune=true\`, the deletion of those the upload leaves
out. Each item finds its runner by \`person.id\`, by start number, or by name and birth date; a runner not known yet is
made a new (unclaimed) person, as an external registration's is. Only finishers with equal times share a position.`,
  jsonBody:
    "The body is a JSON array of result items in the platform's shape (see SyncResultItem); the answer has one result per item, in order (see SyncedResult), then, with `prune=true`, the results deleted.",
  itemSchema: "SyncResultItem",
  answerSchema: "SyncedResult",
  columnsTable: RESULT_COLUMNS_TABLE,
  tableAnswerNote:
    "With `prune=true` the deleted results follow the uploaded rows, as they were; when there are any, a `sync.resultType` column (after the uploaded ones) marks every row, the deleted ones `Deleted`, in any mode.",
  parameters: [prune],
  conflict: "a runner's result or a new person this batch was writing",
  examples: {
    json: {
      platform: example(
        "The platform's example: three finishers, the third not known yet (Martin Dufek and Petr Kolář of the demo data)",
        RESULTS_EXAMPLE,
      ),
      byNumber: example("By start number, a time as h:mm:ss, a runner who did not finish", [
        {
          startNumber: "0010",
          category: "Z30",
          position: 12,
          positionByCategory: 2,
          positionBySex: 3,
          time: "0:41:07.3",
        },
        { startNumber: "0011", status: "DidNotFinish", category: "M40" },
      ]),
    },
    jsonAnswer: {
      platform: example("The platform's example, answered", PLATFORM_ANSWER),
      partial: example("mode=partial&prune=true: an item that names no one, and a result the upload left out", [
        {
          syncResultType: "Skipped",
          errors: [
            {
              field: "startNumber",
              code: "UnknownRegistration",
              message:
                "No registration in this activity has start number 0099; give person.id, or the person's givenName, surname, sex and birthDate",
            },
          ],
        },
        { ...PLATFORM_ANSWER[2], syncResultType: "Deleted" },
      ]),
    },
    csv: {
      platform: example(
        "Two finishers, the winner's time as h:mm:ss and a split",
        `${CSV_HEADER}\n0001,Finished,M40,1,1,1,0:10:00,2022-09-01T17:10:00+02:00\n0002,Finished,M30,2,1,2,660000,\n`,
      ),
    },
    csvAnswer: {
      platform: example(
        "The rows as stored",
        `${CSV_HEADER}\n0001,Finished,M40,1,1,1,600000,2022-09-01T15:10:00.000Z\n0002,Finished,M30,2,1,2,660000,\n`,
      ),
    },
    jsonRejected: [
      {
        index: 1,
        field: "position",
        code: "PositionTaken",
        message:
          "position 1 is also Martin Dufek's (a stored result) with another time; only equal times share a position",
      },
      {
        index: 2,
        field: "person",
        code: "AmbiguousPerson",
        message:
          "2 runners of this activity are Jan Svoboda, born 2001-10-01; give person.id (6391b0d5c5eaf533c891fd04, 6391b0d5c5eaf533c891fd05)",
      },
    ],
    csvRejected: [
      {
        line: 2,
        field: "result.time",
        code: "InvalidValue",
        message: "time must be milliseconds (600000) or h:mm:ss like 0:10:00 or 1:02:03.4, not 10:00",
      },
    ],
  },
};
