// Bodies the fuzzing suite (test/stress/fuzz.test.ts) found harmful, kept here as quick regression tests.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeRegistration, scenario } from "../support/fixtures";
import { call, getRegistrations, putCsv, registrationsUrl } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const putRawJson = (activityId: string, auth: string, body: string) =>
  call(registrationsUrl(server.url, activityId, "json"), {
    method: "PUT",
    headers: { Authorization: auth, "Content-Type": "application/json" },
    body,
  });

describe("bodies the fuzzer found", () => {
  it("treats CSV columns named like Object's methods as unknown columns, and answers every row", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const csv =
      "registration.externalId,person.givenName,person.surname,person.sex,person.birthDate,constructor,toString,__proto__\nF-1,Jan,Novák,Male,1980-01-01,a,b,c\n";
    const reply = await putCsv(server.url, activityId, organizer.auth, csv);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(csv);
    expect((await getRegistrations(server.url, activityId, organizer.auth, "csv", "columns=constructor")).status).toBe(
      400,
    );
  });

  it("answers a person.id that is an object with 422, not 500", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reply = await putRawJson(
      activityId,
      organizer.auth,
      '[{"person": {"id": {"toString": 1}, "givenName": "Jan", "surname": "Novák", "sex": "Male", "birthDate": "1980-01-01"}}]',
    );
    expect(reply.status).toBe(422);
    expect(reply.json.errors).toEqual([
      { index: 0, field: "person.id", code: "InvalidValue", message: "person.id must be a string" },
    ]);
  });

  it("refuses half a Unicode character (a lone \\ud800 escape) in a text field with 422", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reg = await nativeRegistration(server.db, activityId, { startNumber: "1" });
    const update = await putRawJson(activityId, organizer.auth, `[{"id": "${reg.id}", "startNumber": "7\\ud800"}]`);
    expect(update.status).toBe(422);
    expect(update.json.errors[0]).toMatchObject({ field: "startNumber", code: "InvalidValue" });
    const insert = await putRawJson(
      activityId,
      organizer.auth,
      '[{"person": {"givenName": "\\udc00Jan", "surname": "Novák", "sex": "Male", "birthDate": "1980-01-01"}}]',
    );
    expect(insert.status).toBe(422);
    expect(insert.json.errors[0]).toMatchObject({ field: "person.givenName", code: "InvalidValue" });
    expect(
      (await getRegistrations(server.url, activityId, organizer.auth)).json.map((r: any) => r.startNumber),
    ).toEqual(["1"]);
  });

  it("answers uploads refused at their first lines, one after another, though their rest was never read", async () => {
    // Unread, the rest of each 400 kB upload stalled its connection until the keep-alive timeout reset it, losing the answer.
    const { organizer, activityId } = await scenario(server.db);
    const csv = `registration.id,registration.startNumber\nbroken\n${"a,b\n".repeat(100_000)}`;
    for (let i = 0; i < 4; i++) {
      const started = Date.now();
      const reply = await putCsv(server.url, activityId, organizer.auth, csv);
      expect(reply.status).toBe(400);
      expect(reply.json.detail).toMatch(/^Line 2: /);
      expect(Date.now() - started).toBeLessThan(4_000);
    }
  });
});
