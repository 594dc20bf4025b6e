// The sync's row rules, one by one and in their order, without a database (see src/services/sync/row-rules.ts).
import { describe, expect, it } from "vitest";
import { newObjectId } from "../../src/db/object-id";
import { registrationOf, type KeptPlan, type RowPlan } from "../../src/services/sync/row-plan";
import { checkKeptRows } from "../../src/services/sync/row-rule";
import { ROW_RULES } from "../../src/services/sync/row-rules";
import { startNumberKey } from "../../src/services/start-number";
import { PERSON, factsOf, newPerson, plan, stored } from "./sync-planner-fixtures";

const kinds = (plans: RowPlan[]) => plans.map((p) => p.kind);
const errorsOf = (p: RowPlan) =>
  p.kind === "failed" ? p.errors.map(({ code, field, message }) => ({ code, field, message })) : [];

describe("the rule list", () => {
  it("runs the rules in this order, the start-number rule last", () => {
    expect(ROW_RULES.map((rule) => rule.name)).toEqual([
      "knownRegistration",
      "oneItemPerRegistration",
      "oneInsertPerExternalId",
      "readChange",
      "onePersonChangePerBatch",
      "uniqueStartNumbers",
    ]);
  });
});

describe("knownRegistration", () => {
  it("fails an item whose id is no registration of the activity", async () => {
    const id = newObjectId();
    const [row] = await plan([{ id, startNumber: "5" }], factsOf([]));
    expect(row).toEqual({
      kind: "failed",
      index: 0,
      stored: null,
      errors: [
        {
          index: 0,
          field: "id",
          code: "UnknownRegistration",
          message: `Registration ${id} does not exist in this activity`,
        },
      ],
    });
  });
});

describe("oneItemPerRegistration and oneInsertPerExternalId", () => {
  it("fails a second item for one registration, by id or by externalId, before reading its values", async () => {
    const a = stored("1", { externalId: "ext-a" });
    const plans = await plan(
      [
        { id: a.view.id, startNumber: "2" },
        { externalId: "ext-a", person: { birthDate: "someday" } },
        { id: a.view.id },
      ],
      factsOf([a]),
    );
    expect(kinds(plans)).toEqual(["update", "failed", "failed"]);
    expect(errorsOf(plans[1])).toEqual([
      {
        code: "DuplicateItem",
        field: "externalId",
        message: `Registration ${a.view.code} is already changed by item 0`,
      },
    ]);
    expect(plans[2]).toMatchObject({
      stored: null,
      errors: [{ code: "DuplicateItem", field: "id", registrationId: a.view.id }],
    });
  });

  it("fails a second insert with the same externalId", async () => {
    const plans = await plan(
      [
        { externalId: "new-1", person: newPerson("A") },
        { externalId: "new-1", person: newPerson("B") },
      ],
      factsOf([]),
    );
    expect(kinds(plans)).toEqual(["insert", "failed"]);
    expect(errorsOf(plans[1])).toEqual([
      { code: "DuplicateItem", field: "externalId", message: "externalId new-1 is already inserted by item 0" },
    ]);
  });

  it("names other items by the label the caller gives (a CSV line)", async () => {
    const plans = await plan(
      [
        { externalId: "e", person: newPerson("A") },
        { externalId: "e", person: newPerson("B") },
      ],
      factsOf([], { label: (i) => `line ${i + 2}` }),
    );
    expect(errorsOf(plans[1])[0].message).toBe("externalId e is already inserted by line 2");
  });
});

