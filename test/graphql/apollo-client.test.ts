// Apollo Client 4 (the front ends' usual GraphQL client) against the real server: its normalized cache
// stays current after syncRegistrations and syncResults, and BatchHttpLink's batches are served within their limit.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { BatchHttpLink } from "@apollo/client/link/batch-http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entryId } from "../../src/services/start-list";
import { nativeRegistration, scenario } from "../support/fixtures";
import { call } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ REQUESTS_PER_KEY_PER_MINUTE: "1000" });
});
afterAll(() => server?.close());

/** fetch as the link calls it, with every HTTP request it made and the RateLimit header of each answer. */
function countingFetch() {
  const requests: { method: string; body: string; rateLimit: string | null }[] = [];
  const counted: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    requests.push({
      method: init?.method ?? "GET",
      body: String(init?.body ?? ""),
      rateLimit: response.headers.get("ratelimit"),
    });
    return response;
  };
  return { fetch: counted, requests };
}

function client(auth: string, link: (headers: Record<string, string>) => ApolloLink): ApolloClient {
  return new ApolloClient({ link: link({ Authorization: auth }), cache: new InMemoryCache() });
}

const START_LIST = gql`
  query StartList($activityId: ID!) {
    startList(activityId: $activityId) {
      id
      activityName
      entries {
        id
        startNumber
        name
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
      activity {
        id
        startList {
          id
          activityName
          entries {
            id
            startNumber
            name
          }
        }
      }
    }
  }
`;

const REGISTRATIONS = gql`
  query Registrations($activityId: ID!) {
    activity(id: $activityId) {
      id
      name
      registrations(first: 10) {
        nodes {
          id
          startNumber
        }
      }
    }
  }
`;

