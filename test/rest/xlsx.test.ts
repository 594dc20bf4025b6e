// Excel workbooks (issue 11, item 4): downloads LibreOffice shows as stored, uploads read from the cells'
// types, row errors naming the sheet row, partial mode, and the limits that hold for a zip bomb.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeRegistration, scenario, type Scenario } from "../support/fixtures";
import { getRegistrations, registrationsUrl } from "../support/http";
import {
  csvToXlsx,
  libreOfficeSkipReason,
  noLibreOffice,
  removeLibreOfficeProfiles,
  xlsxToCsv,
} from "../support/libreoffice";
import { startServer, type TestServer } from "../support/test-server";
import { request, sheetValues, workbookOf } from "../support/xlsx-files";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const SEED_HEADER =
  "registration.id,registration.state,registration.startNumber,person.id,person.givenName,person.middleName,person.surname,person.sex,person.birthDate";

let server: TestServer;
let folder: string;
beforeAll(async () => {
  server = await startServer();
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "regsync-xlsx-"));
});
afterAll(async () => {
  await server?.close();
  removeLibreOfficeProfiles();
  fs.rmSync(folder, { recursive: true, force: true });
});

const download = (s: Scenario, query = "") =>
  request(registrationsUrl(server.url, s.activityId, "xlsx", query), { headers: { Authorization: s.organizer.auth } });

const upload = (s: Scenario, body: Buffer | string, query = "", contentType: string | null = XLSX, base = server.url) =>
  request(registrationsUrl(base, s.activityId, "xlsx", query), {
    method: "PUT",
    headers: { Authorization: s.organizer.auth, ...(contentType ? { "Content-Type": contentType } : {}) },
    body,
  });

const writeFile = (name: string, content: string | Buffer) => {
  const file = path.join(folder, name);
  fs.writeFileSync(file, content);
  return file;
};

const UPLOAD_HEADER = [
  "registration.externalId",
  "registration.startNumber",
  "person.givenName",
  "person.surname",
  "person.sex",
  "person.birthDate",
];

describe("workbook download", () => {
  it(
    `keeps start numbers' zeros and names' diacritics when LibreOffice opens it${libreOfficeSkipReason}`,
    { skip: noLibreOffice, timeout: 180_000 },
    async () => {
      const s = await scenario(server.db);
      await nativeRegistration(server.db, s.activityId, {
        startNumber: "0010",
        givenName: "Žofie",
        surname: "Řeháková",
        birthDate: "1983-09-10",
      });
      await nativeRegistration(server.db, s.activityId, {
        startNumber: "007",
        givenName: "Šárka",
        surname: "Dvořáková",
      });
      const answer = await download(s);
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toBe(XLSX);

      const csv = (await xlsxToCsv(answer.body)).toString("utf8");
      const lines = csv.replace(/\r\n/g, "\n").trimEnd().split("\n");
      expect(lines[0]).toBe(SEED_HEADER);
      expect(lines).toContainEqual(
        expect.stringMatching(/,Confirmed,0010,[0-9a-f]{24},Žofie,,Řeháková,Female,1983-09-10$/),
      );
      expect(lines).toContainEqual(
        expect.stringMatching(/,Confirmed,007,[0-9a-f]{24},Šárka,,Dvořáková,Female,1990-01-02$/),
      );
      // What LibreOffice shows is exactly the CSV download.
      const csvDownload = await getRegistrations(server.url, s.activityId, s.organizer.auth, "csv");
      expect(`${lines.join("\n")}\n`).toBe(csvDownload.text);
    },
  );

  it("writes every cell as a text cell in a text-formatted column", async () => {
    const s = await scenario(server.db);
    await nativeRegistration(server.db, s.activityId, { startNumber: "0010" });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await download(s)).body as unknown as ArrayBuffer);
    const cell = workbook.worksheets[0].getCell("C2");
    expect(cell.value).toBe("0010");
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.numFmt).toBe("@");
  });

  it("takes the CSV download's columns and state filter, and refuses a CSV dialect", async () => {
    const s = await scenario(server.db);
    const confirmed = await nativeRegistration(server.db, s.activityId, { startNumber: "0001" });
    await nativeRegistration(server.db, s.activityId, { state: "Cancelled" });
    const answer = await download(
      s,
      "columns=registration.code,registration.startNumber,registration.amount.value&state=Confirmed",
    );
    expect(await sheetValues(answer.body)).toEqual([
      ["registration.code", "registration.startNumber", "registration.amount.value"],
      [confirmed.code, "0001", "85000"],
    ]);
    const dialect = await download(s, "dialect=excel");
    expect(dialect.status).toBe(400);
    expect(dialect.json.detail).toContain("registrations.csv");
  });
});

