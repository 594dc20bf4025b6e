// `regsync import`: one PUT of a CSV file or workbook to registrations.csv (or .xlsx; results.csv with --results),
// keyed by the file's content so that running it again cannot apply the file twice; then the answer: row errors,
// warnings, the summary, --out.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { Command } from "commander";
import { XLSX_MEDIA_TYPE } from "../rest/xlsx-codec";
import type { CliIo } from "./commands";
import { RecordLines, WarningPrinter } from "./import-warnings";
import { Progress, formatBytes } from "./transfer-progress";
import {
  EXIT_STATUS_HELP,
  NOT_DONE,
  REFUSED,
  Server,
  causeOf,
  fail,
  formatOfFile,
  readProblem,
  refusal,
  type ConnectionOptions,
  type TransferTarget,
} from "./transfer-server";
import { fileSink } from "./transfer-sink";
import { CHUNK_BYTES, UploadFailed, putFile, unreached, type Upload } from "./transfer-upload";

/** How long an import waits for an earlier run of the same file that the server is still applying. */
const MAX_WAIT_FOR_EARLIER_RUN_MS = 120_000;

export const IMPORT_HELP = `
The whole file is one request, so the all-or-nothing promise holds per file: if
any row fails, nothing of the file is written and every failing row is listed as
"line N, column: message" (--partial writes the valid rows and skips the others).
The request carries an Idempotency-Key made of the file's content, the activity
and the options: running the same command again after a lost connection cannot
apply the file twice; for 24 hours the server answers it with its first answer
("Replayed").

The file is read as UTF-8 (with or without a byte order mark); a file that Czech
Excel saved as plain "CSV" is Windows-1250: add --encoding windows-1250. Rows the
server warns about (a person who looks already registered) are imported all the
same and printed as "line N: warning: …".

With --results the file holds race results (SPEC §9: result.startNumber or
person.id, result.position, result.time in milliseconds or h:mm:ss,
result.status, result.category, split.<km>, …) and goes to the activity's
results instead, with the same all-or-nothing, key, dry run and exit status.
Results the file leaves out are kept; --prune deletes them (the file is the
whole list) and counts them as deleted.
${EXIT_STATUS_HELP}`;

export interface ImportOptions extends ConnectionOptions {
  activity: string;
  dryRun?: boolean;
  partial?: boolean;
  out?: string;
  idempotency: boolean;
  /** The file's charset, sent as the Content-Type's; the server reads UTF-8 without one. */
  encoding?: string;
  /** The file holds results: it goes to results.csv (or .xlsx) instead of registrations.csv. */
  results?: boolean;
  /** With `results`: the activity's results the file leaves out are deleted. */
  prune?: boolean;
}

const targetOf = (options: ImportOptions): TransferTarget => (options.results ? "results" : "registrations");

/** The file's hash; `lines` learns where its records start, for the answer's warnings. */
async function sha256OfFile(file: string, lines: RecordLines): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES })) {
    hash.update(chunk as Buffer);
    lines.add(chunk as Buffer);
  }
  return hash.digest("hex");
}

/** The same file, activity and options make the same key; any change makes another. */
function importIdempotencyKey(fileHash: string, activityId: string, options: ImportOptions): string {
  // The same bytes read in another charset, or sent as results, are another request; a registration import
  // without --encoding keeps the key it always had.
  const encoding = options.encoding ? { encoding: options.encoding } : {};
  const results = options.results ? { target: "results", prune: options.prune ?? false } : {};
  const request = JSON.stringify({
    activityId,
    partial: options.partial ?? false,
    dryRun: options.dryRun ?? false,
    fileHash,
    ...encoding,
    ...results,
  });
  return `regsync-import-${createHash("sha256").update(request).digest("hex")}`;
}

function summaryOf(header: string | null): string | undefined {
  if (!header) return undefined;
  const counts = new Map(
    header.split(",").map((part) => {
      const [type, n] = part.trim().split("=");
      return [type.toLowerCase(), n] as const;
    }),
  );
  // Deleted appears only when a results upload pruned (prune=true).
  const types = counts.has("deleted")
    ? ["created", "updated", "unchanged", "deleted", "skipped"]
    : ["created", "updated", "unchanged", "skipped"];
  return types.map((type) => `${type} ${counts.get(type) ?? 0}`).join(", ");
}

