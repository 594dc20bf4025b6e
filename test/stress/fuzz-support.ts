// Generated PUT bodies for the fuzz suite. Most are plausible registrations, built from the ids of the
// lane they are sent to and then broken in the ways clients break them, so that the sync rules run,
// not only the parsers. A generated body is a compact description; `materialize` turns it into bytes.
import { deflateSync, gzipSync } from "node:zlib";
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

type Encoding = "utf8" | "utf8-bom" | "utf16le-bom" | "utf16be-bom" | "latin1";
type Compression = "none" | "gzip" | "deflate" | "broken-gzip";

/** A text edit at a fraction of the text's length (0..1), so it applies to any materialized size. */
export interface TextEdit {
  at: number;
  op: "insert" | "delete" | "truncate";
  text: string;
}

interface BodyCommon {
  /** Where the body goes: the lane's activity, another organizer's, or one that does not exist. */
  target: "own" | "foreign" | "unknown";
  query: string;
  contentType: string | null;
  encoding: Encoding;
  /** Raw bytes put into the encoded body at fractions of its length: invalid UTF-8, NUL. */
  byteEdits: readonly { at: number; bytes: readonly number[] }[];
  textEdits: readonly TextEdit[];
  compression: Compression;
}

export interface JsonBodySpec extends BodyCommon {
  format: "json";
  /** An array (usually), or what a confused client sends instead. */
  shape: "array" | "object" | "scalar" | "empty" | "spaces" | "nested-array";
  items: Json[];
}

export interface CsvBodySpec extends BodyCommon {
  format: "csv";
  header: string[];
  rows: string[][];
  delimiter: "," | ";";
  eol: "\n" | "\r\n";
  quoteAll: boolean;
  /** Unknown columns appended to the header and every row: wide files, and ones over the column limit. */
  extraColumns: number;
}

export type BodySpec = JsonBodySpec | CsvBodySpec;

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
const nasty: fc.Arbitrary<Json> = fc.oneof(
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

const items: fc.Arbitrary<Json[]> = fc.oneof(
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

// ---- bodies ---------------------------------------------------------------------------------

const textEdit: fc.Arbitrary<TextEdit> = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  op: fc.constantFrom("insert", "insert", "delete", "truncate"),
  text: fc.oneof(
    fc.constantFrom('"', ",", ";", "]", "}", "{", "[", "\\", "\n", "\r", "\u0000", ",,", '""', "'", "\\u12", "\ud800"),
    fc.string({ maxLength: 4 }),
  ),
});

