// Access keys and reach (SPEC §2, §5): who may read and write which activity's registrations.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeKey } from "../../src/services/access-keys";
import { OPERATOR } from "../../src/services/caller";
import { addMember } from "../../src/services/members";
import {
  activityOf,
  basic,
  nativeRegistration,
  organizationWithMember,
  scenario,
  timingCompanyOf,
} from "../support/fixtures";
import { call, getRegistrations, putJson, registrationsUrl } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe("authentication", () => {
  it("asks for a key with 401 and WWW-Authenticate: Basic when there is none", async () => {
    const { activityId } = await scenario(server.db);
    const reply = await call(registrationsUrl(server.url, activityId, "json"));
    expect(reply.status).toBe(401);
    expect(reply.headers.get("www-authenticate")).toMatch(/^Basic /);
    expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("refuses a wrong secret, an unknown key name and a malformed header alike", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const name = organizer.key.split(":")[0];
    for (const auth of [
      basic(`${name}:wrong-secret-wrong-secret`),
      basic("no-such-key:whatever-whatever"),
      "Basic !!!",
      "Bearer abc",
    ]) {
      const reply = await getRegistrations(server.url, activityId, auth);
      expect(reply.status, auth).toBe(401);
      expect(reply.headers.get("www-authenticate")).toMatch(/^Basic /);
    }
  });

  it("refuses a revoked key on the next request", async () => {
    const { organizer, activityId } = await scenario(server.db);
    expect((await getRegistrations(server.url, activityId, organizer.auth)).status).toBe(200);
    await revokeKey(OPERATOR, server.db, { name: organizer.key.split(":")[0] });
    expect((await getRegistrations(server.url, activityId, organizer.auth)).status).toBe(401);
    expect((await putJson(server.url, activityId, organizer.auth, [])).status).toBe(401);
  });

  it("stores the secret only as a slow hash and records when the key was used", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const [name, secret] = organizer.key.split(":");
    await getRegistrations(server.url, activityId, organizer.auth);
    const [row] = await server.db.query(`SELECT secret_hash, last_used_at FROM access_key WHERE name = $1`, [name]);
    expect(row.secret_hash).toMatch(/^scrypt\$/);
    expect(row.secret_hash).not.toContain(secret);
    expect(row.last_used_at).not.toBeNull();
  });
});

describe("reach", () => {
  it("answers 404 for another organizer's activity, exactly as for one that does not exist", async () => {
    const { activityId } = await scenario(server.db);
    const outsider = await organizationWithMember(server.db);
    const foreign = await getRegistrations(server.url, activityId, outsider.auth);
    const missing = await getRegistrations(server.url, "000000000000000000000000", outsider.auth);
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    // The same document but for the id asked for and the request's own id.
    const anonymous = (text: string, id: string) =>
      text.replace(id, "ID").replace(/"requestId": "[^"]*"/, '"requestId": "…"');
    expect(anonymous(foreign.text, activityId)).toBe(anonymous(missing.text, "000000000000000000000000"));
    expect((await putJson(server.url, activityId, outsider.auth, [])).status).toBe(404);
  });

  it("lets a member of an associated timing company read and write the organizer's activity", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const timing = await timingCompanyOf(server.db, organizer.organizationId);
    const reg = await nativeRegistration(server.db, activityId);
    expect((await getRegistrations(server.url, activityId, timing.auth)).status).toBe(200);
    const reply = await putJson(server.url, activityId, timing.auth, [{ id: reg.id, startNumber: "1" }]);
    expect(reply.status).toBe(200);
  });

  it("does not let the organizer reach the timing company's own activities: an association is one-way", async () => {
    const { organizer } = await scenario(server.db);
    const timing = await timingCompanyOf(server.db, organizer.organizationId);
    const timingActivity = await activityOf(server.db, timing.organizationId);
    expect((await getRegistrations(server.url, timingActivity, timing.auth)).status).toBe(200);
    expect((await getRegistrations(server.url, timingActivity, organizer.auth)).status).toBe(404);
  });

  it("checks membership on every request: a removed member's key stops working at once", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const colleague = await organizationWithMember(server.db);
    await addMember(OPERATOR, server.db, {
      organizationId: organizer.organizationId,
      login: colleague.login,
      role: "Member",
    });
    expect((await getRegistrations(server.url, activityId, colleague.auth)).status).toBe(200);
    await server.db.query(`DELETE FROM membership WHERE account_id = $1 AND organization_id = $2`, [
      colleague.accountId,
      organizer.organizationId,
    ]);
    expect((await getRegistrations(server.url, activityId, colleague.auth)).status).toBe(404);
  });

  it("lets any member of the organizer in, whatever the role", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const login = `member-${Date.now()}@example.test`;
    const { accountId } = await addMember(OPERATOR, server.db, {
      organizationId: organizer.organizationId,
      login,
      role: "Member",
    });
    const { createAccessKey } = await import("../../src/services/access-keys");
    const key = await createAccessKey(server.db, accountId);
    expect((await getRegistrations(server.url, activityId, basic(`${key.name}:${key.secret}`))).status).toBe(200);
  });
});
