// LibreOffice Calc (Debian's `libreoffice-calc-nogui`, installed by .ci/run) as the real spreadsheet of
// the round-trip tests: `soffice --headless --convert-to` does what an organizer's "open, save as" does.
// Without soffice those tests are skipped, and say why; in CI they fail.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inCi } from "./ci";

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

const SOFFICE = onPath("soffice");

/** Skip the LibreOffice tests: soffice is missing, outside CI (in CI, the conversion fails instead). */
export const noLibreOffice = SOFFICE === undefined && !inCi;

/** Appended to a LibreOffice test's name: the reason it is skipped, if it is. */
export const libreOfficeSkipReason = noLibreOffice ? " (skipped: needs soffice, Debian's libreoffice-calc-nogui)" : "";

/** LibreOffice's numbers for the character sets of its CSV filter options (rtl_TextEncoding; names other than a few are not read). */
const CHARSET_CODES = { "UTF-8": 76, "windows-1250": 33 } as const;
export type Charset = keyof typeof CHARSET_CODES;

/** How a CSV file is read: the choices of LibreOffice's Text Import dialog. */
export interface CsvImport {
  /** Each character is a field separator. */
  separators: string;
  charset: Charset;
  /** "Detect special numbers": dates (and times, percentages, scientific notation) become typed cells. */
  detectSpecialNumbers: boolean;
}

/**
 * What the Text Import dialog offers someone who double-clicks a CSV file: LibreOffice's own defaults
 * (`CSVImport` in share/registry/main.xcd: separators `,` `;` Tab, `"`, special numbers not detected,
 * the system's character set, here UTF-8). A headless conversion without filter options is not that: it
 * reads Windows-1252 and splits on `,` alone (see the report of issue 11), which no dialog would offer.
 */
export const DIALOG_DEFAULTS: CsvImport = { separators: ",;\t", charset: "UTF-8", detectSpecialNumbers: false };

/** The locale soffice runs in: its dates, decimal separator and language default follow it. */
export type Locale = "en-US" | "cs-CZ";
const LOCALE_ENV: Record<Locale, string> = { "en-US": "C.UTF-8", "cs-CZ": "cs_CZ.UTF-8" };
// Language of the CSV import (token 6): 0 is the locale's own; 1029 is Czech (LCID 0x0405).
const LANGUAGE_CODES: Record<Locale, number> = { "en-US": 0, "cs-CZ": 1029 };

const CSV_FILTER = "Text - txt - csv (StarCalc)";

/**
 * The "Text - txt - csv (StarCalc)" options string for reading (tokens: separators as character codes
 * joined by `/`, text delimiter, character set, first line, column formats, language, quoted field as
 * text, detect special numbers).
 */
export function importFilterOptions(options: CsvImport, locale: Locale = "en-US"): string {
  const separators = [...options.separators].map((c) => c.charCodeAt(0)).join("/");
  return [
    separators,
    34,
    CHARSET_CODES[options.charset],
    1,
    "",
    LANGUAGE_CODES[locale],
    false,
    options.detectSpecialNumbers,
  ].join(",");
}

/** The options string for writing: one separator, `"` as text delimiter, the character set; cells are written as shown. */
function exportFilterOptions(separator: string, charset: Charset): string {
  return [separator.charCodeAt(0), 34, CHARSET_CODES[charset]].join(",");
}

// One profile per test process and locale, used by one soffice at a time: two processes on one profile collide.
const profiles = new Map<Locale, string>();
let queue: Promise<unknown> = Promise.resolve();

function profileOf(locale: Locale): string {
  let dir = profiles.get(locale);
  if (!dir) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `regsync-lo-profile-${locale}-`));
    profiles.set(locale, dir);
  }
  return dir;
}

/** Removes this process's LibreOffice profiles (call it in afterAll). */
export function removeLibreOfficeProfiles(): void {
  for (const dir of profiles.values()) fs.rmSync(dir, { recursive: true, force: true });
  profiles.clear();
}

const TIMEOUT_MS = 120_000;

function runSoffice(args: string[], locale: Locale): Promise<string> {
  if (!SOFFICE)
    throw new Error(
      "the spreadsheet tests need soffice, and CI must run them: install Debian's libreoffice-calc-nogui (.ci/run does)",
    );
  const env = { ...process.env, LC_ALL: LOCALE_ENV[locale], LANG: LOCALE_ENV[locale] };
  const fullArgs = [
    `-env:UserInstallation=file://${profileOf(locale)}`,
    "--headless",
    "--norestore",
    "--nolockcheck",
    ...args,
  ];
  return new Promise((resolve, reject) => {
    // Its own process group: soffice is a script that starts soffice.bin, and a timeout must end both.
    const child = spawn(SOFFICE, fullArgs, { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (data) => (output += data));
    child.stderr.on("data", (data) => (output += data));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
      reject(new Error(`soffice ${args.join(" ")} took over ${TIMEOUT_MS / 1000} s:\n${output}`));
    }, TIMEOUT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`soffice ${args.join(" ")} exited with ${code}:\n${output}`));
    });
  });
}

/** Converts `input` (a file named `name`) in a folder of its own, one conversion at a time per process. */
function convert(
  input: Buffer | string,
  name: string,
  args: string[],
  outputName: string,
  locale: Locale,
): Promise<Buffer> {
  const run = queue.then(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regsync-lo-"));
    try {
      const inputPath = path.join(dir, name);
      fs.writeFileSync(inputPath, input);
      const outDir = path.join(dir, "out");
      const output = await runSoffice([...args, "--outdir", outDir, inputPath], locale);
      const outputPath = path.join(outDir, outputName);
      if (!fs.existsSync(outputPath)) throw new Error(`soffice wrote no ${outputName}:\n${output}`);
      return fs.readFileSync(outputPath);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

/** Opens a CSV file as `how` says and saves it as an Excel workbook. */
export function csvToXlsx(
  csv: Buffer | string,
  how: CsvImport = DIALOG_DEFAULTS,
  locale: Locale = "en-US",
): Promise<Buffer> {
  return convert(
    csv,
    "registrations.csv",
    [`--infilter=${CSV_FILTER}:${importFilterOptions(how, locale)}`, "--convert-to", "xlsx"],
    "registrations.xlsx",
    locale,
  );
}

/** Opens a workbook and saves its first sheet as UTF-8 CSV with `,`. */
export function xlsxToCsv(xlsx: Buffer, locale: Locale = "en-US"): Promise<Buffer> {
  return convert(
    xlsx,
    "registrations.xlsx",
    ["--convert-to", `csv:${CSV_FILTER}:${exportFilterOptions(",", "UTF-8")}`],
    "registrations.csv",
    locale,
  );
}

/**
 * Opens a CSV file as `how` says and saves it as a Czech user's CSV: `;`-separated Windows-1250, with
 * soffice in the cs-CZ locale (decimal comma, Czech dates for what it reads as dates).
 */
export function csvToCzechCsv(csv: Buffer | string, how: CsvImport = DIALOG_DEFAULTS): Promise<Buffer> {
  return convert(
    csv,
    "registrations.csv",
    [
      `--infilter=${CSV_FILTER}:${importFilterOptions(how, "cs-CZ")}`,
      "--convert-to",
      `csv:${CSV_FILTER}:${exportFilterOptions(";", "windows-1250")}`,
    ],
    "registrations.csv",
    "cs-CZ",
  );
}
