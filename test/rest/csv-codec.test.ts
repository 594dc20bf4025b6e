// The CSV codec on its own: formula quotes that round-trip exactly, charsets decoded chunk by chunk, Czech dates.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXCEL_DIALECT, PLAIN_DIALECT, csvPieces, readCsv } from "../../src/rest/csv-codec";
import { csvEncoding, decodeCsv } from "../../src/rest/csv-text";
import type { HttpProblem } from "../../src/rest/problem";
import { isoDate } from "../../src/rest/registration-table";

async function* chunksOf(pieces: Iterable<Buffer | string>): AsyncGenerator<Buffer> {
  for (const piece of pieces) yield Buffer.from(piece);
}

/** The bytes in pieces of `size`, as a slow client would send them. */
const split = (bytes: Buffer, size: number) =>
  Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

async function refusal(promise: Promise<unknown>): Promise<HttpProblem> {
  try {
    await promise;
  } catch (error) {
    return error as HttpProblem;
  }
  throw new Error("expected a refusal");
}

async function decoded(bytes: Buffer[], encoding: string): Promise<string> {
  let text = "";
  for await (const piece of decodeCsv(chunksOf(bytes), encoding)) text += piece;
  return text;
}

describe("formula quotes", () => {
  it("export → import is the identity for any value made of the characters that matter", async () => {
    const value = fc.string({
      unit: fc.constantFrom("'", "=", "+", "-", "@", "\t", "\r", "\n", "a", " ", ",", ";", '"'),
      maxLength: 8,
    });
    await fc.assert(
      fc.asyncProperty(
        value,
        value,
        fc.constantFrom(PLAIN_DIALECT, EXCEL_DIALECT),
        async (externalId, givenName, dialect) => {
          const text = [
            ...csvPieces(["registration.externalId", "person.givenName"], 1, () => [externalId, givenName], dialect),
          ].join("");
          const { items } = await readCsv(chunksOf([text]), false);
          expect(items).toEqual([{ externalId, person: { givenName } }]);
        },
      ),
    );
  });

  it("adds one quote to a value that looks neutralized already, and an upload takes exactly one off", async () => {
    const values = ["'=already", "'+plus", "''=x", "=x", "-5", "'plain", "a'=b"];
    const text = [...csvPieces(["registration.externalId"], values.length, (i) => [values[i]], PLAIN_DIALECT)].join("");
    expect(text).toBe("registration.externalId\n''=already\n''+plus\n'''=x\n'=x\n'-5\n'plain\na'=b\n");
    const { items } = await readCsv(chunksOf([text]), false);
    expect(items.map((item) => item.externalId)).toEqual(values);
  });
});

describe("separators inside cells", () => {
  it("quotes a cell holding `,`, `;` or a tab in both dialects, since a spreadsheet's import splits on all three", () => {
    const row = ["Kovář, st.", "a;b", "c\td", "plain"];
    expect([...csvPieces(["x", "y", "z", "w"], 1, () => [...row], PLAIN_DIALECT)].join("")).toBe(
      `x,y,z,w\n"Kovář, st.","a;b","c\td",plain\n`,
    );
    expect([...csvPieces(["x", "y", "z", "w"], 1, () => [...row], EXCEL_DIALECT)].join("")).toBe(
      `\uFEFFx;y;z;w\r\n"Kovář, st.";"a;b";"c\td";plain\r\n`,
    );
  });
});

