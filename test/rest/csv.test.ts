// CSV uploads and downloads (SPEC §5): dialects, column order, Czech names, formulas, line numbers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeRegistration, scenario } from "../support/fixtures";
import { call, getRegistrations, putCsv, putJson, registrationsUrl } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const SEED_HEADER =
  "registration.id,registration.state,registration.startNumber,person.id,person.givenName,person.middleName,person.surname,person.sex,person.birthDate";

describe("CSV download", () => {
  it("has exactly the seed's columns by default", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reg = await nativeRegistration(server.db, activityId, {
      startNumber: "0007",
      givenName: "Žofie",
      surname: "Řeháková",
      birthDate: "1983-09-10",
    });
    const reply = await getRegistrations(server.url, activityId, organizer.auth, "csv");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(reply.text).toBe(
      `${SEED_HEADER}\n${reg.id},Confirmed,0007,${reg.personId},Žofie,,Řeháková,Female,1983-09-10\n`,
    );
  });

  it("gives more columns on request, filters by state, and offers the Czech Excel flavour", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const confirmed = await nativeRegistration(server.db, activityId);
    await nativeRegistration(server.db, activityId, { state: "Cancelled" });
    const reply = await getRegistrations(
      server.url,
      activityId,
      organizer.auth,
      "csv",
      "columns=registration.code,person.name,registration.amount.value&state=Confirmed&dialect=excel",
    );
    const lines = reply.text.split("\r\n");
    expect(reply.text.startsWith("\uFEFF")).toBe(true);
    expect(lines[0]).toBe("\uFEFFregistration.code;person.name;registration.amount.value");
    expect(lines[1]).toMatch(new RegExp(`^${confirmed.code};Jana .+;85000$`));
    expect(lines).toHaveLength(3);
  });

  it("names an unknown column in a clear 400", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reply = await getRegistrations(server.url, activityId, organizer.auth, "csv", "columns=person.login");
    expect(reply.status).toBe(400);
    expect(reply.json.detail).toContain("person.login");
  });

  it("neutralizes cells a spreadsheet would run as formulas, and uploading them back changes nothing", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await putJson(server.url, activityId, organizer.auth, [
      {
        externalId: "F1",
        startNumber: "-5",
        person: {
          givenName: '=HYPERLINK("http://evil")',
          surname: "+Novák",
          sex: "Male",
          birthDate: "1990-01-01",
          middleName: "@SUM(A1)",
        },
      },
    ]);
    const download = await getRegistrations(
      server.url,
      activityId,
      organizer.auth,
      "csv",
      "columns=registration.externalId,registration.startNumber,person.givenName,person.middleName,person.surname",
    );
    const row = download.text.split("\n")[1];
    expect(row).toBe(`F1,'-5,"'=HYPERLINK(""http://evil"")",'@SUM(A1),'+Novák`);
    const upload = await putCsv(server.url, activityId, organizer.auth, download.text);
    expect(upload.status).toBe(200);
    expect(upload.text).toBe(download.text.replace(/\n$/, "") + "\n");
    const after = await getRegistrations(server.url, activityId, organizer.auth, "json");
    expect(after.json[0]).toMatchObject({
      startNumber: "-5",
      person: { givenName: '=HYPERLINK("http://evil")', middleName: "@SUM(A1)", surname: "+Novák" },
    });
  });

  it("round-trips values that look neutralized already: export → import changes nothing", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const values = ["'=already", "'+plus", "''=x", "=x", "-5"];
    await putJson(
      server.url,
      activityId,
      organizer.auth,
      values.map((value, i) => ({
        externalId: `Q${i}`,
        person: { givenName: value, surname: "Quote", sex: "Female", birthDate: "1990-01-01" },
      })),
    );
    const download = await getRegistrations(
      server.url,
      activityId,
      organizer.auth,
      "csv",
      "columns=registration.id,registration.externalId,person.givenName",
    );
    expect(
      download.text
        .split("\n")
        .slice(1, -1)
        .map((line) => line.split(",").slice(1))
        .sort(),
    ).toEqual([
      ["Q0", "''=already"],
      ["Q1", "''+plus"],
      ["Q2", "'''=x"],
      ["Q3", "'=x"],
      ["Q4", "'-5"],
    ]);
    const upload = await putCsv(server.url, activityId, organizer.auth, download.text, "mode=partial");
    expect(upload.status).toBe(200);
    expect(upload.headers.get("sync-summary")).toBe("Created=0, Updated=0, Unchanged=5, Skipped=0");
    const stored = (await getRegistrations(server.url, activityId, organizer.auth)).json;
    expect(stored.map((r: any) => [r.externalId, r.person.givenName]).sort()).toEqual(
      values.map((value, i) => [`Q${i}`, value]),
    );
  });

  it("neutralizes the upload's header cells it echoes, like any other cell", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reg = await nativeRegistration(server.db, activityId);
    const reply = await putCsv(
      server.url,
      activityId,
      organizer.auth,
      `registration.id,"=HYPERLINK(""http://evil"")",'@x\n${reg.id},a,b\n`,
    );
    expect(reply.status).toBe(200);
    // '@x was read as @x (a neutralizing quote), so it is neutralized the same way again.
    expect(reply.text).toBe(`registration.id,"'=HYPERLINK(""http://evil"")",'@x\n${reg.id},a,b\n`);
  });
});

