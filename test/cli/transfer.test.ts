// CSV import and export with the CLI against a running server over HTTP (SPEC §8): summaries, row errors,
// safe re-runs, dry runs and byte-identical exports.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../support/cli-run";
import { nativeRegistration, scenario, type Scenario } from "../support/fixtures";
import { getRegistrations, registrationsUrl } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
let folder: string;
beforeAll(async () => {
  server = await startServer();
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "regsync-transfer-"));
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(folder, { recursive: true, force: true });
});

/** `import FILE --activity ID` with the scenario's key against the test server, plus `extra`. */
const importing = (s: Scenario, file: string, ...extra: string[]) =>
  cli(["import", file, "--activity", s.activityId, "--url", server.url, "--key", s.organizer.key, ...extra]);

let files = 0;
function csvFile(rows: number, row: (i: number) => string = insertRow): string {
  const file = path.join(folder, `registrations-${files++}.csv`);
  const lines = [
    "registration.externalId,registration.startNumber,person.givenName,person.surname,person.sex,person.birthDate",
  ];
  for (let i = 0; i < rows; i++) lines.push(row(i));
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

const insertRow = (i: number) =>
  `X-${i},${i + 1},${i % 2 ? "Šárka" : "Jiří"},"Dvořák, ${i}",${i % 2 ? "Female" : "Male"},19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 9}`;

async function storedCsv(s: Scenario, query = ""): Promise<Buffer> {
  const response = await fetch(registrationsUrl(server.url, s.activityId, "csv", query), {
    headers: { Authorization: s.organizer.auth },
  });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

const storedCount = async (s: Scenario) =>
  (await getRegistrations(server.url, s.activityId, s.organizer.auth)).json.length as number;

const auditCount = async (s: Scenario) =>
  (
    await server.db.query(
      `SELECT count(*)::int AS n FROM audit_entry a JOIN registration r ON r.id = a.registration_id WHERE r.activity_id = $1`,
      [s.activityId],
    )
  )[0].n as number;

describe("regsync import", () => {
  it(
    "imports a 20,000-row file in one request, prints the summary and stores every row",
    { timeout: 600_000 },
    async () => {
      const s = await scenario(server.db);
      const file = csvFile(20_000);
      const answer = path.join(folder, "answer-20k.csv");
      const run = await importing(s, file, "--out", answer);
      expect(run.code, run.err).toBe(0);
      expect(run.out).toEqual([]);
      expect(run.err).toContain(`Imported ${file}: created 20000, updated 0, unchanged 0, skipped 0.`);

      const stored = (await getRegistrations(server.url, s.activityId, s.organizer.auth)).json;
      expect(stored).toHaveLength(20_000);
      const last = stored.find((r: any) => r.externalId === "X-19999");
      expect([last.startNumber, last.person.givenName, last.person.surname, last.person.birthDate]).toEqual([
        "20000",
        "Šárka",
        "Dvořák, 19999",
        "1999-02-11T00:00:00Z",
      ]);
      // The answer is the file's rows as stored, in its columns.
      const lines = fs.readFileSync(answer, "utf8").trimEnd().split("\n");
      expect(lines).toHaveLength(20_001);
      expect(lines[1]).toBe('X-0,1,Jiří,"Dvořák, 0",Male,1950-01-10');
    },
  );

  it("prints replayed when the same import runs again, and changes nothing", async () => {
    const s = await scenario(server.db);
    const file = csvFile(300);
    const first = await importing(s, file, "--out", path.join(folder, "first.csv"));
    expect(first.code, first.err).toBe(0);
    expect(first.err).toContain("created 300, updated 0, unchanged 0, skipped 0");
    const before = [await storedCsv(s), await auditCount(s)];

    const again = await importing(s, file, "--out", path.join(folder, "again.csv"));
    expect(again.code, again.err).toBe(0);
    // The first answer's counts, replayed: nothing was applied again.
    expect(again.err).toMatch(
      /^Replayed: .*\(created 300, updated 0, unchanged 0, skipped 0\); nothing was applied again/m,
    );
    expect([await storedCsv(s), await auditCount(s)]).toEqual(before);
    expect(fs.readFileSync(path.join(folder, "again.csv"))).toEqual(fs.readFileSync(path.join(folder, "first.csv")));

    // Other options are another request: a dry run of the same file is answered afresh.
    const dry = await importing(s, file, "--dry-run");
    expect(dry.err).toContain("created 0, updated 0, unchanged 300, skipped 0");
  });

  it("applies a file once when two runs of it overlap: the second waits for the first's answer", async () => {
    const s = await scenario(server.db);
    const file = csvFile(2000);
    const runs = await Promise.all([importing(s, file), importing(s, file)]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const texts = runs.map((r) => r.err);
    expect(texts.filter((t) => /^Imported .*: created 2000, updated 0/m.test(t))).toHaveLength(1);
    expect(texts.filter((t) => /^Replayed: /m.test(t))).toHaveLength(1);
    expect(await storedCount(s)).toBe(2000);
  });

  it("lists every failing row as line and column, exits 1 and stores nothing", async () => {
    const s = await scenario(server.db);
    // Rows 0-based 19 and 33 are on lines 21 and 35 (the header is line 1).
    const file = csvFile(50, (i) =>
      i === 19
        ? insertRow(i).replace(/,[^,]+$/, ",1990-02-30")
        : i === 33
          ? insertRow(i).replace(/,(Female|Male),/, ",Robot,")
          : insertRow(i),
    );
    const run = await importing(s, file);
    expect(run.code).toBe(1);
    expect(run.out).toEqual([]);
    const lines = run.err.split("\n");
    expect(lines).toContainEqual(expect.stringMatching(/^line 21, person\.birthDate: \S/));
    expect(lines).toContainEqual(expect.stringMatching(/^line 35, person\.sex: \S/));
    expect(run.err).toContain("error: 2 rows failed; nothing was written");
    expect(await storedCount(s)).toBe(0);
  });

  it("writes nothing on a dry run, and reports what would change", async () => {
    const s = await scenario(server.db);
    const run = await importing(s, csvFile(40), "--dry-run");
    expect(run.code, run.err).toBe(0);
    expect(run.err).toContain("Dry run");
    expect(run.err).toContain("created 40, updated 0, unchanged 0, skipped 0");
    expect(await storedCount(s)).toBe(0);
  });

  it("writes the valid rows with --partial and says where the reasons of the skipped ones are", async () => {
    const s = await scenario(server.db);
    const file = csvFile(10, (i) => (i === 4 ? insertRow(i).replace(/,[^,]+$/, ",1990-13-01") : insertRow(i)));
    const answer = path.join(folder, "partial.csv");
    const run = await importing(s, file, "--partial", "--out", answer);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toContain("created 9, updated 0, unchanged 0, skipped 1");
    expect(run.err).toContain(`1 row was skipped; the reasons are in the answer's sync.errors column (${answer})`);
    expect(fs.readFileSync(answer, "utf8").split("\n")[0]).toMatch(/,sync\.resultType,sync\.errors$/);
    expect(await storedCount(s)).toBe(9);
  });

  it("reads a Windows-1250 file with --encoding windows-1250, and says to use it when the file is sent as UTF-8", async () => {
    const s = await scenario(server.db);
    const file = path.join(folder, "excel-cz.csv");
    const text =
      "registration.externalId,person.givenName,person.surname,person.sex,person.birthDate\nW-1,Jan,Novák,Male,1980-01-01\nW-2,Žluťoučký kůň,Šárka,Male,27.11.1975\n";
    // What Czech Excel writes, made by the system's encoder.
    fs.writeFileSync(file, execFileSync("iconv", ["-f", "UTF-8", "-t", "WINDOWS-1250"], { input: text }));
    const plain = await importing(s, file);
    expect(plain.code).toBe(1);
    expect(plain.err).toBe(
      `error: ${file}, line 2: the file is not UTF-8 text. If Czech Excel saved it, run the command again with --encoding windows-1250 (or save the sheet as "CSV UTF-8"); nothing was imported`,
    );
    expect(await storedCount(s)).toBe(0);

    const run = await importing(s, file, "--encoding", "windows-1250");
    expect(run.code, run.err).toBe(0);
    const stored = (await getRegistrations(server.url, s.activityId, s.organizer.auth)).json;
    expect(stored.map((r: any) => [r.person.givenName, r.person.surname, r.person.birthDate]).sort()).toEqual([
      ["Jan", "Novák", "1980-01-01T00:00:00Z"],
      ["Žluťoučký kůň", "Šárka", "1975-11-27T00:00:00Z"],
    ]);

    const wrong = await importing(s, file, "--encoding", "latin1");
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain("Allowed choices are utf-8, windows-1250, iso-8859-2");
  });

  it("prints the answer's warnings with the line of the file each came from, with or without --out", async () => {
    const s = await scenario(server.db);
    const earlier = await nativeRegistration(server.db, s.activityId, {
      givenName: "Bohumil",
      surname: "Hrabal",
      birthDate: "1960-03-28",
    });
    const file = path.join(folder, "look-alike.csv");
    // A cell over two lines and an empty line come before the look-alike, which starts on line 6.
    fs.writeFileSync(
      file,
      [
        "registration.externalId,person.givenName,person.surname,person.sex,person.birthDate,note",
        'H-1,Jan,Kos,Male,1980-01-01,"paid,',
        'in cash"',
        "",
        "H-2,Eva,Kosová,Female,1981-01-01,",
        "H-3,bohumil,HRABAL,Male,28.3.1960,",
        "",
      ].join("\n"),
    );
    const warning = `line 6: warning: PossibleDuplicatePerson: bohumil HRABAL, born 1960-03-28, is already registered with this organizer; consider attaching person.id instead (person.id ${earlier.personId})`;
    const dry = await importing(s, file, "--dry-run");
    expect(dry.code, dry.err).toBe(0);
    expect(dry.err.split("\n").filter((line) => line.includes("warning"))).toEqual([warning]);

    const answer = path.join(folder, "look-alike-answer.csv");
    const run = await importing(s, file, "--out", answer);
    expect(run.code, run.err).toBe(0);
    expect(run.err.split("\n").filter((line) => line.includes("warning"))).toEqual([warning]);
    const saved = fs.readFileSync(answer, "utf8").split("\n");
    expect(saved[0]).toMatch(/,person\.birthDate,note,sync\.warnings$/);

    // The saved answer uploaded again: its old sync.warnings column is not echoed as a warning.
    const again = await importing(s, answer, "--dry-run");
    expect(again.code, again.err).toBe(0);
    expect(again.err).not.toContain("warning");
    expect(again.err).toContain("created 0, updated 0, unchanged 3, skipped 0");
  });

  it("draws its progress bar, bytes sent of the file's size, only when asked on a stream that is not a terminal", async () => {
    const s = await scenario(server.db);
    const file = csvFile(100);
    const size = fs.statSync(file).size;
    const drawn = new PassThrough();
    const chunks: Buffer[] = [];
    drawn.on("data", (chunk: Buffer) => chunks.push(chunk));
    const quiet = await cli(
      ["import", file, "--activity", s.activityId, "--url", server.url, "--key", s.organizer.key, "--dry-run"],
      {},
      drawn,
    );
    expect(quiet.code, quiet.err).toBe(0);
    expect(chunks).toEqual([]);

    const run = await cli(
      ["import", file, "--activity", s.activityId, "--url", server.url, "--key", s.organizer.key, "--progress"],
      {},
      drawn,
    );
    expect(run.code, run.err).toBe(0);
    const text = Buffer.concat(chunks).toString();
    expect(text).toContain(`100% | ${(size / 1000).toFixed(1)} kB of ${(size / 1000).toFixed(1)} kB`);
    expect(text).toContain("answered 200");
    expect(run.err).not.toContain("100%");
  });

  it("refuses a wrong key with a clear message and exit status 1", async () => {
    const s = await scenario(server.db);
    const name = s.organizer.key.split(":")[0];
    const run = await cli([
      "import",
      csvFile(5),
      "--activity",
      s.activityId,
      "--url",
      server.url,
      "--key",
      `${name}:not-the-right-secret`,
    ]);
    expect(run.code).toBe(1);
    expect(run.out).toEqual([]);
    expect(run.err).toContain(
      `error: the server refused the access key ${name}: The access key is unknown, wrong or revoked (check --key or REGSYNC_KEY)`,
    );
    expect(await storedCount(s)).toBe(0);

    const unknownActivity = await cli([
      "import",
      csvFile(5),
      "--activity",
      "000000000000000000000000",
      "--url",
      server.url,
      "--key",
      s.organizer.key,
    ]);
    expect(unknownActivity.code).toBe(1);
    expect(unknownActivity.err).toMatch(/^error: .*; HTTP 404, request id /m);

    const missing = await cli(["import", csvFile(5), "--activity", s.activityId, "--url", server.url]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("--key name:secret, or REGSYNC_KEY");
  });

  it("exits 2, safe to run again, when the server cannot be reached", async () => {
    const s = await scenario(server.db);
    // A port that was just free: nothing listens there.
    const listener = net.createServer();
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(listener.address() as net.AddressInfo).port}`;
    await new Promise((resolve) => listener.close(resolve));
    const run = await cli(["import", csvFile(5), "--activity", s.activityId, "--url", url, "--key", s.organizer.key]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(
      /^error: cannot reach http:\/\/127\.0\.0\.1:\d+ \(connect ECONNREFUSED .*\); nothing was sent$/m,
    );
    const exported = await cli(["export", "--activity", s.activityId, "--url", url, "--key", s.organizer.key]);
    expect(exported.code).toBe(2);
    expect(exported.err).toContain("cannot reach");
  });
});

describe("regsync import --results", () => {
  /** A results file for start numbers 1..n: runner i+1 finishes i-th, in 1:00:00 plus i seconds plus `late`. */
  function resultsFile(rows: number, row = (i: number, late = 0) => resultRow(i, late), late = 0): string {
    const file = path.join(folder, `results-${files++}.csv`);
    const lines = ["result.startNumber,result.position,result.time,result.category"];
    for (let i = 0; i < rows; i++) lines.push(row(i, late));
    fs.writeFileSync(file, `${lines.join("\n")}\n`);
    return file;
  }
  const resultRow = (i: number, late = 0) => `${i + 1},${i + 1},1:00:${String(i + late).padStart(2, "0")},M40`;

  const storedResults = async (s: Scenario) =>
    (await server.db.query(
      `SELECT s.start_number, s.position, s.time_ms::int AS time, s.registration_id IS NOT NULL AS registered
         FROM result s WHERE s.activity_id = $1 ORDER BY s.position`,
      [s.activityId],
    )) as { start_number: string; position: number; time: number; registered: boolean }[];

  it("sends results for the activity's start numbers, prints the summary and the progress, and prunes with --prune", async () => {
    const s = await scenario(server.db);
    expect((await importing(s, csvFile(5))).code).toBe(0);
    const drawn = new PassThrough();
    const chunks: Buffer[] = [];
    drawn.on("data", (chunk: Buffer) => chunks.push(chunk));
    const file = resultsFile(5);
    const run = await cli(
      [
        "import",
        file,
        "--results",
        "--activity",
        s.activityId,
        "--url",
        server.url,
        "--key",
        s.organizer.key,
        "--progress",
      ],
      {},
      drawn,
    );
    expect(run.code, run.err).toBe(0);
    expect(run.out).toEqual([]);
    expect(run.err).toContain(`Imported ${file}: created 5, updated 0, unchanged 0, skipped 0.`);
    expect(Buffer.concat(chunks).toString()).toContain("answered 200");
    expect(await storedResults(s)).toEqual(
      [0, 1, 2, 3, 4].map((i) => ({
        start_number: String(i + 1),
        position: i + 1,
        time: 3_600_000 + i * 1000,
        registered: true,
      })),
    );
    // The registrations are untouched: the file went to the results.
    expect(await storedCount(s)).toBe(5);

    // The same file again is replayed, not applied twice; the same bytes as registrations are another request.
    const again = await importing(s, file, "--results");
    expect(again.err).toMatch(/^Replayed: .*\(created 5, updated 0, unchanged 0, skipped 0\)/m);

    // A corrected list without runner 5: every time changes, and --prune deletes the result left out.
    const corrected = resultsFile(4, resultRow, 10);
    const answer = path.join(folder, "results-answer.csv");
    const pruned = await importing(s, corrected, "--results", "--prune", "--out", answer);
    expect(pruned.code, pruned.err).toBe(0);
    expect(pruned.err).toContain(`Imported ${corrected}: created 0, updated 4, unchanged 0, deleted 1, skipped 0.`);
    expect((await storedResults(s)).map((r) => [r.start_number, r.time])).toEqual([
      ["1", 3_610_000],
      ["2", 3_611_000],
      ["3", 3_612_000],
      ["4", 3_613_000],
    ]);
    // The answer, in the file's columns, holds the times as stored (milliseconds), each row's result marked, as some
    // result was deleted; the deleted one follows the file's rows.
    const lines = fs.readFileSync(answer, "utf8").trimEnd().split("\n");
    expect(lines[1]).toBe("1,1,3610000,M40,Updated");
    expect(lines.at(-1)).toMatch(/,Deleted$/);
  });

  it("lists failing result rows as line and column and exits 1, as a failing registration import does, writing nothing", async () => {
    const s = await scenario(server.db);
    expect((await importing(s, csvFile(5))).code).toBe(0);
    // Line 3 has a time that is no time; line 5 a start number no registration holds.
    const file = resultsFile(5, (i) => (i === 1 ? "2,2,10:00,M40" : i === 3 ? "99,4,1:00:04,M40" : resultRow(i)));
    const run = await importing(s, file, "--results");
    const failedRegistrations = await importing(
      s,
      csvFile(3, (i) => insertRow(i).replace(/,[^,]+$/, ",1990-02-30")),
    );
    expect(run.code).toBe(failedRegistrations.code);
    expect(run.code).toBe(1);
    expect(run.out).toEqual([]);
    const lines = run.err.split("\n");
    expect(lines).toContainEqual(expect.stringMatching(/^line 3, result\.time: .*h:mm:ss/));
    expect(lines).toContainEqual(expect.stringMatching(/^line 5, result\.startNumber: No registration .* 99/));
    expect(run.err).toContain("error: 2 rows failed; nothing was written");
    expect(await storedResults(s)).toEqual([]);
  });

  it("refuses --prune without --results, before sending anything", async () => {
    const s = await scenario(server.db);
    const run = await importing(s, csvFile(3), "--prune");
    expect(run.code).toBe(1);
    expect(run.err).toBe("error: --prune deletes results the file leaves out: it goes with --results only");
    expect(await storedCount(s)).toBe(0);
  });
});

describe("regsync export", () => {
  it("writes a file byte-identical to a GET of the CSV, and stdout in the Excel dialect from REGSYNC_URL and REGSYNC_KEY", async () => {
    const s = await scenario(server.db);
    const file = csvFile(500, (i) =>
      insertRow(i).replace(`"Dvořák, ${i}"`, i === 7 ? `"Dvořák ""the elder"", 7"` : `"Dvořák, ${i}"`),
    );
    const imported = await importing(s, file);
    expect(imported.code, imported.err).toBe(0);
    // A sync ignores the state of existing registrations; one cancelled in the platform gives a state filter something to leave out.
    await server.db.query(
      `UPDATE registration SET state = 'Cancelled' WHERE activity_id = $1 AND external_id = 'X-1'`,
      [s.activityId],
    );

    const out = path.join(folder, "export.csv");
    const run = await cli([
      "export",
      "--activity",
      s.activityId,
      "--out",
      out,
      "--url",
      server.url,
      "--key",
      s.organizer.key,
    ]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toEqual([]);
    expect(run.data.length).toBe(0);
    expect(fs.readFileSync(out)).toEqual(await storedCsv(s));
    // Quotes inside a cell do not upset the row count.
    expect(run.err).toMatch(new RegExp(`^Exported 500 registrations to ${out.replace(/[.\\]/g, "\\$&")} \\(`, "m"));

    const env = { REGSYNC_URL: `${server.url}/`, REGSYNC_KEY: s.organizer.key };
    const excel = await cli(["export", "--activity", s.activityId, "--excel", "--state", "New,Confirmed"], env);
    expect(excel.code, excel.err).toBe(0);
    expect(excel.data).toEqual(await storedCsv(s, "dialect=excel&state=New,Confirmed"));
    expect(excel.data.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(excel.err).toContain("Exported 499 registrations");
  });

  it("leaves an existing file alone when the export is refused", async () => {
    const s = await scenario(server.db);
    const out = path.join(folder, "kept.csv");
    fs.writeFileSync(out, "kept");
    const run = await cli([
      "export",
      "--activity",
      s.activityId,
      "--out",
      out,
      "--url",
      server.url,
      "--key",
      s.organizer.key,
      "--state",
      "Lost",
    ]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^error: state must be among New, Confirmed, Cancelled; got Lost; HTTP 400/m);
    expect(fs.readFileSync(out, "utf8")).toBe("kept");
    expect(fs.readdirSync(folder).filter((f) => f.endsWith(".part"))).toEqual([]);
  });
});
