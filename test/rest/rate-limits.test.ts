// Rate limits (SPEC §5: throttled clients get 429 with Retry-After): failed authentications per key
// name and per client address, and requests per access key, over REST and GraphQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { createAccessKey } from "../../src/services/access-keys";
import { basic, organizationWithMember, scenario, type Member } from "../support/fixtures";
import { call, getRegistrations, graphql, registrationsUrl, type Reply } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

const nameOf = (member: Member) => member.key.split(":")[0];
const wrongSecret = (member: Member) => basic(`${nameOf(member)}:not-the-secret-not-the-secret`);

/** A REST GET as a client at `address` (honoured only where TRUST_PROXY trusts the test's loopback connection). */
function getAs(server: TestServer, activityId: string, auth: string, address: string): Promise<Reply> {
  return call(registrationsUrl(server.url, activityId, "json"), {
    headers: { Authorization: auth, "X-Forwarded-For": address },
  });
}

function expectTooManyRequests(reply: Reply, atMostSeconds: number) {
  expect(reply.status, reply.text).toBe(429);
  const retryAfter = reply.headers.get("retry-after") ?? "";
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(atMostSeconds);
}

describe("failed authentications", () => {
  let server: TestServer;
  beforeAll(async () => {
    // Each test claims its own client address through X-Forwarded-For, trusted from loopback only.
    server = await startServer({
      AUTH_FAILURES_PER_KEY_NAME: "3",
      AUTH_FAILURES_PER_ADDRESS: "6",
      TRUST_PROXY: "loopback",
    });
  });
  afterAll(() => server.close());

  it("refuses a key name from an address with 429 and Retry-After after 3 failures there, even with the right secret, and not another key name", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const colleague = await organizationWithMember(server.db);
    for (let i = 0; i < 3; i++)
      expect((await getAs(server, activityId, wrongSecret(organizer), "192.0.2.1")).status).toBe(401);

    const refused = await getAs(server, activityId, wrongSecret(organizer), "192.0.2.1");
    expectTooManyRequests(refused, 900);
    expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(refused.json).toMatchObject({ status: 429, title: "Too Many Requests" });
    // The secret is not even checked: the right one is refused too from that address, over REST and GraphQL.
    expectTooManyRequests(await getAs(server, activityId, organizer.auth, "192.0.2.1"), 900);
    const overGraphql = await call(`${server.url}/graphql`, {
      method: "POST",
      headers: { Authorization: organizer.auth, "Content-Type": "application/json", "X-Forwarded-For": "192.0.2.1" },
      body: JSON.stringify({ query: "{ viewer { account { id } } }" }),
    });
    expectTooManyRequests(overGraphql, 900);
    expect(overGraphql.json.errors.map((e: any) => e.extensions.code)).toEqual(["TOO_MANY_REQUESTS"]);
    expect(overGraphql.json.data).toBeUndefined();

    // Another key name from the same address is untouched.
    expect((await getAs(server, activityId, wrongSecret(colleague), "192.0.2.1")).status).toBe(401);
    expect((await graphql(server.url, colleague.auth, "{ viewer { account { id } } }")).status).toBe(200);
  });

  it("does not let a stranger who knows a key's name lock its holder out", async () => {
    const { organizer, activityId } = await scenario(server.db);
    // The name is no secret: createAccessKey refuses a name in use, whoever holds it.
    for (let i = 0; i < 5; i++) await getAs(server, activityId, wrongSecret(organizer), "192.0.2.10");
    expectTooManyRequests(await getAs(server, activityId, wrongSecret(organizer), "192.0.2.10"), 900);
    // The holder, from its own address, gets in, and its own mistakes are its own count.
    expect((await getAs(server, activityId, organizer.auth, "192.0.2.11")).status).toBe(200);
    expect((await getAs(server, activityId, wrongSecret(organizer), "192.0.2.11")).status).toBe(401);
    // Another address of the stranger's IPv6 /64 is the same stranger.
    for (let i = 0; i < 3; i++)
      expect((await getAs(server, activityId, wrongSecret(organizer), `2001:db8:a:b::${i + 1}`)).status).toBe(401);
    expectTooManyRequests(await getAs(server, activityId, wrongSecret(organizer), "2001:db8:a:b:ffff::9"), 900);
    expect((await getAs(server, activityId, wrongSecret(organizer), "2001:db8:a:c::1")).status).toBe(401);
  });

  it("counts 100 parallel guesses for one key name before checking them: at most 3 get past, the right secret among them or not", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const holder = await organizationWithMember(server.db);
    const guesses = Array.from({ length: 100 }, (_, i) =>
      getAs(
        server,
        activityId,
        i === 99 ? organizer.auth : basic(`${nameOf(organizer)}:guess-number-${i}-guess`),
        "192.0.2.20",
      ),
    );
    // Meanwhile another key's holder sends 20 requests at once with its fresh key: they share one check.
    const own = Array.from({ length: 20 }, () => getAs(server, activityId, holder.auth, "192.0.2.21"));
    const answers = await Promise.all(guesses);
    const statuses = answers.map((reply) => reply.status);
    expect(statuses.filter((status) => status !== 429).length, statuses.join()).toBeLessThanOrEqual(3);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(97);
    expect(new Set(statuses.filter((status) => status !== 429))).not.toContain(500);
    expect((await Promise.all(own)).map((reply) => reply.status)).toEqual(Array(20).fill(404));
  });

  it("answers a key name with a NUL or another control character 401, like any wrong key, and counts it", async () => {
    const { organizer, activityId } = await scenario(server.db);
    for (const name of ["demo\u0000owner", "key\u0001", "tab\tname", "del\u007f"]) {
      const reply = await getAs(server, activityId, basic(`${name}:whatever-whatever`), "192.0.2.30");
      expect(reply.status, name).toBe(401);
      expect(reply.headers.get("www-authenticate")).toMatch(/^Basic /);
    }
    for (let i = 0; i < 2; i++)
      expect((await getAs(server, activityId, basic("nul\u0000:whatever-whatever"), "192.0.2.30")).status).toBe(401);
    expectTooManyRequests(await getAs(server, activityId, organizer.auth, "192.0.2.30"), 900);
  });

  it("does not count successful authentications", async () => {
    const { organizer, activityId } = await scenario(server.db);
    for (let i = 0; i < 10; i++)
      expect((await getAs(server, activityId, organizer.auth, "192.0.2.2")).status).toBe(200);
    for (let i = 0; i < 3; i++)
      expect((await getAs(server, activityId, wrongSecret(organizer), "192.0.2.2")).status).toBe(401);
    expect((await getAs(server, activityId, wrongSecret(organizer), "192.0.2.2")).status).toBe(429);
    // The right secret, verified moments ago, costs no hash check and is not refused.
    expect((await getAs(server, activityId, organizer.auth, "192.0.2.2")).status).toBe(200);
  });

  it("refuses an address with 429 after 6 failures, whatever key names it tries, and not another address", async () => {
    const { organizer, activityId } = await scenario(server.db);
    for (let i = 0; i < 6; i++) {
      expect(
        (await getAs(server, activityId, basic(`guess-${i}-${Date.now()}:whatever-whatever`), "192.0.2.3")).status,
      ).toBe(401);
    }
    expectTooManyRequests(
      await getAs(server, activityId, basic(`guess-next-${Date.now()}:whatever-whatever`), "192.0.2.3"),
      900,
    );
    expectTooManyRequests(await getAs(server, activityId, organizer.auth, "192.0.2.3"), 900);
    expect((await getAs(server, activityId, organizer.auth, "192.0.2.4")).status).toBe(200);
    // A request without a key is no attempt: it gets its 401, and the public start list stays public.
    expect(
      (await call(registrationsUrl(server.url, activityId, "json"), { headers: { "X-Forwarded-For": "192.0.2.3" } }))
        .status,
    ).toBe(401);
    expect(
      (
        await call(`${server.url}/api/events/activities/${activityId}/startlist.json`, {
          headers: { "X-Forwarded-For": "192.0.2.3" },
        })
      ).status,
    ).toBe(200);
  });

  it("counts malformed Authorization headers against the address", async () => {
    const { organizer, activityId } = await scenario(server.db);
    for (let i = 0; i < 6; i++) expect((await getAs(server, activityId, "Basic !!!", "192.0.2.5")).status).toBe(401);
    expect((await getAs(server, activityId, organizer.auth, "192.0.2.5")).status).toBe(429);
  });
});

