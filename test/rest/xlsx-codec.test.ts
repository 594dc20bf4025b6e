// The workbook codec's own parts: how a numeric cell becomes text, and a download for a client that goes away.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { numberText, writeXlsx } from "../../src/rest/xlsx-codec";

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

describe("writeXlsx", () => {
  it("stops writing, and returns, when the client goes away in the middle of a download", async () => {
    let written = 0;
    const slowClient = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        setTimeout(callback, 2);
      },
    });
    let rows = 0;
    const download = writeXlsx(slowClient, ["registration.startNumber", "person.surname"], 200_000, (i) => {
      rows = i;
      return [String(i).padStart(6, "0"), `Nováková ${i}`];
    });
    setTimeout(() => slowClient.destroy(), 300);
    await expect(download).resolves.toBeUndefined();
    expect(written).toBeGreaterThan(0);
    expect(rows).toBeLessThan(100_000);
  });
});
