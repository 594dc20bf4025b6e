// Issue 12's H3 and H4 at full size against the built server with its default limits: 800 keyless aliases of a
// 5,000-runner start list, 30 KB and 1 MB searches, a keyless burst. The process stays up and /healthz answers.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import type { DataSource } from "typeorm";
import { openDatabase } from "../../src/db/data-source";
import { killChildren, startChildServer, type ChildServer } from "../support/child-server";
import { scenario, type Scenario } from "../support/fixtures";
import { call, graphql, putJson } from "../support/http";

const databaseUrl = inject("databaseUrl");
const RUNNERS = 5000;

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

/** Runs `work` while asking /healthz every 50 ms; the slowest /healthz answer in ms and the highest RSS in MB. */
async function whileWatching<T>(
  server: ChildServer,
  work: () => Promise<T>,
): Promise<{ result: T; slowestHealthz: number; peakRssMb: number }> {
  let done = false;
  let slowestHealthz = 0;
  let peakRssMb = 0;
  const watch = (async () => {
    while (!done) {
      const started = performance.now();
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      slowestHealthz = Math.max(slowestHealthz, performance.now() - started);
      peakRssMb = Math.max(peakRssMb, rssMb(server.pid));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    return { result: await work(), slowestHealthz, peakRssMb };
  } finally {
    done = true;
    await watch;
  }
}

describe.skipIf(!databaseUrl)("hostile GraphQL requests against the built server", () => {
  let db: DataSource;
  let server: ChildServer;
  let big: Scenario;
  beforeAll(async () => {
    db = await openDatabase({ databaseUrl: databaseUrl!, dataDir: "" });
    server = await startChildServer({ databaseUrl });
    big = await scenario(db);
    const items = Array.from({ length: RUNNERS }, (_, i) => ({
      startNumber: String(i + 1),
      person: {
        givenName: "Běžec",
        surname: `Číslo${i + 1}`,
        sex: "Male",
        birthDate: "1990-01-01",
        isProfilePublic: true,
        country: "CZ",
      },
    }));
    expect((await putJson(server.url, big.activityId, big.organizer.auth, items)).status).toBe(200);
  });
  afterAll(async () => {
    await killChildren();
    await db?.destroy();
  });

  it("refuses 800 keyless aliases of a 5,000-runner start list before running them; /healthz answers throughout", async () => {
    const fields = "id startNumber name yearOfBirth country";
    const query = `query($id: ID!) { ${Array.from({ length: 800 }, (_, i) => `a${i}: startList(activityId: $id) { activityName eventName entries { ${fields} } }`).join(" ")} }`;
    const {
      result: reply,
      slowestHealthz,
      peakRssMb,
    } = await whileWatching(server, () => graphql(server.url, null, query, { id: big.activityId }));
    console.log(
      `800 aliases: ${reply.status}, slowest /healthz ${slowestHealthz.toFixed(0)} ms, peak RSS ${peakRssMb.toFixed(0)} MB`,
    );
    expect(reply.status).toBe(400);
    expect(reply.json.errors[0].extensions).toMatchObject({
      code: "QUERY_TOO_COMPLEX",
      complexity: 800 * (RUNNERS * 8 + 1),
      limit: 100_000,
    });
    expect(slowestHealthz).toBeLessThan(1000);
    expect(peakRssMb).toBeLessThan(512);
    // One of them is fine: 5,000 × 6 + 1 fits the default limit.
    const one = await graphql(
      server.url,
      null,
      `query($id: ID!) { startList(activityId: $id) { entries { ${fields} } } }`,
      { id: big.activityId },
    );
    expect(one.json.data.startList.entries).toHaveLength(RUNNERS);
  });

  it("refuses 30 KB and 1 MB searches at once, and another tenant's small request is not held up", async () => {
    const other = await scenario(db);
    const search = (text: string) =>
      graphql(
        server.url,
        big.organizer.auth,
        `
          query ($id: ID!, $s: String) {
            registrations(activityId: $id, search: $s) {
              totalCount
            }
          }
        `,
        { id: big.activityId, s: text },
      );
    const { result, slowestHealthz } = await whileWatching(server, async () => {
      const started = performance.now();
      const [searches, theirs] = await Promise.all([
        Promise.all([...Array.from({ length: 5 }, () => search("ž".repeat(30_000))), search("x".repeat(1_000_000))]),
        (async () => {
          const reply = await call(`${server.url}/api/events/activities/${other.activityId}/registrations.json`, {
            headers: { Authorization: other.organizer.auth },
          });
          return { status: reply.status, ms: performance.now() - started };
        })(),
      ]);
      return { searches, theirs, ms: performance.now() - started };
    });
    console.log(
      `5 × 30 KB + 1 MB searches: ${result.ms.toFixed(0)} ms, the other tenant's GET ${result.theirs.ms.toFixed(0)} ms, slowest /healthz ${slowestHealthz.toFixed(0)} ms`,
    );
    for (const reply of result.searches) {
      expect(reply.status).toBe(400);
      expect(reply.json.errors[0]).toMatchObject({
        message: expect.stringMatching(/^Argument search of registrations has \d+ characters; the limit is 200\.$/),
        extensions: { code: "BAD_USER_INPUT" },
      });
    }
    expect(result.theirs.status).toBe(200);
    expect(result.theirs.ms).toBeLessThan(1000);
    expect(slowestHealthz).toBeLessThan(1000);
  });

  it("answers a keyless burst past 300 requests a minute from one address with 429 and Retry-After", async () => {
    const small = await scenario(db);
    const replies = [];
    for (let i = 0; i < 40; i++) {
      replies.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, () =>
            graphql(
              server.url,
              null,
              `
                query ($id: ID!) {
                  startList(activityId: $id) {
                    activityName
                  }
                }
              `,
              { id: small.activityId },
            ),
          ),
        )),
      );
    }
    const statuses = replies.map((reply) => reply.status);
    // The quota is the address's: earlier keyless requests of this run count too.
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(300);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(100);
    expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
    expect(Number(replies.find((reply) => reply.status === 429)!.headers.get("retry-after"))).toBeGreaterThan(0);
    // A key is counted on its own.
    expect(
      (
        await graphql(
          server.url,
          small.organizer.auth,
          `
            {
              viewer {
                account {
                  id
                }
              }
            }
          `,
        )
      ).status,
    ).toBe(200);
  });
});