describe("CSV upload", () => {
  it("round-trips the download unchanged: every row Unchanged, nothing changes", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await nativeRegistration(server.db, activityId, { startNumber: "1", givenName: "Šimon", surname: "Čtvrtník" });
    await nativeRegistration(server.db, activityId, { state: "New" });
    await putJson(server.url, activityId, organizer.auth, [
      {
        externalId: "E",
        person: { givenName: "Ďáblice", surname: "Ňůňová", sex: "Female", birthDate: "1977-07-07", middleName: "Ó" },
      },
    ]);
    const before = await getRegistrations(server.url, activityId, organizer.auth, "csv");
    const upload = await putCsv(server.url, activityId, organizer.auth, before.text, "mode=partial");
    expect(upload.status).toBe(200);
    expect(
      upload.text
        .split("\n")
        .slice(1, -1)
        .map((line) => line.split(",").slice(-2)[0]),
    ).toEqual(["Unchanged", "Unchanged", "Unchanged"]);
    expect((await getRegistrations(server.url, activityId, organizer.auth, "csv")).text).toBe(before.text);
  });

  it("reads BOM, semicolons, CRLF, quotes and any column order, ignores unknown columns, and answers in the same dialect", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reg = await nativeRegistration(server.db, activityId);
    const body =
      "\uFEFFpoznámka;registration.startNumber;registration.id\r\n" +
      `"text; with ""quotes"" and\r\nnewline";"0099";${reg.id}\r\n` +
      `ignored;"12";\r\n`;
    const withInsert = body.replace('ignored;"12";\r\n', "");
    const reply = await putCsv(server.url, activityId, organizer.auth, withInsert);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(
      "\uFEFFpoznámka;registration.startNumber;registration.id\r\n" +
        `"text; with ""quotes"" and\r\nnewline";0099;${reg.id}\r\n`,
    );
  });

  it("inserts external registrations from CSV rows without registration.id, keeping Czech names", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const csv = `${SEED_HEADER},registration.externalId\n,New,15,,Přemysl,,Šťastný,Male,1966-06-16,P-15\n`;
    const reply = await putCsv(server.url, activityId, organizer.auth, csv);
    expect(reply.status).toBe(200);
    const [header, row] = reply.text.split("\n");
    expect(header).toBe(`${SEED_HEADER},registration.externalId`);
    const cells = row.split(",");
    expect(cells[0]).toMatch(/^[0-9a-f]{24}$/);
    expect(cells.slice(1, 3)).toEqual(["New", "15"]);
    expect(cells.slice(4)).toEqual(["Přemysl", "", "Šťastný", "Male", "1966-06-16", "P-15"]);
  });

  it("names the CSV line and column of a failing row, and writes nothing", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reg = await nativeRegistration(server.db, activityId);
    const csv = `registration.id,registration.startNumber,person.givenName,person.surname,person.sex\n${reg.id},5,,,\n,6,Jan,,Male\n`;
    const reply = await putCsv(server.url, activityId, organizer.auth, csv);
    expect(reply.status).toBe(422);
    expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(reply.json.errors).toEqual([
      expect.objectContaining({ line: 3, field: "person.surname", code: "InvalidValue" }),
      expect.objectContaining({ line: 3, field: "person.birthDate", code: "MissingField" }),
    ]);
    expect(
      (await getRegistrations(server.url, activityId, organizer.auth)).json.map((r: any) => r.startNumber),
    ).toEqual([null]);
  });

  it("reports start-number clashes under the registration.startNumber column", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await nativeRegistration(server.db, activityId, { startNumber: "3" });
    const reg = await nativeRegistration(server.db, activityId);
    const reply = await putCsv(
      server.url,
      activityId,
      organizer.auth,
      `registration.id,registration.startNumber\n${reg.id},3\n`,
    );
    expect(reply.json.errors[0]).toMatchObject({
      line: 2,
      field: "registration.startNumber",
      code: "StartNumberTaken",
    });
  });

  it("adds a sync.warnings column when a row has a warning, naming the look-alike person", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const earlier = await nativeRegistration(server.db, activityId, {
      givenName: "Bohumil",
      surname: "Hrabal",
      birthDate: "1960-03-28",
    });
    const csv =
      "person.givenName;person.surname;person.sex;person.birthDate\nEva;Kosová;Female;1981-01-01\nbohumil;HRABAL;Male;28. 3. 1960\n";
    const reply = await putCsv(server.url, activityId, organizer.auth, csv, "mode=partial&dryRun=true");
    expect(reply.status).toBe(200);
    expect(reply.text.split("\n")).toEqual([
      "person.givenName;person.surname;person.sex;person.birthDate;sync.resultType;sync.errors;sync.warnings",
      "Eva;Kosová;Female;1981-01-01;Created;;",
      // Quoted: the message holds the dialect's delimiter.
      'bohumil;HRABAL;Male;1960-03-28;Created;;"PossibleDuplicatePerson: bohumil HRABAL, born 1960-03-28, is already registered ' +
        `with this organizer; consider attaching person.id instead (person.id ${earlier.personId})"`,
      "",
    ]);
    // Without a warning there is no such column.
    const quiet = await putCsv(
      server.url,
      activityId,
      organizer.auth,
      csv.split("\n").slice(0, 2).join("\n"),
      "dryRun=true",
    );
    expect(quiet.text).toBe(
      "person.givenName;person.surname;person.sex;person.birthDate\nEva;Kosová;Female;1981-01-01\n",
    );
  });

  it("answers broken quoting with a 400 naming the line", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reply = await putCsv(
      server.url,
      activityId,
      organizer.auth,
      `registration.id,registration.startNumber\n"abc,1\n`,
    );
    expect(reply.status).toBe(400);
    expect(reply.json.detail).toMatch(/line 2/i);
  });

  it("accepts the seed's upload without a Content-Type of CSV (curl sends a form type)", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reg = await nativeRegistration(server.db, activityId);
    const reply = await call(registrationsUrl(server.url, activityId, "csv"), {
      method: "PUT",
      headers: { Authorization: organizer.auth, "Content-Type": "application/x-www-form-urlencoded" },
      body: `registration.id,registration.startNumber\n${reg.id},8\n`,
    });
    expect(reply.status).toBe(200);
  });
});
