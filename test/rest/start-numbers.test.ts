// Start numbers compared as a runner sees them (issue 11): 10, 010 and 0010 are one number, in one
// batch, across batches and in the database itself; a spreadsheet's 10 for a stored 0010 changes nothing.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNumberKey } from "../../src/services/start-number";
import { nativeRegistration, scenario } from "../support/fixtures";
import { getRegistrations, graphql, putCsv, putJson } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const runner = (n: number) => ({ givenName: "Běžec", surname: `Číslo${n}`, sex: "Male", birthDate: "1980-01-01" });

describe("start numbers equal up to leading zeros", () => {
  it("refuses every look-alike of a taken 10: zeros, invisible characters, other scripts' digits, letters", async () => {
    const { organizer, activityId } = await scenario(server.db);
    expect(
      (
        await putJson(server.url, activityId, organizer.auth, [
          { externalId: "first", startNumber: "10", person: runner(0) },
        ])
      ).status,
    ).toBe(200);
    const lookalikes = ["010", "00010", "0010\u200B", "00\u206010", "００１０", "٠٠١٠", "O010", "10\u00A0", " 0010 "];
    const refusals = [];
    for (const [i, number] of lookalikes.entries()) {
      const reply = await putJson(server.url, activityId, organizer.auth, [
        { externalId: `x${i}`, startNumber: number, person: runner(i + 1) },
      ]);
      expect(reply.status, JSON.stringify(number)).toBe(422);
      refusals.push(reply.json.errors[0].code);
    }
    expect(refusals).toEqual([
      "StartNumberTaken",
      "StartNumberTaken",
      "StartNumberTaken",
      "StartNumberTaken",
      "StartNumberTaken",
      "StartNumberTaken",
      "InvalidValue",
      "StartNumberTaken",
      "StartNumberTaken",
    ]);
    const stored = (await getRegistrations(server.url, activityId, organizer.auth)).json;
    expect(stored.map((r: any) => r.startNumber)).toEqual(["10"]);
  });

  it("fails both rows of one batch that want 10 and 0010, naming the other row's line in CSV", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const json = await putJson(server.url, activityId, organizer.auth, [
      { externalId: "a", startNumber: "10", person: runner(1) },
      { externalId: "b", startNumber: "0010", person: runner(2) },
    ]);
    expect(json.status).toBe(422);
    expect(json.json.errors.map((e: any) => [e.index, e.code, e.message])).toEqual([
      [0, "StartNumberTaken", "Start number 10 is held by item 1 as 0010"],
      [1, "StartNumberTaken", "Start number 0010 is held by item 0 as 10"],
    ]);
    const csv = await putCsv(
      server.url,
      activityId,
      organizer.auth,
      [
        "registration.externalId,registration.startNumber,person.givenName,person.surname,person.sex,person.birthDate",
        "a,10,Běžec,Jedna,Male,1980-01-01",
        "b,0010,Běžec,Dva,Male,1980-01-01",
      ].join("\n"),
    );
    expect(csv.status).toBe(422);
    expect(csv.json.errors.map((e: any) => [e.line, e.field, e.message])).toEqual([
      [2, "registration.startNumber", "Start number 10 is held by line 3 as 0010"],
      [3, "registration.startNumber", "Start number 0010 is held by line 2 as 10"],
    ]);
  });

  it("answers Unchanged to 10 for a stored 0010 and keeps the stored spelling", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reg = await nativeRegistration(server.db, activityId, { startNumber: "0010" });
    const reply = await putCsv(
      server.url,
      activityId,
      organizer.auth,
      `registration.id,registration.startNumber\n${reg.id},10\n`,
    );
    expect(reply.status).toBe(200);
    expect(reply.headers.get("sync-summary")).toBe("Created=0, Updated=0, Unchanged=1, Skipped=0");
    expect(reply.text).toBe(`registration.id,registration.startNumber\n${reg.id},0010\n`);
    const [audit] = await server.db.query(`SELECT count(*)::int AS n FROM audit_entry WHERE registration_id = $1`, [
      reg.id,
    ]);
    expect(audit.n).toBe(0);
  });

  it("compares letters without case, and lets two registrations exchange 0010 and 11", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const a = await nativeRegistration(server.db, activityId, { startNumber: "0010" });
    const b = await nativeRegistration(server.db, activityId, { startNumber: "11" });
    await nativeRegistration(server.db, activityId, { startNumber: "A12" });
    const swap = await putJson(server.url, activityId, organizer.auth, [
      { id: a.id, startNumber: "11" },
      { id: b.id, startNumber: "10" },
    ]);
    expect(swap.status).toBe(200);
    expect(swap.json.map((r: any) => [r.startNumber, r.syncResultType])).toEqual([
      ["11", "Updated"],
      ["10", "Updated"],
    ]);
    const clash = await putJson(server.url, activityId, organizer.auth, [{ id: a.id, startNumber: "a12" }]);
    expect(clash.status).toBe(422);
    expect(clash.json.errors[0].message).toMatch(/^Start number a12 is held by registration T\w+ as A12$/);
  });

  it("finds 0010 when a GraphQL search asks for 10", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reg = await nativeRegistration(server.db, activityId, { startNumber: "0010" });
    await nativeRegistration(server.db, activityId, { startNumber: "100" });
    const reply = await graphql(
      server.url,
      organizer.auth,
      `
        query ($id: ID!) {
          registrations(activityId: $id, search: "１０") {
            nodes {
              id
              startNumber
            }
          }
        }
      `,
      { id: activityId },
    );
    expect(reply.json.data.registrations.nodes).toEqual([{ id: reg.id, startNumber: "0010" }]);
  });

  it("is enforced by the database too: a second writer cannot slip 010 in beside 10", async () => {
    const { activityId } = await scenario(server.db);
    await nativeRegistration(server.db, activityId, { startNumber: "10" });
    await expect(nativeRegistration(server.db, activityId, { startNumber: "010" })).rejects.toMatchObject({
      code: "23P01",
    });
    // A cancelled registration holds no number.
    await nativeRegistration(server.db, activityId, { startNumber: "0010", state: "Cancelled" });
  });

  it("computes the same key in the database as in the service, for any text", async () => {
    const samples = fc.sample(
      fc.string({ unit: fc.constantFrom(..."0123456789aAzZčČŘřßÿŸİıΣσ-_ ."), minLength: 1, maxLength: 8 }),
      300,
    );
    const [{ keys }] = await server.db.query(
      `SELECT array_agg(start_number_key(s) ORDER BY i) AS keys FROM unnest($1::text[]) WITH ORDINALITY AS v(s, i)`,
      [samples],
    );
    expect(keys).toEqual(samples.map(startNumberKey));
  });
});