describe("readChange", () => {
  it("updates a stored number, keeps the stored spelling of the same number, and leaves the rest unchanged", async () => {
    const [a, b, c] = [stored("0010"), stored("11"), stored("12")];
    const plans = await plan(
      [{ id: a.view.id, startNumber: "10" }, { id: b.view.id, startNumber: "21" }, { id: c.view.id }],
      factsOf([a, b, c]),
    );
    expect(kinds(plans)).toEqual(["unchanged", "update", "unchanged"]);
    expect(plans[1]).toMatchObject({
      numberChanged: true,
      personChanged: false,
      registration: { startNumber: "21", modified: new Date("2026-03-01T10:00:00Z") },
    });
  });

  it("edits the person of an unclaimed account only; a claimed one's values are checked and ignored", async () => {
    const [mine, theirs] = [stored("1", { unclaimed: true }), stored("2")];
    const plans = await plan(
      [
        { id: mine.view.id, person: { nickname: "Rychlík" } },
        { id: theirs.view.id, person: { nickname: "Jiný" } },
      ],
      factsOf([mine, theirs]),
    );
    expect(plans[0]).toMatchObject({
      kind: "update",
      personChanged: true,
      numberChanged: false,
      registration: { person: { nickname: "Rychlík", ref: "Rychlík" } },
    });
    expect(plans[1].kind).toBe("unchanged");
  });

  it("fails an update naming another person, keeping the stored registration in the result", async () => {
    const a = stored("1");
    const [row] = await plan([{ id: a.view.id, person: { id: newObjectId() } }], factsOf([a]));
    expect(row).toMatchObject({
      kind: "failed",
      stored: a.view,
      errors: [{ code: "PersonMismatch", field: "person.id" }],
    });
  });

  it("inserts with a new person, reporting every wrong value of a failing insert", async () => {
    const plans = await plan(
      [
        { externalId: "x", startNumber: "7", person: newPerson("Nová") },
        { state: "Lost", amount: { value: -1 }, person: { givenName: "Eva" } },
      ],
      factsOf([]),
    );
    expect(plans[0]).toMatchObject({
      kind: "insert",
      newPerson: true,
      registration: {
        code: "",
        state: "Confirmed",
        startNumber: "7",
        externalId: "x",
        amount: { value: 0, currency: "CZK" },
      },
    });
    expect(errorsOf(plans[1]).map((e) => e.field)).toEqual([
      "state",
      "amount.value",
      "person.surname",
      "person.sex",
      "person.birthDate",
    ]);
  });

  it("attaches a person the organizer knows, and fails one it does not", async () => {
    const known = newObjectId();
    const facts = factsOf([], { attachable: new Map([[known, { fields: PERSON, unclaimed: false }]]) });
    const plans = await plan([{ person: { id: known } }, { person: { id: newObjectId() } }], facts);
    expect(plans[0]).toMatchObject({
      kind: "insert",
      newPerson: false,
      personChanged: false,
      registration: { person: { id: known, surname: "Nová" } },
    });
    expect(errorsOf(plans[1])[0].code).toBe("UnknownPerson");
  });
});

describe("onePersonChangePerBatch", () => {
  it("fails a later item that names a person another item changes; the first keeps it", async () => {
    const personId = newObjectId();
    const [a, b] = [stored("1", { personId, unclaimed: true }), stored("2", { personId, unclaimed: true })];
    const plans = await plan(
      [{ id: a.view.id }, { id: b.view.id, person: { nickname: "Nová přezdívka" } }],
      factsOf([a, b]),
    );
    expect(kinds(plans)).toEqual(["unchanged", "failed"]);
    expect(errorsOf(plans[1])).toEqual([
      {
        code: "DuplicateItem",
        field: "person.id",
        message: `Person ${personId} is already in item 0; change a person in one item per batch`,
      },
    ]);
  });

  it("lets several items name one person that none of them changes", async () => {
    const personId = newObjectId();
    const [a, b] = [stored("1", { personId }), stored("2", { personId })];
    const plans = await plan(
      [
        { id: a.view.id, startNumber: "3" },
        { id: b.view.id, startNumber: "4" },
      ],
      factsOf([a, b]),
    );
    expect(kinds(plans)).toEqual(["update", "update"]);
  });
});

describe("uniqueStartNumbers", () => {
  it("lets a batch exchange numbers, judged by its end state", async () => {
    const [a, b] = [stored("1"), stored("2")];
    const plans = await plan(
      [
        { id: a.view.id, startNumber: "2" },
        { id: b.view.id, startNumber: "01" },
      ],
      factsOf([a, b]),
    );
    expect(kinds(plans)).toEqual(["update", "update"]);
  });

  it("fails a row that takes a number held outside the batch, saying by whom and how it is spelled", async () => {
    const holder = stored("0042");
    const [row] = await plan([{ startNumber: "42", person: newPerson("X") }], factsOf([holder]));
    expect(row).toMatchObject({
      kind: "failed",
      errors: [
        {
          code: "StartNumberTaken",
          field: "startNumber",
          message: `Start number 42 is held by registration ${holder.view.code} as 0042`,
          registrationId: holder.view.id,
        },
      ],
    });
  });

  it("ignores cancelled registrations", async () => {
    const cancelled = stored("5", { state: "Cancelled" });
    const [row] = await plan([{ startNumber: "5", person: newPerson("X") }], factsOf([cancelled]));
    expect(row.kind).toBe("insert");
  });

  it("repeats until nothing changes: a failed row keeps its stored number, which can make another row fail", async () => {
    const [a, b] = [stored("1"), stored("2")];
    const plans = await plan(
      [
        // Fails (its person value is wrong) and so keeps number 1.
        { id: a.view.id, startNumber: "2", person: { birthDate: "someday" } },
        // Wants 1, still held by a: fails, and keeps 2.
        { id: b.view.id, startNumber: "1" },
        // Wants 2, which b seemed to free: fails only on the second pass.
        { startNumber: "2", person: newPerson("C") },
      ],
      factsOf([a, b]),
    );
    expect(kinds(plans)).toEqual(["failed", "failed", "failed"]);
    expect(errorsOf(plans[1])[0].message).toBe(`Start number 1 is held by registration ${a.view.code}`);
    expect(errorsOf(plans[2])[0].message).toBe(`Start number 2 is held by registration ${b.view.code}`);
  });
});