export async function importFile(
  command: Command,
  io: CliIo,
  env: Record<string, string | undefined>,
  file: string,
  options: ImportOptions,
): Promise<void> {
  const server = Server.from(command, options, env);
  if (options.prune && !options.results)
    fail(command, REFUSED, "--prune deletes results the file leaves out: it goes with --results only");
  const info = await stat(file).catch((error: unknown) =>
    fail(command, REFUSED, `cannot read ${file}: ${causeOf(error)}`),
  );
  if (!info.isFile()) fail(command, REFUSED, `${file} is not a file`);
  const size = info.size;
  const lines = new RecordLines();
  const fileHash = await sha256OfFile(file, lines);

  const query = new URLSearchParams();
  if (options.partial) query.set("mode", "partial");
  if (options.dryRun) query.set("dryRun", "true");
  if (options.prune) query.set("prune", "true");
  const format = formatOfFile(file);
  if (format === "xlsx" && options.encoding)
    fail(command, REFUSED, "--encoding is for CSV files; a workbook carries its own");
  // The answer comes in the upload's format; saved under another extension, it would not open.
  if (options.out && formatOfFile(options.out) !== format)
    fail(
      command,
      REFUSED,
      `the answer to ${file} is ${format === "xlsx" ? "a workbook" : "CSV"}: give --out a name ending in .${format}`,
    );
  const url = server.tableUrl(targetOf(options), options.activity, query, format);
  const contentType =
    format === "xlsx" ? XLSX_MEDIA_TYPE : options.encoding ? `text/csv; charset=${options.encoding}` : "text/csv";
  const headers: Record<string, string> = { Authorization: server.authorization, "Content-Type": contentType };
  // A dry run writes nothing, so repeating one is safe without a key, and a replayed dry run would tell
  // what would have happened then rather than now.
  const keyed = options.idempotency && !options.dryRun;
  if (keyed) headers["Idempotency-Key"] = importIdempotencyKey(fileHash, options.activity, options);
  const retry =
    keyed || options.dryRun
      ? "running the same command again is safe"
      : `without an Idempotency-Key, check what was imported (${options.results ? "the activity's results" : "export"}) before running it again`;

  const progress = new Progress(
    io,
    options.progress,
    "[{bar}] {percentage}% | {sent} of {size} | {duration_formatted} | {phase}",
  );
  const sizeText = formatBytes(size);
  let upload: Upload;
  const started = Date.now();
  for (let waiting = false; ;) {
    let sent = 0;
    const show = (phase: string) => progress.update(sent, { sent: formatBytes(sent), size: sizeText, phase });
    progress.start(size, { sent: formatBytes(0), size: sizeText, phase: "sending" });
    try {
      const onSent = (bytes: number) => {
        sent = bytes;
        show("sending");
      };
      upload = await putFile(url, headers, file, fileHash, onSent, () => show("waiting for the server"));
      show(`answered ${upload.response.status}`);
    } catch (error) {
      progress.stop();
      if (!(error instanceof UploadFailed)) throw error;
      if (error.fileChanged)
        fail(command, REFUSED, `${file} changed while it was being sent; nothing was imported. Run the command again.`);
      if (unreached(error.cause))
        fail(command, NOT_DONE, `cannot reach ${server.base} (${error.message}); nothing was sent`);
      // Sent means handed to the connection: the server may or may not have it.
      const when = error.bodySent
        ? "after the whole file was sent, while the server was working on it"
        : "before the whole file was sent";
      fail(command, NOT_DONE, `the request to ${server.base} failed ${when} (${error.message}); ${retry}`);
    }
    progress.stop();
    if (upload.response.status !== 409 || !keyed) break;
    const problem = await readProblem(upload.response);
    await upload.finish();
    // Another run of this file is still being applied (a retry after a lost connection): wait for its answer.
    if (problem.type !== "/problems/idempotency-key-in-use" || Date.now() - started > MAX_WAIT_FOR_EARLIER_RUN_MS) {
      fail(command, ...refusal(server, upload.response, problem, retry));
    }
    if (!waiting) io.err("The server is still applying an earlier run of this file; waiting for its answer…");
    waiting = true;
    const seconds = Number(upload.response.headers.get("retry-after"));
    await new Promise((resolve) =>
      setTimeout(resolve, (Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 10) : 1) * 1000),
    );
  }

  try {
    // A workbook's answer is a workbook: its warnings are in its sync.warnings column, not printed here.
    const warnings = format === "csv" ? new WarningPrinter(lines, io.err) : null;
    await readImportAnswer(command, io, server, upload.response, file, options, retry, warnings);
  } finally {
    await upload.finish();
  }
}