describe("workbook upload", () => {
  it("answers every row Unchanged for the download sent back unchanged, with the rows as a workbook", async () => {
    const s = await scenario(server.db);
    await nativeRegistration(server.db, s.activityId, { startNumber: "0010", givenName: "Žofie" });
    await nativeRegistration(server.db, s.activityId, { startNumber: "=1+1" });
    await nativeRegistration(server.db, s.activityId);
    const downloaded = await download(
      s,
      "columns=registration.id,registration.startNumber,person.givenName,person.surname,person.birthDate,person.isProfilePublic",
    );
    const answer = await upload(s, downloaded.body, "", null);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("sync-summary")).toBe("Created=0, Updated=0, Unchanged=3, Skipped=0");
    expect(answer.headers.get("content-type")).toBe(XLSX);
    expect(await sheetValues(answer.body)).toEqual(await sheetValues(downloaded.body));
  });

  it("replays an idempotent upload's workbook answer byte for byte", async () => {
    const s = await scenario(server.db);
    const body = await workbookOf([UPLOAD_HEADER, ["I-1", "0042", "Jana", "Nová", "Female", "1990-05-06"]]);
    const send = () =>
      request(registrationsUrl(server.url, s.activityId, "xlsx"), {
        method: "PUT",
        headers: { Authorization: s.organizer.auth, "Content-Type": XLSX, "Idempotency-Key": `xlsx-${s.activityId}` },
        body,
      });
    const first = await send();
    const again = await send();
    expect(first.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.equals(first.body)).toBe(true);
    expect((await sheetValues(first.body))[1]).toEqual(["I-1", "0042", "Jana", "Nová", "Female", "1990-05-06"]);
  });

  it(
    `reads a CSV that LibreOffice saved as a workbook from its typed number and date cells${libreOfficeSkipReason}`,
    { skip: noLibreOffice, timeout: 180_000 },
    async () => {
      const s = await scenario(server.db);
      const xlsx = await csvToXlsx(
        `${UPLOAD_HEADER.join(",")}\nL-1,7,Šárka,Dvořáková,Female,1975-11-27\nL-2,12,Jiří,Žluťoučký,Male,2001-02-03\n`,
      );
      // LibreOffice's defaults did make them numbers and dates: the test is about typed cells.
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(writeFile("runners.xlsx", xlsx));
      expect(workbook.worksheets[0].getCell("B2").type).toBe(ExcelJS.ValueType.Number);
      expect(workbook.worksheets[0].getCell("F2").type).toBe(ExcelJS.ValueType.Date);

      const created = await upload(s, xlsx);
      expect(created.status).toBe(200);
      expect(created.headers.get("sync-summary")).toBe("Created=2, Updated=0, Unchanged=0, Skipped=0");
      const stored = (await getRegistrations(server.url, s.activityId, s.organizer.auth)).json;
      expect(
        stored.map((r: any) => [r.startNumber, r.person.givenName, r.person.surname, r.person.birthDate]).sort(),
      ).toEqual([
        ["12", "Jiří", "Žluťoučký", "2001-02-03T00:00:00Z"],
        ["7", "Šárka", "Dvořáková", "1975-11-27T00:00:00Z"],
      ]);
      const again = await upload(s, xlsx, "dryRun=true");
      expect(again.headers.get("sync-summary")).toBe("Created=0, Updated=0, Unchanged=2, Skipped=0");
    },
  );

  it(
    `answers Unchanged for a download that LibreOffice turned into numbers (0010 became 10)${libreOfficeSkipReason}`,
    { skip: noLibreOffice, timeout: 240_000 },
    async () => {
      const s = await scenario(server.db);
      await nativeRegistration(server.db, s.activityId, { startNumber: "0010" });
      const retyped = await csvToXlsx(await xlsxToCsv((await download(s)).body));
      const answer = await upload(s, retyped, "dryRun=true");
      expect(answer.headers.get("sync-summary")).toBe("Created=0, Updated=0, Unchanged=1, Skipped=0");
    },
  );

  it("reads numbers without decimals or exponents, booleans, dates and formulas' saved results", async () => {
    const s = await scenario(server.db);
    const body = await workbookOf(
      [
        [...UPLOAD_HEADER, "person.isProfilePublic"],
        [
          "N-1",
          10,
          { formula: '"Ja"&"na"', result: "Jana" } as ExcelJS.CellFormulaValue,
          "Nová",
          "Female",
          new Date(Date.UTC(1975, 10, 27)),
          false,
        ],
        ["N-2", 123456789012, "Petr", "Malý", "Male", new Date(Date.UTC(2001, 1, 3)), true],
      ],
      "dd.mm.yyyy",
    );
    const answer = await upload(s, body);
    expect(answer.status).toBe(200);
    const stored = (await getRegistrations(server.url, s.activityId, s.organizer.auth)).json;
    expect(
      stored.map((r: any) => [r.startNumber, r.person.givenName, r.person.birthDate, r.person.isProfilePublic]).sort(),
    ).toEqual([
      ["10", "Jana", "1975-11-27T00:00:00Z", false],
      ["123456789012", "Petr", "2001-02-03T00:00:00Z", true],
    ]);
  });

  it("refuses a formula without a saved result with a 400 naming the sheet row and the cell", async () => {
    const s = await scenario(server.db);
    const body = await workbookOf([
      UPLOAD_HEADER,
      ["F-1", "1", "Jana", "Nová", "Female", "1990-01-01"],
      ["F-2", { formula: "B2+1" } as ExcelJS.CellFormulaValue, "Eva", "Nová", "Female", "1990-01-01"],
    ]);
    const answer = await upload(s, body);
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ type: "/problems/malformed-xlsx", line: 3 });
    expect(answer.json.detail).toMatch(/^Line 3: cell B3 holds a formula without a saved result/);
    expect((await getRegistrations(server.url, s.activityId, s.organizer.auth)).json).toEqual([]);
  });

  it("names the sheet row and the column of a row error, counting the empty rows, and writes nothing", async () => {
    const s = await scenario(server.db);
    const body = await workbookOf([
      UPLOAD_HEADER,
      [],
      ["E-1", "1", "Jana", "Nová", "Female", "1990-01-01"],
      ["E-2", "2", "Petr", "Malý", "Alien", "1990-01-01"],
    ]);
    const answer = await upload(s, body);
    expect(answer.status).toBe(422);
    expect(answer.json.errors).toEqual([expect.objectContaining({ line: 4, field: "person.sex" })]);
    expect((await getRegistrations(server.url, s.activityId, s.organizer.auth)).json).toEqual([]);
  });

  it("refuses a value in a column without a header, naming the cell", async () => {
    const s = await scenario(server.db);
    const body = await workbookOf([
      UPLOAD_HEADER,
      ["H-1", "1", "Jana", "Nová", "Female", "1990-01-01", undefined, "stray"],
    ]);
    const answer = await upload(s, body);
    expect(answer.status).toBe(400);
    expect(answer.json.detail).toBe("Line 2: cell H2 has a value, but its column has no header");
  });

  it("answers partial mode with each row's result and errors in two more columns", async () => {
    const s = await scenario(server.db);
    const body = await workbookOf([
      UPLOAD_HEADER,
      ["P-1", "0005", "Jana", "Nová", "Female", "1990-01-01"],
      ["P-2", "0006", "Petr", "Malý", "Alien", "1990-01-01"],
    ]);
    const answer = await upload(s, body, "mode=partial");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("sync-summary")).toBe("Created=1, Updated=0, Unchanged=0, Skipped=1");
    const rows = await sheetValues(answer.body);
    expect(rows[0]).toEqual([...UPLOAD_HEADER, "sync.resultType", "sync.errors"]);
    expect(rows[1]).toEqual(["P-1", "0005", "Jana", "Nová", "Female", "1990-01-01", "Created"]);
    expect(rows[2].slice(0, 7)).toEqual(["P-2", "0006", "Petr", "Malý", "Alien", "1990-01-01", "Skipped"]);
    expect(rows[2][7]).toMatch(/^person\.sex: /);
  });

  it("refuses CSV sent as a workbook, and a workbook sent as CSV, saying where each belongs", async () => {
    const s = await scenario(server.db);
    const csv = `${UPLOAD_HEADER.join(",")}\nC-1,1,Jana,Nová,Female,1990-01-01\n`;
    const asWorkbook = await upload(s, csv, "", "application/octet-stream");
    expect(asWorkbook.status).toBe(415);
    expect(asWorkbook.json.detail).toBe(
      `The body is not an .xlsx workbook (it starts with "${csv.slice(0, 40)}"); send CSV to registrations.csv, or save the file as an .xlsx workbook`,
    );
    const typedCsv = await upload(s, csv, "", "text/csv");
    expect(typedCsv.status).toBe(415);
    expect(typedCsv.json.detail).toBe(`registrations.xlsx takes ${XLSX}, not text/csv; send it to registrations.csv`);

    const workbook = await workbookOf([UPLOAD_HEADER, ["C-1", "1", "Jana", "Nová", "Female", "1990-01-01"]]);
    const asCsv = await request(registrationsUrl(server.url, s.activityId, "csv"), {
      method: "PUT",
      headers: { Authorization: s.organizer.auth, "Content-Type": "application/octet-stream" },
      body: workbook,
    });
    expect(asCsv.status).toBe(415);
    expect(asCsv.json.detail).toBe(
      'This is an Excel workbook, not a CSV file: send it to registrations.xlsx instead, or save the sheet as CSV ("CSV UTF-8")',
    );
    expect((await getRegistrations(server.url, s.activityId, s.organizer.auth)).json).toEqual([]);
  });
});