/** Numbers held twice at the end of the batch: by rows it keeps, and by stored registrations it leaves alone. */
function heldTwice(plans: RowPlan[], holders: readonly { id: string; startNumber: string }[]): string[] {
  const kept = plans.filter((p): p is KeptPlan => p.kind !== "failed");
  const moved = new Set(kept.flatMap((p) => (p.kind === "insert" ? [] : [p.stored.id])));
  const numbers = [
    ...holders.filter((h) => !moved.has(h.id)).map((h) => h.startNumber),
    ...kept.flatMap((p) => registrationOf(p).startNumber ?? []),
  ].map(startNumberKey);
  return numbers.filter((n, i) => numbers.indexOf(n) !== i);
}

describe("the order of the rules", () => {
  // Registration a (number 5) and b share a person nobody claimed; item 0 changes the person through
  // b, so item 1 (a's move to 8) fails and a keeps 5, which item 2 asks for.
  const personId = newObjectId();
  const [a, b] = [stored("5", { personId, unclaimed: true }), stored("7", { personId, unclaimed: true })];
  const items = [
    { id: b.view.id, person: { nickname: "Běžec" } },
    { id: a.view.id, startNumber: "8", person: { nickname: "Jiný" } },
    { startNumber: "5", person: newPerson("Nová") },
  ];

  it("checks start numbers after every other rule, so that no number is held twice", async () => {
    const facts = factsOf([a, b]);
    const plans = await plan(items, facts);
    expect(kinds(plans)).toEqual(["update", "failed", "failed"]);
    expect(errorsOf(plans[2])[0]).toMatchObject({
      code: "StartNumberTaken",
      message: `Start number 5 is held by registration ${a.view.code}`,
    });
    expect(heldTwice(plans, facts.numberHolders)).toEqual([]);
  });

  it("would insert a number that stays taken if the start-number rule ran before the person rule", async () => {
    const facts = factsOf([a, b]);
    const swapped = [...ROW_RULES.slice(0, 4), ROW_RULES[5], ROW_RULES[4]];
    const plans = await plan(items, facts, swapped);
    expect(kinds(plans)).toEqual(["update", "failed", "insert"]);
    expect(heldTwice(plans, facts.numberHolders)).toEqual(["5"]);
  });

  it("takes a new rule written with checkKeptRows: placed before the start-number rule, its failures free numbers", async () => {
    // "Start numbers of a category fall within its range": here, the category holds 1 to 99.
    const inRange = checkKeptRows("startNumberInCategoryRange", (row) => {
      const number = registrationOf(row).startNumber;
      return number && Number(number) > 99
        ? [
            {
              index: row.index,
              field: "startNumber",
              code: "InvalidValue",
              message: `Start number ${number} is outside 1–99`,
            },
          ]
        : [];
    });
    const c = stored("3");
    const rules = [...ROW_RULES.slice(0, -1), inRange, ROW_RULES[ROW_RULES.length - 1]];
    // c's move to 100 fails, so c keeps 3 and the insert that wants 3 fails too.
    const plans = await plan(
      [
        { id: c.view.id, startNumber: "100" },
        { startNumber: "3", person: newPerson("D") },
      ],
      factsOf([c]),
      rules,
    );
    expect(errorsOf(plans[0])).toEqual([
      { code: "InvalidValue", field: "startNumber", message: "Start number 100 is outside 1–99" },
    ]);
    expect(plans[0]).toMatchObject({ stored: c.view });
    expect(errorsOf(plans[1])[0].code).toBe("StartNumberTaken");
  });
});
