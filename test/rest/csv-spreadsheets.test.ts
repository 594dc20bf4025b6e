// CSV files as spreadsheets write them (issue 11): Czech charsets, Czech dates, workbooks sent by mistake.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scenario } from "../support/fixtures";
import { call, getRegistrations, putCsv, registrationsUrl } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const HEADER = "registration.externalId,person.givenName,person.surname,person.sex,person.birthDate";
const CZECH = `${HEADER}\nC-1,Žluťoučký kůň,Šárka,Male,27.11.1975\nC-2,Řehoř,Ďáblice,Male,1. 2. 1990\n`;

/** The text in another charset, made by the system's iconv rather than by the decoder under test. */
const encoded = (text: string, charset: string) =>
  execFileSync("iconv", ["-f", "UTF-8", "-t", charset], { input: text });

function putBytes(activityId: string, auth: string, body: Buffer, contentType: string) {
  return call(registrationsUrl(server.url, activityId, "csv"), {
    method: "PUT",
    headers: { Authorization: auth, "Content-Type": contentType },
    body,
  });
}

async function storedNames(activityId: string, auth: string) {
  const reply = await getRegistrations(server.url, activityId, auth);
  return reply.json.map((r: any) => [r.externalId, r.person.givenName, r.person.surname, r.person.birthDate]).sort();
}

describe("CSV charsets", () => {
  it("stores the same Czech names from a Windows-1250, an ISO-8859-2 and a UTF-8-with-BOM file", async () => {
    const cp1250 = encoded(CZECH, "WINDOWS-1250");
    const latin2 = encoded(CZECH, "ISO-8859-2");
    // The encoder did its work: one byte a letter, and Ž not the same byte in the two charsets.
    expect([cp1250.includes(0x8e), latin2.includes(0xae), cp1250.length, latin2.length]).toEqual([
      true,
      true,
      CZECH.length,
      CZECH.length,
    ]);
    const files: [Buffer, string][] = [
      [cp1250, "text/csv; charset=windows-1250"],
      [latin2, "text/csv; charset=iso-8859-2"],
      [Buffer.from(`\uFEFF${CZECH}`), "text/csv"],
      [cp1250, "text/csv; charset=cp1250"],
      [latin2, "text/csv; charset=latin2"],
    ];
    for (const [body, contentType] of files) {
      const { organizer, activityId } = await scenario(server.db);
      const reply = await putBytes(activityId, organizer.auth, body, contentType);
      expect(reply.status, contentType).toBe(200);
      // The answer is UTF-8 whatever the upload's charset.
      expect(reply.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(reply.text).toContain(",Žluťoučký kůň,Šárka,Male,1975-11-27");
      expect(await storedNames(activityId, organizer.auth)).toEqual([
        ["C-1", "Žluťoučký kůň", "Šárka", "1975-11-27T00:00:00Z"],
        ["C-2", "Řehoř", "Ďáblice", "1990-02-01T00:00:00Z"],
      ]);
    }
  });

  it("refuses a Windows-1250 file sent without a charset with 400 naming its first line that is not UTF-8, and writes nothing", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const body = encoded(
      `${HEADER}\nA-1,Jan,Novak,Male,1980-01-01\nC-1,Žluťoučký kůň,Šárka,Male,1975-11-27\n`,
      "WINDOWS-1250",
    );
    for (const contentType of ["text/csv", "text/csv; charset=utf-8"]) {
      const reply = await putBytes(activityId, organizer.auth, body, contentType);
      expect(reply.status).toBe(400);
      expect(reply.json).toMatchObject({ type: "/problems/csv-encoding", line: 3 });
      expect(reply.json.detail).toBe(
        "Line 3: the file is not UTF-8 text. If Czech Excel saved it, it is Windows-1250: send it with " +
          'Content-Type: text/csv; charset=windows-1250, or save it from the spreadsheet as "CSV UTF-8"',
      );
    }
    expect(await storedNames(activityId, organizer.auth)).toEqual([]);
  });

  it("answers an unknown charset with 415 naming the supported ones", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reply = await putBytes(activityId, organizer.auth, Buffer.from(CZECH), "text/csv; charset=iso-8859-1");
    expect(reply.status).toBe(415);
    expect(reply.json.detail).toBe(
      "charset iso-8859-1 is not supported; send utf-8, windows-1250 (cp1250) or iso-8859-2 (latin2)",
    );
  });

  it("tells a workbook sent to the CSV route to go to registrations.xlsx, with 415", async () => {
    const { organizer, activityId } = await scenario(server.db);
    // The first bytes of every .xlsx (a zip) and every .xls (an OLE compound file).
    const workbooks = [
      Buffer.from("504b0304140006000800000021006c5a", "hex"),
      Buffer.from("d0cf11e0a1b11ae10000000000000000", "hex"),
    ];
    for (const body of workbooks) {
      const reply = await putBytes(activityId, organizer.auth, body, "application/octet-stream");
      expect(reply.status).toBe(415);
      expect(reply.json.detail).toBe(
        'This is an Excel workbook, not a CSV file: send it to registrations.xlsx instead, or save the sheet as CSV ("CSV UTF-8")',
      );
    }
    // A browser sends a workbook with its media type.
    const typed = await putBytes(
      activityId,
      organizer.auth,
      workbooks[0],
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(typed.status).toBe(415);
    expect(typed.json.detail).toBe(
      "registrations.csv takes text/csv, not application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; send it to registrations.xlsx",
    );
  });

  it("takes the same bytes in another charset as another request under the same Idempotency-Key", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const body = encoded(CZECH, "WINDOWS-1250");
    const put = (contentType: string) =>
      call(registrationsUrl(server.url, activityId, "csv"), {
        method: "PUT",
        headers: { Authorization: organizer.auth, "Content-Type": contentType, "Idempotency-Key": "charset-1" },
        body,
      });
    expect((await put("text/csv; charset=windows-1250")).status).toBe(200);
    expect((await put("text/csv; charset=cp1250")).headers.get("idempotent-replayed")).toBe("true");
    // In ISO-8859-2 these bytes are other letters (0x8E is no Ž): not a repeat of the first request.
    const other = await put("text/csv; charset=iso-8859-2");
    expect(other.status).toBe(422);
    expect(other.json.type).toBe("/problems/idempotency-key-reused");
  });
});

