// CSV uploads have row and column limits, refused with 413 as soon as they are crossed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCsv } from "../../src/rest/csv-codec";
import { DEFAULT_TABLE_LIMITS } from "../../src/rest/upload-table";
import type { HttpProblem } from "../../src/rest/problem";
import { scenario } from "../support/fixtures";
import { getRegistrations, putCsv } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const INSERT_COLUMNS = [
  "registration.externalId",
  "person.givenName",
  "person.surname",
  "person.sex",
  "person.birthDate",
];
const INSERT_CELLS = ["L-1", "Jan", "Široký", "Male", "1980-01-01"];

/** A one-row insert with unknown columns added up to `columns` in all. */
function wideCsv(columns: number): string {
  const extra = columns - INSERT_COLUMNS.length;
  const header = [...INSERT_COLUMNS, ...Array.from({ length: extra }, (_, i) => `note.${i}`)];
  const row = [...INSERT_CELLS, ...Array.from({ length: extra }, () => "x")];
  return `${header.join(",")}\n${row.join(",")}\n`;
}

async function* chunksOf(pieces: Iterable<string>, pulled = { bytes: 0 }): AsyncGenerator<Buffer> {
  for (const piece of pieces) {
    const chunk = Buffer.from(piece);
    pulled.bytes += chunk.length;
    yield chunk;
  }
}

function* rows(header: string, count: number): Generator<string> {
  yield `${header}\n`;
  for (let i = 0; i < count; i++) yield `${i + 1}\n`;
}

async function refusal(promise: Promise<unknown>): Promise<HttpProblem> {
  const error = await promise.then(
    () => null,
    (e: HttpProblem) => e,
  );
  if (!error) throw new Error("expected the upload to be refused");
  return error;
}

describe("CSV limits", () => {
  it(`refuses a file with more than ${DEFAULT_TABLE_LIMITS.maxColumns} columns with 413 naming the limit and the line, and writes nothing`, async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reply = await putCsv(server.url, activityId, organizer.auth, wideCsv(2_500));
    expect(reply.status).toBe(413);
    expect(reply.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(reply.json).toMatchObject({ status: 413, title: "Content Too Large", line: 1 });
    expect(reply.json.detail).toBe("Line 1: the header has more than 200 columns; at most 200 are accepted");
    expect((await getRegistrations(server.url, activityId, organizer.auth)).json).toEqual([]);
  });

  it(`takes a file of exactly ${DEFAULT_TABLE_LIMITS.maxColumns} columns`, async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reply = await putCsv(server.url, activityId, organizer.auth, wideCsv(DEFAULT_TABLE_LIMITS.maxColumns));
    expect(reply.status).toBe(200);
    expect((await getRegistrations(server.url, activityId, organizer.auth)).json.map((r: any) => r.externalId)).toEqual(
      ["L-1"],
    );
  });

  it("takes as many rows as the limit, and refuses the next one with 413 naming its line", async () => {
    const limits = { maxRows: 3, maxColumns: 200 };
    const { items } = await readCsv(chunksOf(rows("registration.startNumber", 3)), false, limits);
    expect(items).toHaveLength(3);
    const error = await refusal(readCsv(chunksOf(rows("registration.startNumber", 4)), false, limits));
    expect(error.problem).toMatchObject({ status: 413, title: "Content Too Large", line: 5 });
    expect(error.problem.detail).toBe("Line 5: the file has more than 3 rows; at most 3 are accepted in one upload");
  });

  it("stops reading as soon as the row limit is crossed, not at the end of the file", async () => {
    // About 7 MB in all; what is read past the limit is what the parser buffers, some kilobytes.
    const pulled = { bytes: 0 };
    const error = await refusal(
      readCsv(chunksOf(rows("registration.startNumber", 1_000_000), pulled), false, { maxRows: 10, maxColumns: 200 }),
    );
    expect(error.problem.status).toBe(413);
    expect(pulled.bytes).toBeLessThan(100_000);
  });

  it("names the first line of a row whose quoted cell spans lines", async () => {
    const csv = 'registration.startNumber,person.givenName\n1,a\n2,"b\nc"\n';
    const error = await refusal(readCsv(chunksOf([csv]), false, { maxRows: 1, maxColumns: 200 }));
    expect(error.problem.line).toBe(3);
  });
});
