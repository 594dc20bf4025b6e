// SPEC §9: the results sync through REST (JSON, the platform's suffix-less route, CSV), rule by rule.
// The GraphQL mutation shares the service (test/graphql/sync-results.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeRegistration, organizationWithMember, scenario, timingCompanyOf } from "../support/fixtures";
import { call } from "../support/http";
import { countStatements } from "../support/statement-counter";
import { workbookOf } from "../support/xlsx-files";
import { XLSX_MEDIA_TYPE } from "../../src/rest/xlsx-codec";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const resultsUrl = (activityId: string, suffix = ".json", query = "") =>
  `${server.url}/api/events/activities/${activityId}/results${suffix}${query ? `?${query}` : ""}`;

const put = (activityId: string, auth: string, items: unknown, query = "", suffix = ".json", headers = {}) =>
  call(resultsUrl(activityId, suffix, query), {
    method: "PUT",
    headers: { Authorization: auth, "Content-Type": "application/json", ...headers },
    body: JSON.stringify(items),
  });

const putCsv = (activityId: string, auth: string, csv: string, query = "") =>
  call(resultsUrl(activityId, ".csv", query), {
    method: "PUT",
    headers: { Authorization: auth, "Content-Type": "text/csv" },
    body: csv,
  });

const storedResults = async (activityId: string) =>
  (await server.db.query(
    `SELECT s.person_id, s.status, s.position, s.time_ms::int AS time, s.category, s.registration_id
       FROM result s JOIN person p ON p.id = s.person_id WHERE s.activity_id = $1 ORDER BY s.position NULLS LAST, p.surname`,
    [activityId],
  )) as { person_id: string; status: string; position: number | null; time: number | null; category: string | null }[];

/** The platform's example, its persons made in `activityId` with registrations (two known, one new). */
async function platformExample() {
  const { organizer, activityId } = await scenario(server.db);
  const dufek = await nativeRegistration(server.db, activityId, { givenName: "Martin", surname: "Dufek" });
  const second = await nativeRegistration(server.db, activityId, { startNumber: "0002" });
  const items = [
    {
      category: "M40",
      person: { id: dufek.personId },
      position: 1,
      positionByCategory: 1,
      positionBySex: 1,
      splitTimes: [{ distance: 4.0, time: "2022-09-01T15:10:00Z" }],
      startNumber: "0001",
      time: 600000,
    },
    {
      category: "M30",
      person: { id: second.personId },
      position: 2,
      positionByCategory: 1,
      positionBySex: 2,
      time: 660000,
    },
    {
      category: "M20",
      person: { givenName: "Jan", surname: "Svoboda", sex: "Male", birthDate: "2001-10-01", country: "CZ" },
      position: 3,
      positionByCategory: 1,
      positionBySex: 3,
      time: 720000,
    },
  ];
  return { organizer, activityId, dufek, second, items };
}

