// The warnings of an import's answer (its sync.warnings column), printed with the line of the uploaded
// file each row came from. Both the file and the answer are read as they stream, never held whole.
import { parse, type Parser } from "csv-parse";

/**
 * The line each record of a CSV file starts on, from its bytes: a line break inside quotes belongs to its
 * record, and empty lines are no records (as the server reads them). `"` and line feeds are the same bytes
 * in every charset an import may use.
 */
export class RecordLines {
  private readonly starts: number[] = [];
  private line = 1;
  private lineStart = true;
  private quoted = false;

  add(chunk: Uint8Array): void {
    for (const byte of chunk) {
      if (this.lineStart && !this.quoted && byte !== 0x0a && byte !== 0x0d) this.starts.push(this.line);
      this.lineStart = false;
      if (byte === 0x22) this.quoted = !this.quoted;
      else if (byte === 0x0a) {
        this.line++;
        this.lineStart = !this.quoted;
      }
    }
  }

  /** The line data row `index` (0-based, after the header) starts on. */
  lineOfRow(index: number): number | undefined {
    return this.starts[index + 1];
  }
}

const COLUMN = "sync.warnings";
/** More than this many are counted, not printed: the answer saved with --out has them all. */
const PRINTED = 100;

/** Reads an answer's chunks as they pass; `end` prints the rest and tells how many rows had warnings. */
export class WarningPrinter {
  private head: Buffer[] = [];
  /** undefined until the answer's header is read; null when it has no warnings column. */
  private parser: Parser | null | undefined;
  private done: Promise<void> = Promise.resolve();
  private row = -1;
  private warned = 0;

  constructor(
    private readonly lines: RecordLines,
    private readonly print: (text: string) => void,
  ) {}

  add(chunk: Uint8Array): void {
    if (this.parser === null) return;
    if (this.parser) {
      if (!this.parser.destroyed) this.parser.write(chunk);
      return;
    }
    this.head.push(Buffer.from(chunk));
    const text = Buffer.concat(this.head).toString("utf8");
    const end = text.indexOf("\n");
    if (end < 0) return;
    // The server writes the column last, in the dialect of the upload.
    const header = text.slice(0, end).replace(/\r$/, "");
    const delimiter = [",", ";"].find((d) => header.endsWith(`${d}${COLUMN}`));
    if (!delimiter) {
      this.parser = null;
      this.head = [];
      return;
    }
    const parser = parse({ delimiter, bom: true, relax_column_count: true });
    parser.on("data", (record: string[]) => this.record(record));
    this.done = new Promise((resolve, reject) => parser.on("end", resolve).on("error", reject));
    // Awaited by end(); until then a broken answer must not count as an unhandled rejection.
    this.done.catch(() => undefined);
    this.parser = parser;
    parser.write(Buffer.concat(this.head));
    this.head = [];
  }

  private record(record: string[]): void {
    const index = this.row++;
    const warning = record[record.length - 1];
    // Index -1 is the header.
    if (index < 0 || !warning) return;
    if (++this.warned <= PRINTED) {
      const line = this.lines.lineOfRow(index);
      this.print(`${line === undefined ? `row ${index + 1}` : `line ${line}`}: warning: ${warning}`);
    }
  }

  /** The number of rows with warnings; those past the first hundred are only counted. */
  async end(): Promise<number> {
    if (this.parser) {
      this.parser.end();
      await this.done;
    }
    if (this.warned > PRINTED) this.print(`… and ${this.warned - PRINTED} more rows with warnings.`);
    return this.warned;
  }
}
