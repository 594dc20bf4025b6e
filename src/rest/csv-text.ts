// A CSV upload's bytes as text: the charsets we read, decoded chunk by chunk as the body arrives. Bytes that
// are not text in the chosen charset refuse the file with its line: rows already read cannot be decoded
// again another way, and a guess could store other letters than the file holds (or U+FFFD).
import { problem } from "./problem";

/** The encodings (Encoding Standard names) an upload may be in: UTF-8 and the two that Czech software writes. */
const ENCODINGS = ["utf-8", "windows-1250", "iso-8859-2"];
const SUPPORTED = "utf-8, windows-1250 (cp1250) or iso-8859-2 (latin2)";

/**
 * The encoding a Content-Type's `charset` names, by any of the Encoding Standard's labels for it
 * (`cp1250`, `latin2`, `utf8`, …); UTF-8 without one.
 * @throws HttpProblem 415 for a charset other than the supported ones.
 */
export function csvEncoding(contentType: string | undefined): string {
  const parameter = (contentType ?? "")
    .split(";")
    .slice(1)
    .map((p) => p.trim().split("="))
    .find(([name]) => name.trim().toLowerCase() === "charset");
  if (!parameter) return "utf-8";
  const label = (parameter[1] ?? "").trim().replace(/^"(.*)"$/, "$1");
  let encoding: string | undefined;
  try {
    encoding = new TextDecoder(label).encoding;
  } catch {
    // An unknown label: refused below.
  }
  if (!encoding || !ENCODINGS.includes(encoding)) {
    throw problem(
      415,
      "unsupported-media-type",
      "Unsupported Media Type",
      `charset ${label} is not supported; send ${SUPPORTED}`,
    );
  }
  return encoding;
}

const startsWith = (bytes: Buffer, ...signature: number[]) => signature.every((byte, i) => bytes[i] === byte);

/** Refuses what is plainly no CSV file in `encoding`, from its first bytes. */
function checkStart(bytes: Buffer, encoding: string, noun: string): void {
  const unsupported = (detail: string) => problem(415, "unsupported-media-type", "Unsupported Media Type", detail);
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04) || startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0)) {
    throw unsupported(
      `This is an Excel workbook, not a CSV file: send it to ${noun}.xlsx instead, or save the sheet as CSV ("CSV UTF-8")`,
    );
  }
  if (startsWith(bytes, 0xff, 0xfe) || startsWith(bytes, 0xfe, 0xff)) {
    throw unsupported('This file is UTF-16 text (Excel\'s "Unicode Text"); save the sheet as "CSV UTF-8" instead');
  }
  // Read as windows-1250, a UTF-8 byte order mark would become part of the first column's name.
  if (encoding !== "utf-8" && startsWith(bytes, 0xef, 0xbb, 0xbf)) {
    throw problem(
      400,
      "csv-encoding",
      "Wrong Character Encoding",
      `Line 1: the file starts with UTF-8's byte order mark, but the request says charset=${encoding}; send it as charset=utf-8`,
      { line: 1 },
    );
  }
}

function notText(encoding: string, line: number) {
  const detail =
    encoding === "utf-8"
      ? 'the file is not UTF-8 text. If Czech Excel saved it, it is Windows-1250: send it with Content-Type: text/csv; charset=windows-1250, or save it from the spreadsheet as "CSV UTF-8"'
      : `the file is not ${encoding} text; send the charset it was saved in (${SUPPORTED})`;
  return problem(400, "csv-encoding", "Wrong Character Encoding", `Line ${line}: ${detail}`, { line });
}

const LINE_FEED = 0x0a;

function lineFeeds(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(LINE_FEED); at !== -1; at = bytes.indexOf(LINE_FEED, at + 1)) count++;
  return count;
}

/** UTF-8 bytes at the end of a chunk that begin a character the next chunk ends. */
function openCharacter(bytes: Buffer): Buffer {
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 3); i--) {
    const byte = bytes[i];
    if ((byte & 0xc0) === 0x80) continue;
    const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return bytes.length - i < size ? bytes.subarray(i) : bytes.subarray(0, 0);
  }
  return bytes.subarray(0, 0);
}

/**
 * Which line of `bytes` (counted from 0) holds the first bytes that are not text. A line feed is never
 * part of a character in the supported encodings, so each line can be checked on its own.
 */
function badLine(bytes: Buffer, encoding: string): number {
  let start = 0;
  for (let line = 0; ; line++) {
    const end = bytes.indexOf(LINE_FEED, start);
    try {
      new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(start, end === -1 ? bytes.length : end));
    } catch {
      return line;
    }
    if (end === -1) return line;
    start = end + 1;
  }
}

/**
 * The body as text, chunk by chunk. A UTF-8 byte order mark stays in the text (the answer keeps the dialect).
 * @throws HttpProblem 400 naming the first line that is not text in `encoding`; 415 for a workbook or UTF-16.
 */
export async function* decodeCsv(
  chunks: AsyncIterable<Buffer>,
  encoding: string,
  noun = "registrations",
): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  // Line feeds before the chunk being decoded, and the start of a character it ends.
  let lines = 0;
  let open: Buffer = Buffer.alloc(0);
  let head: Buffer | null = Buffer.alloc(0) as Buffer;
  const decode = (chunk: Buffer): string => {
    try {
      return decoder.decode(chunk, { stream: true });
    } catch {
      throw notText(encoding, lines + 1 + badLine(Buffer.concat([open, chunk]), encoding));
    } finally {
      lines += lineFeeds(chunk);
      if (encoding === "utf-8") open = openCharacter(chunk.length < 4 ? Buffer.concat([open, chunk]) : chunk);
    }
  };
  for await (let chunk of chunks) {
    if (head) {
      // The first bytes tell a workbook or a byte order mark: wait for four of them.
      head = Buffer.concat([head, chunk]);
      if (head.length < 4) continue;
      chunk = head;
      head = null;
      checkStart(chunk, encoding, noun);
    }
    const text = decode(chunk);
    if (text) yield text;
  }
  if (head?.length) {
    checkStart(head, encoding, noun);
    const text = decode(head);
    if (text) yield text;
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw notText(encoding, lines + 1);
  }
  if (rest) yield rest;
}