describe("the platform's example", () => {
  it("creates three results, the third with a new person, on the route without a suffix", async () => {
    const { organizer, activityId, dufek, second, items } = await platformExample();
    const reply = await put(activityId, organizer.auth, items, "", "");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("sync-summary")).toBe("Created=3, Updated=0, Unchanged=0, Skipped=0");
    expect(
      reply.json.map((r: any) => [r.person.name ?? `${r.person.givenName} ${r.person.surname}`, r.syncResultType]),
    ).toEqual([
      ["Martin Dufek", "Created"],
      [expect.any(String), "Created"],
      ["Jan Svoboda", "Created"],
    ]);
    expect(reply.json[0]).toMatchObject({
      category: "M40",
      person: { id: dufek.personId, givenName: "Martin", surname: "Dufek" },
      position: 1,
      splitTimes: [{ distance: 4, time: "2022-09-01T15:10:00.000Z" }],
      startNumber: "0001",
      time: 600000,
      status: "Finished",
      registrationId: dufek.id,
    });
    expect(reply.json[1]).toMatchObject({ person: { id: second.personId }, registrationId: second.id });
    expect(reply.json[2].person).toMatchObject({
      givenName: "Jan",
      surname: "Svoboda",
      birthDate: "2001-10-01T00:00:00Z",
    });
    expect(reply.json[2].registrationId).toBeNull();
    const [account] = await server.db.query(
      `SELECT u.unclaimed FROM person p JOIN user_account u ON u.id = p.account_id WHERE p.id = $1`,
      [reply.json[2].person.id],
    );
    expect(account.unclaimed).toBe(true);
    expect((await storedResults(activityId)).map((r) => [r.position, r.time])).toEqual([
      [1, 600000],
      [2, 660000],
      [3, 720000],
    ]);
  });

  it("answers a repeat of the same upload with all Unchanged, and creates no second Jan Svoboda", async () => {
    const { organizer, activityId, items } = await platformExample();
    expect((await put(activityId, organizer.auth, items)).status).toBe(200);
    const repeat = await put(activityId, organizer.auth, items);
    expect(repeat.json.map((r: any) => r.syncResultType)).toEqual(["Unchanged", "Unchanged", "Unchanged"]);
    expect(await storedResults(activityId)).toHaveLength(3);
  });

  it("updates a corrected result, audits old and new values, and keeps results the upload leaves out", async () => {
    const { organizer, activityId, items } = await platformExample();
    await put(activityId, organizer.auth, items);
    const corrected = [{ ...items[1], time: 659000 }];
    const reply = await put(activityId, organizer.auth, corrected);
    expect(reply.json).toMatchObject([{ syncResultType: "Updated", time: 659000 }]);
    expect(await storedResults(activityId)).toHaveLength(3);
    const [audit] = await server.db.query(
      `SELECT a.action, a.old_values, a.new_values, a.account_id FROM audit_entry a WHERE a.result_id = $1 AND a.action = 'Updated'`,
      [reply.json[0].id],
    );
    expect(audit).toMatchObject({
      old_values: { time: 660000 },
      new_values: { time: 659000 },
      account_id: organizer.accountId,
    });
  });

  it("with prune=true deletes the results the upload leaves out, answering them as Deleted", async () => {
    const { organizer, activityId, items } = await platformExample();
    await put(activityId, organizer.auth, items);
    const reply = await put(activityId, organizer.auth, [items[0], items[2]], "prune=true");
    expect(reply.status).toBe(200);
    expect(reply.json.map((r: any) => r.syncResultType)).toEqual(["Unchanged", "Unchanged", "Deleted"]);
    expect(reply.headers.get("sync-summary")).toBe("Created=0, Updated=0, Unchanged=2, Deleted=1, Skipped=0");
    expect((await storedResults(activityId)).map((r) => r.position)).toEqual([1, 3]);
    const [audit] = await server.db.query(
      `SELECT action, old_values FROM audit_entry WHERE result_id = $1 AND action = 'Deleted'`,
      [reply.json[2].id],
    );
    expect(audit).toMatchObject({ action: "Deleted", old_values: { position: 2, time: 660000 } });
  });

  it("deletes nothing with prune=true in a dry run, and nothing without prune", async () => {
    const { organizer, activityId, items } = await platformExample();
    await put(activityId, organizer.auth, items);
    const dry = await put(activityId, organizer.auth, [items[0]], "prune=true&dryRun=true");
    expect(dry.json.map((r: any) => r.syncResultType)).toEqual(["Unchanged", "Deleted", "Deleted"]);
    expect(await storedResults(activityId)).toHaveLength(3);
    await put(activityId, organizer.auth, [items[0]]);
    expect(await storedResults(activityId)).toHaveLength(3);
  });
});

