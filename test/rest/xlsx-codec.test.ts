// The workbook codec's pure parts: how a numeric cell becomes text.
import { describe, expect, it } from "vitest";
import { numberText } from "../../src/rest/xlsx-codec";

describe("numberText", () => {
  it("writes numbers as a cell shows them, never with .0 or an exponent", () => {
    expect(numberText(10)).toBe("10");
    expect(numberText(-2.5)).toBe("-2.5");
    expect(numberText(0.1)).toBe("0.1");
    expect(numberText(1e21)).toBe("1000000000000000000000");
    expect(numberText(-2.5e25)).toBe("-25000000000000000000000000");
    expect(numberText(1.5e-7)).toBe("0.00000015");
    expect(numberText(1.234e22)).toBe("12340000000000000000000");
  });
});
