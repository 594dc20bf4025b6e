// Bodies are read as they arrive (issue 4): however a body is cut into chunks or compressed, the
// result is the same as for one piece; answers are written in pieces, byte-identical to one piece.
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeRegistration, scenario } from "../support/fixtures";
import { call, getRegistrations, putCsv, putJson, registrationsUrl, type Reply } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ BODY_LIMIT_BYTES: "200000" });
});
afterAll(() => server.close());

/** A request body sent in pieces of `size` bytes, with no Content-Length (chunked transfer). */
function trickle(bytes: Buffer, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, (at += size)));
    },
  });
}

function put(
  url: string,
  auth: string,
  type: string,
  body: RequestInit["body"],
  headers: Record<string, string> = {},
): Promise<Reply> {
  return call(url, {
    method: "PUT",
    headers: { Authorization: auth, "Content-Type": type, ...headers },
    body,
    duplex: "half",
  } as RequestInit);
}

const insertCsv = (rows: number, from = 0) =>
  "registration.externalId;registration.startNumber;person.givenName;person.surname;person.sex;person.birthDate;note\r\n" +
  Array.from(
    { length: rows },
    (_, i) =>
      `E-${from + i};${from + i + 100};Šárka;"Dvořák; ová";Female;1990-01-0${(i % 9) + 1};"line one\nline two"\r\n`,
  ).join("");

describe("streamed request bodies", () => {
  it("reads a JSON body cut into 7-byte pieces, through multibyte characters, like one piece", async () => {
    const s = await scenario(server.db);
    const items = Array.from({ length: 20 }, (_, i) => ({
      externalId: `J-${i}`,
      startNumber: String(i + 1),
      person: { givenName: "Žofie", surname: `Čermáková "${i}" \\ ]},[{`, sex: "Female", birthDate: "1988-08-08" },
    }));
    const reply = await put(
      registrationsUrl(server.url, s.activityId, "json"),
      s.organizer.auth,
      "application/json",
      trickle(Buffer.from(`\uFEFF ${JSON.stringify(items, null, 1)} `), 7),
    );
    expect(reply.status).toBe(200);
    expect(reply.headers.get("sync-summary")).toBe("Created=20, Updated=0, Unchanged=0, Skipped=0");
    expect(reply.json.map((r: any) => [r.externalId, r.startNumber, r.person.surname, r.syncResultType])).toEqual(
      items.map((i) => [i.externalId, i.startNumber, i.person.surname, "Created"]),
    );
  });

  it("reads a CSV body cut into 5-byte pieces, with quoted line breaks, and names lines as in the file", async () => {
    const s = await scenario(server.db);
    const file = Buffer.from(insertCsv(30));
    const reply = await put(
      registrationsUrl(server.url, s.activityId, "csv"),
      s.organizer.auth,
      "text/csv",
      trickle(file, 5),
    );
    expect(reply.status).toBe(200);
    // The answer echoes the unknown column, line break and all.
    expect(reply.text.split("\r\n").slice(0, 2)).toEqual([
      "registration.externalId;registration.startNumber;person.givenName;person.surname;person.sex;person.birthDate;note",
      'E-0;100;Šárka;"Dvořák; ová";Female;1990-01-01;"line one\nline two"',
    ]);
    const stored = await getRegistrations(server.url, s.activityId, s.organizer.auth);
    expect(stored.json).toHaveLength(30);
    expect(stored.json.find((r: any) => r.externalId === "E-29").person.surname).toBe("Dvořák; ová");

    // Each row spans two lines, so row k (0-based) starts on line 2 + 2k.
    const broken = Buffer.from(insertCsv(10, 500).replace("Female;1990-01-08", "Female;1990-13-08"));
    const rejected = await put(
      registrationsUrl(server.url, s.activityId, "csv"),
      s.organizer.auth,
      "text/csv",
      trickle(broken, 5),
    );
    expect(rejected.status).toBe(422);
    expect(rejected.json.errors).toEqual([expect.objectContaining({ line: 2 + 2 * 7, field: "person.birthDate" })]);
  });

  it("accepts gzip-compressed bodies and refuses encodings it does not know with 415", async () => {
    const s = await scenario(server.db);
    const reg = await nativeRegistration(server.db, s.activityId, { startNumber: "1" });
    const url = registrationsUrl(server.url, s.activityId, "json");
    const body = gzipSync(JSON.stringify([{ id: reg.id, startNumber: "77" }]));
    expect(
      (await put(url, s.organizer.auth, "application/json", body, { "Content-Encoding": "gzip" })).json[0].startNumber,
    ).toBe("77");
    const unknown = await put(url, s.organizer.auth, "application/json", body, { "Content-Encoding": "br" });
    expect(unknown.status).toBe(415);
    expect(unknown.json.detail).toContain("Content-Encoding br");
    const broken = await put(url, s.organizer.auth, "application/json", Buffer.from("not gzip"), {
      "Content-Encoding": "gzip",
    });
    expect(broken.status).toBe(400);
  });

  it("stops reading a chunked body at the size limit with 413, and writes nothing", async () => {
    const s = await scenario(server.db);
    const reply = await put(
      registrationsUrl(server.url, s.activityId, "csv"),
      s.organizer.auth,
      "text/csv",
      trickle(Buffer.from(insertCsv(3000)), 16384),
    );
    expect(reply.status).toBe(413);
    expect(reply.json.title).toBe("Content Too Large");
    expect((await getRegistrations(server.url, s.activityId, s.organizer.auth)).json).toEqual([]);
  });

  it("names the JSON item that is not an object, or not JSON, and what follows the array", async () => {
    const s = await scenario(server.db);
    const url = registrationsUrl(server.url, s.activityId, "json");
    const send = (text: string) => put(url, s.organizer.auth, "application/json", trickle(Buffer.from(text), 3));
    const notObject = await send('[{"externalId": "a"}, 7]');
    expect(notObject.status).toBe(400);
    expect(notObject.json.errors).toEqual([expect.objectContaining({ index: 1 })]);
    const notJson = await send('[{"externalId": "a"}, {"externalId": nope}]');
    expect(notJson.json.detail).toMatch(/^Item 1 is not valid JSON/);
    expect((await send('[{"externalId": "a"},]')).json.detail).toMatch(/item 1 is missing/);
    expect((await send("[] []")).json.detail).toMatch(/more after the array/);
    expect((await send("")).json.detail).toMatch(/empty/);
    expect((await getRegistrations(server.url, s.activityId, s.organizer.auth)).json).toEqual([]);
  });
});

