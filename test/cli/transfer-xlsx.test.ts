// `cli import` and `cli export` with .xlsx workbooks (issue 11, item 4): the file's extension picks the format;
// LibreOffice makes the workbook the organizer would send, and reads the one the CLI saved.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/commands";
import { nativeRegistration, scenario, type Scenario } from "../support/fixtures";
import { getRegistrations } from "../support/http";
import {
  csvToXlsx,
  libreOfficeSkipReason,
  noLibreOffice,
  removeLibreOfficeProfiles,
  xlsxToCsv,
} from "../support/libreoffice";
import { startServer, type TestServer } from "../support/test-server";
import { sheetValues, workbookOf } from "../support/xlsx-files";

let server: TestServer;
let folder: string;
beforeAll(async () => {
  server = await startServer();
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "regsync-transfer-xlsx-"));
});
afterAll(async () => {
  await server?.close();
  removeLibreOfficeProfiles();
  fs.rmSync(folder, { recursive: true, force: true });
});

async function cli(argv: string[]): Promise<{ code: number; err: string; data: Buffer }> {
  const err: string[] = [];
  const data: Buffer[] = [];
  const code = await runCli(
    argv,
    {
      out: () => undefined,
      err: (text) => err.push(text),
      write: async (chunk) => {
        data.push(Buffer.from(chunk));
      },
    },
    {},
  );
  return { code, err: err.join("\n"), data: Buffer.concat(data) };
}

const connection = (s: Scenario) => ["--activity", s.activityId, "--url", server.url, "--key", s.organizer.key];

describe("regsync export and import of workbooks", () => {
  it(
    `exports a workbook with --out *.xlsx that LibreOffice shows as the CSV export${libreOfficeSkipReason}`,
    { skip: noLibreOffice, timeout: 180_000 },
    async () => {
      const s = await scenario(server.db);
      await nativeRegistration(server.db, s.activityId, {
        startNumber: "0010",
        givenName: "Žofie",
        surname: "Řeháková",
      });
      const out = path.join(folder, "all.xlsx");
      const run = await cli(["export", ...connection(s), "--out", out]);
      expect(run.code).toBe(0);
      expect(run.err).toMatch(/^Exported the registrations to .*all\.xlsx \(\d+\.\d kB\)\.$/);
      expect(fs.readFileSync(out).subarray(0, 2).toString("latin1")).toBe("PK");

      const shown = (await xlsxToCsv(fs.readFileSync(out))).toString("utf8").replace(/\r\n/g, "\n");
      const csv = await cli(["export", ...connection(s)]);
      expect(shown).toBe(csv.data.toString("utf8"));
      expect(shown).toContain(",0010,");
    },
  );

  it(
    `imports a workbook LibreOffice saved, with --out saving the answer workbook${libreOfficeSkipReason}`,
    { skip: noLibreOffice, timeout: 180_000 },
    async () => {
      const s = await scenario(server.db);
      const workbook = path.join(folder, "runners.xlsx");
      fs.writeFileSync(
        workbook,
        await csvToXlsx(
          "registration.externalId,registration.startNumber,person.givenName,person.surname,person.sex,person.birthDate\nW-1,7,Šárka,Dvořáková,Female,1975-11-27\nW-2,8,Jiří,Novák,Alien,1975-11-28\n",
        ),
      );
      const refused = await cli(["import", workbook, ...connection(s)]);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain("line 3, person.sex: ");

      fs.writeFileSync(
        workbook,
        await csvToXlsx(
          "registration.externalId,registration.startNumber,person.givenName,person.surname,person.sex,person.birthDate\nW-1,7,Šárka,Dvořáková,Female,1975-11-27\nW-2,8,Jiří,Novák,Male,1975-11-28\n",
        ),
      );
      const answer = path.join(folder, "answer.xlsx");
      const run = await cli(["import", workbook, ...connection(s), "--out", answer]);
      expect(run.err).toContain("runners.xlsx: created 2, updated 0, unchanged 0, skipped 0.");
      expect(run.code).toBe(0);
      expect(fs.readFileSync(answer).subarray(0, 2).toString("latin1")).toBe("PK");
      const stored = (await getRegistrations(server.url, s.activityId, s.organizer.auth)).json;
      expect(stored.map((r: any) => `${r.startNumber} ${r.person.givenName}`).sort()).toEqual(["7 Šárka", "8 Jiří"]);
    },
  );

  it("refuses an answer file whose extension is not the upload's format, and --excel for a workbook", async () => {
    const s = await scenario(server.db);
    const file = path.join(folder, "empty.xlsx");
    fs.writeFileSync(file, "");
    const answer = await cli(["import", file, ...connection(s), "--out", path.join(folder, "answer.csv")]);
    expect(answer.code).toBe(1);
    expect(answer.err).toBe("error: the answer to " + file + " is a workbook: give --out a name ending in .xlsx");
    const excel = await cli(["export", ...connection(s), "--out", path.join(folder, "x.xlsx"), "--excel"]);
    expect(excel.code).toBe(1);
    expect(excel.err).toBe("error: --excel is a CSV dialect; a workbook (--out *.xlsx) has none");
  });

  it("sends a workbook of results with --results to results.xlsx, and saves the answer as a workbook", async () => {
    const s = await scenario(server.db);
    await nativeRegistration(server.db, s.activityId, { startNumber: "21" });
    await nativeRegistration(server.db, s.activityId, { startNumber: "22" });
    const file = path.join(folder, "results.xlsx");
    fs.writeFileSync(
      file,
      await workbookOf([
        ["result.startNumber", "result.position", "result.time"],
        ["21", 1, "0:40:00"],
        ["22", 2, 2_460_000],
      ]),
    );
    const answer = path.join(folder, "results-answer.xlsx");
    const run = await cli(["import", file, "--results", ...connection(s), "--out", answer]);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toContain("results.xlsx: created 2, updated 0, unchanged 0, skipped 0.");
    // The answer's cells are text, as the CSV answer's; the time as stored, in milliseconds.
    expect((await sheetValues(fs.readFileSync(answer))).slice(1)).toEqual([
      ["21", "1", "2400000"],
      ["22", "2", "2460000"],
    ]);
  });
});
