// A server killed (SIGKILL) in the middle of a large import leaves nothing of that import behind,
// keeps every sync it committed before, and starts again on the same data: PostgreSQL and embedded.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it, inject } from "vitest";
import { Client } from "pg";
import { openDatabase } from "../../src/db/data-source";
import { SEED_REGISTRATION_ID } from "../../src/services/demo-data";
import { killChildren, runCli, startChildServer, type ChildServer } from "../support/child-server";
import { basic, scenario } from "../support/fixtures";
import { getRegistrations, putCsv, putJson, type Reply } from "../support/http";
import { temporaryDataDir } from "../support/test-server";

const databaseUrl = inject("databaseUrl");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function importCsv(prefix: string, rows: number, firstNumber: number): string {
  const lines = [
    "registration.externalId,registration.startNumber,person.givenName,person.surname,person.sex,person.birthDate",
  ];
  for (let i = 0; i < rows; i++) lines.push(`${prefix}-${i},${firstNumber + i},Vojtěch,Přerušený${i},Male,1984-02-29`);
  return `${lines.join("\n")}\n`;
}

async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * Sends the import and SIGKILLs the server once `midWrite` says the import is being written.
 * Fails if the import was answered first: then the kill did not interrupt it.
 */
async function killDuringImport(
  server: ChildServer,
  send: () => Promise<Reply>,
  midWrite: () => Promise<boolean> | boolean,
): Promise<number> {
  let answered: Reply | undefined;
  const sent = Date.now();
  const request = send().then(
    (reply) => (answered = reply),
    () => undefined,
  );
  await until("the import to be written", 60_000, async () => (answered || (await midWrite()) ? true : undefined));
  expect(answered, "the import was answered before the kill").toBeUndefined();
  const after = Date.now() - sent;
  expect((await server.kill("SIGKILL")).signal).toBe("SIGKILL");
  await request;
  return after;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A probe for killDuringImport: true while a statement like `INSERT INTO person` runs on the database. */
function statementRunning(
  pg: Client,
  statement: string,
  seen: (pid: number) => void = () => {},
): () => Promise<boolean> {
  return async () => {
    const { rows } = await pg.query(
      `SELECT pid FROM pg_stat_activity
        WHERE datname = current_database() AND state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()`,
      [`%${statement}%`],
    );
    if (rows[0]) seen(rows[0].pid);
    return rows.length > 0;
  };
}

afterAll(killChildren);

describe("a server killed in the middle of an import, on PostgreSQL", () => {
  // Each kill lands on a different statement of the write: the first, one in the middle, the last.
  const KILL_AT = ["INSERT INTO user_account", "INSERT INTO registration", "INSERT INTO audit_entry"];
  const ROWS = 30_000;

  it.skipIf(!databaseUrl)(
    `leaves nothing of the batch behind and imports it whole after a restart (${KILL_AT.length} kills; PostgreSQL run only)`,
    async () => {
      const db = await openDatabase({ databaseUrl: databaseUrl!, dataDir: "" });
      const pg = new Client({ connectionString: databaseUrl! });
      await pg.connect();
      // Logins of imported persons end with this domain, which tells this test's accounts from the others'.
      const domain = `crash-${Date.now().toString(36)}.test`;
      const start = () => startChildServer({ databaseUrl, extra: { ACCOUNT_DOMAIN: domain } });
      let server: ChildServer | undefined;
      try {
        const { organizer, activityId } = await scenario(db);
        const stored = async () => {
          const {
            rows: [row],
          } = await pg.query(
            `SELECT (SELECT count(*)::int FROM registration WHERE activity_id = $1) AS registrations,
                  (SELECT count(*)::int FROM registration WHERE activity_id = $1 AND external_id LIKE 'big-%') AS big,
                  (SELECT count(*)::int FROM user_account WHERE login LIKE '%@' || $2) AS accounts,
                  (SELECT count(*)::int FROM person p JOIN user_account u ON u.id = p.account_id WHERE u.login LIKE '%@' || $2) AS persons,
                  (SELECT count(*)::int FROM audit_entry a JOIN registration r ON r.id = a.registration_id WHERE r.activity_id = $1) AS audits,
                  (SELECT count(*)::int FROM (SELECT start_number FROM registration WHERE activity_id = $1 AND start_number IS NOT NULL
                      GROUP BY start_number HAVING count(*) > 1) twice) AS "sharedNumbers"`,
            [activityId, domain],
          );
          return row;
        };
        const committed = { registrations: 100, big: 0, accounts: 100, persons: 100, audits: 100, sharedNumbers: 0 };

        server = await start();
        expect((await putCsv(server.url, activityId, organizer.auth, importCsv("before", 100, 1))).status).toBe(200);
        const big = importCsv("big", ROWS, 1001);
        const kills: string[] = [];

        for (const statement of KILL_AT) {
          server ??= await start();
          let backend: number | undefined;
          const url = server.url;
          const after = await killDuringImport(
            server,
            () => putCsv(url, activityId, organizer.auth, big),
            statementRunning(pg, statement, (pid) => (backend = pid)),
          );
          kills.push(`${seconds(after)} (${statement})`);
          server = undefined;
          // The killed server's database session ends (rolling back) once PostgreSQL notices the closed connection.
          await until("the killed server's session to end", 60_000, async () =>
            (await pg.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1`, [backend])).rowCount === 0
              ? true
              : undefined,
          );
          expect(await stored(), `after the kill during ${statement}`).toEqual(committed);
        }

        server = await start();
        expect((await getRegistrations(server.url, activityId, organizer.auth)).json).toHaveLength(100);
        const sent = Date.now();
        const reply = await putCsv(server.url, activityId, organizer.auth, big);
        const took = Date.now() - sent;
        expect(reply.status).toBe(200);
        expect(await stored()).toEqual({
          registrations: 100 + ROWS,
          big: ROWS,
          accounts: 100 + ROWS,
          persons: 100 + ROWS,
          audits: 100 + ROWS,
          sharedNumbers: 0,
        });
        console.log(
          `PostgreSQL: a ${ROWS}-row CSV import SIGKILLed ${kills.length} times, after ${kills.join(", ")}; nothing of it was left; ` +
            `after a restart it imported all ${ROWS} rows in ${seconds(took)}`,
        );
      } finally {
        await server?.kill();
        await pg.end();
        await db.destroy();
      }
    },
  );
});

describe("a server killed in the middle of an import, on the embedded database", () => {
  const ROWS = 20_000;
  const KILLS = 3;

  it.skipIf(databaseUrl)(
    `keeps every committed sync, nothing of the killed import, and restarts on the same folder (${KILLS} kills; embedded run only)`,
    async () => {
      const dataDir = temporaryDataDir();
      const lockFile = path.join(dataDir, "regsync.lock");
      let server: ChildServer | undefined;
      try {
        const demo = JSON.parse(await runCli({ dataDir }, ["demo", "--json"])) as {
          activityId: string;
          keys: { organizer: string };
        };
        const auth = basic(demo.keys.organizer);
        const activityId = demo.activityId;
        // What the committed syncs left: externalId (or the seed registration's id) → start number.
        const committed = new Map<string, string | null>();
        const check = async (when: string) => {
          const reply = await getRegistrations(server!.url, activityId, auth);
          expect(reply.status).toBe(200);
          const found = new Map<string, string | null>();
          for (const r of reply.json) {
            if (r.id === SEED_REGISTRATION_ID && committed.has(r.id)) found.set(r.id, r.startNumber);
            else if (r.externalId?.startsWith("kept-")) found.set(r.externalId, r.startNumber);
          }
          expect(found, when).toEqual(committed);
          expect(reply.json.filter((r: any) => r.externalId?.startsWith("big-")).length, when).toBe(0);
        };
        const big = importCsv("big", ROWS, 1001);
        const kills: string[] = [];
        let syncs = 0;

        for (let kill = 0; kill < KILLS; kill++) {
          server = await startChildServer({ dataDir });
          await check(`after ${kill} kills`);
          // Two syncs that commit: new registrations, and a changed number on an existing one.
          const inserts = Array.from({ length: 20 }, (_, i) => ({
            externalId: `kept-${kill}-${i}`,
            startNumber: `${kill + 1}${String(i).padStart(2, "0")}`,
            person: { givenName: "Trvalá", surname: `Zapsaná${i}`, sex: "Female", birthDate: "1966-06-06" },
          }));
          expect((await putJson(server.url, activityId, auth, inserts)).status).toBe(200);
          for (const item of inserts) committed.set(item.externalId, item.startNumber);
          const number = `9${kill}`;
          expect(
            (await putJson(server.url, activityId, auth, [{ id: SEED_REGISTRATION_ID, startNumber: number }])).status,
          ).toBe(200);
          committed.set(SEED_REGISTRATION_ID, number);
          syncs += 2;

          // PGlite runs inside the server process and writes its files itself, so there is no session to
          // watch; but the write-ahead log's files only change while the batch is written (or committed).
          // Each kill waits for more of those writes, so the kills land early, midway and late in the write.
          const url = server.url;
          const walWrites = [2, 20, 50][kill];
          const after = await killDuringImport(
            server,
            () => putCsv(url, activityId, auth, big),
            waitForWalWrites(dataDir, walWrites),
          );
          kills.push(`${seconds(after)} (${walWrites} log writes in)`);
          // The dead server's lock file is still there: the restart must see that its owner is gone.
          expect(fs.readFileSync(lockFile, "utf8").split("\n")[0]).toBe(String(server.pid));
          server = undefined;
        }

        // After a reboot, the dead server's pid may belong to another live process (here: this test's).
        const [, deadServer] = fs.readFileSync(lockFile, "utf8").split("\n");
        fs.writeFileSync(lockFile, `${process.pid}\n${deadServer}`);
        server = await startChildServer({ dataDir });
        await check(`after ${KILLS} kills`);
        const sent = Date.now();
        const reply = await putCsv(server.url, activityId, auth, big);
        const took = Date.now() - sent;
        expect(reply.status).toBe(200);
        const all = await getRegistrations(server.url, activityId, auth);
        expect(all.json.filter((r: any) => r.externalId?.startsWith("big-")).length).toBe(ROWS);
        // A clean stop releases the folder.
        expect(await server.kill("SIGTERM")).toEqual({ code: 0, signal: null });
        server = undefined;
        expect(fs.existsSync(lockFile)).toBe(false);
        console.log(
          `embedded: a ${ROWS}-row CSV import SIGKILLed ${kills.length} times, after ${kills.join(", ")}; all ${syncs} committed syncs ` +
            `(${committed.size - 1} new registrations, ${KILLS} changes of one number) kept, nothing of the killed imports; after a restart it imported all ${ROWS} rows in ${seconds(took)}`,
        );
      } finally {
        await server?.kill("SIGKILL");
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});

/** A probe that turns true once the files under pg_wal have changed `count` times since it was made. */
function waitForWalWrites(dataDir: string, count: number): () => boolean {
  const walDir = path.join(dataDir, "pg_wal");
  const snapshot = () =>
    fs
      .readdirSync(walDir)
      .map((name) => {
        const stat = fs.statSync(path.join(walDir, name));
        return `${name}:${stat.size}:${stat.mtimeMs}`;
      })
      .join();
  let last = snapshot();
  let changes = 0;
  return () => {
    const now = snapshot();
    if (now !== last) changes++;
    last = now;
    return changes >= count;
  };
}

describe("a server stopped with SIGTERM in the middle of an import", () => {
  const ROWS = 10_000;

  it("finishes and answers the import, then exits with 0", async () => {
    let env: { databaseUrl?: string; dataDir?: string };
    let activityId: string;
    let auth: string;
    let writing: () => () => Promise<boolean> | boolean;
    let pg: Client | undefined;
    if (databaseUrl) {
      env = { databaseUrl };
      const db = await openDatabase({ databaseUrl, dataDir: "" });
      const made = await scenario(db).finally(() => db.destroy());
      ({ activityId } = made);
      auth = made.organizer.auth;
      pg = new Client({ connectionString: databaseUrl });
      await pg.connect();
      writing = () => statementRunning(pg!, "INSERT INTO");
    } else {
      env = { dataDir: temporaryDataDir() };
      const demo = JSON.parse(await runCli(env, ["demo", "--json"])) as {
        activityId: string;
        keys: { organizer: string };
      };
      activityId = demo.activityId;
      auth = basic(demo.keys.organizer);
      // Made once the server is up: starting writes to the log too.
      writing = () => waitForWalWrites(env.dataDir!, 2);
    }
    try {
      const server = await startChildServer(env);
      let answered: Reply | undefined;
      const written = writing();
      // Numbers above the demo activity's (0001–0023): 10 would be its 0010.
      const request = putCsv(server.url, activityId, auth, importCsv("stopped", ROWS, 5001)).then(
        (reply) => (answered = reply),
      );
      await until("the import to be written", 60_000, async () => (answered || (await written()) ? true : undefined));
      expect(answered, "the import was answered before SIGTERM").toBeUndefined();
      const exit = server.kill("SIGTERM");
      const reply = await request;
      expect(reply.status).toBe(200);
      expect(await exit).toEqual({ code: 0, signal: null });
      if (env.dataDir) expect(fs.existsSync(path.join(env.dataDir, "regsync.lock"))).toBe(false);

      const again = await startChildServer(env);
      const stored = await getRegistrations(again.url, activityId, auth);
      expect(stored.json.filter((r: any) => r.externalId?.startsWith("stopped-")).length).toBe(ROWS);
      await again.kill();
    } finally {
      await pg?.end();
      if (env.dataDir) fs.rmSync(env.dataDir, { recursive: true, force: true });
    }
  });
});