describe("CSV birth dates", () => {
  it("reads ISO and Czech forms, and downloads ISO", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const dates = ["1975-11-27", "1975-11-27T00:00:00Z", "27.11.1975", "27. 11. 1975", "1.2.1990"];
    const csv = `${HEADER}\n${dates.map((date, i) => `D-${i},Jan,Dvořák ${i},Male,${date}`).join("\n")}\n`;
    const reply = await putCsv(server.url, activityId, organizer.auth, csv);
    expect(reply.status).toBe(200);
    const download = await getRegistrations(
      server.url,
      activityId,
      organizer.auth,
      "csv",
      "columns=registration.externalId,person.birthDate",
    );
    expect(download.text.split("\n").slice(1, -1).sort()).toEqual([
      "D-0,1975-11-27",
      "D-1,1975-11-27",
      "D-2,1975-11-27",
      "D-3,1975-11-27",
      "D-4,1990-02-01",
    ]);
  });

  it("refuses an impossible Czech date as an error on its line and column, and writes nothing", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reply = await putCsv(
      server.url,
      activityId,
      organizer.auth,
      `${HEADER}\nD-1,Jan,Dvořák,Male,1.2.1990\nD-2,Jan,Dvořák,Male,31.2.1990\n`,
    );
    expect(reply.status).toBe(422);
    expect(reply.json.errors).toEqual([
      expect.objectContaining({
        line: 3,
        field: "person.birthDate",
        code: "InvalidValue",
        message: expect.stringContaining("not a calendar date"),
      }),
    ]);
    expect(await storedNames(activityId, organizer.auth)).toEqual([]);
  });
});
