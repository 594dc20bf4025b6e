import { describe, expect, it } from "vitest";
import { OBJECT_ID, newObjectId } from "../../src/db/object-id";

describe("newObjectId", () => {
  it("gives ids shaped like the seed's, with their creation second first", () => {
    const at = new Date("2022-12-06T09:12:03.701Z");
    const id = newObjectId(at);
    expect(id).toMatch(OBJECT_ID);
    expect(parseInt(id.slice(0, 8), 16)).toBe(Math.floor(at.getTime() / 1000));
  });

  it("never repeats random bytes, across many refills of the shared random pool", () => {
    // 8 random bytes per id: 20,000 ids draw 160,000 bytes, about forty refills of the 4 KiB pool.
    const at = new Date();
    const tails = new Set(Array.from({ length: 20_000 }, () => newObjectId(at).slice(8)));
    expect(tails.size).toBe(20_000);
  });
});