async function readImportAnswer(
  command: Command,
  io: CliIo,
  server: Server,
  response: Response,
  file: string,
  options: ImportOptions,
  retry: string,
  warnings: WarningPrinter | null,
): Promise<void> {
  const replayed = response.headers.get("idempotent-replayed") === "true";
  if (response.status === 422) {
    const problem = await readProblem(response);
    if (!problem.errors?.length) fail(command, REFUSED, problem.detail ?? "the server refused the file (422)");
    for (const e of problem.errors) {
      const where = [e.line === undefined ? undefined : `line ${e.line}`, e.field ?? undefined]
        .filter(Boolean)
        .join(", ");
      io.err(`${where || "file"}: ${e.message ?? e.code ?? "invalid"}`);
    }
    if (replayed)
      io.err(
        "(Replayed: the server's first answer to this file with these options; --no-idempotency sends it as new.)",
      );
    fail(command, REFUSED, problem.detail ?? `${problem.errors.length} errors; nothing was written`);
  }
  if (!response.ok) {
    const problem = await readProblem(response);
    if (problem.type === "/problems/csv-encoding" && (options.encoding ?? "utf-8") === "utf-8") {
      fail(
        command,
        REFUSED,
        `${file}${problem.line ? `, line ${problem.line}` : ""}: the file is not UTF-8 text. If Czech Excel saved it, ` +
          'run the command again with --encoding windows-1250 (or save the sheet as "CSV UTF-8"); nothing was imported',
      );
    }
    const [exitCode, message] = refusal(server, response, problem, retry);
    fail(command, exitCode, message);
  }

  if (options.out) {
    const sink = await fileSink(options.out);
    try {
      for await (const chunk of response.body ?? []) {
        warnings?.add(chunk);
        await sink.write(chunk);
      }
      await sink.close();
    } catch (error) {
      await sink.abort();
      const applied = options.dryRun ? "nothing was written (a dry run)" : "the file was imported";
      fail(
        command,
        NOT_DONE,
        `${applied}, but its answer could not be saved to ${options.out} (${causeOf(error)}); ${retry}`,
      );
    }
  } else {
    // Read to its end for its warnings, which also keeps the connection reusable.
    for await (const chunk of response.body ?? []) warnings?.add(chunk);
  }
  await warnings?.end();

  const summary = summaryOf(response.headers.get("sync-summary"));
  if (replayed)
    io.err(
      `Replayed: ${file} had already been imported with these options (${summary ?? "no summary"}); nothing was applied again (--no-idempotency sends it as new).`,
    );
  else if (options.dryRun) io.err(`Dry run of ${file}, nothing was written: ${summary ?? "no summary"}.`);
  else io.err(`Imported ${file}: ${summary ?? "no summary"}.`);
  const skipped = Number(/Skipped=(\d+)/.exec(response.headers.get("sync-summary") ?? "")?.[1] ?? 0);
  if (skipped > 0) {
    io.err(
      `${skipped} ${skipped === 1 ? "row was" : "rows were"} skipped; the reasons are in the answer's sync.errors column${options.out ? ` (${options.out})` : ": save it with --out FILE"}.`,
    );
  }
  if (options.out) io.err(`The server's answer is in ${options.out}.`);
}
