// urql (@urql/core) against the real server, with the settings the README gives: its queries go out as GET,
// which CSRF prevention lets through with the apollo-require-preflight header.
import { Client, cacheExchange, fetchExchange, gql } from "@urql/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeRegistration, scenario } from "../support/fixtures";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

/** fetch as urql calls it, with the method and status of each request. */
function recordingFetch() {
  const requests: { method: string; status: number }[] = [];
  const recorded: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    requests.push({ method: init?.method ?? "GET", status: response.status });
    return response;
  };
  return { fetch: recorded, requests };
}

const ACTIVITY = gql`
  query Activity($id: ID!) {
    activity(id: $id) {
      id
      name
      startList {
        id
        entries {
          id
          startNumber
        }
      }
    }
  }
`;

const SYNC = gql`
  mutation Sync($activityId: ID!, $items: [SyncRegistrationInput!]!) {
    syncRegistrations(activityId: $activityId, items: $items) {
      applied
      results {
        syncResultType
        registration {
          id
          startNumber
        }
      }
    }
  }
`;

describe("urql", () => {
  it("runs queries (as GET) and a mutation with the README's settings", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const registration = await nativeRegistration(server.db, activityId, { startNumber: "3" });
    const { fetch: recorded, requests } = recordingFetch();
    // The README's settings: the key, and the header that lets urql's GET queries past CSRF prevention.
    const urql = new Client({
      url: `${server.url}/graphql`,
      exchanges: [cacheExchange, fetchExchange],
      fetchOptions: { headers: { Authorization: organizer.auth, "apollo-require-preflight": "true" } },
      fetch: recorded,
    });

    const before = await urql.query(ACTIVITY, { id: activityId }).toPromise();
    expect(before.error).toBeUndefined();
    expect(before.data.activity.startList.entries.map((e: any) => e.startNumber)).toEqual(["3"]);

    const sync = await urql
      .mutation(SYNC, { activityId, items: [{ id: registration.id, startNumber: "4" }] })
      .toPromise();
    expect(sync.error).toBeUndefined();
    expect(sync.data.syncRegistrations.results[0]).toMatchObject({
      syncResultType: "Updated",
      registration: { id: registration.id, startNumber: "4" },
    });

    // urql's document cache drops results of the types a mutation returned (Registration), not of StartList: ask the network.
    const after = await urql.query(ACTIVITY, { id: activityId }, { requestPolicy: "network-only" }).toPromise();
    expect(after.data.activity.startList.entries.map((e: any) => e.startNumber)).toEqual(["4"]);
    expect(requests).toEqual([
      { method: "GET", status: 200 },
      { method: "POST", status: 200 },
      { method: "GET", status: 200 },
    ]);
  });

  it("is refused by CSRF prevention without the header, with a message naming it", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const urql = new Client({
      url: `${server.url}/graphql`,
      exchanges: [fetchExchange],
      fetchOptions: { headers: { Authorization: organizer.auth } },
    });
    const refused = await urql.query(ACTIVITY, { id: activityId }).toPromise();
    expect(refused.data).toBeUndefined();
    expect(refused.error?.message).toMatch(/apollo-require-preflight/);
  });
});
