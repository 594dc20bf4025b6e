// Security headers (helmet) on every answer: data, errors, GraphQL, health; GraphiQL keeps its own CSP.
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { securityHeaders } from "../../src/rest/security-headers";
import { scenario } from "../support/fixtures";
import { call, getRegistrations, graphql, registrationsUrl, type Reply } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

function expectApiHeaders(reply: Reply, what: string) {
  const h = reply.headers;
  expect(h.get("x-content-type-options"), what).toBe("nosniff");
  expect(h.get("referrer-policy"), what).toBe("no-referrer");
  expect(h.get("x-frame-options"), what).toBe("DENY");
  expect(h.get("content-security-policy"), what).toBe("default-src 'none';frame-ancestors 'none'");
  expect(h.get("cross-origin-resource-policy"), what).toBe("same-origin");
  expect(h.get("x-powered-by"), what).toBeNull();
  // TLS ends in front of this server: no HSTS unless asked for.
  expect(h.get("strict-transport-security"), what).toBeNull();
}

describe("security headers", () => {
  it("are on every kind of answer: data, CSV, problems, GraphQL, the start list, health and unknown routes", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const answers: Record<string, Reply> = {
      json: await getRegistrations(server.url, activityId, organizer.auth),
      csv: await getRegistrations(server.url, activityId, organizer.auth, "csv"),
      unauthorized: await call(registrationsUrl(server.url, activityId, "json")),
      notFound: await getRegistrations(server.url, "000000000000000000000000", organizer.auth),
      graphql: await graphql(server.url, organizer.auth, "{ viewer { account { id } } }"),
      graphqlUnauthenticated: await graphql(server.url, null, "{ viewer { account { id } } }"),
      startList: await call(`${server.url}/api/events/activities/${activityId}/startlist.json`),
      health: await call(`${server.url}/healthz`),
      unknownRoute: await call(`${server.url}/api/nothing-here`),
      asset: await call(`${server.url}/graphql/assets/graphiql.min.css`),
    };
    expect(answers.json.status).toBe(200);
    expect(answers.unauthorized.status).toBe(401);
    for (const [what, reply] of Object.entries(answers)) expectApiHeaders(reply, what);
  });

  it("leave the GraphiQL page its own policy, which lets it load its scripts and call /graphql", async () => {
    const page = await call(`${server.url}/graphql`, { headers: { Accept: "text/html" } });
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("send Strict-Transport-Security when HSTS_MAX_AGE_SECONDS is set, for this host only", async () => {
    const app = express()
      .use(securityHeaders({ hstsMaxAgeSeconds: 31_536_000 }))
      .get("/", (_req, res) => void res.json({}));
    const listening = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => listening.once("listening", resolve));
    try {
      const reply = await call(`http://127.0.0.1:${(listening.address() as AddressInfo).port}/`);
      expect(reply.headers.get("strict-transport-security")).toBe("max-age=31536000");
    } finally {
      await new Promise((resolve) => listening.close(resolve));
    }
  });
});
