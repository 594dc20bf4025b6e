// CORS (CORS_ORIGINS): a web app on another origin may call /graphql and /api, preflight included; off by default.
// The browser test serves a page from two other origins on loopback and lets real Chromium decide.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { browserSkipReason, collectProblems, launchChromium, noBrowser } from "../support/browser";
import { nativeRegistration, scenario } from "../support/fixtures";
import { call, registrationsUrl } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

/** A little web server standing for a front end's own origin: one empty page. */
async function pageServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res
      .writeHead(200, { "Content-Type": "text/html; charset=utf-8" })
      .end("<!doctype html><title>front end</title><p>front end</p>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A browser's preflight before a PUT with a key, a JSON body and an Idempotency-Key. */
function preflight(url: string, origin: string): Promise<Response> {
  return fetch(url, {
    method: "OPTIONS",
    headers: {
      Origin: origin,
      "Access-Control-Request-Method": "PUT",
      "Access-Control-Request-Headers": "authorization,content-type,idempotency-key",
    },
  });
}

describe("CORS off (the default)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it("sends no CORS headers and answers a REST preflight 404 as before", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const options = await preflight(registrationsUrl(server.url, activityId, "json"), "http://app.example");
    expect(options.status).toBe(404);
    expect(options.headers.get("access-control-allow-origin")).toBeNull();
    const get = await call(registrationsUrl(server.url, activityId, "json"), {
      headers: { Authorization: organizer.auth, Origin: "http://app.example" },
    });
    expect(get.status).toBe(200);
    expect(get.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("CORS_ORIGINS", () => {
  it("takes origins and *, and names each value that is not an origin", () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: "https://app.example.com, http://localhost:3000" }).corsOrigins).toEqual([
      "https://app.example.com",
      "http://localhost:3000",
    ]);
    expect(loadConfig({ CORS_ORIGINS: "*" }).corsOrigins).toEqual(["*"]);
    let message = "";
    try {
      loadConfig({
        CORS_ORIGINS: "https://app.example.com/, app.example.com,https://App.example.com:443,ftp://files.example,*x",
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(
      `"https://app.example.com/" is not an origin like https://app.example.com or http://localhost:3000 (did you mean https://app.example.com?)`,
    );
    expect(message).toContain(`"app.example.com" is not an origin`);
    expect(message).toContain(
      `"https://App.example.com:443" is not an origin like https://app.example.com or http://localhost:3000 (did you mean https://app.example.com?)`,
    );
    expect(message).toContain(`"ftp://files.example" is not an origin`);
    expect(message).toContain(`"*x" is not an origin`);
    expect(() => loadConfig({ CORS_ORIGINS: "*,https://app.example.com" })).toThrow(/CORS_ORIGINS must be \* alone/);
  });
});

describe("CORS_ORIGINS=*", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ CORS_ORIGINS: "*" });
  });
  afterAll(() => server.close());

  it("lets any origin call, never with credentials", async () => {
    const answer = await preflight(`${server.url}/graphql`, "http://anything.example:8080");
    expect(answer.status).toBe(204);
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect(answer.headers.get("access-control-allow-credentials")).toBeNull();
    const get = await call(`${server.url}/graphql?query=${encodeURIComponent("{ __typename }")}`, {
      headers: { Origin: "http://anything.example:8080", "apollo-require-preflight": "true" },
    });
    expect(get.json).toEqual({ data: { __typename: "Query" } });
    expect(get.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("CORS on", () => {
  let server: TestServer;
  let allowed: Awaited<ReturnType<typeof pageServer>>;
  let other: Awaited<ReturnType<typeof pageServer>>;
  beforeAll(async () => {
    allowed = await pageServer();
    other = await pageServer();
    server = await startServer({ CORS_ORIGINS: `https://app.example.com,${allowed.origin}` });
  });
  afterAll(async () => {
    await server.close();
    await allowed.close();
    await other.close();
  });

  it("answers a REST and a GraphQL preflight from an allowed origin with 204 and the headers a client sends", async () => {
    const { activityId } = await scenario(server.db);
    for (const url of [registrationsUrl(server.url, activityId, "json"), `${server.url}/graphql`]) {
      const answer = await preflight(url, "https://app.example.com");
      expect(answer.status, url).toBe(204);
      expect(answer.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
      expect(answer.headers.get("access-control-allow-methods")).toContain("PUT");
      expect(answer.headers.get("access-control-allow-headers")).toBe(
        "Authorization,Content-Type,Idempotency-Key,apollo-require-preflight,X-Request-Id",
      );
      expect(answer.headers.get("access-control-allow-credentials")).toBeNull();
      expect(answer.headers.get("vary")).toMatch(/Origin/);
    }
    const refused = await preflight(registrationsUrl(server.url, activityId, "json"), "https://evil.example");
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("names the readable headers on an answer to an allowed origin, and only to it", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const get = (origin: string) =>
      call(registrationsUrl(server.url, activityId, "json"), {
        headers: { Authorization: organizer.auth, Origin: origin },
      });
    const answer = await get("https://app.example.com");
    expect(answer.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(answer.headers.get("access-control-expose-headers")).toBe(
      "Sync-Summary,Idempotent-Replayed,Retry-After,RateLimit,RateLimit-Policy,X-Request-Id",
    );
    expect((await get("https://evil.example")).headers.get("access-control-allow-origin")).toBeNull();
  });

  it.skipIf(noBrowser)(
    `lets a page of an allowed origin call GraphQL and REST with a key in Chromium, and refuses another origin${browserSkipReason}`,
    async () => {
      const { organizer, activityId } = await scenario(server.db);
      const registration = await nativeRegistration(server.db, activityId, { startNumber: "8" });
      const browser = await launchChromium();
      try {
        // The page's own script makes the calls, as a front end's would: Authorization header, JSON body, Idempotency-Key.
        const calls = async (origin: string, startNumber: string) => {
          const page = await browser.newPage();
          const problems = collectProblems(page);
          await page.goto(`${origin}/`);
          const results = await page.evaluate(
            async ({ api, auth, activityId, registrationId, startNumber }: Record<string, string>) => {
              const attempt = async (run: () => Promise<unknown>) => {
                try {
                  return await run();
                } catch (error) {
                  return { refused: String(error) };
                }
              };
              const graphqlPost = await attempt(async () => {
                const response = await fetch(`${api}/graphql`, {
                  method: "POST",
                  headers: { Authorization: auth, "Content-Type": "application/json" },
                  body: JSON.stringify({
                    query: "query ($id: ID!) { activity(id: $id) { startList { id entries { startNumber } } } }",
                    variables: { id: activityId },
                  }),
                });
                return {
                  status: response.status,
                  body: await response.json(),
                  rateLimit: response.headers.get("RateLimit"),
                };
              });
              const graphqlGet = await attempt(async () => {
                const query = encodeURIComponent(
                  `{ startList(activityId: "${activityId}") { entries { startNumber } } }`,
                );
                const response = await fetch(`${api}/graphql?query=${query}`, {
                  headers: { "apollo-require-preflight": "true" },
                });
                return { status: response.status, body: await response.json() };
              });
              const restPut = await attempt(async () => {
                const response = await fetch(`${api}/api/events/activities/${activityId}/registrations.json`, {
                  method: "PUT",
                  headers: {
                    Authorization: auth,
                    "Content-Type": "application/json",
                    "Idempotency-Key": `cors-${Date.now()}`,
                  },
                  body: JSON.stringify([{ id: registrationId, startNumber }]),
                });
                return {
                  status: response.status,
                  body: await response.json(),
                  syncSummary: response.headers.get("Sync-Summary"),
                  rateLimitPolicy: response.headers.get("RateLimit-Policy"),
                };
              });
              return { graphqlPost, graphqlGet, restPut };
            },
            { api: server.url, auth: organizer.auth, activityId, registrationId: registration.id, startNumber },
          );
          await page.close();
          return { results, problems };
        };

        const fromAllowed = await calls(allowed.origin, "9");
        expect(fromAllowed.results.graphqlPost).toEqual({
          status: 200,
          body: { data: { activity: { startList: { id: activityId, entries: [{ startNumber: "8" }] } } } },
          rateLimit: expect.stringMatching(/^"per-key";r=\d+;t=\d+$/),
        });
        expect(fromAllowed.results.graphqlGet).toEqual({
          status: 200,
          body: { data: { startList: { entries: [{ startNumber: "8" }] } } },
        });
        expect(fromAllowed.results.restPut).toMatchObject({
          status: 200,
          body: [{ id: registration.id, startNumber: "9", syncResultType: "Updated" }],
          syncSummary: expect.stringContaining("Updated=1"),
          rateLimitPolicy: `"per-key";q=100000;w=60`,
        });
        expect(fromAllowed.problems).toEqual([]);

        const fromOther = await calls(other.origin, "10");
        for (const name of ["graphqlPost", "graphqlGet", "restPut"] as const) {
          expect(fromOther.results[name], name).toEqual({ refused: "TypeError: Failed to fetch" });
        }
        expect(fromOther.problems.join("\n")).toMatch(/blocked by CORS policy/);
        // The refused PUT's preflight failed, so the PUT itself was never sent.
        const stored = await call(registrationsUrl(server.url, activityId, "json"), {
          headers: { Authorization: organizer.auth },
        });
        expect(stored.json[0].startNumber).toBe("9");
      } finally {
        await browser.close();
      }
    },
  );
});
