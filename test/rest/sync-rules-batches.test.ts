// SPEC §4, rule by rule, through the REST JSON endpoint: start numbers, modes (partial, dry run), the audit trail
// and a round trip. Updating and inserting registrations are in sync-rules.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activityOf, nativeRegistration, scenario, timingCompanyOf } from "../support/fixtures";
import { putJson } from "../support/http";
import { newRunner, storedReads } from "../support/sync-rules";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const { stored, auditOf } = storedReads(() => server);

describe("start numbers", () => {
  it("rejects a number another registration holds, naming the holder", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const holder = await nativeRegistration(server.db, activityId, { startNumber: "77" });
    const reg = await nativeRegistration(server.db, activityId);
    const reply = await putJson(server.url, activityId, organizer.auth, [{ id: reg.id, startNumber: "77" }]);
    expect(reply.status).toBe(422);
    expect(reply.json.errors[0]).toMatchObject({
      index: 0,
      field: "startNumber",
      code: "StartNumberTaken",
      registrationId: holder.id,
    });
    expect(reply.json.errors[0].message).toContain(holder.code);
  });

  it("lets a cancelled registration's number be given to another", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await nativeRegistration(server.db, activityId, { startNumber: "30", state: "Cancelled" });
    const reg = await nativeRegistration(server.db, activityId);
    const reply = await putJson(server.url, activityId, organizer.auth, [{ id: reg.id, startNumber: "30" }]);
    expect(reply.status).toBe(200);
  });

  it("allows the same number in different activities", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const other = await activityOf(server.db, organizer.organizationId);
    await nativeRegistration(server.db, other, { startNumber: "1" });
    const reg = await nativeRegistration(server.db, activityId);
    expect((await putJson(server.url, activityId, organizer.auth, [{ id: reg.id, startNumber: "1" }])).status).toBe(
      200,
    );
  });

  it("exchanges numbers between registrations in one batch", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const a = await nativeRegistration(server.db, activityId, { startNumber: "1" });
    const b = await nativeRegistration(server.db, activityId, { startNumber: "2" });
    const c = await nativeRegistration(server.db, activityId, { startNumber: "3" });
    const reply = await putJson(server.url, activityId, organizer.auth, [
      { id: a.id, startNumber: "2" },
      { id: b.id, startNumber: "3" },
      { id: c.id, startNumber: "1" },
    ]);
    expect(reply.status).toBe(200);
    const byId = new Map((await stored(activityId, organizer.auth)).map((r) => [r.id, r.startNumber]));
    expect([byId.get(a.id), byId.get(b.id), byId.get(c.id)]).toEqual(["2", "3", "1"]);
  });

  it("rejects two items of one batch wanting the same number", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const a = await nativeRegistration(server.db, activityId);
    const b = await nativeRegistration(server.db, activityId);
    const reply = await putJson(server.url, activityId, organizer.auth, [
      { id: a.id, startNumber: "9" },
      { id: b.id, startNumber: "9" },
    ]);
    expect(reply.status).toBe(422);
    expect(reply.json.errors.map((e: any) => [e.index, e.code])).toEqual([
      [0, "StartNumberTaken"],
      [1, "StartNumberTaken"],
    ]);
  });

  it("writes nothing of a batch when one row clashes", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await nativeRegistration(server.db, activityId, { startNumber: "50" });
    const a = await nativeRegistration(server.db, activityId);
    const b = await nativeRegistration(server.db, activityId);
    const before = await stored(activityId, organizer.auth);
    const reply = await putJson(server.url, activityId, organizer.auth, [
      { id: a.id, startNumber: "51" },
      { id: b.id, startNumber: "50" },
      { externalId: "N1", person: newRunner() },
    ]);
    expect(reply.status).toBe(422);
    expect(reply.json.errors).toHaveLength(1);
    expect(reply.json.detail).toMatch(/nothing was written/);
    expect(await stored(activityId, organizer.auth)).toEqual(before);
    expect(await auditOf(a.id)).toHaveLength(0);
  });
});

