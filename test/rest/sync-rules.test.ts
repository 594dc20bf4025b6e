// SPEC §4, rule by rule, through the REST JSON endpoint (the CSV and GraphQL adapters share the service):
// updating registrations by id and inserting external ones. Start numbers, modes and the audit trail are in
// sync-rules-batches.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activityOf, nativeRegistration, scenario } from "../support/fixtures";
import { call, putJson, registrationsUrl } from "../support/http";
import { newRunner, storedReads } from "../support/sync-rules";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const { stored, auditOf } = storedReads(() => server);

describe("updating registrations by id", () => {
  it("sets the start number and answers the full registration with Updated", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reg = await nativeRegistration(server.db, activityId);
    const reply = await putJson(server.url, activityId, organizer.auth, [{ id: reg.id, startNumber: "0042" }]);
    expect(reply.status).toBe(200);
    expect(reply.json).toHaveLength(1);
    expect(reply.json[0]).toMatchObject({
      id: reg.id,
      code: reg.code,
      startNumber: "0042",
      syncResultType: "Updated",
      person: { id: reg.personId },
    });
    expect((await stored(activityId, organizer.auth))[0].startNumber).toBe("0042");
  });

  it("leaves the start number untouched when the item has none, and clears it with empty or null", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const a = await nativeRegistration(server.db, activityId, { startNumber: "7" });
    const b = await nativeRegistration(server.db, activityId, { startNumber: "8" });
    const c = await nativeRegistration(server.db, activityId, { startNumber: "9" });
    const reply = await putJson(server.url, activityId, organizer.auth, [
      { id: a.id },
      { id: b.id, startNumber: "" },
      { id: c.id, startNumber: null },
    ]);
    expect(reply.json.map((r: any) => [r.startNumber, r.syncResultType])).toEqual([
      ["7", "Unchanged"],
      [null, "Updated"],
      [null, "Updated"],
    ]);
  });

  it("keeps a number's leading zeros, but 0001 is the number 1 that another registration holds", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const a = await nativeRegistration(server.db, activityId, { startNumber: "1" });
    const b = await nativeRegistration(server.db, activityId);
    const taken = await putJson(server.url, activityId, organizer.auth, [{ id: b.id, startNumber: "0001" }]);
    expect(taken.status).toBe(422);
    expect(taken.json.errors[0]).toMatchObject({ code: "StartNumberTaken", registrationId: a.id });
    const reply = await putJson(server.url, activityId, organizer.auth, [{ id: b.id, startNumber: "0002" }]);
    expect(reply.status).toBe(200);
    const byId = new Map((await stored(activityId, organizer.auth)).map((r) => [r.id, r.startNumber]));
    expect([byId.get(a.id), byId.get(b.id)]).toEqual(["1", "0002"]);
  });

  it("ignores state when updating an existing registration", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reg = await nativeRegistration(server.db, activityId, { state: "New" });
    const reply = await putJson(server.url, activityId, organizer.auth, [
      { id: reg.id, state: "Cancelled", startNumber: "5" },
    ]);
    expect(reply.json[0]).toMatchObject({ state: "New", startNumber: "5", syncResultType: "Updated" });
    expect((await stored(activityId, organizer.auth))[0].state).toBe("New");
  });

  it("answers Unchanged when the item equals what is stored, and writes no audit entry", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reg = await nativeRegistration(server.db, activityId, { startNumber: "12" });
    const reply = await putJson(server.url, activityId, organizer.auth, [
      { id: reg.id, startNumber: "12", person: { id: reg.personId } },
    ]);
    expect(reply.json[0].syncResultType).toBe("Unchanged");
    expect(await auditOf(reg.id)).toHaveLength(0);
  });

  it("fails a row whose person.id differs from the registration's person", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reg = await nativeRegistration(server.db, activityId);
    const other = await nativeRegistration(server.db, activityId);
    const reply = await putJson(server.url, activityId, organizer.auth, [
      { id: reg.id, startNumber: "3", person: { id: other.personId } },
    ]);
    expect(reply.status).toBe(422);
    expect(reply.json.errors).toEqual([
      expect.objectContaining({ index: 0, field: "person.id", code: "PersonMismatch" }),
    ]);
    expect((await stored(activityId, organizer.auth)).every((r) => r.startNumber === null)).toBe(true);
  });

  it("fails a row whose id is a registration of another activity", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const otherActivity = await activityOf(server.db, organizer.organizationId);
    const foreign = await nativeRegistration(server.db, otherActivity);
    const reply = await putJson(server.url, activityId, organizer.auth, [{ id: foreign.id, startNumber: "1" }]);
    expect(reply.status).toBe(422);
    expect(reply.json.errors[0]).toMatchObject({ index: 0, field: "id", code: "UnknownRegistration" });
    expect((await stored(otherActivity, organizer.auth))[0].startNumber).toBeNull();
  });

  it("does not let person fields change a person who owns their account", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reg = await nativeRegistration(server.db, activityId, { givenName: "Marie", surname: "Vlastní" });
    const reply = await putJson(server.url, activityId, organizer.auth, [
      { id: reg.id, person: { id: reg.personId, givenName: "Jiné", surname: "Jméno" } },
    ]);
    expect(reply.json[0]).toMatchObject({
      syncResultType: "Unchanged",
      person: { givenName: "Marie", surname: "Vlastní" },
    });
  });

  it("updates person fields of an imported person whose account nobody has claimed", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const created = await putJson(server.url, activityId, organizer.auth, [
      { externalId: "A-1", person: newRunner({ givenName: "Anna" }) },
    ]);
    const id = created.json[0].id;
    const reply = await putJson(server.url, activityId, organizer.auth, [
      { id, person: { givenName: "Hana", middleName: "Marie", country: "sk" } },
    ]);
    expect(reply.json[0]).toMatchObject({
      syncResultType: "Updated",
      person: { givenName: "Hana", middleName: "Marie", country: "SK", name: `Hana ${created.json[0].person.surname}` },
    });
  });
});

