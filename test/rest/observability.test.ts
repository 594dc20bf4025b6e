// What operators see (issue 6): JSON logs with the request id, health and readiness, Prometheus metrics, .env.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { loadConfig, loadEnvFile, ConfigError } from "../../src/config";
import { openDatabase } from "../../src/db/data-source";
import { readiness } from "../../src/observability/readiness";
import { organizationWithMember, scenario } from "../support/fixtures";
import { call, getRegistrations, putJson } from "../support/http";
import { startServer, temporaryDataDir, type TestServer } from "../support/test-server";

let server: TestServer;
const lines: string[] = [];
beforeAll(async () => {
  server = await startServer(
    { LOG_LEVEL: "info" },
    { logDestination: { write: (line: string) => void lines.push(line) } },
  );
});
afterAll(() => server.close());

const logged = () =>
  lines.map((line) => JSON.parse(line) as { requestId?: string; res?: { statusCode: number }; req?: { url: string } });

describe("logs and request ids", () => {
  it("writes one JSON line per request with the id it echoes in X-Request-Id and puts in problem documents", async () => {
    const s = await scenario(server.db);
    const ok = await getRegistrations(server.url, s.activityId, s.organizer.auth);
    const id = ok.headers.get("x-request-id")!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const problem = await call(`${server.url}/api/events/activities/${s.activityId}/registrations.json`, {
      headers: { "X-Request-Id": "client-chosen.42" },
    });
    expect(problem.status).toBe(401);
    expect(problem.headers.get("x-request-id")).toBe("client-chosen.42");
    expect(problem.json.requestId).toBe("client-chosen.42");
    // An id that does not look like one is replaced.
    const odd = await call(`${server.url}/healthz`, { headers: { "X-Request-Id": "<script>" } });
    expect(odd.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);

    await new Promise((resolve) => setTimeout(resolve, 50));
    const entries = logged();
    expect(entries.filter((entry) => typeof entry.requestId !== "string")).toEqual([]);
    expect(entries.find((entry) => entry.requestId === id)).toMatchObject({ res: { statusCode: 200 } });
    expect(entries.find((entry) => entry.requestId === "client-chosen.42")).toMatchObject({ res: { statusCode: 401 } });
  });
});

describe("health and readiness", () => {
  it("answers /healthz and /readyz, and /readyz says why when the database is gone", async () => {
    expect((await call(`${server.url}/healthz`)).json).toEqual({ status: "ok" });
    expect(await call(`${server.url}/readyz`)).toMatchObject({ status: 200, json: { status: "ready" } });
    const databaseUrl = inject("databaseUrl");
    const gone = await openDatabase({ databaseUrl: databaseUrl ?? undefined, dataDir: temporaryDataDir() });
    await gone.destroy();
    expect(await readiness(gone)).toMatchObject({
      ready: false,
      detail: expect.stringMatching(/^database unreachable/),
    });
  });
});

describe("Prometheus metrics", () => {
  const sample = (text: string, metric: string, labels: string) =>
    Number(new RegExp(`^${metric}\\{${labels}\\} (\\S+)$`, "m").exec(text)?.[1] ?? 0);

  it("count requests by route pattern and status, and synced rows by result", async () => {
    const s = await scenario(server.db);
    const before = (await call(`${server.url}/metrics`)).text;
    const items = Array.from({ length: 7 }, (_, i) => ({
      person: { givenName: "Metr", surname: `Ika${i}`, sex: "Female", birthDate: "2000-01-01" },
    }));
    expect((await putJson(server.url, s.activityId, s.organizer.auth, items)).status).toBe(200);
    const after = await call(`${server.url}/metrics`);
    expect(after.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(
      sample(after.text, "regsync_rows_synced_total", 'synced="registrations",result="Created"') -
        sample(before, "regsync_rows_synced_total", 'synced="registrations",result="Created"'),
    ).toBe(7);
    const route = 'method="PUT",route="/api/events/activities/:activityId/registrations.:format",status="200"';
    expect(sample(after.text, "regsync_http_requests_total", route)).toBeGreaterThanOrEqual(1);
    // A route that failed is labelled as the one that answered: one series per route, not /api/… and /events/….
    const outsider = await organizationWithMember(server.db);
    expect((await putJson(server.url, s.activityId, outsider.auth, items)).status).toBe(404);
    expect(
      sample((await call(`${server.url}/metrics`)).text, "regsync_http_requests_total", route.replace("200", "404")),
    ).toBeGreaterThanOrEqual(1);
    expect(after.text).toMatch(/^regsync_http_request_duration_seconds_bucket\{le="0.005",method="PUT"/m);
    // Ids never become labels.
    expect(after.text).not.toContain(s.activityId);
    if (inject("databaseUrl")) expect(after.text).toMatch(/^regsync_db_pool_connections \d+$/m);
  });
});

describe("configuration", () => {
  it("reads .env without overriding the environment, and names every wrong value in one message", () => {
    const dir = temporaryDataDir();
    const file = path.join(dir, "test.env");
    fs.writeFileSync(file, "REGSYNC_TEST_FROM_FILE=file\nREGSYNC_TEST_BOTH=file\n");
    process.env.REGSYNC_TEST_BOTH = "environment";
    try {
      loadEnvFile({ ENV_FILE: file });
      expect([process.env.REGSYNC_TEST_FROM_FILE, process.env.REGSYNC_TEST_BOTH]).toEqual(["file", "environment"]);
    } finally {
      delete process.env.REGSYNC_TEST_FROM_FILE;
      delete process.env.REGSYNC_TEST_BOTH;
    }
    let message = "";
    try {
      loadConfig({ PORT: "eighty", LOG_LEVEL: "loud", GRAPHQL_MAX_DEPTH: "0" });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message.split("\n").filter((line) => line.startsWith("- "))).toEqual([
      expect.stringContaining("PORT"),
      expect.stringContaining("GRAPHQL_MAX_DEPTH"),
      expect.stringContaining("LOG_LEVEL"),
    ]);
  });
});
