// A batch costs a fixed number of SQL statements whatever its size: the sync is set-based.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scenario } from "../support/fixtures";
import { getRegistrations, putJson } from "../support/http";
import { ROWS_PER_STATEMENT } from "../../src/services/registration-sync";
import { countStatements } from "../support/statement-counter";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const inserts = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({
    externalId: `${prefix}-${i}`,
    startNumber: String(i + 1),
    state: i % 10 === 0 ? "New" : "Confirmed",
    person: {
      givenName: "Závodník",
      surname: `${prefix}${i}`,
      sex: i % 2 ? "Male" : "Female",
      birthDate: "1985-06-15",
    },
  }));

async function statementsFor(n: number) {
  const { organizer, activityId } = await scenario(server.db);
  const insert = await countStatements(server.db, async () => {
    expect((await putJson(server.url, activityId, organizer.auth, inserts(n, `S${n}`))).status).toBe(200);
  });
  const stored = (await getRegistrations(server.url, activityId, organizer.auth)).json as {
    id: string;
    startNumber: string;
  }[];
  // Shift every number by one (the last wraps to the first): each row changes, numbers are exchanged.
  const shifted = stored.map((r, i) => ({ id: r.id, startNumber: stored[(i + 1) % stored.length].startNumber }));
  const update = await countStatements(server.db, async () => {
    expect((await putJson(server.url, activityId, organizer.auth, shifted)).status).toBe(200);
  });
  return { insert: insert.count, update: update.count };
}

describe("statements per sync", () => {
  it("does not grow with the batch: 10, 100 and 2,000 rows cost the same", async () => {
    const counts = [await statementsFor(10), await statementsFor(100), await statementsFor(2000)];
    console.log(
      `statements per sync (insert, update) at 10/100/2000 rows: ${counts.map((c) => `${c.insert}/${c.update}`).join(", ")}`,
    );
    expect(counts[1]).toEqual(counts[0]);
    expect(counts[2]).toEqual(counts[0]);
    expect(counts[0].insert).toBeLessThanOrEqual(20);
  }, 180_000);

  it("writes a batch bigger than one statement's slice whole, at one more statement per slice and table", async () => {
    const n = ROWS_PER_STATEMENT + 50;
    const counts = [await statementsFor(10), await statementsFor(n)];
    // A second slice adds one statement per table written: account, person, registration, audit; or registration, audit.
    expect(counts[1]).toEqual({ insert: counts[0].insert + 4, update: counts[0].update + 2 });
    const [{ count, audits }] = await server.db.query(
      `SELECT count(*)::int AS count, (SELECT count(*)::int FROM audit_entry a JOIN registration r ON r.id = a.registration_id WHERE r.external_id LIKE $1) AS audits
         FROM registration WHERE external_id LIKE $1`,
      [`S${n}-%`],
    );
    expect(count).toBe(n);
    // One Created and one Updated entry per row.
    expect(audits).toBe(2 * n);
  }, 300_000);
});
