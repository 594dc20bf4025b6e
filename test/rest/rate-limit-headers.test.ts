// RateLimit-Policy and RateLimit (IETF httpapi draft) on every keyed answer, REST and GraphQL, so that a client
// can slow down before it is refused; a 429 carries them (r=0) with Retry-After.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeRegistration, scenario } from "../support/fixtures";
import { call, getRegistrations, graphql, putJson, type Reply } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

/** The RateLimit header's remaining requests and seconds to the reset. */
function quotaOf(reply: Reply): { r: number; t: number } {
  expect(reply.headers.get("ratelimit-policy"), reply.text).toBe(`"per-key";q=6;w=60`);
  const match = /^"per-key";r=(\d+);t=(\d+)$/.exec(reply.headers.get("ratelimit") ?? "");
  expect(match, `RateLimit: ${reply.headers.get("ratelimit")}`).not.toBeNull();
  const [r, t] = [Number(match![1]), Number(match![2])];
  expect(t).toBeGreaterThanOrEqual(1);
  expect(t).toBeLessThanOrEqual(60);
  return { r, t };
}

describe("rate-limit headers", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ REQUESTS_PER_KEY_PER_MINUTE: "6" });
  });
  afterAll(() => server.close());

  it("count down over REST and GraphQL answers, a GraphQL batch counting each operation, then come with the 429s", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const registration = await nativeRegistration(server.db, activityId);
    expect(quotaOf(await getRegistrations(server.url, activityId, organizer.auth)).r).toBe(5);
    expect(quotaOf(await graphql(server.url, organizer.auth, "{ viewer { id } }")).r).toBe(4);
    // A failing answer is an answer too.
    const rejected = await putJson(server.url, activityId, organizer.auth, [
      { id: registration.id, startNumber: "x".repeat(500) },
    ]);
    expect(rejected.status).toBe(422);
    expect(quotaOf(rejected).r).toBe(3);
    const batch = await call(`${server.url}/graphql`, {
      method: "POST",
      headers: { Authorization: organizer.auth, "Content-Type": "application/json" },
      body: JSON.stringify([{ query: "{ viewer { id } }" }, { query: "{ __typename }" }]),
    });
    expect(batch.json).toHaveLength(2);
    expect(quotaOf(batch).r).toBe(1);
    const last = await getRegistrations(server.url, activityId, organizer.auth);
    expect(last.status).toBe(200);
    expect(quotaOf(last).r).toBe(0);

    for (const refused of [
      await getRegistrations(server.url, activityId, organizer.auth),
      await graphql(server.url, organizer.auth, "{ viewer { id } }"),
    ]) {
      expect(refused.status).toBe(429);
      const { r, t } = quotaOf(refused);
      expect(r).toBe(0);
      expect(Number(refused.headers.get("retry-after"))).toBe(t);
    }
  });

  it("are not sent without a key, with a wrong key, or on the public start list", async () => {
    const { activityId } = await scenario(server.db);
    const answers = [
      await call(`${server.url}/api/events/activities/${activityId}/registrations.json`),
      await getRegistrations(server.url, activityId, "Basic d3Jvbmc6d3Jvbmctd3Jvbmctd3Jvbmc="),
      await call(`${server.url}/api/events/activities/${activityId}/startlist.json`),
      await graphql(server.url, null, `{ startList(activityId: "${activityId}") { id } }`),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 200, 200]);
    for (const answer of answers) {
      expect(answer.headers.get("ratelimit")).toBeNull();
      expect(answer.headers.get("ratelimit-policy")).toBeNull();
    }
  });
});

describe("rate-limit headers with the per-key limit off", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ REQUESTS_PER_KEY_PER_MINUTE: "0" });
  });
  afterAll(() => server.close());

  it("are not sent", async () => {
    const { organizer, activityId } = await scenario(server.db);
    for (const answer of [
      await getRegistrations(server.url, activityId, organizer.auth),
      await graphql(server.url, organizer.auth, "{ viewer { id } }"),
    ]) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get("ratelimit")).toBeNull();
      expect(answer.headers.get("ratelimit-policy")).toBeNull();
    }
  });
});
