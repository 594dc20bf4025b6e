// Generated sync items for the fuzz suite (bodies and bytes: fuzz-support.ts): values that are plausible or
// nasty, built from tokens of the lane's ids, and items that update, insert, attach or break registrations.
import fc from "fast-check";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Ids of the lane a body goes to, by token: "@reg3" is the lane's fourth registration. Tokens keep
 * generated bodies independent of the ids a run happens to create.
 */
export interface LaneTokens {
  /** Registrations of the lane's activity, and their persons (same order). */
  reg: string[];
  person: string[];
  /** Registrations and persons of another activity of the same organizer (persons there may be attached). */
  sibReg: string[];
  sibPerson: string[];
  /** Another organizer's registrations and persons: never reachable. */
  foreignReg: string[];
  foreignPerson: string[];
}

/** How many registrations of each kind a lane has; generators draw token numbers below these. */
export const POOL = { reg: 24, sib: 6, foreign: 4 } as const;

// ---- values ---------------------------------------------------------------------------------

const ref = (kind: keyof LaneTokens, size: number) => fc.nat({ max: size - 1 }).map((k) => `@${kind}${k}`);
const personRef = ref("person", POOL.reg);

/** Own properties named like Object.prototype's: JSON.parse makes them, object literals would not. */
const PROTOTYPE_KEYS: Json[] = [
  JSON.parse('{"__proto__": {"id": "x", "startNumber": "1"}}'),
  JSON.parse('{"toString": 1}'),
  JSON.parse('{"toString": null, "valueOf": null}'),
  JSON.parse('{"constructor": {"prototype": {}}}'),
];

/** Values of the wrong type, size, encoding or content, for any field. Tokens "@big:N" and "@deep:N" are expanded late. */
export const nasty: fc.Arbitrary<Json> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom<Json>(
      true,
      false,
      0,
      -1,
      1.5,
      1e21,
      2147483648,
      -0,
      [],
      {},
      [1, 2],
      ["1"],
      { value: 1 },
      "null",
      "undefined",
      "NaN",
      "\u0000",
      "a\u0000b",
      "\t",
      "\r\n",
      "\uFEFF7",
      "\ud800",
      "\udc00x",
      "'; drop table person; --",
      "=1+2",
      "'=1+2",
      "@SUM(A1)",
      "😀🏃‍♀️",
      "Ž".repeat(101),
      "x".repeat(21),
      " ",
      "0123456789abcdef01234567",
      "638F0763C5EAF533C891FB76",
      "@big:5000",
      "@big:300000",
      "@deep:5000",
      "@deepObj:5000",
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 24 }) },
);

const startNumber: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 30 }).map(String) }, // clash with each other and the stored ones
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 99_999 }).map(String) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 30 }).map((n) => String(n).padStart(4, "0")) },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, "", "  7  ", "101", "110") },
  { weight: 1, arbitrary: fc.integer({ min: -3, max: 400 }) }, // a number where a string belongs
);

const GIVEN = ["Jana", "Petr", "Žofie", "Václav", "Eliška", "Jiří", "Anna-Marie", "O'Brien", "Łukasz", "Zoë"];
const SURNAMES = [
  "Nováková",
  "Dufek",
  "Řeháková",
  "Krásná",
  "Černý",
  "Müller",
  "Smith",
  "van der Berg",
  "Šťastný",
  "Ng",
];

