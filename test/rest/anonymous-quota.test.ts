// Callers without a key (keyless GraphQL, startlist.json, the start-list page) share a per-address quota a minute.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { scenario } from "../support/fixtures";
import { call, graphql } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

describe("configuration", () => {
  it("allows 300 keyless requests a minute from one address unless ANONYMOUS_REQUESTS_PER_MINUTE says otherwise", () => {
    expect(loadConfig({}).anonymousRequestsPerMinute).toBe(300);
    expect(loadConfig({ ANONYMOUS_REQUESTS_PER_MINUTE: "0" }).anonymousRequestsPerMinute).toBe(0);
    expect(() => loadConfig({ ANONYMOUS_REQUESTS_PER_MINUTE: "many" })).toThrow(
      /ANONYMOUS_REQUESTS_PER_MINUTE must be a whole number/,
    );
  });
});

describe("a server with ANONYMOUS_REQUESTS_PER_MINUTE=3", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ ANONYMOUS_REQUESTS_PER_MINUTE: "3" });
  });
  afterAll(() => server?.close());

  it("answers the address's fourth keyless request 429 with Retry-After, in each route's own format, and still serves keys", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const query = `query($id: ID!) { startList(activityId: $id) { activityName } }`;
    const json = () => call(`${server.url}/api/events/activities/${activityId}/startlist.json`);
    const page = () => call(`${server.url}/activities/${activityId}/startlist`);
    expect((await graphql(server.url, null, query, { id: activityId })).status).toBe(200);
    expect((await json()).status).toBe(200);
    expect((await page()).status).toBe(200);

    const keyless = await graphql(server.url, null, query, { id: activityId });
    expect(keyless.status).toBe(429);
    expect(Number(keyless.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(keyless.json.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^Too many requests without an access key from this address; retry after \d+ seconds$/,
        ),
        extensions: { code: "TOO_MANY_REQUESTS" },
      }),
    ]);

    const problem = await json();
    expect(problem.status).toBe(429);
    expect(problem.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(Number(problem.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(problem.json).toMatchObject({
      type: "/problems/too-many-requests",
      status: 429,
      detail: expect.stringMatching(/without an access key/),
    });

    const html = await page();
    expect(html.status).toBe(429);
    expect(html.headers.get("content-type")).toMatch(/^text\/html/);
    expect(Number(html.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(html.text).toContain("Příliš mnoho požadavků");

    // A key's requests count against the key's own quota, not the address's.
    const keyed = await graphql(server.url, organizer.auth, query, { id: activityId });
    expect(keyed.status).toBe(200);
    expect(keyed.json.data.startList.activityName).toEqual(expect.any(String));
  });
});
