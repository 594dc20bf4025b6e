// Reading results over REST (issue 14): the keyed download as JSON, CSV and a workbook, with its filters and the
// registrations' reach; and the public list, which needs no key and shows nothing private.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XLSX_MEDIA_TYPE } from "../../src/rest/xlsx-codec";
import { organizationWithMember, scenario, timingCompanyOf } from "../support/fixtures";
import { call, type Reply } from "../support/http";
import { insertResult, smallRace } from "../support/results";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

const resultsUrl = (activityId: string, format: string, query = "") =>
  `${server.url}/api/events/activities/${activityId}/results.${format}${query ? `?${query}` : ""}`;
const download = (activityId: string, auth: string | null, format = "json", query = ""): Promise<Reply> =>
  call(resultsUrl(activityId, format, query), { headers: auth ? { Authorization: auth } : {} });
const surnames = (reply: Reply) => (reply.json as { person: { surname: string } }[]).map((r) => r.person.surname);

describe("GET …/results.json with a key", () => {
  it("lists the activity's results in result order, each in the platform's shape with the full person", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const race = await smallRace(server.db, activityId);
    const reply = await download(activityId, organizer.auth);
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toBe("application/json; charset=utf-8");
    // Finishers by position, then the others by status: DidNotFinish, DidNotStart, Disqualified.
    expect(surnames(reply)).toEqual(["Dufek", "Soukromá", "Novák", "Svoboda", "Dvořák", "Beneš", "Malá"]);
    const [first] = reply.json;
    expect(Object.keys(first)).toEqual([
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
    ]);
    expect(first).toMatchObject({
      id: race.dufek.id,
      category: "M40",
      position: 1,
      positionByCategory: 1,
      positionBySex: 1,
      splitTimes: [{ distance: 4, time: "2022-09-01T15:10:00.000Z" }],
      startNumber: "0001",
      time: 600000,
      status: "Finished",
      registrationId: race.dufek.registrationId,
    });
    expect(first.person).toEqual({
      id: race.dufek.personId,
      isProfilePublic: true,
      givenName: "Martin",
      surname: "Dufek",
      sex: "Male",
      birthDate: "1975-11-27T00:00:00Z",
      language: "cs",
      country: "CZ",
      name: "Martin Dufek",
      ref: race.dufek.personId,
    });
    expect(first.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const dnf = reply.json[4];
    expect(dnf).toMatchObject({ status: "DidNotFinish", position: null, time: null, splitTimes: [] });
  });

  it("filters by category, by statuses (comma-separated or repeated) and by modifiedSince", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await smallRace(server.db, activityId);
    await insertResult(server.db, activityId, {
      givenName: "Stará",
      surname: "Změna",
      category: "M40",
      status: "DidNotStart",
      modifiedAt: "2020-01-01T00:00:00Z",
    });
    const get = (query: string) => download(activityId, organizer.auth, "json", query);
    expect(surnames(await get("category=M40"))).toEqual(["Dufek", "Dvořák", "Změna"]);
    expect(surnames(await get("status=DidNotStart,Disqualified"))).toEqual(["Beneš", "Změna", "Malá"]);
    expect(surnames(await get("status=DidNotStart&status=Disqualified"))).toEqual(["Beneš", "Změna", "Malá"]);
    expect(surnames(await get("category=M40&status=DidNotStart"))).toEqual(["Změna"]);
    expect(surnames(await get("modifiedSince=2021-01-01&status=DidNotStart"))).toEqual(["Beneš"]);
    expect(surnames(await get("category=W99"))).toEqual([]);
  });

  it("refuses a wrong filter with a 400 problem naming it", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const cases: [string, RegExp][] = [
      ["status=Finished,Lost", /status must be among Finished, DidNotFinish, DidNotStart, Disqualified; got Lost/],
      ["modifiedSince=yesterday", /modifiedSince must be a date-time/],
      ["category=M40&category=M30", /category must be given once/],
      ["category=", /category must be 1 to 32 characters/],
    ];
    for (const [query, detail] of cases) {
      const reply = await download(activityId, organizer.auth, "json", query);
      expect(reply.status, query).toBe(400);
      expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(reply.json.detail, query).toMatch(detail);
    }
    const workbook = await download(activityId, organizer.auth, "xlsx", "dialect=excel");
    expect(workbook.status).toBe(400);
    expect(workbook.json.detail).toBe("dialect is for results.csv; a workbook has none");
  });

  it("answers 404 to another organizer's key and to an unknown activity, 401 without a key; an associated timing company's key reads", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await smallRace(server.db, activityId);
    const stranger = await organizationWithMember(server.db);
    const timing = await timingCompanyOf(server.db, organizer.organizationId);
    for (const format of ["json", "csv", "xlsx"]) {
      const refused = await download(activityId, stranger.auth, format);
      expect(refused.status, format).toBe(404);
      expect(refused.json.type).toBe("/problems/not-found");
      expect(refused.text).not.toContain("Dufek");
      expect((await download("000000000000000000000000", organizer.auth, format)).status).toBe(404);
      const anonymous = await download(activityId, null, format);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get("www-authenticate")).toMatch(/^Basic/);
    }
    const timed = await download(activityId, timing.auth);
    expect(timed.status).toBe(200);
    expect(surnames(timed)).toHaveLength(7);
    // A format it does not know is not a route either.
    expect((await download(activityId, organizer.auth, "xml")).status).toBe(404);
  });
});

