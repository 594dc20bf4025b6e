// The members screen and the keys screen: managing organizations, members, associations, events,
// activities and access keys, with roles enforced.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATOR } from "../../src/services/caller";
import { addMember } from "../../src/services/members";
import { basic, organizationWithMember, scenario } from "../support/fixtures";
import { getRegistrations, graphql } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const gql = async (auth: string | null, query: string, variables: Record<string, unknown> = {}) =>
  (await graphql(server.url, auth, query, variables)).json;
const unique = (p: string) => `${p}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

describe("organizations and members", () => {
  it("creates an organization whose Owner is the viewer, and renames it", async () => {
    const me = await organizationWithMember(server.db);
    const created = await gql(
      me.auth,
      `mutation { createOrganization(name: "Klub Ďábel", kind: Organizer) { organization { id name viewerRole } userErrors { code } } }`,
    );
    const org = created.data.createOrganization.organization;
    expect(org).toMatchObject({ name: "Klub Ďábel", viewerRole: "Owner" });
    const renamed = await gql(
      me.auth,
      `mutation($id: ID!) { renameOrganization(id: $id, name: "Klub Anděl") { organization { name } userErrors { code } } }`,
      { id: org.id },
    );
    expect(renamed.data.renameOrganization).toEqual({ organization: { name: "Klub Anděl" }, userErrors: [] });
    const empty = await gql(
      me.auth,
      `mutation($id: ID!) { renameOrganization(id: $id, name: "  ") { organization { name } userErrors { code path message } } }`,
      { id: org.id },
    );
    expect(empty.data.renameOrganization.userErrors).toEqual([
      { code: "InvalidValue", path: ["input", "name"], message: expect.any(String) },
    ]);
  });

  it("adds members, changes roles and removes them; the last Owner stays", async () => {
    const { organizer } = await scenario(server.db);
    const login = `${unique("nova")}@example.test`;
    const added = await gql(
      organizer.auth,
      `mutation($org: ID!, $login: String!) { addMember(organizationId: $org, login: $login, role: Admin) { membership { id role account { login } } userErrors { code } } }`,
      { org: organizer.organizationId, login },
    );
    const membership = added.data.addMember.membership;
    expect(membership).toMatchObject({ role: "Admin", account: { login } });
    const again = await gql(
      organizer.auth,
      `mutation($org: ID!, $login: String!) { addMember(organizationId: $org, login: $login) { membership { id } userErrors { code } } }`,
      { org: organizer.organizationId, login },
    );
    expect(again.data.addMember).toEqual({ membership: null, userErrors: [{ code: "AlreadyMember" }] });
    const changed = await gql(
      organizer.auth,
      `mutation($id: ID!) { changeMemberRole(membershipId: $id, role: Member) { membership { role } userErrors { code } } }`,
      { id: membership.id },
    );
    expect(changed.data.changeMemberRole.membership.role).toBe("Member");
    const members = await gql(organizer.auth, `query($id: ID!) { organization(id: $id) { members { id role } } }`, {
      id: organizer.organizationId,
    });
    const owner = members.data.organization.members.find((m: any) => m.role === "Owner");
    const lastOwner = await gql(
      organizer.auth,
      `mutation($id: ID!) { removeMember(membershipId: $id) { removedId userErrors { code } } }`,
      { id: owner.id },
    );
    expect(lastOwner.data.removeMember).toEqual({ removedId: null, userErrors: [{ code: "LastOwner" }] });
    const removed = await gql(
      organizer.auth,
      `mutation($id: ID!) { removeMember(membershipId: $id) { removedId userErrors { code } } }`,
      { id: membership.id },
    );
    expect(removed.data.removeMember.removedId).toBe(membership.id);
  });

  it("lets only Owners and Admins manage members: a Member gets FORBIDDEN, an outsider NOT_FOUND", async () => {
    const { organizer } = await scenario(server.db);
    const plain = await organizationWithMember(server.db);
    await addMember(OPERATOR, server.db, {
      organizationId: organizer.organizationId,
      login: plain.login,
      role: "Member",
    });
    const outsider = await organizationWithMember(server.db);
    const mutation = `mutation($org: ID!) { addMember(organizationId: $org, login: "x-${Date.now()}@example.test", role: Member) { membership { id } userErrors { code } } }`;
    expect((await gql(plain.auth, mutation, { org: organizer.organizationId })).errors[0].extensions.code).toBe(
      "FORBIDDEN",
    );
    expect((await gql(outsider.auth, mutation, { org: organizer.organizationId })).errors[0].extensions.code).toBe(
      "NOT_FOUND",
    );
    const admin = await organizationWithMember(server.db);
    await addMember(OPERATOR, server.db, {
      organizationId: organizer.organizationId,
      login: admin.login,
      role: "Admin",
    });
    const makeOwner = `mutation($org: ID!) { addMember(organizationId: $org, login: "o-${Date.now()}@example.test", role: Owner) { membership { id } } }`;
    expect((await gql(admin.auth, makeOwner, { org: organizer.organizationId })).errors[0].extensions.code).toBe(
      "FORBIDDEN",
    );
  });
});

describe("associations, events and activities", () => {
  it("an association lets the timing company in; removing it shuts them out again", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const timing = await organizationWithMember(server.db, "TimingCompany");
    expect((await getRegistrations(server.url, activityId, timing.auth)).status).toBe(404);
    const created = await gql(
      organizer.auth,
      `mutation($o: ID!, $a: ID!) { createAssociation(organizerId: $o, associateId: $a) { association { id organizer { id } associate { id name } } userErrors { code } } }`,
      { o: organizer.organizationId, a: timing.organizationId },
    );
    const association = created.data.createAssociation.association;
    expect(association.associate.id).toBe(timing.organizationId);
    expect((await getRegistrations(server.url, activityId, timing.auth)).status).toBe(200);
    const unknown = await gql(
      organizer.auth,
      `mutation($o: ID!) { createAssociation(organizerId: $o, associateId: "000000000000000000000000") { association { id } userErrors { code path } } }`,
      { o: organizer.organizationId },
    );
    expect(unknown.data.createAssociation.userErrors).toEqual([
      { code: "UnknownOrganization", path: ["input", "associateId"] },
    ]);
    await gql(organizer.auth, `mutation($id: ID!) { removeAssociation(associationId: $id) { removedId } }`, {
      id: association.id,
    });
    expect((await getRegistrations(server.url, activityId, timing.auth)).status).toBe(404);
  });

  it("creates and updates events and activities, checking dates and currencies", async () => {
    const { organizer } = await scenario(server.db);
    const event = await gql(
      organizer.auth,
      `mutation($o: ID!) { createEvent(organizerId: $o, name: "Běh", startsOn: "2027-05-01", endsOn: "2027-05-02") { event { id name startsOn endsOn } userErrors { code } } }`,
      { o: organizer.organizationId },
    );
    const eventId = event.data.createEvent.event.id;
    const bad = await gql(
      organizer.auth,
      `mutation($id: ID!) { updateEvent(id: $id, endsOn: "2027-04-01") { event { id } userErrors { code path } } }`,
      { id: eventId },
    );
    expect(bad.data.updateEvent.userErrors).toEqual([{ code: "InvalidValue", path: ["input", "endsOn"] }]);
    const activity = await gql(
      organizer.auth,
      `mutation($e: ID!) { createActivity(eventId: $e, name: "5 km", startsAt: "2027-05-01T08:00:00Z", currency: "EUR") { activity { id name currency startsAt } userErrors { code } } }`,
      { e: eventId },
    );
    expect(activity.data.createActivity.activity).toMatchObject({
      name: "5 km",
      currency: "EUR",
      startsAt: "2027-05-01T08:00:00.000Z",
    });
    const renamed = await gql(
      organizer.auth,
      `mutation($id: ID!) { updateActivity(id: $id, name: "10 km", currency: "eur") { activity { name currency } userErrors { code path } } }`,
      { id: activity.data.createActivity.activity.id },
    );
    expect(renamed.data.updateActivity.userErrors).toEqual([{ code: "InvalidValue", path: ["input", "currency"] }]);
  });
});

describe("access keys", () => {
  it("creates a key whose secret is shown once, lists keys without secrets, and revokes", async () => {
    const me = await organizationWithMember(server.db);
    const created = await gql(
      me.auth,
      `mutation { createAccessKey(description: "časomíra") { accessKey { id name description } secret userErrors { code } } }`,
    );
    const { accessKey, secret } = created.data.createAccessKey;
    expect(secret.length).toBeGreaterThanOrEqual(16);
    const newAuth = basic(`${accessKey.name}:${secret}`);
    const listed = await gql(newAuth, `{ viewer { accessKeys { id name description revokedAt } } }`);
    expect(listed.data.viewer.accessKeys).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toContain(secret);
    const taken = await gql(
      me.auth,
      `mutation($n: String!) { createAccessKey(name: $n) { accessKey { id } userErrors { code path } } }`,
      { n: accessKey.name },
    );
    expect(taken.data.createAccessKey.userErrors).toEqual([{ code: "InvalidValue", path: ["input", "name"] }]);
    const revoked = await gql(me.auth, `mutation($id: ID!) { revokeAccessKey(id: $id) { accessKey { revokedAt } } }`, {
      id: accessKey.id,
    });
    expect(revoked.data.revokeAccessKey.accessKey.revokedAt).not.toBeNull();
    expect((await gql(newAuth, `{ viewer { account { id } } }`)).errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });

  it("answers a name in use by another tenant's key as it answers any name that cannot be used", async () => {
    const me = await organizationWithMember(server.db);
    const stranger = await organizationWithMember(server.db);
    const theirs = stranger.key.split(":")[0];
    const mine = (await gql(me.auth, `mutation { createAccessKey { accessKey { name } } }`)).data.createAccessKey
      .accessKey.name;
    const create = `mutation($n: String!) { createAccessKey(name: $n) { accessKey { id } userErrors { code path message } } }`;
    const answers = [];
    for (const name of [theirs, mine, "no", "has:colon"])
      answers.push((await gql(me.auth, create, { n: name })).data.createAccessKey);
    expect(answers[0]).toEqual({
      accessKey: null,
      userErrors: [{ code: "InvalidValue", path: ["input", "name"], message: expect.any(String) }],
    });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(JSON.stringify(answers)).not.toMatch(/exists/);
  });

  it("cannot revoke another account's key", async () => {
    const me = await organizationWithMember(server.db);
    const other = await organizationWithMember(server.db);
    const [{ id }] = await server.db.query(`SELECT id FROM access_key WHERE name = $1`, [other.key.split(":")[0]]);
    const reply = await gql(me.auth, `mutation($id: ID!) { revokeAccessKey(id: $id) { accessKey { id } } }`, { id });
    expect(reply.errors[0].extensions.code).toBe("NOT_FOUND");
  });
});
