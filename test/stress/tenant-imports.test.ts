// Organizers importing at the same time never fail each other (issue 12): their batches lock different
// activities and share no row, so every import answers 200, however many run at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activityOf, organizationWithMember, type Member } from "../support/fixtures";
import { getRegistrations, putCsv } from "../support/http";
import { onEmbedded, startServer, type TestServer } from "../support/test-server";

const ROWS = 10_000;

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

function importCsv(prefix: string): string {
  const lines = [
    "registration.externalId,registration.startNumber,person.givenName,person.surname,person.sex,person.birthDate",
  ];
  for (let i = 0; i < ROWS; i++)
    lines.push(`${prefix}-${i},${i + 1},Souběžná,Importovaná${i},Female,1979-11-0${1 + (i % 9)}`);
  return `${lines.join("\n")}\n`;
}

/** Imports ROWS rows into each activity at once; every answer must be 200 and every row stored. */
async function importAtOnce(imports: { organizer: Member; activityId: string }[]): Promise<void> {
  // Verify each key (a slow hash) first, so that the imports meet in the database.
  for (const { organizer, activityId } of imports)
    expect((await getRegistrations(server.url, activityId, organizer.auth)).status).toBe(200);
  const files = imports.map((_, i) => importCsv(`tenant-${i}`));
  const started = Date.now();
  const replies = await Promise.all(
    imports.map(({ organizer, activityId }, i) => putCsv(server.url, activityId, organizer.auth, files[i])),
  );
  const took = Date.now() - started;
  const failures = replies.flatMap((reply, i) =>
    reply.status === 200 ? [] : [`import ${i}: ${reply.status} ${reply.text.slice(0, 300)}`],
  );
  expect(failures).toEqual([]);
  console.log(
    `${imports.length} concurrent ${ROWS}-row imports on ${onEmbedded() ? "the embedded database" : "PostgreSQL"}: all 200 in ${(took / 1000).toFixed(1)} s`,
  );
  const [{ stored, codes }] = await server.db.query(
    `SELECT count(*)::int AS stored, count(DISTINCT code)::int AS codes FROM registration WHERE activity_id = ANY($1::bpchar[])`,
    [imports.map((i) => i.activityId)],
  );
  expect({ stored, codes }).toEqual({ stored: imports.length * ROWS, codes: imports.length * ROWS });
}

describe("concurrent imports of different organizers", () => {
  it("two organizers' 10,000-row imports at once both answer 200", async () => {
    const organizers = [await organizationWithMember(server.db), await organizationWithMember(server.db)];
    await importAtOnce(
      await Promise.all(
        organizers.map(async (organizer) => ({
          organizer,
          activityId: await activityOf(server.db, organizer.organizationId),
        })),
      ),
    );
  });

  it("six 10,000-row imports into six activities of three organizers at once all answer 200", async () => {
    const imports = [];
    for (let o = 0; o < 3; o++) {
      const organizer = await organizationWithMember(server.db);
      for (let a = 0; a < 2; a++)
        imports.push({ organizer, activityId: await activityOf(server.db, organizer.organizationId) });
    }
    await importAtOnce(imports);
  });
});