describe("ids a spreadsheet turned into numbers", () => {
  it("says so, rather than that the registration does not exist", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reply = await putCsv(
      server.url,
      activityId,
      organizer.auth,
      `registration.id,registration.startNumber,person.id\n6.30312345678901E+023,1,"6,303E+030"\n`,
    );
    expect(reply.status).toBe(422);
    expect(reply.json.errors.map((e: any) => [e.field, e.code, e.message])).toEqual([
      [
        "registration.id",
        "InvalidValue",
        "id 6.30312345678901E+023 is a number a spreadsheet made of an id; ids are text: open the file with that column as Text, or use registrations.xlsx",
      ],
      [
        "person.id",
        "InvalidValue",
        expect.stringMatching(/^person\.id 6,303E\+030 is a number a spreadsheet made of an id/),
      ],
    ]);
  });
});

describe("person fields on every row", () => {
  it("fails an impossible birth date on a claimed person's row too, rather than ignoring it", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reg = await nativeRegistration(server.db, activityId, { startNumber: "1" });
    const reply = await putCsv(
      server.url,
      activityId,
      organizer.auth,
      `registration.id,person.birthDate\n${reg.id},1990-02-31\n`,
    );
    expect(reply.status).toBe(422);
    expect(reply.json.errors[0]).toMatchObject({ line: 2, field: "person.birthDate", code: "InvalidValue" });
  });
});
