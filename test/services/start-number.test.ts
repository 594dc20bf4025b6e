// Start numbers as a runner reads them: normal form, the comparison key, and what is refused.
import { describe, expect, it } from "vitest";
import { normalizeStartNumber, sameStartNumber, startNumberKey } from "../../src/services/start-number";

describe("normalizeStartNumber", () => {
  it.each([
    ["0010", "0010"],
    [" 10 ", "10"],
    ["0010\u200B", "0010"],
    ["00\u206010", "0010"],
    ["\uFEFF42", "42"],
    ["１０", "10"],
    ["００１０", "0010"],
    ["٠٠١٠", "0010"],
    ["۱۲", "12"],
    ["१२३", "123"],
    ["A12", "A12"],
    ["Ａ１２", "A12"],
  ])("stores %j as %j", (raw, stored) => {
    expect(normalizeStartNumber(raw)).toBe(stored);
  });

  it("takes an empty or invisible-only number as no number", () => {
    expect(normalizeStartNumber("")).toBeNull();
    expect(normalizeStartNumber(" \u200B ")).toBeNull();
  });

  it.each([
    ["10 0", /a space/],
    ["1\u00A00", /a space/],
    ["1\t0", /a space/],
    ["1\u00070", /control character U\+0007/],
    ["O010", /letter O/],
    ["0l0", /letter l/],
    ["1O", /letter O/],
    ["О10", /letter О/],
  ])("refuses %j", (raw, why) => {
    const result = normalizeStartNumber(raw);
    expect(result).toEqual({ error: expect.stringMatching(why) });
  });
});

describe("startNumberKey", () => {
  it("compares digits without their leading zeros and letters without case", () => {
    expect(new Set(["10", "010", "0010", "00010"].map(startNumberKey))).toEqual(new Set(["10"]));
    expect(startNumberKey("000")).toBe("0");
    expect(startNumberKey("A12")).toBe(startNumberKey("a12"));
    expect(startNumberKey("Č7")).toBe(startNumberKey("č7"));
    expect(sameStartNumber("A012", "A12")).toBe(false);
    expect(sameStartNumber("100", "10")).toBe(false);
    expect(sameStartNumber(null, "0")).toBe(false);
    expect(sameStartNumber(null, null)).toBe(true);
  });
});
