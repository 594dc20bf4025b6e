// `npm run bench`: the sync through HTTP against a raw-SQL floor and a naive per-row TypeORM loop,
// measured side by side in one run on PostgreSQL (DATABASE_URL), the results sync (new results, then a
// corrected upload) against its own floor, plus a 50,000-row CSV upload's time and peak memory, and SQL
// statements per sync. It builds its own database and drops it afterwards.
import "reflect-metadata";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Client } from "pg";
import type { DataSource } from "typeorm";
import { createApp } from "../src/app";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/data-source";
import { newObjectId } from "../src/db/object-id";
import { createAccessKey } from "../src/services/access-keys";
import { createActivity } from "../src/services/activities";
import { OPERATOR } from "../src/services/caller";
import { createEvent } from "../src/services/events";
import { addMember } from "../src/services/members";
import { createOrganization } from "../src/services/organizations";
import { insertFloor, insertNaive, updateFloor, updateNaive, type Fixture } from "./baselines";
import { resultInsertFloor, resultUpdateFloor, type BenchResult, type Runners } from "./result-baselines";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const CSV_ROWS = Number(process.env.BENCH_CSV_ROWS ?? 50_000);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number) => `${value.toFixed(0)} ms`;
const lines: string[] = [];
const report = (line: string) => {
  lines.push(line);
  console.log(line);
};

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function fixture(db: DataSource): Promise<Fixture> {
  const org = await createOrganization(OPERATOR, db, { name: "Benchmark organizer", kind: "Organizer" });
  const { accountId } = await addMember(OPERATOR, db, {
    organizationId: org.id,
    login: `bench-${Date.now()}@example.test`,
    role: "Owner",
  });
  const key = await createAccessKey(db, accountId);
  const event = await createEvent(OPERATOR, db, { organizerId: org.id, name: "Benchmark event" });
  return {
    accountId,
    keyId: key.id,
    auth: `Basic ${Buffer.from(`${key.name}:${key.secret}`).toString("base64")}`,
    organizerId: org.id,
    eventId: event.id,
  };
}

/** An activity with `n` native registrations numbered 1..n, inserted in bulk; `ids[i]` is `persons[i]`'s. */
async function activityWith(
  db: DataSource,
  f: Fixture,
  n: number,
): Promise<{ activityId: string; ids: string[]; persons: string[] }> {
  const activity = await createActivity(OPERATOR, db, {
    eventId: f.eventId,
    name: `Activity ${randomBytes(3).toString("hex")}`,
  });
  const accounts = Array.from({ length: n }, () => newObjectId());
  const persons = Array.from({ length: n }, () => newObjectId());
  const ids = Array.from({ length: n }, () => newObjectId());
  await db.query(
    `INSERT INTO user_account (id, login) SELECT id, id || '@bench.test' FROM unnest($1::text[]) AS v(id)`,
    [accounts],
  );
  await db.query(
    `INSERT INTO person (id, account_id, given_name, surname, sex, birth_date)
     SELECT p, a, 'Jan', 'Novák' || i, 'Male', '1980-01-01' FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS v(p, a, i)`,
    [persons, accounts],
  );
  await db.query(
    `INSERT INTO registration (id, activity_id, person_id, code, state, start_number, amount_value, amount_currency, source)
     SELECT r, $3, p, 'B' || upper(substr(md5(r), 1, 11)), 'Confirmed', i::text, 0, 'CZK', 'Native'
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS v(r, p, i)`,
    [ids, persons, activity.id],
  );
  return { activityId: activity.id, ids, persons };
}