describe("requests per key, and the address without a trusted proxy", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      REQUESTS_PER_KEY_PER_MINUTE: "3",
      AUTH_FAILURES_PER_ADDRESS: "2",
      AUTH_FAILURE_WINDOW_SECONDS: "2",
    });
  });
  afterAll(() => server.close());

  it("throttles a key after 3 requests a minute, over REST and GraphQL alike, and not another key of the same account", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const other = await createAccessKey(server.db, organizer.accountId);
    expect((await getRegistrations(server.url, activityId, organizer.auth)).status).toBe(200);
    expect((await graphql(server.url, organizer.auth, "{ viewer { account { id } } }")).status).toBe(200);
    expect((await getRegistrations(server.url, activityId, organizer.auth)).status).toBe(200);
    const rest = await getRegistrations(server.url, activityId, organizer.auth);
    expectTooManyRequests(rest, 60);
    expect(rest.json).toMatchObject({ status: 429 });
    const overGraphql = await graphql(server.url, organizer.auth, "{ viewer { account { id } } }");
    expectTooManyRequests(overGraphql, 60);
    expect(overGraphql.json.errors[0].extensions.code).toBe("TOO_MANY_REQUESTS");
    expect((await getRegistrations(server.url, activityId, basic(`${other.name}:${other.secret}`))).status).toBe(200);
  });

  it("counts the connection's address, not X-Forwarded-For, unless TRUST_PROXY; and lets it in again after Retry-After", async () => {
    const { organizer, activityId } = await scenario(server.db);
    expect((await getAs(server, activityId, basic("guess-a:whatever-whatever"), "198.51.100.1")).status).toBe(401);
    expect((await getAs(server, activityId, basic("guess-b:whatever-whatever"), "198.51.100.2")).status).toBe(401);
    const refused = await getAs(server, activityId, organizer.auth, "198.51.100.3");
    expectTooManyRequests(refused, 2);
    await new Promise((resolve) => setTimeout(resolve, Number(refused.headers.get("retry-after")) * 1000 + 100));
    expect((await getRegistrations(server.url, activityId, organizer.auth)).status).toBe(200);
  });
});

describe("configuration", () => {
  it("has limits on by default and names a wrong TRUST_PROXY", () => {
    expect(loadConfig({})).toMatchObject({
      authFailuresPerKeyName: 10,
      authFailuresPerAddress: 50,
      authFailureWindowSeconds: 900,
      requestsPerKeyPerMinute: 1200,
      trustProxy: false,
      hstsMaxAgeSeconds: 0,
    });
    expect(loadConfig({ TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: "loopback, 10.0.0.0/8" }).trustProxy).toBe("loopback, 10.0.0.0/8");
    expect(() => loadConfig({ TRUST_PROXY: "proxy.example" })).toThrow(/TRUST_PROXY must be/);
    expect(() => loadConfig({ AUTH_FAILURE_WINDOW_SECONDS: "0" })).toThrow(
      /AUTH_FAILURE_WINDOW_SECONDS must be at least 1/,
    );
  });
});
