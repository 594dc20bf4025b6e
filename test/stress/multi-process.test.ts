// Running more than one (issue 6, docs/DEPLOY.md): three server processes start at once on one fresh
// PostgreSQL database (one migrates, the others wait on the advisory lock), then serve a mixed load of
// syncs and reads spread across them, with no errors.
import { Client } from "pg";
import { afterAll, describe, expect, it, inject } from "vitest";
import { openDatabase } from "../../src/db/data-source";
import { killChildren, startChildServer, type ChildServer } from "../support/child-server";
import { activityOf, nativeRegistration, organizationWithMember, timingCompanyOf } from "../support/fixtures";
import { call, getRegistrations, graphql, putCsv, putJson, type Reply } from "../support/http";

const databaseUrl = inject("databaseUrl");
const PROCESSES = 3;
const ROUNDS = 30;

afterAll(() => killChildren());

/** A fresh database next to the run's, so that the processes' first start migrates it. */
async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = new URL(databaseUrl!);
  const name = `regsync_multi_${Date.now()}`;
  server.pathname = "/postgres";
  const admin = new Client({ connectionString: server.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(databaseUrl!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

describe("several server processes on one database", () => {
  // The embedded database belongs to one process; scale-out is a PostgreSQL setup.
  it.skipIf(!databaseUrl)(
    `${PROCESSES} processes migrate once together and serve a mixed load without errors`,
    async () => {
      const database = await freshDatabase();
      try {
        const servers: ChildServer[] = await Promise.all(
          Array.from({ length: PROCESSES }, () => startChildServer({ databaseUrl: database.url })),
        );
        const db = await openDatabase({ databaseUrl: database.url, dataDir: "" });
        try {
          const [{ n: migrations }] = await db.query(`SELECT count(*)::int AS n FROM migrations`);
          expect(migrations).toBe(db.migrations.length);

          const organizer = await organizationWithMember(db);
          const timing = await timingCompanyOf(db, organizer.organizationId);
          const activityId = await activityOf(db, organizer.organizationId);
          const natives = [];
          for (let i = 0; i < 20; i++)
            natives.push(await nativeRegistration(db, activityId, { startNumber: String(i + 1) }));

          const at = (i: number) => servers[i % PROCESSES].url;
          const work: Promise<Reply>[] = [];
          for (let round = 0; round < ROUNDS; round++) {
            const a = natives[round % natives.length];
            const b = natives[(round * 7 + 3) % natives.length];
            const auth = round % 2 ? organizer.auth : timing.auth;
            // Writes: a swap of two numbers (may clash with a concurrent one: 422), an insert by externalId
            // (a re-import of the same id updates), and a CSV number change.
            work.push(
              putJson(at(round), activityId, auth, [
                { id: a.id, startNumber: String(100 + round) },
                { id: b.id, startNumber: String(200 + round) },
              ]),
            );
            work.push(
              putJson(at(round + 1), activityId, auth, [
                {
                  externalId: `ext-${round % 10}`,
                  startNumber: String(500 + round),
                  person: { givenName: "Více", surname: `Procesů${round % 10}`, sex: "Male", birthDate: "1980-08-08" },
                },
              ]),
            );
            work.push(
              putCsv(
                at(round + 2),
                activityId,
                auth,
                `registration.id,registration.startNumber\n${b.id},${300 + round}\n`,
              ),
            );
            // Reads through every door.
            work.push(getRegistrations(at(round), activityId, auth, round % 3 ? "json" : "csv"));
            work.push(
              graphql(
                at(round + 1),
                auth,
                `
                  query ($id: ID!) {
                    registrations(activityId: $id, first: 50) {
                      totalCount
                      nodes {
                        startNumber
                      }
                    }
                  }
                `,
                { id: activityId },
              ),
            );
            work.push(call(`${at(round + 2)}/api/events/activities/${activityId}/startlist.json`));
          }
          const replies = await Promise.all(work);
          const statuses = new Map<number, number>();
          for (const reply of replies) statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
          console.log(
            `multi-process: ${PROCESSES} processes, ${replies.length} requests, answers ${[...statuses].map(([s, n]) => `${s}×${n}`).join(", ")}`,
          );
          expect([...statuses.keys()].every((status) => status === 200 || status === 422)).toBe(true);
          expect(statuses.get(200)).toBeGreaterThan(replies.length / 2);
          for (const reply of replies.filter((r) => r.status === 422))
            expect(reply.json.errors[0].code).toBe("StartNumberTaken");

          const [{ clashes }] = await db.query(
            `SELECT count(*)::int AS clashes FROM (SELECT start_number_key(start_number) FROM registration
            WHERE activity_id = $1 AND state <> 'Cancelled' AND start_number IS NOT NULL GROUP BY 1 HAVING count(*) > 1) c`,
            [activityId],
          );
          expect(clashes).toBe(0);
          // Ten externalIds, each inserted once however many processes received it.
          const [{ externals }] = await db.query(
            `SELECT count(*)::int AS externals FROM registration WHERE activity_id = $1 AND external_id IS NOT NULL`,
            [activityId],
          );
          expect(externals).toBe(10);
          for (const server of servers) expect((await call(`${server.url}/readyz`)).status).toBe(200);
        } finally {
          await db.destroy();
          await killChildren();
        }
      } finally {
        await database.drop();
      }
    },
  );

  it.skipIf(!databaseUrl)("two processes inserting 10 and 0010 at the same moment store one of them", async () => {
    const database = await freshDatabase();
    try {
      const servers = await Promise.all([0, 1].map(() => startChildServer({ databaseUrl: database.url })));
      const db = await openDatabase({ databaseUrl: database.url, dataDir: "" });
      try {
        const organizer = await organizationWithMember(db);
        const statuses: number[] = [];
        for (let round = 0; round < 10; round++) {
          const activityId = await activityOf(db, organizer.organizationId);
          const insert = (server: ChildServer, externalId: string, startNumber: string) =>
            putJson(server.url, activityId, organizer.auth, [
              {
                externalId,
                startNumber,
                person: { givenName: "Souběžný", surname: externalId, sex: "Female", birthDate: "1991-03-04" },
              },
            ]);
          const replies = await Promise.all([insert(servers[0], "a", "10"), insert(servers[1], "b", "0010")]);
          statuses.push(...replies.map((r) => r.status));
          expect(replies.map((r) => r.status).sort()).toEqual([200, replies.some((r) => r.status === 409) ? 409 : 422]);
          const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM registration WHERE activity_id = $1`, [
            activityId,
          ]);
          expect(n).toBe(1);
        }
        console.log(`10 vs 0010 from two processes, 10 rounds: answers ${statuses.join(" ")}`);
      } finally {
        await db.destroy();
        await killChildren();
      }
    } finally {
      await database.drop();
    }
  });
});
