// modifiedSince's reading: only what ISO 8601 / RFC 3339 say is an instant (`1` was read as 2001-01-01).
import { describe, expect, it } from "vitest";
import { parseInstant } from "../../src/services/iso-instant";

describe("parseInstant", () => {
  it("reads date-times with Z or an offset, with or without seconds and fraction, and plain dates as midnight UTC", () => {
    expect(parseInstant("2022-12-06T09:12:03.701Z")?.toISOString()).toBe("2022-12-06T09:12:03.701Z");
    expect(parseInstant("2022-12-06T10:12:03+01:00")?.toISOString()).toBe("2022-12-06T09:12:03.000Z");
    expect(parseInstant("2022-12-06T04:42:03.7-04:30")?.toISOString()).toBe("2022-12-06T09:12:03.700Z");
    expect(parseInstant("2022-12-06T09:12Z")?.toISOString()).toBe("2022-12-06T09:12:00.000Z");
    expect(parseInstant("2022-12-06T09:12:03.123456789Z")?.toISOString()).toBe("2022-12-06T09:12:03.123Z");
    expect(parseInstant("2022-12-06")?.toISOString()).toBe("2022-12-06T00:00:00.000Z");
    expect(parseInstant("2024-02-29")?.toISOString()).toBe("2024-02-29T00:00:00.000Z");
    expect(parseInstant("0099-01-01")?.toISOString()).toBe("0099-01-01T00:00:00.000Z");
  });

  it("refuses numbers, partial dates, local times without an offset, impossible days and other text", () => {
    for (const text of [
      "1",
      "2022",
      "2022-12",
      "20221206",
      "12/06/2022",
      "Dec 6 2022",
      "2022-12-06T09:12:03",
      "2022-12-06 09:12:03Z",
      "2022-02-30",
      "2023-02-29",
      "2022-13-01",
      "2022-12-06T24:00:00Z",
      "2022-12-06T09:60:00Z",
      "2022-12-06T09:12:03+24:00",
      "2022-12-06T09:12:03 01:00",
      " 2022-12-06",
      "2022-12-06Z",
      "",
      "-1",
    ])
      expect(parseInstant(text), text).toBeNull();
  });
});
