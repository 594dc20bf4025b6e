// Generated PUT bodies for the fuzz suite. Most are plausible registrations, built from the ids of the
// lane they are sent to and then broken in the ways clients break them, so that the sync rules run,
// not only the parsers. A generated body is a compact description; `materialize` turns it into bytes.
// The values and items inside the bodies are generated in fuzz-items.ts.
import { deflateSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import { items, nasty, type Json, type LaneTokens } from "./fuzz-items";

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