describe("matching an item to a person", () => {
  it("finds the runner by start number, and refuses a number held by another runner or by no one", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const a = await nativeRegistration(server.db, activityId, {
      startNumber: "0007",
      givenName: "Eva",
      surname: "Malá",
    });
    const b = await nativeRegistration(server.db, activityId, { startNumber: "0008" });
    const ok = await put(activityId, organizer.auth, [{ startNumber: "7", time: 1000 }]);
    expect(ok.json[0]).toMatchObject({ person: { id: a.personId }, registrationId: a.id, startNumber: "7" });
    const wrong = await put(activityId, organizer.auth, [
      { person: { id: b.personId }, startNumber: "0007", time: 2000 },
      { startNumber: "0999", time: 3000 },
      { time: 4000 },
      { startNumber: "0007", person: { givenName: "Jana" } },
    ]);
    expect(wrong.status).toBe(422);
    expect(wrong.json.errors.map((e: any) => [e.index, e.field, e.code])).toEqual([
      [0, "startNumber", "StartNumberTaken"],
      [1, "startNumber", "UnknownRegistration"],
      [2, "person", "UnknownPerson"],
      [3, "person.givenName", "PersonMismatch"],
    ]);
    expect(wrong.json.errors[0].registrationId).toBe(a.id);
  });

  it("refuses a person the organizer does not know, and a second item for the same person", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const other = await scenario(server.db);
    const stranger = await nativeRegistration(server.db, other.activityId);
    const mine = await nativeRegistration(server.db, activityId);
    const reply = await put(activityId, organizer.auth, [
      { person: { id: stranger.personId }, time: 1 },
      { person: { id: mine.personId }, time: 2, position: 1 },
      { person: { id: mine.personId }, time: 3, position: 2 },
    ]);
    expect(reply.json.errors.map((e: any) => [e.index, e.code])).toEqual([
      [0, "UnknownPerson"],
      [2, "DuplicateItem"],
    ]);
    expect(reply.json.errors[1].message).toMatch(/item 1/);
  });
});

describe("result rules", () => {
  it("names every failing row and writes nothing; partial mode writes the valid rows", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const a = await nativeRegistration(server.db, activityId, { startNumber: "1" });
    const b = await nativeRegistration(server.db, activityId, { startNumber: "2" });
    const c = await nativeRegistration(server.db, activityId, { startNumber: "3" });
    const d = await nativeRegistration(server.db, activityId, { startNumber: "4" });
    const items = [
      { startNumber: "1", position: 1, time: 600000 },
      { startNumber: "2", position: 1, time: 610000 },
      { startNumber: "3", status: "DidNotFinish", position: 9 },
      {
        startNumber: "4",
        time: -5,
        category: "x".repeat(33),
        splitTimes: [
          { distance: 5, time: "2022-09-01T15:10:00Z" },
          { distance: 4, time: "2022-09-01T15:20:00Z" },
        ],
      },
    ];
    const rejected = await put(activityId, organizer.auth, items);
    expect(rejected.status).toBe(422);
    expect(rejected.json.errors.map((e: any) => [e.index, e.field, e.code])).toEqual(
      [
        [2, "position", "InvalidValue"],
        [3, "category", "InvalidValue"],
        [3, "time", "InvalidValue"],
        [3, "splitTimes", "InvalidValue"],
        [0, "position", "PositionTaken"],
        [1, "position", "PositionTaken"],
      ].sort((x, y) => (x[0] as number) - (y[0] as number)),
    );
    expect(await storedResults(activityId)).toHaveLength(0);
    const partial = await put(
      activityId,
      organizer.auth,
      [items[0], { ...items[1], position: 2 }, items[2], items[3]],
      "mode=partial",
    );
    expect(partial.json.map((r: any) => r.syncResultType)).toEqual(["Created", "Created", "Skipped", "Skipped"]);
    expect((await storedResults(activityId)).map((r) => r.person_id)).toEqual([a.personId, b.personId]);
    expect([c.id, d.id]).toHaveLength(2);
  });

  it("lets finishers with equal times share a position, and keeps positions for finishers only", async () => {
    const { organizer, activityId } = await scenario(server.db);
    for (const n of ["1", "2", "3"]) await nativeRegistration(server.db, activityId, { startNumber: n });
    const reply = await put(activityId, organizer.auth, [
      { startNumber: "1", position: 1, time: 600000 },
      { startNumber: "2", position: 1, time: 600000 },
      { startNumber: "3", status: "DidNotStart" },
    ]);
    expect(reply.status).toBe(200);
    expect((await storedResults(activityId)).map((r) => [r.position, r.status])).toEqual([
      [1, "Finished"],
      [1, "Finished"],
      [null, "DidNotStart"],
    ]);
  });
});