const birthDate = fc
  .record({
    y: fc.integer({ min: 1930, max: 2015 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
    seed: fc.boolean(),
  })
  .map(
    ({ y, m, d, seed }) =>
      `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}${seed ? "T00:00:00Z" : ""}`,
  );

const personFields = {
  givenName: fc.constantFrom(...GIVEN),
  surname: fc.constantFrom(...SURNAMES),
  sex: fc.constantFrom("Male", "Female"),
  birthDate,
  middleName: fc.constantFrom<Json>(null, "", "Marie", "Jan"),
  language: fc.constantFrom("cs", "en-GB", "sk"),
  country: fc.constantFrom("CZ", "sk", "DE"),
  nickname: fc.constantFrom<Json>(null, "Rychlík", "=cmd"),
  isProfilePublic: fc.constantFrom<Json>(true, false, "true", "FALSE"),
};

const newPerson = fc.record(personFields, { requiredKeys: ["givenName", "surname", "sex", "birthDate"] });
const someFields = fc.record(personFields, { requiredKeys: [] });

/** person.id values: mostly the right one for the item, sometimes another's. */
const anyPersonRef = fc.oneof(
  { weight: 4, arbitrary: personRef },
  { weight: 3, arbitrary: ref("sibPerson", POOL.sib) },
  { weight: 1, arbitrary: ref("foreignPerson", POOL.foreign) },
  { weight: 1, arbitrary: fc.constantFrom("0123456789abcdef01234567", "not-an-id", "") },
);

// ---- items ----------------------------------------------------------------------------------

type Item = Record<string, Json>;

/** An update by id, optionally naming the person (which should be the registration's own). */
const update: fc.Arbitrary<Item> = fc
  .record({
    k: fc.nat({ max: POOL.reg - 1 }),
    startNumber,
    withPerson: fc.constantFrom("none", "own", "other"),
    otherPerson: anyPersonRef,
    fields: someFields,
    keepNumber: fc.boolean(),
  })
  .map(({ k, startNumber, withPerson, otherPerson, fields, keepNumber }) => {
    const item: Item = { id: `@reg${k}` };
    if (!keepNumber) item.startNumber = startNumber;
    if (withPerson !== "none") item.person = { id: withPerson === "own" ? `@person${k}` : otherPerson, ...fields };
    return item;
  });

/** Re-imports by externalId: ext-0..ext-11 exist in every lane, higher ones do not (so they insert). */
const externalUpdate: fc.Arbitrary<Item> = fc.record(
  {
    externalId: fc.nat({ max: 15 }).map((k) => `ext-${k}`),
    startNumber,
    person: newPerson,
    state: fc.constantFrom("Confirmed", "New"),
  },
  { requiredKeys: ["externalId"] },
);

const insert: fc.Arbitrary<Item> = fc.record(
  {
    externalId: fc.oneof(
      fc.nat({ max: 1_000_000 }).map((n) => `new-${n}`),
      fc.integer({ min: 1, max: 50 }),
    ),
    startNumber,
    state: fc.constantFrom<Json>("New", "Confirmed", "Cancelled", null, "Paid"),
    amount: fc.oneof(
      fc.record({ value: fc.integer({ min: 0, max: 200_000 }), currency: fc.constantFrom("CZK", "EUR") }),
      fc.record({
        value: fc.constantFrom<Json>("1250", -1, 1.5, 3_000_000_000),
        currency: fc.constantFrom<Json>("czk", "CZKK", 1),
      }),
    ),
    person: newPerson,
  },
  { requiredKeys: ["person"] },
);

/** An insert that attaches a known person by id (of this organizer: allowed; of another: refused). */
const attach: fc.Arbitrary<Item> = fc
  .record({ id: anyPersonRef, fields: someFields, startNumber })
  .map(({ id, fields, startNumber }) => ({ startNumber, person: { id, ...fields } }));

/** Ids that are not this activity's: another organizer's, the same organizer's other activity, made up. */
const strangerUpdate: fc.Arbitrary<Item> = fc
  .record({
    id: fc.oneof(
      ref("foreignReg", POOL.foreign),
      ref("sibReg", POOL.sib),
      fc.constantFrom("0123456789abcdef01234567", "638f0763c5eaf533c891fb7"),
    ),
    startNumber,
  })
  .map(({ id, startNumber }) => ({ id, startNumber }));

interface Mutation {
  path: number;
  action: "replace" | "delete" | "add";
  value: Json;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  path: fc.nat(),
  action: fc.constantFrom("replace", "replace", "replace", "delete", "add"),
  value: nasty,
});

/** Every key path of an item (two levels), to pick one to break. */
function paths(value: Item): string[][] {
  const found: string[][] = [];
  for (const [key, inner] of Object.entries(value)) {
    found.push([key]);
    if (inner && typeof inner === "object" && !Array.isArray(inner))
      for (const sub of Object.keys(inner)) found.push([key, sub]);
  }
  return found;
}

function applyMutation(original: Item, { path, action, value }: Mutation): Item {
  // Generated values are shared with fast-check's shrinker: change a copy. JSON keeps "__proto__" an own key.
  const item = JSON.parse(JSON.stringify(original)) as Item;
  const all = paths(item);
  if (action === "add" || !all.length) {
    const key = ["team", "id", "person", "startNumber", "state", "amount", "externalId", "extra"][path % 8];
    item[key] = value;
    return item;
  }
  const chosen = all[path % all.length];
  const parent = (chosen.length === 1 ? item : item[chosen[0]]) as Record<string, Json>;
  const key = chosen[chosen.length - 1];
  if (action === "delete") delete parent[key];
  else parent[key] = value;
  return item;
}

const plainItem: fc.Arbitrary<Item> = fc.oneof(
  { weight: 10, arbitrary: update },
  { weight: 3, arbitrary: externalUpdate },
  { weight: 3, arbitrary: insert },
  { weight: 2, arbitrary: attach },
  { weight: 1, arbitrary: strangerUpdate },
);

/** Mostly valid items; about one in five carries a broken field. */
const item: fc.Arbitrary<Json> = fc.oneof(
  { weight: 32, arbitrary: plainItem },
  {
    weight: 8,
    arbitrary: fc
      .tuple(plainItem, fc.array(mutation, { minLength: 1, maxLength: 2 }))
      .map(([it, ms]) => ms.reduce(applyMutation, it)),
  },
  { weight: 1, arbitrary: nasty }, // not an object at all: the whole body is refused, so rarely
);

export const items: fc.Arbitrary<Json[]> = fc.oneof(
  { weight: 12, arbitrary: fc.array(item, { maxLength: 10 }) },
  { weight: 2, arbitrary: fc.array(plainItem, { minLength: 1, maxLength: 4 }) }, // likely valid as a whole
  // One registration twice, or numbers exchanged: duplicates and swaps.
  {
    weight: 1,
    arbitrary: fc
      .tuple(update, fc.nat())
      .map(([it, n]) => (n % 2 ? [it, it] : [it, { ...it, id: `@reg${n % POOL.reg}` }, it])),
  },
  { weight: 1, arbitrary: fc.array(update, { minLength: 100, maxLength: 400 }) },
);
