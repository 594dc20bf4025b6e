// No N+1: a page of registrations with person, activity, event and organizer costs the same small
// number of SQL statements for 10 rows as for 1,000 (DataLoader per request).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scenario } from "../support/fixtures";
import { graphql, putJson } from "../support/http";
import { countStatements } from "../support/statement-counter";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const PAGE = `query($activityId: ID!, $first: Int) {
  registrations(activityId: $activityId, first: $first) {
    totalCount
    nodes {
      id code startNumber state
      person { id name birthDate country }
      activity { id name event { id name organizer { id name } } organizer { id kind } }
    }
  } }`;

describe("statements per page", () => {
  it("costs the same for 10 rows as for 1,000", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const items = Array.from({ length: 1000 }, (_, i) => ({
      externalId: `N-${i}`,
      startNumber: String(i + 1),
      person: { givenName: "Běžec", surname: `Číslo${i}`, sex: i % 2 ? "Male" : "Female", birthDate: "1990-01-01" },
    }));
    expect((await putJson(server.url, activityId, organizer.auth, items)).status).toBe(200);

    const run = async (first: number) => {
      let nodes = 0;
      const counted = await countStatements(server.db, async () => {
        const reply = await graphql(server.url, organizer.auth, PAGE, { activityId, first });
        expect(reply.json.errors).toBeUndefined();
        nodes = reply.json.data.registrations.nodes.length;
      });
      return { nodes, ...counted };
    };
    const small = await run(10);
    const large = await run(1000);
    expect([small.nodes, large.nodes]).toEqual([10, 1000]);
    console.log(`SQL statements for a page of 10: ${small.count}; for a page of 1000: ${large.count}`);
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(10);
  });
});