describe("GET …/results.csv and .xlsx with a key", () => {
  it("writes one row per result: the result's columns, the person's, then one split column per distance", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const race = await smallRace(server.db, activityId);
    const reply = await download(activityId, organizer.auth, "csv");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = reply.text.trimEnd().split("\n");
    expect(lines[0]).toBe(
      "result.id,result.status,result.category,result.position,result.positionByCategory,result.positionBySex," +
        "result.time,result.clockTime,result.startNumber,person.id,person.givenName,person.middleName,person.surname," +
        "person.sex,person.birthDate,person.country,split.4,split.7.5",
    );
    expect(lines).toHaveLength(8);
    expect(lines[1]).toBe(
      `${race.dufek.id},Finished,M40,1,1,1,600000,0:10:00,0001,${race.dufek.personId},Martin,,Dufek,Male,1975-11-27,CZ,2022-09-01T15:10:00.000Z,`,
    );
    expect(lines[2]).toContain(",0:10:30.5,7,");
    expect(lines[2]).toMatch(/,2022-09-01T15:11:00\.000Z,2022-09-01T15:16:00\.000Z$/);
    expect(lines[4]).toContain(",3723400,1:02:03.4,3,");
    expect(lines[5]).toBe(
      `${race.dnf.id},DidNotFinish,M40,,,,,,5,${race.dnf.personId},Karel,,Dvořák,Male,1980-05-06,CZ,,`,
    );

    const excel = await download(activityId, organizer.auth, "csv", "dialect=excel&category=Z30");
    expect(excel.text.startsWith("\uFEFFresult.id;result.status;")).toBe(true);
    expect(excel.text.split("\r\n").filter(Boolean)).toHaveLength(3);
  });

  it("sends the same table as a workbook", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await smallRace(server.db, activityId);
    const response = await fetch(resultsUrl(activityId, "xlsx"), { headers: { Authorization: organizer.auth } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(XLSX_MEDIA_TYPE);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 2).toString()).toBe("PK");
  });
});

describe("GET …/publicresults.json", () => {
  it("lists the results for anyone, with clock times and gaps, and of private profiles only name, number, category and time", async () => {
    const { activityId } = await scenario(server.db);
    const race = await smallRace(server.db, activityId);
    const reply = await call(`${server.url}/api/events/activities/${activityId}/publicresults.json`);
    expect(reply.status).toBe(200);
    expect(reply.json.activityId).toBe(activityId);
    const entries = reply.json.entries;
    expect(entries.map((e: { name: string }) => e.name)).toEqual([
      "Martin Dufek",
      "Jana Soukromá",
      "Petr Novák",
      "Jan Svoboda",
      "Karel Dvořák",
      "Adam Beneš",
      "Eva Malá",
    ]);
    expect(entries[0]).toEqual({
      id: expect.stringMatching(/^[\w-]{22}$/),
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
    });
    expect(entries[1]).toEqual({
      id: expect.stringMatching(/^[\w-]{22}$/),
      status: "Finished",
      position: 2,
      positionByCategory: 1,
      positionBySex: 1,
      category: "Z30",
      startNumber: "7",
      name: "Jana Soukromá",
      time: 630500,
      clockTime: "0:10:30.5",
      gap: 30500,
    });
    expect(entries[4]).toMatchObject({ status: "DidNotFinish", time: null, clockTime: null, gap: null });
    // No person or result id anywhere; no birth date, login, split or private profile's data beside the entry ids.
    for (const secret of [race.dufek.personId, race.dufek.id, race.soukroma.personId])
      expect(reply.text).not.toContain(secret);
    const text = JSON.stringify(entries.map(({ id: _id, ...entry }: { id: string }) => entry));
    for (const secret of ["1975-11-27", "1991", '"SK"', "@example.test", "15:10", "birth", "person"])
      expect(text, secret).not.toContain(secret);
  });

  it("answers 404 for an unknown activity, without looking at a key", async () => {
    const reply = await call(`${server.url}/api/events/activities/000000000000000000000000/publicresults.json`, {
      headers: { Authorization: "Basic bm9ib2R5Om5vdGhpbmc=" },
    });
    expect(reply.status).toBe(404);
    expect(reply.json.type).toBe("/problems/not-found");
  });
});