describe("modes", () => {
  it("applies the valid rows in partial mode and reports the failed ones as Skipped", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await nativeRegistration(server.db, activityId, { startNumber: "50" });
    const a = await nativeRegistration(server.db, activityId);
    const b = await nativeRegistration(server.db, activityId);
    const reply = await putJson(
      server.url,
      activityId,
      organizer.auth,
      [{ id: a.id, startNumber: "51" }, { id: b.id, startNumber: "50" }, { person: { givenName: "Bez" } }],
      "mode=partial",
    );
    expect(reply.status).toBe(200);
    expect(reply.json.map((r: any) => r.syncResultType)).toEqual(["Updated", "Skipped", "Skipped"]);
    expect(reply.json[1]).toMatchObject({
      id: b.id,
      startNumber: null,
      errors: [expect.objectContaining({ code: "StartNumberTaken" })],
    });
    expect(reply.json[2].errors.map((e: any) => e.field)).toEqual(["person.surname", "person.sex", "person.birthDate"]);
    const byId = new Map((await stored(activityId, organizer.auth)).map((r) => [r.id, r.startNumber]));
    expect([byId.get(a.id), byId.get(b.id)]).toEqual(["51", null]);
  });

  it("in partial mode, fails the other side of an exchange whose partner failed", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const a = await nativeRegistration(server.db, activityId, { startNumber: "1" });
    const b = await nativeRegistration(server.db, activityId, { startNumber: "2" });
    const reply = await putJson(
      server.url,
      activityId,
      organizer.auth,
      [
        { id: a.id, startNumber: "2" },
        { id: b.id, startNumber: "1", person: { id: a.personId } },
      ],
      "mode=partial",
    );
    expect(reply.json.map((r: any) => r.syncResultType)).toEqual(["Skipped", "Skipped"]);
    const byId = new Map((await stored(activityId, organizer.auth)).map((r) => [r.id, r.startNumber]));
    expect([byId.get(a.id), byId.get(b.id)]).toEqual(["1", "2"]);
  });

  it("reports what would happen in a dry run and writes nothing", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const a = await nativeRegistration(server.db, activityId);
    const before = await stored(activityId, organizer.auth);
    const reply = await putJson(
      server.url,
      activityId,
      organizer.auth,
      [{ id: a.id, startNumber: "4" }, { person: newRunner() }],
      "dryRun=true",
    );
    expect(reply.status).toBe(200);
    expect(reply.json.map((r: any) => r.syncResultType)).toEqual(["Updated", "Created"]);
    expect(reply.json[0].startNumber).toBe("4");
    expect(await stored(activityId, organizer.auth)).toEqual(before);
    expect(await auditOf(a.id)).toHaveLength(0);
  });

  it("answers 422 to a dry run whose rows would fail", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reply = await putJson(
      server.url,
      activityId,
      organizer.auth,
      [{ id: "000000000000000000000000" }],
      "dryRun=true",
    );
    expect(reply.status).toBe(422);
  });
});

describe("audit trail", () => {
  it("records who changed what, with old and new values", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const timing = await timingCompanyOf(server.db, organizer.organizationId);
    const reg = await nativeRegistration(server.db, activityId, { startNumber: "1" });
    await putJson(server.url, activityId, timing.auth, [{ id: reg.id, startNumber: "2" }]);
    const created = await putJson(server.url, activityId, timing.auth, [{ startNumber: "3", person: newRunner() }]);
    const [updateEntry] = await auditOf(reg.id);
    const [keyRow] = await server.db.query(`SELECT id FROM access_key WHERE name = $1`, [timing.key.split(":")[0]]);
    expect(updateEntry).toMatchObject({
      action: "Updated",
      old_values: { startNumber: "1" },
      new_values: { startNumber: "2" },
      account_id: timing.accountId,
      access_key_id: keyRow.id,
    });
    const [createEntry] = await auditOf(created.json[0].id);
    expect(createEntry).toMatchObject({
      action: "Created",
      old_values: null,
      new_values: expect.objectContaining({ startNumber: "3", state: "Confirmed" }),
    });
  });
});

describe("round trip", () => {
  it("uploading the JSON download unchanged changes nothing", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await nativeRegistration(server.db, activityId, { startNumber: "1" });
    await nativeRegistration(server.db, activityId, { state: "Cancelled" });
    await putJson(server.url, activityId, organizer.auth, [
      { externalId: "R-1", startNumber: "2", person: newRunner({ middleName: "Marie", nickname: "mája" }) },
    ]);
    const before = await stored(activityId, organizer.auth);
    const reply = await putJson(server.url, activityId, organizer.auth, before);
    expect(reply.status).toBe(200);
    expect(reply.json.map((r: any) => r.syncResultType)).toEqual(["Unchanged", "Unchanged", "Unchanged"]);
    expect(await stored(activityId, organizer.auth)).toEqual(before);
  });
});
