// The GraphQL read side a front end builds its screens from: viewer, organizations, events,
// activities, a paginated and searchable registrations connection, registration, person, start list.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activityOf, nativeRegistration, organizationWithMember, scenario, timingCompanyOf } from "../support/fixtures";
import { graphql, putJson } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const gql = async (auth: string | null, query: string, variables: Record<string, unknown> = {}) =>
  (await graphql(server.url, auth, query, variables)).json;

describe("viewer and organizations", () => {
  it("shows the viewer's account, memberships, reachable organizations and keys", async () => {
    const { organizer } = await scenario(server.db);
    const timing = await timingCompanyOf(server.db, organizer.organizationId);
    const reply = await gql(
      timing.auth,
      `{ viewer {
      account { id }
      memberships { role organization { id kind } }
      organizations { id kind viewerRole reachable }
      accessKeys { name revokedAt }
    } }`,
    );
    expect(reply.errors).toBeUndefined();
    const viewer = reply.data.viewer;
    expect(viewer.account.id).toBe(timing.accountId);
    expect(viewer.memberships).toEqual([
      { role: "Owner", organization: { id: timing.organizationId, kind: "TimingCompany" } },
    ]);
    expect(viewer.organizations).toEqual(
      expect.arrayContaining([
        { id: timing.organizationId, kind: "TimingCompany", viewerRole: "Owner", reachable: true },
        { id: organizer.organizationId, kind: "Organizer", viewerRole: null, reachable: true },
      ]),
    );
    expect(viewer.accessKeys).toEqual([{ name: timing.key.split(":")[0], revokedAt: null }]);
  });

  it("lists an organization's events with their activities, and its members for members", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reply = await gql(
      organizer.auth,
      `query($id: ID!) { organization(id: $id) {
      name events { id name activities { id currency event { id } organizer { id } } }
      members { role account { id login } }
    } }`,
      { id: organizer.organizationId },
    );
    expect(reply.errors).toBeUndefined();
    const org = reply.data.organization;
    expect(org.events).toHaveLength(1);
    expect(org.events[0].activities).toEqual([
      { id: activityId, currency: "CZK", event: { id: org.events[0].id }, organizer: { id: organizer.organizationId } },
    ]);
    expect(org.members).toEqual([
      { role: "Owner", account: { id: organizer.accountId, login: expect.stringContaining("@example.test") } },
    ]);
  });
});

describe("registrations connection", () => {
  async function fill() {
    const { organizer, activityId } = await scenario(server.db);
    const regs = [];
    for (let i = 1; i <= 7; i++) {
      regs.push(
        await nativeRegistration(server.db, activityId, {
          startNumber: String(i),
          surname: `Příjmení${i}`,
          state: i === 7 ? "Cancelled" : "Confirmed",
        }),
      );
    }
    return { organizer, activityId, regs };
  }

  const PAGE = `query($activityId: ID!, $first: Int, $after: String, $search: String, $states: [RegistrationState!]) {
    registrations(activityId: $activityId, first: $first, after: $after, search: $search, states: $states) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id code startNumber person { surname } activity { id } } }
    } }`;

  it("pages in a stable order with totalCount and cursors, without gaps or repeats", async () => {
    const { organizer, activityId, regs } = await fill();
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const reply = await gql(organizer.auth, PAGE, { activityId, first: 3, after });
      const connection = reply.data.registrations;
      expect(connection.totalCount).toBe(7);
      seen.push(...connection.edges.map((e: any) => e.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(regs.map((r) => r.id));
  });

  it("searches by name, code and start number, and filters by state", async () => {
    const { organizer, activityId, regs } = await fill();
    const byName = await gql(organizer.auth, PAGE, { activityId, search: "příjmení3" });
    expect(byName.data.registrations.edges.map((e: any) => e.node.id)).toEqual([regs[2].id]);
    const byCode = await gql(organizer.auth, PAGE, { activityId, search: regs[4].code.toLowerCase() });
    expect(byCode.data.registrations.edges.map((e: any) => e.node.id)).toEqual([regs[4].id]);
    const byNumber = await gql(organizer.auth, PAGE, { activityId, search: "6" });
    expect(byNumber.data.registrations.edges.map((e: any) => e.node.startNumber)).toEqual(["6"]);
    const cancelled = await gql(organizer.auth, PAGE, { activityId, states: ["Cancelled"] });
    expect(cancelled.data.registrations.totalCount).toBe(1);
  });

  it("refuses a page larger than the maximum with a clear error", async () => {
    const { organizer, activityId } = await fill();
    const reply = await gql(organizer.auth, PAGE, { activityId, first: 5000 });
    expect(reply.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(reply.errors[0].message).toMatch(/between 0 and 1000/);
  });
});

describe("registration, person and start list", () => {
  it("reads a registration and its person within reach, and answers NOT_FOUND beyond it", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reg = await nativeRegistration(server.db, activityId, { surname: "Dosažitelná" });
    const outsider = await organizationWithMember(server.db);
    const query = `query($r: ID!, $p: ID!) { registration(id: $r) { code activity { id } person { surname } } person(id: $p) { surname } }`;
    const mine = await gql(organizer.auth, query, { r: reg.id, p: reg.personId });
    expect(mine.data).toEqual({
      registration: { code: reg.code, activity: { id: activityId }, person: { surname: "Dosažitelná" } },
      person: { surname: "Dosažitelná" },
    });
    for (const single of [
      `query($r: ID!) { registration(id: $r) { code person { surname } } }`,
      `query($p: ID!) { person(id: $p) { surname } }`,
    ]) {
      const theirs = await gql(outsider.auth, single, { r: reg.id, p: reg.personId });
      expect(theirs.data).toBeNull();
      expect(theirs.errors.map((e: any) => e.extensions.code)).toEqual(["NOT_FOUND"]);
      expect(JSON.stringify(theirs)).not.toContain("Dosažitelná");
    }
  });

  it("serves the public start list without a key", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await putJson(server.url, activityId, organizer.auth, [
      {
        startNumber: "10",
        person: {
          givenName: "Adam",
          surname: "Desátý",
          sex: "Male",
          birthDate: "1990-01-01",
          isProfilePublic: true,
          country: "CZ",
        },
      },
      { startNumber: "9", person: { givenName: "Bára", surname: "Devátá", sex: "Female", birthDate: "1991-01-01" } },
    ]);
    const reply = await gql(
      null,
      `query($id: ID!) { startList(activityId: $id) { entries { startNumber name yearOfBirth country } } }`,
      { id: activityId },
    );
    expect(reply.data.startList.entries).toEqual([
      { startNumber: "9", name: "Bára Devátá", yearOfBirth: null, country: null },
      { startNumber: "10", name: "Adam Desátý", yearOfBirth: 1990, country: "CZ" },
    ]);
  });

  it("does not show the organizer's events to a key that only sees it as an associate", async () => {
    const { organizer } = await scenario(server.db);
    const timing = await timingCompanyOf(server.db, organizer.organizationId);
    await activityOf(server.db, timing.organizationId);
    const reply = await gql(organizer.auth, `query($id: ID!) { organization(id: $id) { name events { id } } }`, {
      id: timing.organizationId,
    });
    expect(reply.data.organization).toMatchObject({ name: expect.any(String), events: null });
    expect(reply.errors.map((e: any) => [e.extensions.code, e.path.join(".")])).toEqual([
      ["FORBIDDEN", "organization.events"],
    ]);
  });
});
