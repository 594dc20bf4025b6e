// Scoped keys (issue 5): a key may be read-only or limited to some organizations, on every route and field.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATOR } from "../../src/services/caller";
import { addMember } from "../../src/services/members";
import { activityOf, basic, organizationWithMember, timingCompanyOf } from "../support/fixtures";
import { call, getRegistrations, graphql, putJson, registrationsUrl } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

async function gql(auth: string, query: string, variables: Record<string, unknown> = {}) {
  return (await graphql(server.url, auth, query, variables)).json;
}

const createKey = `mutation ($readOnly: Boolean!, $orgs: [ID!]) {
  createAccessKey(readOnly: $readOnly, organizationIds: $orgs) { accessKey { name readOnly organizationIds } secret userErrors { code path message } }
}`;

async function newKey(auth: string, readOnly: boolean, orgs: string[] | null) {
  const created = (await gql(auth, createKey, { readOnly, orgs })).data.createAccessKey;
  return { ...created, auth: created.secret ? basic(`${created.accessKey.name}:${created.secret}`) : "" };
}

/** One account that belongs to two organizers, A and B, each with an activity; B is associated with a timing company's organizer C. */
async function twoOrganizations() {
  const a = await organizationWithMember(server.db);
  const b = await organizationWithMember(server.db);
  await addMember(OPERATOR, server.db, { organizationId: b.organizationId, login: a.login, role: "Owner" });
  const activityA = await activityOf(server.db, a.organizationId);
  const activityB = await activityOf(server.db, b.organizationId);
  return { a, b, activityA, activityB };
}

describe("a key limited to some organizations", () => {
  it("reaches only their activities, through REST and GraphQL, and answers 404 for the rest", async () => {
    const { a, b, activityA, activityB } = await twoOrganizations();
    const onlyA = await newKey(a.auth, false, [a.organizationId]);
    expect(onlyA.accessKey).toEqual({ name: expect.any(String), readOnly: false, organizationIds: [a.organizationId] });

    expect((await getRegistrations(server.url, activityA, onlyA.auth)).status).toBe(200);
    const refused = await getRegistrations(server.url, activityB, onlyA.auth);
    const missing = await getRegistrations(server.url, "0123456789abcdef01234567", onlyA.auth);
    expect(refused.status).toBe(404);
    expect(refused.json.title).toBe(missing.json.title);
    expect((await putJson(server.url, activityB, onlyA.auth, [])).status).toBe(404);

    const viewer = await gql(onlyA.auth, `{ viewer { organizations { id } } }`);
    expect(viewer.data.viewer.organizations.map((o: { id: string }) => o.id)).toEqual([a.organizationId]);
    const activity = await gql(onlyA.auth, `query ($id: ID!) { activity(id: $id) { id } }`, { id: activityB });
    expect(activity.errors[0].extensions.code).toBe("NOT_FOUND");
    // The unlimited key of the same account (a member of B too) still reaches both.
    expect((await getRegistrations(server.url, activityB, a.auth)).status).toBe(200);
    expect(b.organizationId).not.toBe(a.organizationId);
  });

  it("reaches an organizer through an association only when the associate is in the key's organizations", async () => {
    const { a, activityA } = await twoOrganizations();
    const timing = await timingCompanyOf(server.db, a.organizationId);
    const other = await organizationWithMember(server.db, "TimingCompany");
    await addMember(OPERATOR, server.db, { organizationId: other.organizationId, login: timing.login, role: "Owner" });
    const throughTiming = await newKey(timing.auth, false, [timing.organizationId]);
    const throughOther = await newKey(timing.auth, false, [other.organizationId]);
    expect((await getRegistrations(server.url, activityA, throughTiming.auth)).status).toBe(200);
    expect((await getRegistrations(server.url, activityA, throughOther.auth)).status).toBe(404);
  });

  it("cannot make a key for other organizations, nor an unlimited one, nor an organization", async () => {
    const { a, b } = await twoOrganizations();
    const onlyA = await newKey(a.auth, false, [a.organizationId]);
    const wider = (await gql(onlyA.auth, createKey, { readOnly: false, orgs: [b.organizationId] })).data
      .createAccessKey;
    expect(wider.accessKey).toBeNull();
    expect(wider.userErrors[0]).toMatchObject({
      code: "InvalidValue",
      message: expect.stringContaining(b.organizationId),
    });
    // Without organizationIds, a limited key makes a key with the same limit.
    const same = await newKey(onlyA.auth, false, null);
    expect(same.accessKey.organizationIds).toEqual([a.organizationId]);
    const org = await gql(
      onlyA.auth,
      `mutation { createOrganization(name: "Nový klub") { organization { id } userErrors { code } } }`,
    );
    expect(org.errors[0].extensions.code).toBe("FORBIDDEN");
  });
});

