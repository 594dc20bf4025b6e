// syncResults over GraphQL: the results PUT's service, with prune, idempotency and userErrors in the payload,
// and the stored results visible through Activity.results.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeRegistration, organizationWithMember, scenario } from "../support/fixtures";
import { graphql } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const SYNC = `
  mutation Sync($activityId: ID!, $items: [SyncResultInput!]!, $mode: SyncMode, $prune: Boolean, $key: String) {
    syncResults(activityId: $activityId, items: $items, mode: $mode, prune: $prune, idempotencyKey: $key) {
      applied replayed failedItemCount
      results { index syncResultType result { id status position time category startNumber splitTimes { distance time } person { id givenName surname } created } errors { code path } }
      userErrors { code path message }
    }
  }`;

const RESULTS = `
  query Results($id: ID!) { activity(id: $id) { results { nodes { position time person { surname } } } } }`;

async function race() {
  const { organizer, activityId } = await scenario(server.db);
  const a = await nativeRegistration(server.db, activityId, { startNumber: "0001", surname: "Dufek" });
  const b = await nativeRegistration(server.db, activityId, { startNumber: "0002", surname: "Kolář" });
  const items = [
    {
      person: { id: a.personId },
      position: 1,
      time: 600000,
      category: "M40",
      splitTimes: [{ distance: 4, time: "2022-09-01T15:10:00Z" }],
    },
    { startNumber: "0002", position: 2, time: 660000, category: "M30" },
    {
      person: { givenName: "Jan", surname: "Svoboda", sex: "Male", birthDate: "2001-10-01" },
      position: 3,
      time: 720000,
      category: "M20",
    },
  ];
  return { organizer, activityId, a, b, items };
}

describe("syncResults", () => {
  it("creates results like the REST PUT, readable through activity.results", async () => {
    const { organizer, activityId, a, b, items } = await race();
    const reply = await graphql(server.url, organizer.auth, SYNC, { activityId, items });
    expect(reply.json.errors).toBeUndefined();
    const payload = reply.json.data.syncResults;
    expect(payload.applied).toBe(true);
    expect(payload.results.map((r: any) => [r.index, r.syncResultType, r.result.person.id])).toEqual([
      [0, "Created", a.personId],
      [1, "Created", b.personId],
      [2, "Created", expect.stringMatching(/^[0-9a-f]{24}$/)],
    ]);
    expect(payload.results[0].result.splitTimes).toEqual([{ distance: 4, time: "2022-09-01T15:10:00.000Z" }]);
    const read = await graphql(server.url, organizer.auth, RESULTS, { id: activityId });
    expect(read.json.data.activity.results.nodes.map((n: any) => [n.position, n.person.surname])).toEqual([
      [1, "Dufek"],
      [2, "Kolář"],
      [3, "Svoboda"],
    ]);
  });

  it("answers a pruned result with a null index, and a replayed key with the first answer", async () => {
    const { organizer, activityId, items } = await race();
    await graphql(server.url, organizer.auth, SYNC, { activityId, items });
    const vars = { activityId, items: items.slice(0, 2), prune: true, key: "gql-prune-1" };
    const first = await graphql(server.url, organizer.auth, SYNC, vars);
    expect(first.json.data.syncResults.results.map((r: any) => [r.index, r.syncResultType])).toEqual([
      [0, "Unchanged"],
      [1, "Unchanged"],
      [null, "Deleted"],
    ]);
    const again = await graphql(server.url, organizer.auth, SYNC, vars);
    expect(again.json.data.syncResults.replayed).toBe(true);
    expect(again.json.data.syncResults.results).toEqual(first.json.data.syncResults.results);
    const read = await graphql(server.url, organizer.auth, RESULTS, { id: activityId });
    expect(read.json.data.activity.results.nodes).toHaveLength(2);
  });

  it("names failing items in userErrors by path and writes nothing", async () => {
    const { organizer, activityId } = await race();
    const reply = await graphql(server.url, organizer.auth, SYNC, {
      activityId,
      items: [{ startNumber: "0001", status: "DidNotStart", position: 4 }, { time: 5 }],
    });
    const payload = reply.json.data.syncResults;
    expect(payload.applied).toBe(false);
    expect(payload.userErrors.map((e: any) => [e.code, e.path])).toEqual([
      ["InvalidValue", ["items", "0", "position"]],
      ["UnknownPerson", ["items", "1", "person"]],
    ]);
  });

  it("is NOT_FOUND for an activity out of reach", async () => {
    const { activityId, items } = await race();
    const outsider = await organizationWithMember(server.db);
    const reply = await graphql(server.url, outsider.auth, SYNC, { activityId, items });
    expect(reply.json.errors[0].extensions.code).toBe("NOT_FOUND");
  });
});
