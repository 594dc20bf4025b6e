// Reading results over GraphQL (issue 14): Activity.results as a page in result order with its filters, the keys'
// reach, Person.results, and the public publicResults without a key; no N+1 on the nested paths.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newObjectId } from "../../src/db/object-id";
import { activityOf, nativeRegistration, organizationWithMember, scenario, timingCompanyOf } from "../support/fixtures";
import { graphql } from "../support/http";
import { insertResult, smallRace } from "../support/results";
import { countStatements } from "../support/statement-counter";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

const RESULTS = `query($id: ID!, $first: Int, $after: String, $category: String, $statuses: [ResultStatus!]) {
  activity(id: $id) {
    results(first: $first, after: $after, category: $category, statuses: $statuses) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor }
      nodes {
        id status category position positionByCategory positionBySex time startNumber registrationId created modified
        splitTimes { distance time }
        person { id name birthDate sex }
        activity { id }
      }
    }
  } }`;

type Node = { person: { name: string } };
const names = (reply: { json: any }) =>
  (reply.json.data.activity.results.nodes as Node[]).map((node) => node.person.name);

describe("Activity.results", () => {
  it("pages through the results in result order, each with the full person and its splits", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const race = await smallRace(server.db, activityId);
    const first = await graphql(server.url, organizer.auth, RESULTS, { id: activityId, first: 3 });
    expect(first.json.errors).toBeUndefined();
    const page = first.json.data.activity.results;
    expect(page.totalCount).toBe(7);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(names(first)).toEqual(["Martin Dufek", "Jana Soukromá", "Petr Novák"]);
    expect(page.nodes[0]).toEqual({
      id: race.dufek.id,
      status: "Finished",
      category: "M40",
      position: 1,
      positionByCategory: 1,
      positionBySex: 1,
      time: 600000,
      startNumber: "0001",
      registrationId: race.dufek.registrationId,
      created: expect.stringMatching(/Z$/),
      modified: expect.stringMatching(/Z$/),
      splitTimes: [{ distance: 4, time: "2022-09-01T15:10:00.000Z" }],
      person: { id: race.dufek.personId, name: "Martin Dufek", birthDate: "1975-11-27", sex: "Male" },
      activity: { id: activityId },
    });
    const rest = await graphql(server.url, organizer.auth, RESULTS, {
      id: activityId,
      first: 10,
      after: page.pageInfo.endCursor,
    });
    expect(names(rest)).toEqual(["Jan Svoboda", "Karel Dvořák", "Adam Beneš", "Eva Malá"]);
    expect(rest.json.data.activity.results.pageInfo.hasNextPage).toBe(false);
    expect(rest.json.data.activity.results.nodes[1]).toMatchObject({ status: "DidNotFinish", position: null });
  });

  it("filters by category and statuses, and refuses a cursor of another list", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await smallRace(server.db, activityId);
    const m40 = await graphql(server.url, organizer.auth, RESULTS, { id: activityId, category: "M40" });
    expect(names(m40)).toEqual(["Martin Dufek", "Karel Dvořák"]);
    const out = await graphql(server.url, organizer.auth, RESULTS, {
      id: activityId,
      statuses: ["DidNotStart", "Disqualified"],
    });
    expect(names(out)).toEqual(["Adam Beneš", "Eva Malá"]);
    expect(out.json.data.activity.results.totalCount).toBe(2);
    const wrong = await graphql(server.url, organizer.auth, RESULTS, { id: activityId, after: "bm9wZQ" });
    expect(wrong.json.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
    const big = await graphql(server.url, organizer.auth, RESULTS, { id: activityId, first: 5000 });
    expect(big.json.errors[0].extensions.code).toMatch(/BAD_USER_INPUT|QUERY_TOO_COMPLEX/);
  });

  it("is out of reach of another organizer's key and within reach of the associated timing company's", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await smallRace(server.db, activityId);
    const stranger = await organizationWithMember(server.db);
    const refused = await graphql(server.url, stranger.auth, RESULTS, { id: activityId });
    expect(refused.json.errors[0].extensions.code).toBe("NOT_FOUND");
    expect(refused.text).not.toContain("Dufek");
    const timing = await timingCompanyOf(server.db, organizer.organizationId);
    expect(names(await graphql(server.url, timing.auth, RESULTS, { id: activityId }))).toHaveLength(7);
    const anonymous = await graphql(server.url, null, RESULTS, { id: activityId });
    expect(anonymous.json.errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });
});

