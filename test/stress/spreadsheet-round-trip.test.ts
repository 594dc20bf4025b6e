// Issue 11: the organizer's "download, edit in a spreadsheet, upload" with the real spreadsheet. LibreOffice
// opens the download as a user would and saves it again; uploading the result must change nothing.
// A conversion takes seconds (soffice starts each time), so this lives in the stress suite.
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeRegistration, scenario } from "../support/fixtures";
import { call, getRegistrations, putJson, registrationsUrl, type Reply } from "../support/http";
import {
  csvToCzechCsv,
  csvToXlsx,
  DIALOG_DEFAULTS,
  libreOfficeSkipReason,
  noLibreOffice,
  removeLibreOfficeProfiles,
  xlsxToCsv,
} from "../support/libreoffice";
import { startServer, type TestServer } from "../support/test-server";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

let server: TestServer;
let activityId: string;
let auth: string;
/** The registrations of the race. */
const ROWS = 5;

/** A Czech race: zero-padded numbers, diacritics, an empty and a set middle name, Native and External runners. */
async function czechRace(): Promise<void> {
  const race = await scenario(server.db);
  activityId = race.activityId;
  auth = race.organizer.auth;
  await nativeRegistration(server.db, activityId, {
    startNumber: "0001",
    givenName: "Šárka",
    surname: "Žluťoučká",
    birthDate: "1975-11-27",
  });
  await nativeRegistration(server.db, activityId, {
    startNumber: "0010",
    givenName: "Řehoř",
    surname: "Čermák",
    birthDate: "1988-03-09",
    state: "New",
  });
  const external = await putJson(server.url, activityId, auth, [
    {
      externalId: "CZ-100",
      startNumber: "0100",
      person: { givenName: "Řehoř", middleName: "Ignác", surname: "Žluťoučký", sex: "Male", birthDate: "1975-11-27" },
    },
    // The comma: the Text Import dialog splits on `,` and `;` alike, so a `;` file must quote it too.
    {
      externalId: "CZ-NONE",
      person: { givenName: "Ondřej", surname: "Kovář, st.", sex: "Male", birthDate: "1950-01-01" },
    },
    {
      externalId: "CZ-1000",
      startNumber: "1000",
      state: "New",
      person: { givenName: "Šárka", surname: "Ťoupalíková", sex: "Female", birthDate: "2004-02-29" },
    },
  ]);
  expect(external.status, external.text).toBe(200);
}

beforeAll(async () => {
  if (noLibreOffice) return;
  server = await startServer();
  await czechRace();
});
afterAll(async () => {
  removeLibreOfficeProfiles();
  await server?.close();
});

async function download(dialect: "plain" | "excel"): Promise<string> {
  const reply = await getRegistrations(server.url, activityId, auth, "csv", dialect === "excel" ? "dialect=excel" : "");
  expect(reply.status).toBe(200);
  return reply.text;
}

/** The start-number cells of a CSV file, sorted. */
function startNumbers(csv: string, delimiter: string): string[] {
  const records: Record<string, string>[] = parse(csv.replace(/^\uFEFF/, ""), { columns: true, delimiter });
  return records.map((record) => record["registration.startNumber"]).sort();
}

function dryRun(format: "csv" | "xlsx", body: Buffer, contentType: string): Promise<Reply> {
  const url =
    format === "csv"
      ? registrationsUrl(server.url, activityId, "csv", "dryRun=true")
      : `${server.url}/api/events/activities/${activityId}/registrations.xlsx?dryRun=true`;
  return call(url, { method: "PUT", headers: { Authorization: auth, "Content-Type": contentType }, body });
}

function expectAllUnchanged(reply: Reply): void {
  expect(reply.status, reply.text).toBe(200);
  expect(reply.headers.get("sync-summary"), reply.text).toBe(`Created=0, Updated=0, Unchanged=${ROWS}, Skipped=0`);
}

describe.skipIf(noLibreOffice)(
  `a LibreOffice round trip of the registrations download changes nothing${libreOfficeSkipReason}`,
  () => {
    for (const dialect of ["plain", "excel"] as const) {
      const query = dialect === "excel" ? " (?dialect=excel)" : "";

      it(`CSV${query} opened with the import dialog's defaults, saved as .xlsx, then as UTF-8 CSV: every row Unchanged`, async () => {
        const csv = await download(dialect);
        const saved = (await xlsxToCsv(await csvToXlsx(csv))).toString("utf8");
        // What the spreadsheet did: numbers lost their leading zeros. The server must see the same runners.
        expect(startNumbers(csv, dialect === "excel" ? ";" : ",")).toEqual(["", "0001", "0010", "0100", "1000"]);
        expect(startNumbers(saved, ",")).toEqual(["", "1", "10", "100", "1000"]);
        expectAllUnchanged(await dryRun("csv", Buffer.from(saved, "utf8"), "text/csv; charset=utf-8"));
      });

      it(`CSV${query} saved by a Czech user as ;-separated Windows-1250: every row Unchanged`, async () => {
        const saved = await csvToCzechCsv(await download(dialect));
        // Really Windows-1250: Ž is the one byte 0x8E, not UTF-8's C5 BD.
        expect(saved.includes(Buffer.from("Žluťoučký", "utf8"))).toBe(false);
        const text = new TextDecoder("windows-1250").decode(saved);
        expect(text).toContain("Žluťoučký");
        expect(startNumbers(text, ";")).toEqual(["", "1", "10", "100", "1000"]);
        expectAllUnchanged(await dryRun("csv", saved, "text/csv; charset=windows-1250"));
      });
    }

    it("a runner a Czech user adds, with the birth date as Czech LibreOffice writes it (27.11.1975), is created with that date", async () => {
      // The new row as typed into the sheet: no id, the number without zeros, a date that a Czech locale reads as a date.
      const typed = `${await download("plain")},New,200,,Vojtěch,,Dvořák,Male,27.11.1975\n`;
      const saved = await csvToCzechCsv(typed, { ...DIALOG_DEFAULTS, detectSpecialNumbers: true });
      const text = new TextDecoder("windows-1250").decode(saved);
      // LibreOffice wrote the typed date the Czech way and left the downloaded ISO dates alone.
      expect(text).toMatch(/;200;;Vojtěch;;Dvořák;Male;27\.11\.1975\n/);
      expect(text).toContain(";Žluťoučký;Male;1975-11-27\n");
      const reply = await dryRun("csv", saved, "text/csv; charset=windows-1250");
      expect(reply.status, reply.text).toBe(200);
      expect(reply.headers.get("sync-summary"), reply.text).toBe(`Created=1, Updated=0, Unchanged=${ROWS}, Skipped=0`);
      // Names aside (the answer's character set is the encoding work's to choose), the stored date is ISO.
      expect(reply.text).toMatch(/;New;200;[0-9a-f]*;[^;\n]+;;[^;\n]+;Male;1975-11-27\r?\n/);
    });

    it("the .xlsx LibreOffice saved, uploaded to registrations.xlsx: every row Unchanged", async () => {
      // Both ways a user may have opened the CSV: dates as text (the dialog's default) or as date cells.
      for (const detectSpecialNumbers of [false, true]) {
        const xlsx = await csvToXlsx(await download("plain"), { ...DIALOG_DEFAULTS, detectSpecialNumbers });
        expectAllUnchanged(await dryRun("xlsx", xlsx, XLSX_TYPE));
      }
    });
  },
);
