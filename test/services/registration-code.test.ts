// Registration codes numbered from a sequence: every number of the code space gives its own code.
import { describe, expect, it } from "vitest";
import { CODE_SPACE, registrationCode } from "../../src/services/registration-code";

const LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ";
/** The code's place in the code space, read back: letters in base 23, then three digits. */
const indexOf = (code: string) =>
  [...code.slice(0, 3)].reduce((n, letter) => n * LETTERS.length + LETTERS.indexOf(letter), 0) * 1000 +
  Number(code.slice(3));

describe("registration codes", () => {
  it("look like RGZ196: three letters without I, O and Q, then three digits", () => {
    for (const n of [0, 1, 2, 999, 1000, CODE_SPACE - 1])
      expect(registrationCode(n)).toMatch(/^[A-HJ-NPR-Z]{3}[0-9]{3}$/);
  });

  it("gives every number of the code space its own code, so a sequence never repeats one", () => {
    const seen = new Uint8Array(CODE_SPACE);
    for (let n = 0; n < CODE_SPACE; n++) {
      const index = indexOf(registrationCode(n));
      if (seen[index]) throw new Error(`number ${n} repeats code ${registrationCode(n)}`);
      seen[index] = 1;
    }
  });

  it("does not give consecutive numbers look-alike codes", () => {
    const codes = Array.from({ length: 100 }, (_, n) => registrationCode(n));
    expect(new Set(codes.map((code) => code.slice(0, 3))).size).toBeGreaterThan(90);
  });

  it("refuses numbers outside the code space", () => {
    expect(() => registrationCode(CODE_SPACE)).toThrow(RangeError);
    expect(() => registrationCode(-1)).toThrow(RangeError);
  });
});
