// Bad input gets a clear error and changes nothing (SPEC §5).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeRegistration, scenario, type Scenario } from "../support/fixtures";
import { call, getRegistrations, putCsv, putJson, registrationsUrl } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ BODY_LIMIT_BYTES: "65536" });
});
afterAll(() => server.close());

/** Runs `act` and checks that the activity's registrations are exactly as before. */
async function changesNothing(s: Scenario, act: () => Promise<void>) {
  const before = await getRegistrations(server.url, s.activityId, s.organizer.auth);
  // The activity's audit entries only: other test files write to the same database at the same time.
  const auditsOfActivity = `SELECT count(*)::int AS count FROM audit_entry a JOIN registration r ON r.id = a.registration_id WHERE r.activity_id = $1`;
  const [{ count: audits }] = await server.db.query(auditsOfActivity, [s.activityId]);
  await act();
  expect((await getRegistrations(server.url, s.activityId, s.organizer.auth)).json).toEqual(before.json);
  const [{ count }] = await server.db.query(auditsOfActivity, [s.activityId]);
  expect(count).toBe(audits);
}

async function withRegistration() {
  const s = await scenario(server.db);
  const reg = await nativeRegistration(server.db, s.activityId, { startNumber: "1" });
  return { s, reg };
}

describe("bad input", () => {
  it("answers malformed JSON with 400 and a problem document", async () => {
    const { s } = await withRegistration();
    await changesNothing(s, async () => {
      const reply = await call(registrationsUrl(server.url, s.activityId, "json"), {
        method: "PUT",
        headers: { Authorization: s.organizer.auth, "Content-Type": "application/json" },
        body: '[{"id": "x",',
      });
      expect(reply.status).toBe(400);
      expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(reply.json).toMatchObject({ status: 400, title: "Malformed JSON" });
      expect(reply.json.detail).toMatch(/not valid JSON/);
    });
  });

  it("answers a JSON object where an array belongs with 400", async () => {
    const { s, reg } = await withRegistration();
    await changesNothing(s, async () => {
      const reply = await putJson(server.url, s.activityId, s.organizer.auth, { id: reg.id, startNumber: "2" });
      expect(reply.status).toBe(400);
      expect(reply.json.detail).toMatch(/array/);
    });
  });

  it("answers a wrong media type with 415", async () => {
    const { s, reg } = await withRegistration();
    await changesNothing(s, async () => {
      const json = await call(registrationsUrl(server.url, s.activityId, "json"), {
        method: "PUT",
        headers: { Authorization: s.organizer.auth, "Content-Type": "text/csv" },
        body: `[{"id":"${reg.id}","startNumber":"2"}]`,
      });
      expect(json.status).toBe(415);
      const csv = await call(registrationsUrl(server.url, s.activityId, "csv"), {
        method: "PUT",
        headers: { Authorization: s.organizer.auth, "Content-Type": "application/json" },
        body: `registration.id,registration.startNumber\n${reg.id},2\n`,
      });
      expect(csv.status).toBe(415);
      expect(csv.json.detail).toContain("text/csv");
    });
  });

  it("answers an unknown registration id with 422 naming the item and field", async () => {
    const { s, reg } = await withRegistration();
    await changesNothing(s, async () => {
      const reply = await putJson(server.url, s.activityId, s.organizer.auth, [
        { id: reg.id, startNumber: "5" },
        { id: "0123456789abcdef01234567", startNumber: "6" },
      ]);
      expect(reply.status).toBe(422);
      expect(reply.json.errors).toEqual([
        {
          index: 1,
          field: "id",
          code: "UnknownRegistration",
          message: expect.stringContaining("0123456789abcdef01234567"),
        },
      ]);
    });
  });

  it("answers an insert without required person fields with 422 naming the CSV line and field", async () => {
    const { s } = await withRegistration();
    await changesNothing(s, async () => {
      const csv =
        "registration.startNumber,person.givenName,person.surname,person.sex,person.birthDate\n7,Eliška,Krásná,Female,1999-09-09\n8,Ivan,,Male,1980-01-01\n";
      const reply = await putCsv(server.url, s.activityId, s.organizer.auth, csv);
      expect(reply.status).toBe(422);
      expect(reply.json.errors).toEqual([expect.objectContaining({ line: 3, field: "person.surname" })]);
      expect(reply.json.detail).toBe("1 row failed; nothing was written");
    });
  });

  it("answers an oversized body with 413", async () => {
    const { s, reg } = await withRegistration();
    await changesNothing(s, async () => {
      const items = Array.from({ length: 2000 }, () => ({
        id: reg.id,
        startNumber: "2",
        person: { givenName: "x".repeat(30) },
      }));
      const reply = await putJson(server.url, s.activityId, s.organizer.auth, items);
      expect(reply.status).toBe(413);
      expect(reply.json.title).toBe("Content Too Large");
    });
  });

  it("answers wrong values of a field with 422 rather than storing them", async () => {
    const { s, reg } = await withRegistration();
    await changesNothing(s, async () => {
      const reply = await putJson(server.url, s.activityId, s.organizer.auth, [
        { id: reg.id, startNumber: { n: 1 } },
        { id: 42 },
      ]);
      expect(reply.status).toBe(422);
      expect(reply.json.errors.map((e: any) => [e.index, e.field, e.code])).toEqual([
        [0, "startNumber", "InvalidValue"],
        [1, "id", "InvalidValue"],
      ]);
    });
  });

  it("answers unknown query options with 400", async () => {
    const { s } = await withRegistration();
    expect((await putJson(server.url, s.activityId, s.organizer.auth, [], "mode=some")).status).toBe(400);
    expect((await getRegistrations(server.url, s.activityId, s.organizer.auth, "json", "state=Paid")).status).toBe(400);
  });

  it("answers a modifiedSince that is no ISO date-time with offset, or date, with 400 saying what it got", async () => {
    const { s } = await withRegistration();
    const get = (query: string) => getRegistrations(server.url, s.activityId, s.organizer.auth, "json", query);
    // `new Date("1")` is 2001-01-01: the download silently held everything changed since.
    for (const since of ["1", "2022", "2022-12-06T09:12:03", "2022-02-30", "yesterday"]) {
      const reply = await get(`modifiedSince=${since}`);
      expect(reply.status, since).toBe(400);
      expect(reply.json.detail).toContain(`got "${since}"`);
      expect(reply.json.detail).toContain("2022-12-06T09:12:03.701Z");
    }
    // An unencoded + arrives as a space; the answer says how to send it.
    expect((await get("modifiedSince=2022-12-06T10:12:03+01:00")).json.detail).toMatch(/%2B/);
    expect((await get("modifiedSince=2022-12-06T00:00:00Z&modifiedSince=2023-01-01T00:00:00Z")).status).toBe(400);
    expect((await get("modifiedSince=2022-12-06T10:12:03%2B01:00")).json).toHaveLength(1);
    expect((await get("modifiedSince=2022-12-06")).json).toHaveLength(1);
    expect((await get(`modifiedSince=${new Date(Date.now() + 3_600_000).toISOString()}`)).json).toEqual([]);
  });

  it("never answers with a stack trace or SQL", async () => {
    const { s } = await withRegistration();
    const reply = await putJson(server.url, s.activityId, s.organizer.auth, [
      { startNumber: "x".repeat(10_000), person: { givenName: "'; DROP TABLE person; --" } },
    ]);
    expect(reply.status).toBe(422);
    expect(reply.text).not.toMatch(/at .+\.ts:\d+|SELECT|INSERT|relation/);
  });
});
