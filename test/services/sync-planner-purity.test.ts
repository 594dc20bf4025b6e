// The sync's row planner is pure: it changes neither its inputs nor the rows of the rules before each rule
// (split from test/services/sync-planner.test.ts).
import { describe, expect, it } from "vitest";
import { newObjectId } from "../../src/db/object-id";
import { planBatch, readKeys } from "../../src/services/sync/planner";
import { type RowPlan } from "../../src/services/sync/row-plan";
import { type RowRule } from "../../src/services/sync/row-rule";
import { ROW_RULES } from "../../src/services/sync/row-rules";
import { deepFreeze, factsOf, newPerson, stored } from "./sync-planner-fixtures";

const kinds = (plans: RowPlan[]) => plans.map((p) => p.kind);
const errorsOf = (p: RowPlan) =>
  p.kind === "failed" ? p.errors.map(({ code, field, message }) => ({ code, field, message })) : [];

describe("purity", () => {
  it("changes neither the items nor the facts, and plans the same batch the same way twice", async () => {
    const personId = newObjectId();
    const [a, b, c] = [
      stored("1", { personId, unclaimed: true }),
      stored("2", { personId, unclaimed: true }),
      stored("3", { externalId: "ext" }),
    ];
    const items = deepFreeze([
      { id: a.view.id, startNumber: "2", person: { nickname: "N" } },
      { id: b.view.id, startNumber: "1" },
      { externalId: "ext", startNumber: "9" },
      { externalId: "ext", startNumber: "10" },
      { id: newObjectId() },
      { startNumber: "3", person: newPerson("Nová") },
      { startNumber: "x y" },
    ]);
    const facts = deepFreeze(factsOf([a, b, c]));
    const before = JSON.stringify([items, facts, [...facts.storedById], facts.numberHolders]);
    const keyed = deepFreeze(await readKeys(items));
    // Frozen inputs: a rule that changed one would throw.
    const first = await planBatch(keyed, facts);
    const second = await planBatch(keyed, facts);
    expect(JSON.stringify([items, facts, [...facts.storedById], facts.numberHolders])).toBe(before);
    const shape = (plans: RowPlan[]) => plans.map((p) => ({ kind: p.kind, errors: errorsOf(p) }));
    expect(shape(second)).toEqual(shape(first));
    // Item 1 changes the person of item 0, item 0 then wants item 1's kept number, item 3 repeats item 2,
    // item 4 names no registration, item 6's number is wrong; item 5 takes the number item 2 frees.
    expect(kinds(first)).toEqual(["failed", "failed", "update", "failed", "failed", "insert", "failed"]);
  });

  it("hands each rule the rows the rules before it made, and never changes them", async () => {
    const a = stored("1");
    const keyed = await readKeys([
      { id: a.view.id, startNumber: "2" },
      { startNumber: "2", person: newPerson("E") },
    ]);
    const facts = factsOf([a]);
    const seen: string[] = [];
    const spy = (name: string): RowRule => ({
      name,
      whole: (rows) => {
        seen.push(`${name}: ${rows.map((row) => row.kind).join(",")}`);
        return deepFreeze(rows);
      },
    });
    await planBatch(keyed, facts, [
      spy("before"),
      ...ROW_RULES.slice(0, 4),
      spy("decided"),
      ...ROW_RULES.slice(4),
      spy("after"),
    ]);
    // Both rows move to number 2: both fail.
    expect(seen).toEqual(["before: pending,pending", "decided: update,insert", "after: failed,failed"]);
  });
});