describe("a limited key and the account's other keys", () => {
  const listKeys = `{ viewer { accessKeys { id organizationIds } } }`;
  const revoke = `mutation ($id: ID!) { revokeAccessKey(id: $id) { accessKey { id revokedAt } userErrors { code message } } }`;

  it("lists only keys limited to its own organizations or fewer, revealing no other organization", async () => {
    const { a, b } = await twoOrganizations();
    const onlyA = await newKey(a.auth, false, [a.organizationId]);
    const alsoOnlyA = await newKey(onlyA.auth, true, null);
    await newKey(a.auth, false, [a.organizationId, b.organizationId]);
    await newKey(a.auth, false, [b.organizationId]);

    const listed = (await gql(onlyA.auth, listKeys)).data.viewer.accessKeys;
    expect(listed.map((k: { organizationIds: string[] }) => k.organizationIds)).toEqual([
      [a.organizationId],
      [a.organizationId],
    ]);
    expect(JSON.stringify(listed)).not.toContain(b.organizationId);
    expect(alsoOnlyA.accessKey.organizationIds).toEqual([a.organizationId]);
    // The unlimited key sees all five: its own, the two for A, the one for A and B, the one for B.
    expect((await gql(a.auth, listKeys)).data.viewer.accessKeys).toHaveLength(5);
  });

  it("revokes only keys within its scope: the account's unlimited key and wider keys are not found", async () => {
    const { a, b } = await twoOrganizations();
    const onlyA = await newKey(a.auth, false, [a.organizationId]);
    const wider = await newKey(a.auth, false, [a.organizationId, b.organizationId]);
    const ids = new Map<string, string>(
      (await gql(a.auth, listKeys)).data.viewer.accessKeys.map(
        (k: { id: string; organizationIds: string[] | null }) => [JSON.stringify(k.organizationIds), k.id],
      ),
    );
    const unlimitedId = ids.get("null")!;
    const widerId = ids.get(JSON.stringify(wider.accessKey.organizationIds))!;

    // The same answer as for a key that does not exist.
    const missing = await gql(onlyA.auth, revoke, { id: "0123456789abcdef01234567" });
    expect(missing.errors[0].extensions.code).toBe("NOT_FOUND");
    for (const id of [unlimitedId, widerId]) {
      const refused = await gql(onlyA.auth, revoke, { id });
      expect(refused.errors.map((e: any) => e.extensions.code)).toEqual(["NOT_FOUND"]);
      expect(refused.errors[0].message).toBe(missing.errors[0].message.replace("0123456789abcdef01234567", id));
    }
    expect((await gql(a.auth, "{ viewer { id } }")).data.viewer.id).toEqual(expect.any(String));
    expect((await gql(wider.auth, "{ viewer { id } }")).data.viewer.id).toEqual(expect.any(String));

    const sameScope = await newKey(a.auth, false, [a.organizationId]);
    const sameScopeId = (await gql(a.auth, `{ viewer { accessKeys { id name } } }`)).data.viewer.accessKeys.find(
      (k: { name: string }) => k.name === sameScope.accessKey.name,
    ).id;
    expect(
      (await gql(onlyA.auth, revoke, { id: sameScopeId })).data.revokeAccessKey.accessKey.revokedAt,
    ).not.toBeNull();
    expect((await gql(sameScope.auth, "{ viewer { id } }")).errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });
});

describe("a read-only key", () => {
  it("reads everything its account reaches but cannot sync or call any mutation", async () => {
    const { a, activityA } = await twoOrganizations();
    const reader = await newKey(a.auth, true, null);
    expect(reader.accessKey.readOnly).toBe(true);
    expect((await getRegistrations(server.url, activityA, reader.auth, "csv")).status).toBe(200);

    const put = await putJson(server.url, activityA, reader.auth, [
      { person: { givenName: "Jan", surname: "Čtenář", sex: "Male", birthDate: "1990-01-01" } },
    ]);
    expect(put.status).toBe(403);
    expect(put.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(put.json.detail).toMatch(/read-only/);
    const dryRun = await call(registrationsUrl(server.url, activityA, "json", "dryRun=true"), {
      method: "PUT",
      headers: { Authorization: reader.auth, "Content-Type": "application/json" },
      body: "[]",
    });
    expect(dryRun.status).toBe(403);

    for (const mutation of [
      `mutation { createOrganization(name: "X") { userErrors { code } } }`,
      `mutation { createAccessKey { secret } }`,
      `mutation ($id: ID!) { syncRegistrations(activityId: $id, items: []) { applied } }`,
      `mutation ($id: ID!) { renameOrganization(id: $id, name: "Y") { userErrors { code } } }`,
    ]) {
      const answer = await gql(reader.auth, mutation, {
        id: mutation.includes("syncRegistrations") ? activityA : a.organizationId,
      });
      expect(answer.errors?.[0]?.extensions.code, mutation).toBe("FORBIDDEN");
    }
    expect((await getRegistrations(server.url, activityA, a.auth)).json).toEqual([]);
  });
});
