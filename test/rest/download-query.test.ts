// A download's query parameters, read through its format's class (rest/query-parameters.ts): no HTTP needed.
import { describe, expect, it } from "vitest";
import { readDownloadQuery } from "../../src/rest/query-parameters";
import { DEFAULT_COLUMNS } from "../../src/rest/registration-table";

const detail = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("no problem was thrown");
};

describe("a download's query parameters", () => {
  it("reads states, an instant, columns and the dialect", () => {
    const read = readDownloadQuery(
      {
        state: "New, Confirmed",
        modifiedSince: "2022-12-06T10:12:03+01:00",
        columns: "person.surname",
        dialect: "excel",
      },
      "csv",
    );
    expect(read).toEqual({
      filter: { states: ["New", "Confirmed"], modifiedSince: new Date("2022-12-06T09:12:03Z") },
      columns: ["person.surname"],
      excelDialect: true,
    });
    expect(readDownloadQuery({}, "xlsx")).toEqual({ filter: {}, columns: DEFAULT_COLUMNS, excelDialect: false });
  });

  it("names the wrong value of each parameter", () => {
    expect(detail(() => readDownloadQuery({ state: "New,Paid" }, "json"))).toBe(
      "state must be among New, Confirmed, Cancelled; got Paid",
    );
    expect(detail(() => readDownloadQuery({ modifiedSince: "2022-12-06T10:12:03 01:00" }, "json"))).toMatch(
      /; got "2022-12-06T10:12:03 01:00": write the offset's \+ as %2B in a URL$/,
    );
    expect(detail(() => readDownloadQuery({ modifiedSince: ["2022-12-06", "2022-12-07"] }, "json"))).toMatch(
      /; give it once$/,
    );
    expect(detail(() => readDownloadQuery({ columns: "person.surname,person.login" }, "csv"))).toMatch(
      /^columns must be among .*; got person\.login$/,
    );
    expect(detail(() => readDownloadQuery({ columns: "" }, "xlsx"))).toMatch(/; got none$/);
    expect(detail(() => readDownloadQuery({ dialect: "tsv" }, "csv"))).toBe(
      "dialect must be excel (; separated, BOM, CRLF) or plain (the default)",
    );
  });

  it("takes each parameter only where the format has it", () => {
    expect(detail(() => readDownloadQuery({ dialect: "plain" }, "xlsx"))).toBe(
      "dialect is for registrations.csv; a workbook has none",
    );
    // JSON has no columns and no dialect: they are not read, as before.
    expect(readDownloadQuery({ columns: "nope", dialect: "nope" }, "json").columns).toEqual(DEFAULT_COLUMNS);
  });
});