describe("answers written in pieces", () => {
  it("are byte for byte what one piece would be, across piece boundaries", async () => {
    const s = await scenario(server.db);
    // 1,201 rows: three JSON pieces of 500 and two CSV pieces of 1,000.
    const items = Array.from({ length: 1201 }, (_, i) => ({
      externalId: `P-${i}`,
      startNumber: String(i + 1),
      person: {
        givenName: "Jan",
        middleName: i % 2 ? "Maria" : null,
        surname: `=Novák${i}`,
        sex: "Male",
        birthDate: "1970-01-01",
      },
    }));
    const reply = await putJson(server.url, s.activityId, s.organizer.auth, items);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(JSON.stringify(JSON.parse(reply.text), null, 2));
    expect(reply.json).toHaveLength(1201);

    const json = await getRegistrations(server.url, s.activityId, s.organizer.auth);
    expect(json.text).toBe(JSON.stringify(json.json, null, 2));
    const csv = await getRegistrations(
      server.url,
      s.activityId,
      s.organizer.auth,
      "csv",
      "columns=registration.externalId,person.surname",
    );
    const lines = csv.text.split("\n");
    expect(lines).toHaveLength(1203);
    expect(lines[0]).toBe("registration.externalId,person.surname");
    expect(new Set(lines.slice(1, -1).map((line) => line.split(",")[1])).size).toBe(1201);
    expect(lines.slice(1, -1).every((line) => /^P-\d+,'=Novák\d+$/.test(line))).toBe(true);
    expect(lines[1202]).toBe("");
  });

  it("take back the CSV they wrote, in pieces, and nothing changes", async () => {
    const s = await scenario(server.db);
    await putCsv(server.url, s.activityId, s.organizer.auth, insertCsv(1500).replace(/\r\n/g, "\n"));
    const before = await getRegistrations(server.url, s.activityId, s.organizer.auth, "csv");
    const again = await putCsv(server.url, s.activityId, s.organizer.auth, before.text);
    expect(again.status).toBe(200);
    expect((await getRegistrations(server.url, s.activityId, s.organizer.auth, "csv")).text).toBe(before.text);
  });
});