/** PUTs a sync and reads its whole answer; with `summary`, fails unless the answer's Sync-Summary is that. */
async function put(
  base: string,
  auth: string,
  activityId: string,
  format: "json" | "csv",
  body: string,
  target: "registrations" | "results" = "registrations",
  summary?: string,
): Promise<void> {
  const response = await fetch(`${base}/api/events/activities/${activityId}/${target}.${format}`, {
    method: "PUT",
    headers: { Authorization: auth, "Content-Type": format === "json" ? "application/json" : "text/csv" },
    body,
  });
  if (response.status !== 200)
    throw new Error(`PUT ${format} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  await response.arrayBuffer();
  const said = response.headers.get("sync-summary");
  if (summary && said !== summary) throw new Error(`PUT ${target}.${format} summed up ${said}, not ${summary}`);
}

/** Every runner's result, start numbers 1..n; `late` ms added to every time makes a corrected upload. */
const benchResults = (n: number, late: number): BenchResult[] =>
  Array.from({ length: n }, (_, i) => ({
    startNumber: String(i + 1),
    position: i + 1,
    time: 3_600_000 + i * 100 + late,
    category: i % 2 ? "M40" : "M20",
  }));

/** Shifted numbers for run `k`: every row changes, all stay unique. */
const numbers = (n: number, k: number) => Array.from({ length: n }, (_, i) => String(((i + k) % n) + 1 + n * (k % 2)));

const insertItems = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({
    externalId: `${tag}-${i}`,
    startNumber: String(i + 1),
    person: { givenName: "Eva", surname: `Dvořáková${i}`, sex: "Female", birthDate: "1990-02-03" },
  }));

/** Starts the built server as a child process, so that its own peak memory can be read. */
async function childServer(databaseUrl: string): Promise<{ url: string; peakRssMb(): number; stop(): void }> {
  const port = 40000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [path.join(__dirname, "../src/index.js")], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("listening") && resolve());
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    peakRssMb: () => Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, "utf8"))![1]) / 1024,
    stop: () => child.kill(),
  };
}

async function main() {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl)
    throw new Error(
      "npm run bench needs DATABASE_URL (PostgreSQL), for example postgres://postgres@127.0.0.1:5432/postgres",
    );
  const name = `regsync_bench_${Date.now()}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  // One JSON log line per request would be interleaved with the figures; the child server below logs as in production.
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    BODY_LIMIT_BYTES: String(200 * 1024 * 1024),
    LOG_LEVEL: "silent",
  });
  const db = await openDatabase(config);
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  const { app, stop } = await createApp(db, config);
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const f = await fixture(db);
    // Warm up: the first request verifies the key's scrypt hash and compiles the hot paths.
    const warm = await activityWith(db, f, 100);
    for (let k = 1; k <= 3; k++) {
      const n = numbers(100, k);
      await put(
        base,
        f.auth,
        warm.activityId,
        "json",
        JSON.stringify(warm.ids.map((id, i) => ({ id, startNumber: n[i] }))),
      );
    }
    report(
      `regsync benchmark on PostgreSQL: ${ROWS} rows, median of ${RUNS} runs, the three ways taken in turn in each run`,
    );

    // 1. Start-number updates.
    const viaHttp = await activityWith(db, f, ROWS);
    const viaFloor = await activityWith(db, f, ROWS);
    const viaNaive = await activityWith(db, f, ROWS);
    // The machine's speed drifts (2 shared cores): each run takes the three ways in turn, so that a
    // slow spell hits all three rather than one.
    const httpTimes: number[] = [];
    const floorTimes: number[] = [];
    const naiveTimes: number[] = [];
    for (let k = 1; k <= RUNS; k++) {
      const n = numbers(ROWS, k);
      httpTimes.push(
        await timed(() =>
          put(
            base,
            f.auth,
            viaHttp.activityId,
            "json",
            JSON.stringify(viaHttp.ids.map((id, i) => ({ id, startNumber: n[i] }))),
          ),
        ),
      );
      floorTimes.push(await timed(() => updateFloor(pg, f, viaFloor.activityId, viaFloor.ids, n)));
      naiveTimes.push(await timed(() => updateNaive(db, f, viaNaive.ids, n)));
    }
    const [uHttp, uFloor, uNaive] = [median(httpTimes), median(floorTimes), median(naiveTimes)];
    report(`update ${ROWS}: http ${ms(uHttp)}, raw SQL floor ${ms(uFloor)}, naive save() loop ${ms(uNaive)}`);
    report(
      `update ${ROWS}: http/floor ${(uHttp / uFloor).toFixed(2)}x (target <= 2), naive/http ${(uNaive / uHttp).toFixed(1)}x (target >= 20; the floor itself: naive/floor ${(uNaive / uFloor).toFixed(1)}x)`,
    );

    // 2. External inserts.
    const iHttpTimes: number[] = [];
    const iFloorTimes: number[] = [];
    const iNaiveTimes: number[] = [];
    for (let k = 1; k <= RUNS; k++) {
      const [a, b, c] = await Promise.all(
        ["http", "floor", "naive"].map(
          async (way) => (await createActivity(OPERATOR, db, { eventId: f.eventId, name: `Inserts ${way} ${k}` })).id,
        ),
      );
      const body = JSON.stringify(insertItems(ROWS, `H${k}`));
      iHttpTimes.push(await timed(() => put(base, f.auth, a, "json", body)));
      iFloorTimes.push(await timed(() => insertFloor(pg, f, b, ROWS, `F${k}`)));
      iNaiveTimes.push(await timed(() => insertNaive(db, f, c, ROWS, `N${k}`)));
    }
    const [iHttp, iFloor, iNaive] = [median(iHttpTimes), median(iFloorTimes), median(iNaiveTimes)];
    report(`insert ${ROWS}: http ${ms(iHttp)}, raw SQL floor ${ms(iFloor)}, naive save() loop ${ms(iNaive)}`);
    report(
      `insert ${ROWS}: http/floor ${(iHttp / iFloor).toFixed(2)}x (target <= 3), naive/http ${(iNaive / iHttp).toFixed(1)}x`,
    );

    // 3. Results (issue 14): new results for 10,000 registrations matched by start number, then a corrected
    // upload where every time changes. The registrations are made first (not timed); each run starts from none.
    const resultsHttp = await activityWith(db, f, ROWS);
    const resultsFloor = await activityWith(db, f, ROWS);
    const floorRunners: Runners = {
      activityId: resultsFloor.activityId,
      registrationIds: resultsFloor.ids,
      personIds: resultsFloor.persons,
    };
    const rInsertHttp: number[] = [];
    const rInsertFloor: number[] = [];
    const rUpdateHttp: number[] = [];
    const rUpdateFloor: number[] = [];
    for (let k = 1; k <= RUNS; k++) {
      await db.query(`DELETE FROM result WHERE activity_id = ANY($1::bpchar[])`, [
        [resultsHttp.activityId, resultsFloor.activityId],
      ]);
      const fresh = benchResults(ROWS, 0);
      const freshBody = JSON.stringify(fresh);
      rInsertHttp.push(
        await timed(() =>
          put(
            base,
            f.auth,
            resultsHttp.activityId,
            "json",
            freshBody,
            "results",
            `Created=${ROWS}, Updated=0, Unchanged=0, Skipped=0`,
          ),
        ),
      );
      rInsertFloor.push(await timed(() => resultInsertFloor(pg, f, floorRunners, fresh)));
      const corrected = benchResults(ROWS, 10 * k);
      const correctedBody = JSON.stringify(corrected);
      rUpdateHttp.push(
        await timed(() =>
          put(
            base,
            f.auth,
            resultsHttp.activityId,
            "json",
            correctedBody,
            "results",
            `Created=0, Updated=${ROWS}, Unchanged=0, Skipped=0`,
          ),
        ),
      );
      rUpdateFloor.push(await timed(() => resultUpdateFloor(pg, f, resultsFloor.activityId, corrected)));
    }
    const [riHttp, riFloor, ruHttp, ruFloor] = [rInsertHttp, rInsertFloor, rUpdateHttp, rUpdateFloor].map(median);
    report(`results insert ${ROWS}: http ${ms(riHttp)}, raw SQL floor ${ms(riFloor)}`);
    report(`results insert ${ROWS}: http/floor ${(riHttp / riFloor).toFixed(2)}x (target <= 2)`);
    report(`results update ${ROWS}: http ${ms(ruHttp)}, raw SQL floor ${ms(ruFloor)}`);
    report(`results update ${ROWS}: http/floor ${(ruHttp / ruFloor).toFixed(2)}x (target <= 2)`);

    // 4. Statements per sync.
    const { countStatements } = await import("../test/support/statement-counter");
    const counts: string[] = [];
    for (const size of [100, 1000, 10_000]) {
      const target = await activityWith(db, f, size);
      const n = numbers(size, 3);
      const counted = await countStatements(db, () =>
        put(
          base,
          f.auth,
          target.activityId,
          "json",
          JSON.stringify(target.ids.map((id, i) => ({ id, startNumber: n[i] }))),
        ),
      );
      counts.push(`${size}: ${counted.count}`);
    }
    report(`statements per update sync: ${counts.join(", ")}`);

    // 5. A 50,000-row CSV upload (inserts), each run to a fresh server process: time and that process's peak RSS.
    // Each run brings new people: the same people again would each be flagged as a possible duplicate.
    const csvOf = (k: number) =>
      ["registration.externalId,registration.startNumber,person.givenName,person.surname,person.sex,person.birthDate"]
        .concat(Array.from({ length: CSV_ROWS }, (_, i) => `C-${i},${i + 1},Jiří,Procházka${k}-${i},Male,1977-07-07`))
        .join("\n") + "\n";
    const csvTimes: number[] = [];
    const peaks: number[] = [];
    let idle = 0;
    for (let k = 1; k <= RUNS; k++) {
      const child = await childServer(databaseUrl);
      try {
        const csvActivity = (await createActivity(OPERATOR, db, { eventId: f.eventId, name: `CSV ${k}` })).id;
        idle = Math.max(idle, child.peakRssMb());
        const csv = csvOf(k);
        csvTimes.push(await timed(() => put(child.url, f.auth, csvActivity, "csv", csv)));
        peaks.push(child.peakRssMb());
      } finally {
        child.stop();
      }
    }
    const peak = median(peaks);
    report(
      `csv ${CSV_ROWS} rows: ${ms(median(csvTimes))}, server peak RSS ${peak.toFixed(0)} MB (highest of ${RUNS}: ${Math.max(...peaks).toFixed(0)} MB; idle ${idle.toFixed(0)} MB; target < 256 MB)`,
    );
    report(
      `summary: update http/floor ${(uHttp / uFloor).toFixed(2)}x, naive/http ${(uNaive / uHttp).toFixed(1)}x; insert http/floor ${(iHttp / iFloor).toFixed(2)}x; results insert http/floor ${(riHttp / riFloor).toFixed(2)}x, results update http/floor ${(ruHttp / ruFloor).toFixed(2)}x; csv ${CSV_ROWS} peak RSS ${peak.toFixed(0)} MB`,
    );
  } finally {
    server.close();
    await stop();
    await pg.end();
    await db.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