describe("broken workbooks", () => {
  it("refuses a workbook cut short, or damaged, with a 400 at once", async () => {
    const s = await scenario(server.db);
    const whole = await workbookOf([UPLOAD_HEADER, ["T-1", "1", "Jana", "Nová", "Female", "1990-01-01"]]);
    const cut = await upload(s, whole.subarray(0, Math.floor(whole.length / 2)));
    expect(cut.status).toBe(400);
    expect(cut.json.detail).toMatch(
      /^The body is not a readable \.xlsx workbook: the zip file is cut short or damaged/,
    );
    const damaged = Buffer.from(whole);
    for (let i = 200; i < 600; i++) damaged[i] ^= 0x55;
    expect((await upload(s, damaged)).status).toBe(400);
    const empty = await upload(s, Buffer.alloc(0));
    expect([empty.status, empty.json.detail]).toEqual([415, "The body is empty; send an .xlsx workbook"]);
  });
});

describe("workbook limits", () => {
  let small: TestServer;
  beforeAll(async () => {
    small = await startServer({ BODY_LIMIT_BYTES: "100000", MAX_CSV_ROWS: "3", MAX_CSV_COLUMNS: "8" });
  });
  afterAll(() => small?.close());

  it("refuses a small workbook that unpacks hugely (a zip bomb) with 413, before reading it", async () => {
    const s = await scenario(small.db);
    // 4 MB of text packs into a few kilobytes: under the 100 kB body limit, over the 1 MB it may unpack to.
    const body = await workbookOf([UPLOAD_HEADER, ["B-1", "1", "x".repeat(4_000_000), "Nová", "Female", "1990-01-01"]]);
    expect(body.length).toBeLessThan(100_000);
    const answer = await upload(s, body, "", XLSX, small.url);
    expect(answer.status).toBe(413);
    expect(answer.json).toMatchObject({ type: "/problems/xlsx-too-large" });
    expect(answer.json.detail).toContain("unpacks to more than 1000000 bytes");
  });

  it("holds MAX_CSV_ROWS and MAX_CSV_COLUMNS for workbooks, naming the sheet row", async () => {
    const s = await scenario(small.db);
    const row = (i: number) => [`R-${i}`, String(i), "Jana", "Nová", "Female", "1990-01-01"];
    const tall = await upload(
      s,
      await workbookOf([UPLOAD_HEADER, row(1), row(2), row(3), row(4)]),
      "",
      XLSX,
      small.url,
    );
    expect(tall.status).toBe(413);
    expect(tall.json).toMatchObject({ type: "/problems/xlsx-too-large", line: 5 });
    const wide = await upload(s, await workbookOf([[...UPLOAD_HEADER, "a", "b", "c"]]), "", XLSX, small.url);
    expect(wide.status).toBe(413);
    expect(wide.json.detail).toBe("Line 1: the header has 9 columns; at most 8 are accepted");
  });
});