const common = (format: "json" | "csv") => ({
  target: fc.oneof(
    { weight: 60, arbitrary: fc.constant("own" as const) },
    { weight: 1, arbitrary: fc.constantFrom("foreign" as const, "unknown" as const) },
  ),
  query: fc.oneof(
    { weight: 12, arbitrary: fc.constant("") },
    { weight: 4, arbitrary: fc.constant("mode=partial") },
    { weight: 2, arbitrary: fc.constant("dryRun=true") },
    { weight: 2, arbitrary: fc.constant("mode=partial&dryRun=true") },
    {
      weight: 1,
      arbitrary: fc.constantFrom("mode=Partial", "dryRun=1", "mode=all&dryRun=false", "mode=partial&mode=all"),
    },
  ),
  contentType: fc.oneof(
    { weight: 20, arbitrary: fc.constant(format === "json" ? "application/json" : "text/csv") },
    {
      weight: 2,
      arbitrary:
        format === "json"
          ? fc.constantFrom<string | null>(
              "application/json; charset=utf-8",
              "application/problem+json",
              null,
              "application/json; charset=utf-16",
            )
          : fc.constantFrom<string | null>(
              "text/csv; charset=windows-1250",
              "application/vnd.ms-excel",
              null,
              "text/plain",
            ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<string | null>(
        "multipart/form-data; boundary=x",
        format === "json" ? "text/csv" : "application/json",
      ),
    },
  ),
  encoding: fc.oneof(
    { weight: 40, arbitrary: fc.constant<Encoding>("utf8") },
    { weight: 1, arbitrary: fc.constantFrom<Encoding>("utf8-bom", "utf16le-bom", "utf16be-bom", "latin1") },
  ),
  byteEdits: fc.oneof(
    { weight: 12, arbitrary: fc.constant([]) },
    {
      weight: 1,
      arbitrary: fc.array(
        fc.record({
          at: fc.double({ min: 0, max: 1, noNaN: true }),
          bytes: fc.constantFrom([0xff], [0xc3], [0xe2, 0x82], [0xc0, 0xaf], [0x00], [0xed, 0xa0, 0x80]),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    },
  ),
  textEdits: fc.oneof(
    { weight: 10, arbitrary: fc.constant([]) },
    { weight: 1, arbitrary: fc.array(textEdit, { minLength: 1, maxLength: 3 }) },
  ),
  compression: fc.oneof(
    { weight: 40, arbitrary: fc.constant<Compression>("none") },
    { weight: 1, arbitrary: fc.constantFrom<Compression>("gzip", "deflate", "broken-gzip") },
  ),
});

export const jsonBody: fc.Arbitrary<JsonBodySpec> = fc.record({
  format: fc.constant("json" as const),
  shape: fc.oneof(
    { weight: 30, arbitrary: fc.constant("array" as const) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "object" as const,
        "scalar" as const,
        "empty" as const,
        "spaces" as const,
        "nested-array" as const,
      ),
    },
  ),
  items,
  ...common("json"),
});

/** Columns the codec knows (writable and read-only) and ones it does not, some named like Object.prototype's. */
const KNOWN_COLUMNS = [
  "registration.id",
  "registration.state",
  "registration.startNumber",
  "person.id",
  "person.givenName",
  "person.middleName",
  "person.surname",
  "person.sex",
  "person.birthDate",
  "registration.externalId",
  "registration.amount.value",
  "registration.amount.currency",
  "person.language",
  "person.nickname",
  "person.country",
  "person.isProfilePublic",
  "registration.code",
  "registration.created",
  "person.name",
];
const SEED_COLUMNS = KNOWN_COLUMNS.slice(0, 9);
const UNKNOWN_COLUMNS = [
  "team",
  "Registration.Id",
  " registration.startNumber ",
  "",
  "constructor",
  "__proto__",
  "toString",
  "hasOwnProperty",
  "poznámka",
  "=cmd",
];

/** The item's value for a column, as a CSV cell. */
function cellOf(value: Json, column: string): string {
  const [scope, ...rest] = column.trim().split(".");
  let found: Json | undefined = value;
  if (scope === "person")
    found = value && typeof value === "object" && !Array.isArray(value) ? (value.person as Json) : undefined;
  const keys = scope === "person" ? rest : rest.length ? rest : [scope];
  for (const key of keys) {
    found =
      found && typeof found === "object" && !Array.isArray(found) && Object.hasOwn(found, key) ? found[key] : undefined;
  }
  if (found === undefined || found === null) return "";
  return typeof found === "string" ? found : JSON.stringify(found);
}

const csvHeader: fc.Arbitrary<string[]> = fc
  .tuple(
    fc.oneof(
      { weight: 4, arbitrary: fc.constant(SEED_COLUMNS) },
      { weight: 3, arbitrary: fc.shuffledSubarray(KNOWN_COLUMNS, { minLength: 2 }) },
      { weight: 2, arbitrary: fc.constant(["registration.id", "registration.startNumber"]) },
      {
        weight: 2,
        arbitrary: fc.constant([
          "registration.externalId",
          "registration.startNumber",
          "person.givenName",
          "person.surname",
          "person.sex",
          "person.birthDate",
        ]),
      },
    ),
    fc.oneof(
      { weight: 5, arbitrary: fc.constant([]) },
      { weight: 1, arbitrary: fc.subarray(UNKNOWN_COLUMNS, { minLength: 1, maxLength: 2 }) },
    ),
    fc.nat(),
  )
  .map(([known, unknown, at]) => {
    const header = [...known];
    for (const column of unknown) header.splice(at % (header.length + 1), 0, column);
    return header;
  });

/** Rows built from items, then some cells dropped, added or replaced by nasty text. */
export const csvBody: fc.Arbitrary<CsvBodySpec> = fc
  .record({
    header: csvHeader,
    items,
    cellEdits: fc.oneof(
      { weight: 5, arbitrary: fc.constant([]) },
      {
        weight: 1,
        arbitrary: fc.array(
          fc.record({ row: fc.nat(), cell: fc.nat(), op: fc.constantFrom("drop", "add", "replace"), value: nasty }),
          { minLength: 1, maxLength: 3 },
        ),
      },
    ),
    delimiter: fc.constantFrom(",", ",", ";") as fc.Arbitrary<"," | ";">,
    eol: fc.constantFrom("\n", "\r\n") as fc.Arbitrary<"\n" | "\r\n">,
    quoteAll: fc.boolean(),
    extraColumns: fc.oneof(
      { weight: 30, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.constantFrom(150, 2_500) },
    ),
    ...common("csv"),
  })
  .map(({ header, items, cellEdits, ...rest }) => {
    const rows = items.map((it) => header.map((column) => cellOf(it, column)));
    for (const { row, cell, op, value } of cellEdits) {
      const target = rows[row % Math.max(rows.length, 1)];
      if (!target) continue;
      const at = cell % (target.length + 1);
      const text = typeof value === "string" ? value : JSON.stringify(value);
      if (op === "drop") target.splice(at, 1);
      else if (op === "add") target.splice(at, 0, text);
      else target[Math.min(at, target.length - 1)] = text;
    }
    return { format: "csv" as const, header, rows, ...rest };
  });

export const anyBody: fc.Arbitrary<BodySpec> = fc.oneof(jsonBody, csvBody);

// ---- bytes ----------------------------------------------------------------------------------

const TOKEN = /@(reg|person|sibReg|sibPerson|foreignReg|foreignPerson)(\d+)/g;

/** Late expansion, after serialization: ids of the lane, and values too big to keep in a generated case. */
function expand(text: string, tokens: LaneTokens, json: boolean): string {
  let out = text.replace(TOKEN, (whole, kind: keyof LaneTokens, k: string) => tokens[kind][Number(k)] ?? whole);
  out = out.replace(/@big:(\d+)/g, (_, n: string) => "Ž".repeat(Number(n)));
  if (json) {
    out = out.replace(/"@deep:(\d+)"/g, (_, n: string) => "[".repeat(Number(n)) + "]".repeat(Number(n)));
    out = out.replace(/"@deepObj:(\d+)"/g, (_, n: string) => '{"a":'.repeat(Number(n)) + "1" + "}".repeat(Number(n)));
  }
  return out;
}

function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const { at, op, text: piece } of edits) {
    const i = Math.floor(at * out.length);
    if (op === "insert") out = out.slice(0, i) + piece + out.slice(i);
    else if (op === "delete") out = out.slice(0, i) + out.slice(i + 1 + piece.length);
    else out = out.slice(0, i);
  }
  return out;
}

function jsonText(spec: JsonBodySpec): string {
  switch (spec.shape) {
    case "array":
      return JSON.stringify(spec.items);
    case "object":
      return JSON.stringify(spec.items[0] ?? {});
    case "scalar":
      return JSON.stringify(spec.items.length);
    case "empty":
      return "";
    case "spaces":
      return " \n\t ";
    case "nested-array":
      return JSON.stringify([spec.items]);
  }
}

function csvText(spec: CsvBodySpec): string {
  const quote = (cell: string) =>
    spec.quoteAll || cell.includes(spec.delimiter) || /["\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
  const extraHeader = Array.from({ length: spec.extraColumns }, (_, i) => `extra.${i}`);
  const extraCells = Array.from({ length: spec.extraColumns }, () => "v");
  const lines = [[...spec.header, ...extraHeader], ...spec.rows.map((row) => [...row, ...extraCells])];
  return lines.map((cells) => cells.map(quote).join(spec.delimiter)).join(spec.eol) + spec.eol;
}

function encode(text: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case "utf8":
      return Buffer.from(text, "utf8");
    case "utf8-bom":
      return Buffer.from(`\uFEFF${text}`, "utf8");
    case "utf16le-bom":
      return Buffer.from(`\uFEFF${text}`, "utf16le");
    case "utf16be-bom":
      return Buffer.from(`\uFEFF${text}`, "utf16le").swap16();
    case "latin1":
      return Buffer.from(text, "latin1");
  }
}

export interface Materialized {
  body: Buffer;
  headers: Record<string, string>;
}

export function materialize(spec: BodySpec, tokens: LaneTokens): Materialized {
  const text = spec.format === "json" ? jsonText(spec) : csvText(spec);
  let body = encode(expand(applyTextEdits(text, spec.textEdits), tokens, spec.format === "json"), spec.encoding);
  for (const { at, bytes } of spec.byteEdits) {
    const i = Math.floor(at * body.length);
    body = Buffer.concat([body.subarray(0, i), Buffer.from(bytes), body.subarray(i)]);
  }
  const headers: Record<string, string> = {};
  if (spec.contentType) headers["Content-Type"] = spec.contentType;
  if (spec.compression === "gzip") body = gzipSync(body);
  if (spec.compression === "deflate") body = deflateSync(body);
  if (spec.compression === "broken-gzip")
    body = Buffer.concat([gzipSync(body).subarray(0, 12), Buffer.from("not gzip at all")]);
  if (spec.compression !== "none") headers["Content-Encoding"] = spec.compression === "deflate" ? "deflate" : "gzip";
  return { body, headers };
}

/** A short readable description of a body for failure messages. */
export function excerpt(body: Buffer, max = 600): string {
  const text = body.toString("utf8");
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}… (${body.length} bytes)` : text);
}
