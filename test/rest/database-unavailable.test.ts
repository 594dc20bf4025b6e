// When the database cannot serve a request for now (it is down, a statement ran too long, or a batch kept
// deadlocking), every caller gets 503 with Retry-After and a message that names no host, port or SQL
// (issue 12); a batch that deadlocks once is run again and succeeds. PostgreSQL only: the embedded
// database lives inside the server process, has one session (no deadlocks) and ignores statement_timeout.
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Client } from "pg";
import { scenario, type Scenario } from "../support/fixtures";
import { call, getRegistrations, graphql, putJson, type Reply } from "../support/http";
import { tcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { startServer, type TestServer } from "../support/test-server";
import { waitFor } from "../support/wait-for";

const databaseUrl = inject("databaseUrl");
const POSTGRES_ONLY = "(PostgreSQL only)";

/** Nothing in the answer tells where the database is or what it was asked. */
function expectNoInternals(reply: Reply) {
  expect(reply.text).not.toMatch(/ECONN|127\.0\.0\.1|5432|connect |SELECT|INSERT|UPDATE|statement timeout|deadlock/i);
}

function expectProblem503(reply: Reply) {
  expect(reply.status, reply.text).toBe(503);
  expect(Number(reply.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(reply.json).toMatchObject({ type: "/problems/service-unavailable", status: 503 });
  expectNoInternals(reply);
}

function expectGraphql503(reply: Reply) {
  expect(reply.status, reply.text).toBe(503);
  expect(Number(reply.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(reply.json.errors[0].extensions.code).toBe("SERVICE_UNAVAILABLE");
  expectNoInternals(reply);
}

describe("a database outage", () => {
  let proxy: TcpProxy;
  let server: TestServer;
  let s: Scenario;
  const logs: string[] = [];

  beforeAll(async () => {
    if (!databaseUrl) return;
    const target = new URL(databaseUrl);
    proxy = await tcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const logDestination = new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    });
    server = await startServer({ DATABASE_URL: proxy.url(databaseUrl), LOG_LEVEL: "info" }, { logDestination });
    s = await scenario(server.db);
  });
  afterAll(async () => {
    await proxy?.resume().catch(() => undefined);
    await server?.close();
    await proxy?.close();
  });

  it.skipIf(!databaseUrl)(
    `answers 503 with Retry-After and a generic message everywhere, and serves again once the database is back ${POSTGRES_ONLY}`,
    async () => {
      expect((await getRegistrations(server.url, s.activityId, s.organizer.auth)).status).toBe(200);
      await proxy.cut();

      expectProblem503(await getRegistrations(server.url, s.activityId, s.organizer.auth));
      expectProblem503(
        await putJson(server.url, s.activityId, s.organizer.auth, [
          {
            externalId: "outage-1",
            person: { givenName: "Olga", surname: "Výpadková", sex: "Female", birthDate: "1970-01-01" },
          },
        ]),
      );
      expectGraphql503(
        await graphql(
          server.url,
          s.organizer.auth,
          `
            query ($id: ID!) {
              activity(id: $id) {
                name
              }
            }
          `,
          { id: s.activityId },
        ),
      );
      expectGraphql503(
        await graphql(
          server.url,
          null,
          `
            query ($id: ID!) {
              startList(activityId: $id) {
                entries {
                  name
                }
              }
            }
          `,
          { id: s.activityId },
        ),
      );

      const ready = await call(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.json).toEqual({ status: "not ready", detail: "database unreachable" });

      const page = await call(`${server.url}/activities/${s.activityId}/startlist`);
      expect(page.status).toBe(503);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      expect(Number(page.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(page.text).toContain("dočasně nedostupná");
      expectNoInternals(page);

      // The results too: the keyed download and the public list as problems, the page as a page.
      const results = `${server.url}/api/events/activities/${s.activityId}`;
      expectProblem503(await call(`${results}/results.json`, { headers: { Authorization: s.organizer.auth } }));
      expectProblem503(await call(`${results}/publicresults.json`));
      const resultsPage = await call(`${server.url}/activities/${s.activityId}/results`);
      expect(resultsPage.status).toBe(503);
      expect(resultsPage.headers.get("content-type")).toMatch(/^text\/html/);
      expect(Number(resultsPage.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(resultsPage.text).toContain("Výsledky jsou dočasně nedostupné");
      expectNoInternals(resultsPage);

      // The operator still learns why, from the log.
      expect(logs.join("")).toMatch(/ECONNREFUSED|Connection terminated/);

      await proxy.resume();
      const back = await waitFor(
        async () => {
          const reply = await getRegistrations(server.url, s.activityId, s.organizer.auth);
          return reply.status === 200 && reply;
        },
        { timeoutMs: 15_000, intervalMs: 50, what: "the server to serve again once the database is back" },
      );
      expect(back.status).toBe(200);
      expect((await call(`${server.url}/readyz`)).status).toBe(200);
    },
  );
});

describe("a statement that runs longer than STATEMENT_TIMEOUT_MS", () => {
  let server: TestServer;
  let pg: Client;

  beforeAll(async () => {
    if (!databaseUrl) return;
    server = await startServer({ STATEMENT_TIMEOUT_MS: "500" });
    pg = new Client({ connectionString: databaseUrl });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end();
    await server?.close();
  });

  it.skipIf(!databaseUrl)(`is cancelled, and the request answers 503 with Retry-After ${POSTGRES_ONLY}`, async () => {
    const { organizer, activityId } = await scenario(server.db);
    expect((await getRegistrations(server.url, activityId, organizer.auth)).status).toBe(200);
    // Another session holds the activity's lock, so the batch's first statement waits for it.
    await pg.query("BEGIN");
    await pg.query("SELECT 1 FROM activity WHERE id = $1 FOR UPDATE", [activityId]);
    try {
      const sent = Date.now();
      const reply = await putJson(server.url, activityId, organizer.auth, [
        {
          externalId: "slow-1",
          person: { givenName: "Tomáš", surname: "Pomalý", sex: "Male", birthDate: "1980-05-05" },
        },
      ]);
      expectProblem503(reply);
      expect(Date.now() - sent).toBeLessThan(10_000);
    } finally {
      await pg.query("ROLLBACK");
    }
    expect((await getRegistrations(server.url, activityId, organizer.auth)).json).toEqual([]);
  });
});

describe("a batch that deadlocks with another transaction", () => {
  let server: TestServer;
  let pg: Client;

  beforeAll(async () => {
    if (!databaseUrl) return;
    server = await startServer();
    pg = new Client({ connectionString: databaseUrl });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end();
    await server?.close();
  });

  /**
   * An imported runner whose name the next batch changes: the batch locks the activity, then waits for
   * the person, which another session (`pg`) holds and which then asks for the activity: a deadlock.
   * PostgreSQL breaks it by failing the session that has waited longest, the batch.
   */
  async function importedRunner() {
    const { organizer, activityId } = await scenario(server.db);
    const person = { givenName: "Zdeněk", surname: "Zablokovaný", sex: "Male", birthDate: "1975-07-07" };
    const created = await putJson(server.url, activityId, organizer.auth, [{ externalId: "deadlock-1", person }]);
    expect(created.status).toBe(200);
    const rename = [{ externalId: "deadlock-1", person: { ...person, surname: "Odblokovaný" } }];
    return { organizer, activityId, personId: created.json[0].person.id as string, rename };
  }

  /**
   * Waits until the batch waits for the person's lock, then closes the circle; returns once the batch has been failed,
   * or at once when `answered` says the request has already been answered (it will wait for no lock again).
   */
  async function deadlockOnce(activityId: string, answered = () => false): Promise<void> {
    const batchWaitsForPerson = async () => {
      // Inside a transaction the activity view keeps the snapshot it took first.
      await pg.query("SELECT pg_stat_clear_snapshot()");
      const { rowCount } = await pg.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'UPDATE person%'`,
      );
      return Boolean(rowCount);
    };
    await waitFor(
      async () => {
        if (answered() || !(await batchWaitsForPerson())) return answered();
        await pg.query("SAVEPOINT circle");
        try {
          await pg.query("SELECT 1 FROM activity WHERE id = $1 FOR UPDATE", [activityId]);
          return true;
        } catch (error) {
          // PostgreSQL may pick this side of the circle as the deadlock's victim: the batch still waits, so close it again.
          if ((error as { code?: string }).code !== "40P01") throw error;
          return false;
        } finally {
          await pg.query("ROLLBACK TO SAVEPOINT circle");
        }
      },
      {
        timeoutMs: 20_000,
        intervalMs: 10,
        what: "the batch to wait for the person's lock and be the deadlock's victim",
      },
    );
  }

  it.skipIf(!databaseUrl)(`is run again and succeeds ${POSTGRES_ONLY}`, async () => {
    const { organizer, activityId, personId, rename } = await importedRunner();
    await pg.query("BEGIN");
    await pg.query("SELECT 1 FROM person WHERE id = $1 FOR UPDATE", [personId]);
    const reply = putJson(server.url, activityId, organizer.auth, rename);
    try {
      await deadlockOnce(activityId);
    } finally {
      await pg.query("ROLLBACK");
    }
    const answer = await reply;
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json[0]).toMatchObject({ syncResultType: "Updated", person: { surname: "Odblokovaný" } });
  });

  it.skipIf(!databaseUrl)(
    `answers 503 with Retry-After when it deadlocks on every try, and writes nothing ${POSTGRES_ONLY}`,
    async () => {
      const { organizer, activityId, personId, rename } = await importedRunner();
      await pg.query("BEGIN");
      await pg.query("SELECT 1 FROM person WHERE id = $1 FOR UPDATE", [personId]);
      const reply = putJson(server.url, activityId, organizer.auth, rename);
      let answer: Reply | undefined;
      void reply.then((r) => (answer = r));
      try {
        // As many deadlocks as the batch has tries: each try waits for the person again.
        await waitFor(
          async () => {
            await deadlockOnce(activityId, () => answer !== undefined).catch((error) => {
              if (!answer) throw error;
            });
            return answer !== undefined;
          },
          { timeoutMs: 50_000, intervalMs: 50, what: "the batch to give up after deadlocking on every try" },
        );
      } finally {
        await pg.query("ROLLBACK");
      }
      expectProblem503(await reply);
      const stored = (await getRegistrations(server.url, activityId, organizer.auth)).json;
      expect(stored[0].person.surname).toBe("Zablokovaný");
    },
  );
});
