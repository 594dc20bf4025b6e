// Debian's LibreOffice (`soffice --headless`), the spreadsheet program organizers use, for the tests of
// the spreadsheet formats. Without it those tests are skipped, and say why.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const SOFFICE = "/usr/bin/soffice";

export const noSoffice = !fs.existsSync(SOFFICE);

/** Appended to a LibreOffice test's name: the reason it is skipped, if it is. */
export const sofficeSkipReason = noSoffice ? ` (skipped: needs ${SOFFICE}, Debian's libreoffice-calc-nogui)` : "";

/** UTF-8, comma-separated, `"`-quoted; otherwise LibreOffice's defaults, so that numbers and dates become typed cells. */
const CSV_FILTER = "44,34,76,1";

/** One LibreOffice profile per test file: two soffice processes must not share one. Remove it with `close`. */
export class Soffice {
  private readonly profile = fs.mkdtempSync(path.join(os.tmpdir(), "regsync-soffice-"));

  /** Converts `file` into `outDir`, as `soffice --convert-to` does; returns the new file's path. */
  private async convert(file: string, target: string, extension: string, outDir: string, inFilter?: string): Promise<string> {
    const args = [
      `-env:UserInstallation=file://${this.profile}`, "--headless", "--norestore",
      ...(inFilter ? [`--infilter=${inFilter}`] : []), "--convert-to", target, "--outdir", outDir, file,
    ];
    await new Promise<void>((resolve, reject) => {
      execFile(SOFFICE, args, { timeout: 120_000 }, (error, stdout, stderr) => (error ? reject(new Error(`soffice failed: ${error.message}\n${stdout}${stderr}`)) : resolve()));
    });
    const converted = path.join(outDir, `${path.basename(file, path.extname(file))}.${extension}`);
    if (!fs.existsSync(converted)) throw new Error(`soffice wrote no ${converted}`);
    return converted;
  }

  /** A CSV file opened with default settings and saved as a workbook. */
  csvToXlsx(file: string, outDir: string): Promise<string> {
    return this.convert(file, "xlsx:Calc MS Excel 2007 XML", "xlsx", outDir, `CSV:${CSV_FILTER}`);
  }

  /** A workbook's first sheet saved as UTF-8 CSV, cells as they are shown. */
  async xlsxToCsv(file: string, outDir: string): Promise<string> {
    // Tokens 7 and 9: text cells unquoted (quoted only where CSV needs it), cell contents as shown.
    return this.convert(file, `csv:Text - txt - csv (StarCalc):${CSV_FILTER},,0,false,true,true`, "csv", outDir);
  }

  close(): void {
    fs.rmSync(this.profile, { recursive: true, force: true });
  }
}