describe("inserting external registrations", () => {
  it("creates the registration with an unclaimed account whose login is 32 random characters at the account domain", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reply = await putJson(server.url, activityId, organizer.auth, [
      { startNumber: "100", person: newRunner({ givenName: "Čeněk", sex: "Male" }) },
    ]);
    expect(reply.status).toBe(200);
    const result = reply.json[0];
    expect(result).toMatchObject({
      syncResultType: "Created",
      state: "Confirmed",
      startNumber: "100",
      amount: { value: 0, currency: "CZK" },
      person: { givenName: "Čeněk", sex: "Male", birthDate: "1994-05-06T00:00:00Z" },
    });
    expect(result.id).toMatch(/^[0-9a-f]{24}$/);
    expect(result.code).toMatch(/^[A-Z]{3}[0-9]{3}$/);
    const [account] = await server.db.query(
      `SELECT u.login, u.unclaimed, r.source FROM registration r JOIN person p ON p.id = r.person_id JOIN user_account u ON u.id = p.account_id WHERE r.id = $1`,
      [result.id],
    );
    expect(account.login).toMatch(/^[a-z0-9]{32}@actigo\.app$/);
    expect(account.unclaimed).toBe(true);
    expect(account.source).toBe("External");
  });

  it("uses the configured account domain for generated logins", async () => {
    const other = await startServer({ ACCOUNT_DOMAIN: "zavody.example.cz" });
    try {
      const { organizer, activityId } = await scenario(other.db);
      const reply = await putJson(other.url, activityId, organizer.auth, [{ person: newRunner() }]);
      const [{ login }] = await other.db.query(
        `SELECT u.login FROM registration r JOIN person p ON p.id = r.person_id JOIN user_account u ON u.id = p.account_id WHERE r.id = $1`,
        [reply.json[0].id],
      );
      expect(login).toMatch(/^[a-z0-9]{32}@zavody\.example\.cz$/);
    } finally {
      await other.close();
    }
  }, 120_000);

  it("sets any supported state on insert and rejects an unknown one", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const ok = await putJson(server.url, activityId, organizer.auth, [
      { state: "New", person: newRunner() },
      { state: "Cancelled", person: newRunner() },
    ]);
    expect(ok.json.map((r: any) => r.state)).toEqual(["New", "Cancelled"]);
    const bad = await putJson(server.url, activityId, organizer.auth, [{ state: "Paid", person: newRunner() }]);
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0]).toMatchObject({ index: 0, field: "state", code: "InvalidValue" });
  });

  it("needs givenName, surname, sex and birthDate for a new person, naming each missing field", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reply = await putJson(server.url, activityId, organizer.auth, [{ person: { givenName: "Jan" } }]);
    expect(reply.status).toBe(422);
    expect(reply.json.errors.map((e: any) => [e.field, e.code])).toEqual([
      ["person.surname", "MissingField"],
      ["person.sex", "MissingField"],
      ["person.birthDate", "MissingField"],
    ]);
    expect(await stored(activityId, organizer.auth)).toEqual([]);
  });

  it("rejects impossible person values: a 31st of February, an unknown sex, a three-letter country", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reply = await putJson(server.url, activityId, organizer.auth, [
      { person: newRunner({ birthDate: "1990-02-31", sex: "M", country: "CZE" }) },
    ]);
    expect(reply.json.errors.map((e: any) => e.field).sort()).toEqual([
      "person.birthDate",
      "person.country",
      "person.sex",
    ]);
  });

  it("attaches a person already registered with this organizer by person.id", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const earlier = await nativeRegistration(server.db, await activityOf(server.db, organizer.organizationId));
    const reply = await putJson(server.url, activityId, organizer.auth, [
      { startNumber: "5", person: { id: earlier.personId } },
    ]);
    expect(reply.status).toBe(200);
    expect(reply.json[0]).toMatchObject({ syncResultType: "Created", person: { id: earlier.personId } });
  });

  it("refuses to attach a person known only to another organizer, as if unknown", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const stranger = await scenario(server.db);
    const theirs = await nativeRegistration(server.db, stranger.activityId);
    const reply = await putJson(server.url, activityId, organizer.auth, [{ person: { id: theirs.personId } }]);
    expect(reply.status).toBe(422);
    expect(reply.json.errors[0]).toMatchObject({ field: "person.id", code: "UnknownPerson" });
    expect(JSON.stringify(reply.json)).not.toContain(theirs.code);
  });

  it("treats a known externalId as an update, so re-importing a file creates no duplicates", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const file = [
      { externalId: "EXT-1", startNumber: "1", person: newRunner() },
      { externalId: "EXT-2", startNumber: "2", person: newRunner() },
    ];
    const first = await putJson(server.url, activityId, organizer.auth, file);
    expect(first.json.map((r: any) => r.syncResultType)).toEqual(["Created", "Created"]);
    const again = await putJson(server.url, activityId, organizer.auth, file);
    expect(again.json.map((r: any) => r.syncResultType)).toEqual(["Unchanged", "Unchanged"]);
    expect(again.json.map((r: any) => r.id)).toEqual(first.json.map((r: any) => r.id));
    const changed = await putJson(server.url, activityId, organizer.auth, [{ ...file[0], startNumber: "11" }]);
    expect(changed.json[0]).toMatchObject({ id: first.json[0].id, startNumber: "11", syncResultType: "Updated" });
    expect(await stored(activityId, organizer.auth)).toHaveLength(2);
  });

  it("fails two inserts with the same externalId in one batch", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reply = await putJson(server.url, activityId, organizer.auth, [
      { externalId: "X", person: newRunner() },
      { externalId: "X", person: newRunner() },
    ]);
    expect(reply.status).toBe(422);
    expect(reply.json.errors[0]).toMatchObject({ index: 1, field: "externalId", code: "DuplicateItem" });
  });

  it("refuses an externalId sent as a JSON number, which loses digits beyond 2^53, and stores nothing", async () => {
    const { organizer, activityId } = await scenario(server.db);
    // Raw text: as JavaScript numbers, both ids would already be the same 90071992547409940.
    const put = (body: string) =>
      call(registrationsUrl(server.url, activityId, "json"), {
        method: "PUT",
        headers: { Authorization: organizer.auth, "Content-Type": "application/json" },
        body,
      });
    const runner = JSON.stringify({ person: newRunner() });
    for (const id of ["90071992547409931", "90071992547409932"]) {
      const reply = await put(`[${runner.replace("{", `{"externalId":${id},`)}]`);
      expect(reply.status, reply.text).toBe(422);
      expect(reply.json.errors).toEqual([
        expect.objectContaining({
          index: 0,
          field: "externalId",
          code: "InvalidValue",
          message: expect.stringMatching(/must be a string.*in quotes/),
        }),
      ]);
      // The rounded number is not what the client sent: it is never shown back as theirs.
      expect(reply.text).not.toContain("90071992547409940");
    }
    const small = await put(`[${runner.replace("{", `{"externalId":1042,`)}]`);
    expect(small.json.errors[0].message).toBe('externalId must be a string; send "1042" in quotes');
    expect(await stored(activityId, organizer.auth)).toEqual([]);
    // In quotes, the two ids are two runners.
    for (const id of ["90071992547409931", "90071992547409932"]) {
      expect((await put(`[${runner.replace("{", `{"externalId":"${id}",`)}]`)).json[0].syncResultType).toBe("Created");
    }
    expect((await stored(activityId, organizer.auth)).map((r) => r.externalId).sort()).toEqual([
      "90071992547409931",
      "90071992547409932",
    ]);
  });

  it("still inserts a person who looks like one already registered, but says so", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const earlier = await nativeRegistration(server.db, activityId, {
      givenName: "Bohumil",
      surname: "Hrabal",
      birthDate: "1960-03-28",
    });
    const reply = await putJson(server.url, activityId, organizer.auth, [
      { person: { givenName: "bohumil", surname: "HRABAL", sex: "Male", birthDate: "1960-03-28" } },
    ]);
    expect(reply.status).toBe(200);
    expect(reply.json[0].syncResultType).toBe("Created");
    expect(reply.json[0].warnings).toEqual([
      expect.objectContaining({ code: "PossibleDuplicatePerson", personIds: [earlier.personId] }),
    ]);
  });

  it("names every look-alike once, however many registrations they have, and warns only the items that look alike", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const looks = { givenName: "Věra", surname: "Čáslavská", birthDate: "1942-05-03" };
    const first = await nativeRegistration(server.db, activityId, looks);
    await nativeRegistration(server.db, activityId, { personId: first.personId });
    const second = await nativeRegistration(server.db, activityId, looks);
    const item = { person: { givenName: "VĚRA", surname: "čáslavská", sex: "Female", birthDate: "1942-05-03" } };
    const reply = await putJson(server.url, activityId, organizer.auth, [item, { person: newRunner() }, item]);
    expect(reply.status).toBe(200);
    const both = [first.personId, second.personId].sort();
    expect(reply.json.map((r: any) => r.warnings?.map((w: any) => [...w.personIds].sort()))).toEqual([
      [both],
      undefined,
      [both],
    ]);
  });
});
