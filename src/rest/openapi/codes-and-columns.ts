// What the row error codes and the CSV columns mean, and how CSV files are written and read.
import type { SyncErrorCode } from "../../services/sync-input";
import { COLUMNS } from "../registration-table";
import { RESULT_COLUMNS } from "../result-table";
import { code, table } from "./builders";

/** Every row error code the sync reports (a Record, so a new code in sync-input.ts fails to compile until it is described here). */
export const ROW_ERROR_CODES: Record<SyncErrorCode, string> = {
  InvalidValue: "The field's value has the wrong type or format (the message says which).",
  MissingField: "A field a new registration needs is absent (givenName, surname, sex, birthDate without a person.id).",
  UnknownRegistration:
    "The id is not a registration of this activity (results: no registration of the activity has the startNumber).",
  UnknownPerson:
    "The person.id is not a person registered with this organizer (no other person can be attached); results: the item names no one.",
  PersonMismatch:
    "The person.id differs from the person of the registration the item names (results: the startNumber's runner has another name or birth date).",
  DuplicateItem:
    "An earlier item of the same batch already changes this registration, or inserts this externalId (results: already has a result in the batch).",
  StartNumberTaken: "Another registration of the activity holds the start number; registrationId names it.",
  AmbiguousPerson: "Results: several runners of the activity have the item's name and birth date; give person.id.",
  PositionTaken:
    "Results: another finisher has the same position with another time; only equal times share a position.",
};

export const CSV_COLUMNS_TABLE = table(
  ["Column", "Upload", "Meaning"],
  Object.entries(COLUMNS).map(([column, def]) => [code(column), def.set ? "read" : "ignored", def.note]),
);

/** The results' CSV and workbook columns: each of RESULT_COLUMNS, then one per split. */
export const RESULT_COLUMNS_TABLE = table(
  ["Column", "Upload", "Meaning"],
  [
    ...Object.entries(RESULT_COLUMNS).map(([column, def]) => [code(column), def.set ? "read" : "ignored", def.note]),
    [
      code("split.<km>"),
      "read",
      "One column per split distance, in km (`split.4`, `split.7.5`): the instant the runner passed it, ISO 8601 with its offset; empty when they did not. A download has one per distance any result has, ascending.",
    ],
  ],
);

export const CSV_DIALECTS = `**Dialects.** The plain dialect is \`,\`-separated with LF line ends and no byte order mark. The Excel dialect
(\`dialect=excel\`), which Czech Excel opens without a wizard, is \`;\`-separated with CRLF line ends and a UTF-8 byte
order mark. An upload may be either, or any mix of \`,\`/\`;\`, LF/CRLF and BOM or none: the separator is the one that splits
the header line into more columns. Fields may be quoted; a quoted field may span lines.`;

export const CSV_FORMULAS = `**Formulas.** A downloaded cell that starts with \`=\`, \`+\`, \`-\`, \`@\`, tab or carriage return, after any number
of \`'\`, gets one more leading \`'\`, so a spreadsheet shows it instead of running it (\`=x\` → \`'=x\`, a stored \`'=x\` →
\`''=x\`). An uploaded cell that starts with one or more \`'\` and then such a character loses exactly one \`'\`. So
uploading a downloaded file unchanged changes nothing, whatever the values; a cell typed as \`'=x\` is read as \`=x\`.
The header cells an answer echoes are written the same way.`;

export const CSV_CHARSETS = `**Charsets.** An upload is UTF-8 (with or without byte order mark) unless the Content-Type's \`charset\` says
\`windows-1250\` (also \`cp1250\`: what Czech Excel's plain "CSV" is) or \`iso-8859-2\` (also \`latin2\`); any other charset
answers 415. A body that is not text in its charset (a Windows-1250 file sent as UTF-8) is refused with 400
(\`/problems/csv-encoding\`) naming its first such line: it is never guessed at, and nothing is stored in its place. An
Excel workbook (.xlsx or .xls) answers 415. Downloads and answers are always UTF-8.`;