describe("the CSV upload", () => {
  it("takes times as h:mm:ss or milliseconds and splits as split.<km> columns, and answers the file as stored", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await nativeRegistration(server.db, activityId, { startNumber: "0010" });
    await nativeRegistration(server.db, activityId, { startNumber: "0011" });
    const csv = [
      "result.startNumber;result.position;result.time;split.10;split.5;result.category",
      "0010;1;1:02:03.4;2022-09-01T16:00:00+02:00;2022-09-01T15:30:00+02:00;M40",
      "0011;2;3723500;;;M40",
    ].join("\r\n");
    const reply = await putCsv(activityId, organizer.auth, csv);
    expect(reply.status).toBe(200);
    expect(reply.text.split("\r\n").slice(0, 3)).toEqual([
      "result.startNumber;result.position;result.time;split.10;split.5;result.category",
      "0010;1;3723400;2022-09-01T14:00:00.000Z;2022-09-01T13:30:00.000Z;M40",
      "0011;2;3723500;;;M40",
    ]);
    const bad = await putCsv(activityId, organizer.auth, "result.startNumber,result.time\n0010,10:00\n");
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0]).toMatchObject({ line: 2, field: "result.time", code: "InvalidValue" });
    expect(bad.json.errors[0].message).toMatch(/h:mm:ss/);
  });
});

describe("keys and reach", () => {
  it("lets an associated timing company sync, and answers 404 to an outsider", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await nativeRegistration(server.db, activityId, { startNumber: "5" });
    const timing = await timingCompanyOf(server.db, organizer.organizationId);
    expect((await put(activityId, timing.auth, [{ startNumber: "5", time: 1 }])).status).toBe(200);
    const outsider = await organizationWithMember(server.db);
    expect((await put(activityId, outsider.auth, [{ startNumber: "5", time: 2 }])).status).toBe(404);
  });

  it("replays an Idempotency-Key's answer without applying twice", async () => {
    const { organizer, activityId, items } = await platformExample();
    const first = await put(activityId, organizer.auth, items, "", ".json", { "Idempotency-Key": "results-1" });
    const again = await put(activityId, organizer.auth, items, "", ".json", { "Idempotency-Key": "results-1" });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.text).toBe(first.text);
  });
});

describe("set-based SQL", () => {
  it("costs the same number of statements for 10 and 1,000 new results", async () => {
    const counts: number[] = [];
    for (const n of [10, 1000]) {
      const { organizer, activityId } = await scenario(server.db);
      const items = Array.from({ length: n }, (_, i) => ({
        person: { givenName: "Běžec", surname: `R${n}x${i}`, sex: "Male", birthDate: "1990-01-01" },
        position: i + 1,
        time: 600000 + i,
      }));
      const { count } = await countStatements(server.db, async () => {
        expect((await put(activityId, organizer.auth, items)).status).toBe(200);
      });
      counts.push(count);
    }
    expect(counts[1]).toBe(counts[0]);
  });
});

describe("the workbook upload", () => {
  it("reads a finish time typed as a time cell (h:mm:ss) the way the sheet shows it", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await nativeRegistration(server.db, activityId, { startNumber: "21" });
    const time = new Date(Date.UTC(1899, 11, 30, 1, 2, 3, 400));
    const workbook = await workbookOf(
      [
        ["result.startNumber", "result.position", "result.time"],
        ["21", 1, time],
      ],
      "h:mm:ss.0",
    );
    const reply = await call(resultsUrl(activityId, ".xlsx"), {
      method: "PUT",
      headers: { Authorization: organizer.auth, "Content-Type": XLSX_MEDIA_TYPE },
      body: workbook,
    });
    expect(reply.status).toBe(200);
    expect((await storedResults(activityId)).map((r) => r.time)).toEqual([3723400]);
  });
});

describe("prune in a table", () => {
  it("marks every row's result, the deleted ones Deleted, when a CSV upload with prune=true deletes some", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await nativeRegistration(server.db, activityId, { startNumber: "1" });
    await nativeRegistration(server.db, activityId, { startNumber: "2" });
    const csv = "result.startNumber,result.position,result.time\n1,1,600000\n2,2,660000\n";
    expect((await putCsv(activityId, organizer.auth, csv)).status).toBe(200);
    const plain = await putCsv(activityId, organizer.auth, csv);
    expect(plain.text.split("\n")[0]).toBe("result.startNumber,result.position,result.time");
    const pruned = await putCsv(
      activityId,
      organizer.auth,
      "result.startNumber,result.position,result.time\n1,1,600000\n",
      "prune=true",
    );
    expect(pruned.text.trimEnd().split("\n")).toEqual([
      "result.startNumber,result.position,result.time,sync.resultType",
      "1,1,600000,Unchanged",
      "2,2,660000,Deleted",
    ]);
  });
});