describe("Person.results", () => {
  it("lists the person's results in the activities the key reaches, and only those", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const { dufek } = await smallRace(server.db, activityId);
    // The same person's result in another organizer's race.
    const other = await organizationWithMember(server.db);
    const otherActivity = await activityOf(server.db, other.organizationId);
    const elsewhere = await nativeRegistration(server.db, otherActivity, { personId: dufek.personId });
    await server.db.query(
      `INSERT INTO result (id, activity_id, person_id, registration_id, status, time_ms) VALUES ($1, $2, $3, $4, 'DidNotFinish', NULL)`,
      [newObjectId(), otherActivity, dufek.personId, elsewhere.id],
    );
    const query = `query($id: ID!) { person(id: $id) { name results { status time activity { id } } } }`;
    const mine = await graphql(server.url, organizer.auth, query, { id: dufek.personId });
    expect(mine.json.errors).toBeUndefined();
    expect(mine.json.data.person.results).toEqual([{ status: "Finished", time: 600000, activity: { id: activityId } }]);
    const theirs = await graphql(server.url, other.auth, query, { id: dufek.personId });
    expect(theirs.json.data.person.results).toEqual([
      { status: "DidNotFinish", time: null, activity: { id: otherActivity } },
    ]);
  });
});

describe("publicResults", () => {
  const PUBLIC = `query($id: ID!) { publicResults(activityId: $id) {
    id activityId activityName eventName
    entries { id status position positionByCategory positionBySex category startNumber name time clockTime gap yearOfBirth country }
  } }`;

  it("needs no key and shows of a private profile only name, number, category and time", async () => {
    const { activityId } = await scenario(server.db);
    const race = await smallRace(server.db, activityId);
    const reply = await graphql(server.url, null, PUBLIC, { id: activityId });
    expect(reply.json.errors).toBeUndefined();
    const list = reply.json.data.publicResults;
    expect(list.id).toBe(activityId);
    expect(list.entries).toHaveLength(7);
    expect(list.entries[0]).toMatchObject({ name: "Martin Dufek", gap: 0, yearOfBirth: 1975, country: "CZ" });
    expect(list.entries[1]).toEqual({
      id: expect.any(String),
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
      yearOfBirth: null,
      country: null,
    });
    expect(list.entries[6]).toMatchObject({ status: "Disqualified", gap: null, clockTime: null });
    expect(reply.text).not.toContain(race.dufek.id);
    expect(reply.text).not.toContain(race.dufek.personId);
    const missing = await graphql(server.url, null, PUBLIC, { id: "000000000000000000000000" });
    expect(missing.json.errors[0].extensions.code).toBe("NOT_FOUND");
  });

  it("has no fields for birth dates or person ids to ask for", async () => {
    const { activityId } = await scenario(server.db);
    const reply = await graphql(
      server.url,
      null,
      `query($id: ID!) { publicResults(activityId: $id) { entries { birthDate } } }`,
      {
        id: activityId,
      },
    );
    expect(reply.status).toBe(400);
    expect(reply.json.errors[0].message).toMatch(/Cannot query field "birthDate"/);
  });
});

describe("statements", () => {
  it("costs the same for a page of 2 results as for 40, with their persons, activities and the persons' results", async () => {
    const { organizer, activityId } = await scenario(server.db);
    for (let i = 1; i <= 40; i++)
      await insertResult(server.db, activityId, {
        givenName: "Běžec",
        surname: `Číslo${i}`,
        position: i,
        time: 600_000 + i * 1000,
      });
    const query = `query($id: ID!, $first: Int) { activity(id: $id) { results(first: $first) {
      nodes { id person { name results { id activity { id name event { name } } } } activity { id } } } } }`;
    const run = async (first: number) =>
      countStatements(server.db, async () => {
        const reply = await graphql(server.url, organizer.auth, query, { id: activityId, first });
        expect(reply.json.errors).toBeUndefined();
        expect(reply.json.data.activity.results.nodes).toHaveLength(first);
      });
    const small = await run(2);
    const large = await run(40);
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(10);
  });
});