describe("charsets", () => {
  it("knows utf-8, windows-1250 and iso-8859-2 by any of their labels, UTF-8 without one", () => {
    expect(csvEncoding("text/csv")).toBe("utf-8");
    expect(csvEncoding(undefined)).toBe("utf-8");
    expect(csvEncoding("text/csv; charset=UTF8")).toBe("utf-8");
    expect(csvEncoding('text/csv;charset="cp1250"')).toBe("windows-1250");
    expect(csvEncoding("text/csv; header=present; charset=latin2")).toBe("iso-8859-2");
  });

  it("refuses any other charset with 415 naming the supported ones", () => {
    for (const charset of ["iso-8859-1", "koi8-r", "utf-16", "nonsense"]) {
      let error: HttpProblem | undefined;
      try {
        csvEncoding(`text/csv; charset=${charset}`);
      } catch (thrown) {
        error = thrown as HttpProblem;
      }
      expect(error?.problem).toMatchObject({ status: 415 });
      expect(error?.problem.detail).toBe(
        `charset ${charset} is not supported; send utf-8, windows-1250 (cp1250) or iso-8859-2 (latin2)`,
      );
    }
  });

  it("decodes a character split between chunks, and keeps a byte order mark for the dialect", async () => {
    const bytes = Buffer.from("\uFEFFa,b\nŽluťoučký kůň,Ďáblice\n");
    expect(await decoded(split(bytes, 1), "utf-8")).toBe("\uFEFFa,b\nŽluťoučký kůň,Ďáblice\n");
    const cp1250 = Buffer.from([0x8a, 0xe1, 0x72, 0x6b, 0x61]); // Šárka
    expect(await decoded(split(cp1250, 2), "windows-1250")).toBe("Šárka");
  });

  it("names the first line that is not UTF-8, however the bytes are split", async () => {
    // Line 3 holds Windows-1250's Š (0x8A); line 2 has UTF-8's Ž split across chunks.
    const bytes = Buffer.concat([Buffer.from('a,b\nŽ,"x\ny"\n'), Buffer.from([0x8a]), Buffer.from("rka,1\n")]);
    for (const size of [1, 2, 3, 5, 64]) {
      const error = await refusal(decoded(split(bytes, size), "utf-8"));
      expect(error.problem).toMatchObject({ status: 400, type: "/problems/csv-encoding", line: 4 });
      expect(error.problem.detail).toMatch(
        /^Line 4: the file is not UTF-8 text\. If Czech Excel saved it, it is Windows-1250: send it with Content-Type: text\/csv; charset=windows-1250/,
      );
    }
  });

  it("names the last line when the file ends inside a character", async () => {
    const bytes = Buffer.from("a\nb\nŽ").subarray(0, -1);
    expect((await refusal(decoded([bytes], "utf-8"))).problem).toMatchObject({ status: 400, line: 3 });
  });

  it("refuses workbooks and UTF-16 with 415, and a UTF-8 byte order mark under another charset with 400", async () => {
    const xlsx = await refusal(decoded([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00])], "utf-8"));
    expect(xlsx.problem).toMatchObject({ status: 415 });
    expect(xlsx.problem.detail).toContain("registrations.xlsx");
    const xls = await refusal(
      decoded(split(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 1), "windows-1250"),
    );
    expect(xls.problem).toMatchObject({ status: 415 });
    const utf16 = await refusal(decoded([Buffer.from("\uFEFFa,b\n", "utf16le")], "utf-8"));
    expect(utf16.problem.detail).toContain("UTF-16");
    const bom = await refusal(decoded([Buffer.from("\uFEFFa,b\n")], "windows-1250"));
    expect(bom.problem).toMatchObject({ status: 400, line: 1 });
    expect(bom.problem.detail).toContain("charset=utf-8");
  });
});

describe("birth dates", () => {
  it("reads Czech forms as ISO and leaves anything else to the sync", () => {
    expect(isoDate("27.11.1975")).toBe("1975-11-27");
    expect(isoDate("27. 11. 1975")).toBe("1975-11-27");
    expect(isoDate("1.2.1990")).toBe("1990-02-01");
    expect(isoDate("31.2.1990")).toBe("1990-02-31");
    expect(isoDate("1975-11-27T00:00:00Z")).toBe("1975-11-27T00:00:00Z");
    expect(isoDate("27/11/1975")).toBe("27/11/1975");
    expect(isoDate("1.2.90")).toBe("1.2.90");
  });
});
