// CSV import and export against a running server (SPEC §8): each is one PUT or GET of registrations.csv,
// streamed from or to a file, with a progress bar on stderr. A file named *.xlsx goes to registrations.xlsx;
// `import --results` sends the file to results.csv (or .xlsx) instead (SPEC §9).
import { Option, type Command } from "commander";
import { REGISTRATION_STATES } from "../entities/registration";
import type { CliIo } from "./commands";
import { exportFile, type ExportOptions } from "./transfer-export";
import { IMPORT_HELP, importFile, type ImportOptions } from "./transfer-import";
import { DEFAULT_URL, EXIT_STATUS_HELP } from "./transfer-server";

function connectionOptions(command: Command): Command {
  return command
    .option("--url <url>", `the server (default: REGSYNC_URL, else ${DEFAULT_URL})`)
    .option("--key <name:secret>", "the access key (default: REGSYNC_KEY)")
    .option("--progress", "draw the progress bar even when stderr is not a terminal")
    .option("--no-progress", "never draw the progress bar");
}

/** Adds `import` and `export`, which talk to a running server over HTTP and never open the database. */
export function registerTransferCommands(program: Command, io: CliIo, env: Record<string, string | undefined>): void {
  const importCommand = program
    .command("import")
    .description(
      "sends a CSV file or .xlsx workbook of registrations (or, with --results, of results) to a running server in one request (all rows or none); prints what changed",
    )
    .argument(
      "<file>",
      "the CSV file (the seed's columns, or those of an export; , or ; separated), or a workbook named *.xlsx (its first sheet)",
    )
    .requiredOption("--activity <id>", "the activity the registrations (or results) belong to")
    .option("--results", "the file holds race results: send it to the activity's results, not its registrations")
    .option("--prune", "with --results: delete the activity's results the file leaves out (the file is the whole list)")
    .option("--dry-run", "report what would change, write nothing")
    .option("--partial", "write the valid rows and skip the failing ones, instead of all or nothing")
    .option("--out <file>", "save the server's answer (the file's rows as stored, in the file's format) to this file")
    .option("--no-idempotency", "send no Idempotency-Key: apply the file even if it was imported in the last 24 hours")
    .addOption(
      new Option(
        "--encoding <charset>",
        "the file's character encoding (Czech Excel's \"CSV\" is windows-1250)",
      ).choices(["utf-8", "windows-1250", "iso-8859-2"]),
    )
    .addHelpText("after", IMPORT_HELP);
  connectionOptions(importCommand).action((file: string, options: ImportOptions) =>
    importFile(importCommand, io, env, file, options),
  );

  const exportCommand = program
    .command("export")
    .description(
      "downloads an activity's registrations as CSV (or a workbook, with --out *.xlsx) from a running server, to a file or stdout",
    )
    .requiredOption("--activity <id>", "the activity")
    .option(
      "--out <file>",
      "write to this file (replaced only once the download is complete) instead of stdout; *.xlsx writes a workbook",
    )
    .option("--state <state...>", `only these states (${REGISTRATION_STATES.join(", ")}; several, or comma-separated)`)
    .option("--excel", "the Czech-Excel dialect: ; separated, BOM, CRLF")
    .addHelpText("after", EXIT_STATUS_HELP);
  connectionOptions(exportCommand).action((options: ExportOptions) => exportFile(exportCommand, io, env, options));
}