describe("Apollo Client with InMemoryCache", () => {
  it("shows the new start number in the cached start list after syncRegistrations, without a refetch", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const first = await nativeRegistration(server.db, activityId, { startNumber: "1", givenName: "Alena" });
    await nativeRegistration(server.db, activityId, { startNumber: "2", givenName: "Bára" });
    const { fetch: counted, requests } = countingFetch();
    const apollo = client(
      organizer.auth,
      (headers) => new HttpLink({ uri: `${server.url}/graphql`, headers, fetch: counted }),
    );

    const before = await apollo.query<any>({ query: START_LIST, variables: { activityId } });
    expect(before.data!.startList.entries.map((e: any) => e.startNumber)).toEqual(["1", "2"]);
    await apollo.query<any>({ query: REGISTRATIONS, variables: { activityId } });

    const sync = await apollo.mutate<any>({
      mutation: SYNC,
      variables: { activityId, items: [{ id: first.id, startNumber: "7" }] },
    });
    expect(sync.data!.syncRegistrations.applied).toBe(true);
    expect(sync.data!.syncRegistrations.results[0].syncResultType).toBe("Updated");
    const sent = requests.length;

    // Read from the cache only: the start list (StartList:<activity id>) was brought up to date by the mutation's answer.
    const cached = await apollo.query<any>({ query: START_LIST, variables: { activityId }, fetchPolicy: "cache-only" });
    expect(cached.data!.startList.entries.map((e: any) => [e.id, e.startNumber])).toEqual([
      [expect.any(String), "2"],
      [entryId(first.id), "7"],
    ]);
    // And the registration in the other query's page (Registration:<id>), which no mutation field selected by that query.
    const page = await apollo.query<any>({
      query: REGISTRATIONS,
      variables: { activityId },
      fetchPolicy: "cache-only",
    });
    expect(page.data!.activity.registrations.nodes.find((r: any) => r.id === first.id).startNumber).toBe("7");
    expect(requests.length).toBe(sent);
    expect(apollo.cache.identify({ __typename: "StartList", id: activityId })).toBe(`StartList:${activityId}`);
    expect(Object.keys(apollo.cache.extract() as object)).toEqual(
      expect.arrayContaining([
        `StartList:${activityId}`,
        `StartListEntry:${entryId(first.id)}`,
        `Registration:${first.id}`,
      ]),
    );
  });

  it("shows a corrected finish time in the cached results after syncResults, without a refetch", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await nativeRegistration(server.db, activityId, { startNumber: "1" });
    await nativeRegistration(server.db, activityId, { startNumber: "2" });
    const { fetch: counted, requests } = countingFetch();
    const apollo = client(
      organizer.auth,
      (headers) => new HttpLink({ uri: `${server.url}/graphql`, headers, fetch: counted }),
    );
    const SYNC_RESULTS = gql`
      mutation SyncResults($activityId: ID!, $items: [SyncResultInput!]!) {
        syncResults(activityId: $activityId, items: $items) {
          applied
          results {
            syncResultType
            result {
              id
              position
              time
            }
          }
        }
      }
    `;
    const RESULTS = gql`
      query Results($activityId: ID!) {
        activity(id: $activityId) {
          id
          results {
            nodes {
              id
              position
              time
            }
          }
        }
      }
    `;
    const items = [
      { startNumber: "1", position: 1, time: 600000 },
      { startNumber: "2", position: 2, time: 660000 },
    ];
    await apollo.mutate<any>({ mutation: SYNC_RESULTS, variables: { activityId, items } });
    const before = await apollo.query<any>({ query: RESULTS, variables: { activityId } });
    expect(before.data!.activity.results.nodes.map((n: any) => n.time)).toEqual([600000, 660000]);
    const corrected = await apollo.mutate<any>({
      mutation: SYNC_RESULTS,
      variables: { activityId, items: [items[0], { ...items[1], time: 659500 }] },
    });
    expect(corrected.data!.syncResults.results.map((r: any) => r.syncResultType)).toEqual(["Unchanged", "Updated"]);
    const sent = requests.length;
    // The Result:<id> entity the results query holds was brought up to date by the mutation's answer.
    const cached = await apollo.query<any>({ query: RESULTS, variables: { activityId }, fetchPolicy: "cache-only" });
    expect(cached.data!.activity.results.nodes.map((n: any) => n.time)).toEqual([600000, 659500]);
    expect(requests.length).toBe(sent);
  });

  it("sends concurrent queries as one BatchHttpLink batch, each answered, each counted against the key's quota", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await nativeRegistration(server.db, activityId, { startNumber: "5" });
    const { fetch: counted, requests } = countingFetch();
    const apollo = client(
      organizer.auth,
      (headers) =>
        new BatchHttpLink({ uri: `${server.url}/graphql`, headers, fetch: counted, batchMax: 10, batchInterval: 20 }),
    );

    const [list, registrations, viewer] = await Promise.all([
      apollo.query<any>({ query: START_LIST, variables: { activityId } }),
      apollo.query<any>({ query: REGISTRATIONS, variables: { activityId } }),
      apollo.query<any>({
        query: gql`
          {
            viewer {
              id
              account {
                id
              }
            }
          }
        `,
      }),
    ]);
    expect(list.data!.startList.entries.map((e: any) => e.startNumber)).toEqual(["5"]);
    expect(registrations.data!.activity.registrations.nodes).toHaveLength(1);
    expect(viewer.data!.viewer.account.id).toBe(organizer.accountId);
    expect(requests).toHaveLength(1);
    expect(JSON.parse(requests[0].body)).toHaveLength(3);
    // A fresh key: the batch of three took three of its 1000 requests.
    expect(requests[0].rateLimit).toMatch(/^"per-key";r=997;t=\d+$/);
  });

  it("refuses a batch of more than 10 operations with 400 naming the limit, and applies the depth limit to each operation", async () => {
    const { organizer } = await scenario(server.db);
    const post = (body: unknown) =>
      call(`${server.url}/graphql`, {
        method: "POST",
        headers: { Authorization: organizer.auth, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const tooMany = await post(Array.from({ length: 11 }, () => ({ query: "{ __typename }" })));
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.errors[0]).toMatchObject({ extensions: { code: "BATCH_TOO_LARGE", limit: 10 } });
    expect(tooMany.json.errors[0].message).toMatch(/at most 10 operations; this one has 11/);
    expect(tooMany.headers.get("ratelimit")).toBeNull();

    const deep = `{ viewer { organizations { events { activities { event { activities { event { activities { event { activities { event { activities { id } } } } } } } } } } } } }`;
    const mixed = await post([{ query: "{ viewer { id } }" }, { query: deep }]);
    expect(mixed.json).toHaveLength(2);
    expect(mixed.json[0].data.viewer.id).toEqual(expect.any(String));
    expect(mixed.json[1].errors[0].message).toMatch(/levels deep; the limit is 12/);
  });
});
