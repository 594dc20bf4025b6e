// A long sync never holds the server's event loop for long (issue 12): /healthz answers within a second
// while a 10,000-row GraphQL sync with a rich selection and a 30,000-row REST import run, on PostgreSQL.
// On the embedded database PGlite runs on the same thread as the server, so each statement of a batch
// blocks it whole; that run measures and reports what /healthz does, and asserts nothing about it.
import http from "node:http";
import { afterAll, describe, expect, it, inject } from "vitest";
import { openDatabase } from "../../src/db/data-source";
import { killChildren, runCli, startChildServer, type ChildServer } from "../support/child-server";
import { basic, scenario } from "../support/fixtures";
import { graphql, putCsv } from "../support/http";
import { temporaryDataDir } from "../support/test-server";

const databaseUrl = inject("databaseUrl");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const RICH_SYNC = `mutation($activityId: ID!, $items: [SyncRegistrationInput!]!) {
  syncRegistrations(activityId: $activityId, items: $items) {
    applied dryRun
    results {
      index syncResultType
      registration {
        id code state startNumber source externalId created modified amount { value currency }
        person { id name givenName middleName surname sex birthDate language nickname country isProfilePublic ref }
      }
      errors { code path message registrationId }
      warnings { code message personIds }
    }
    userErrors { code path message registrationId }
  }
}`;

function graphqlItems(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    // Numbers far above the demo activity's, and apart from the import's: the embedded run uses one activity for both.
    externalId: `gql-${i}`,
    startNumber: String(20_001 + i),
    person: { givenName: "Smyčka", surname: `Událostní${i}`, sex: i % 2 ? "Male" : "Female", birthDate: "1988-08-08" },
  }));
}

function importCsv(n: number): string {
  const lines = [
    "registration.externalId,registration.startNumber,person.givenName,person.surname,person.sex,person.birthDate",
  ];
  for (let i = 0; i < n; i++)
    lines.push(`csv-${i},${40_001 + i},Čekající,Nezdržená${i},Female,1977-07-0${1 + (i % 9)}`);
  return `${lines.join("\n")}\n`;
}

/** GET /healthz on a connection of its own (a kept-alive one may be closed by the server as it is reused); resolves with the status. */
function health(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/healthz`, { agent: false }, (res) => res.resume().on("end", () => resolve(res.statusCode!)))
      .on("error", reject);
  });
}

/** Asks /healthz every 50 ms until `done`; returns every answer's time in ms. */
async function pollHealth(url: string, done: () => boolean): Promise<number[]> {
  const times: number[] = [];
  while (!done()) {
    const sent = performance.now();
    expect(await health(url)).toBe(200);
    times.push(performance.now() - sent);
    await sleep(50);
  }
  return times;
}

async function underLoad(
  server: ChildServer,
  graphqlAuth: { auth: string; activityId: string },
  restAuth: { auth: string; activityId: string },
) {
  const items = graphqlItems(10_000);
  const csv = importCsv(30_000);
  let finished = 0;
  const started = performance.now();
  const work = [
    graphql(server.url, graphqlAuth.auth, RICH_SYNC, { activityId: graphqlAuth.activityId, items }),
    putCsv(server.url, restAuth.activityId, restAuth.auth, csv),
  ].map((p) => p.finally(() => finished++));
  const health = pollHealth(server.url, () => finished === work.length);
  const [sync, imported] = await Promise.all(work);
  const times = await health;
  const took = performance.now() - started;
  expect(sync.status, sync.text.slice(0, 300)).toBe(200);
  expect(sync.json.data.syncRegistrations.applied).toBe(true);
  expect(sync.json.data.syncRegistrations.results).toHaveLength(10_000);
  expect(imported.status, imported.text.slice(0, 300)).toBe(200);
  const sorted = [...times].sort((a, b) => a - b);
  const worst = sorted[sorted.length - 1];
  const median = sorted[Math.floor(sorted.length / 2)];
  return { took, worst, median, polls: times.length };
}

const report = (where: string, r: { took: number; worst: number; median: number; polls: number }) =>
  console.log(
    `${where}: 10,000-row GraphQL sync + 30,000-row CSV import took ${(r.took / 1000).toFixed(1)} s; ` +
      `/healthz answered ${r.polls} times meanwhile, median ${r.median.toFixed(0)} ms, worst ${r.worst.toFixed(0)} ms`,
  );

afterAll(killChildren);

describe("the event loop during large syncs", () => {
  it.skipIf(!databaseUrl)("keeps /healthz answering within a second on PostgreSQL", async () => {
    const db = await openDatabase({ databaseUrl: databaseUrl!, dataDir: "" });
    const server = await startChildServer({ databaseUrl });
    try {
      const a = await scenario(db);
      const b = await scenario(db);
      const result = await underLoad(
        server,
        { auth: a.organizer.auth, activityId: a.activityId },
        { auth: b.organizer.auth, activityId: b.activityId },
      );
      report("PostgreSQL", result);
      expect(result.worst).toBeLessThan(1000);
    } finally {
      await server.kill();
      await db.destroy();
    }
  });

  it.skipIf(databaseUrl)(
    "measures /healthz on the embedded database (reported, not asserted: PGlite runs on the server's thread)",
    async () => {
      const dataDir = temporaryDataDir();
      const demo = JSON.parse(await runCli({ dataDir }, ["demo", "--json"])) as {
        activityId: string;
        keys: { organizer: string };
        otherActivityId?: string;
      };
      const server = await startChildServer({ dataDir });
      try {
        const auth = basic(demo.keys.organizer);
        // One activity for both: the embedded database runs one batch at a time anyway.
        const result = await underLoad(
          server,
          { auth, activityId: demo.activityId },
          { auth, activityId: demo.activityId },
        );
        report("Embedded (PGlite)", result);
      } finally {
        await server.kill();
      }
    },
  );
});
