// CSV import and export against a running server (SPEC §8): each is one PUT or GET of registrations.csv,
// streamed from or to a file, with a progress bar on stderr. A file named *.xlsx goes to registrations.xlsx.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, rename, rm, stat } from "node:fs/promises";
import { SingleBar } from "cli-progress";
import { Option, type Command } from "commander";
import { REGISTRATION_STATES } from "../entities/registration";
import { XLSX_MEDIA_TYPE } from "../rest/xlsx-codec";
import type { CliIo } from "./commands";
import { RecordLines, WarningPrinter } from "./import-warnings";

const DEFAULT_URL = "http://localhost:4000";
const CHUNK_BYTES = 64 * 1024;
/** How long an import waits for an earlier run of the same file that the server is still applying. */
const MAX_WAIT_FOR_EARLIER_RUN_MS = 120_000;

/** Exit status: 1 when something must be fixed first, 2 when the same command may succeed later. */
const REFUSED = 1;
const NOT_DONE = 2;

const EXIT_STATUS_HELP = `
Exit status: 0 done; 1 refused (the rows, the key, the activity or the arguments
need fixing); 2 not done for a reason that may pass (the server unreachable,
failing or busy): run the same command again.`;

const IMPORT_HELP = `
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
${EXIT_STATUS_HELP}`;

interface ConnectionOptions {
  url?: string;
  key?: string;
  /** true: --progress, false: --no-progress, undefined: when stderr is a terminal. */
  progress?: boolean;
}

interface ImportOptions extends ConnectionOptions {
  activity: string;
  dryRun?: boolean;
  partial?: boolean;
  out?: string;
  idempotency: boolean;
  /** The file's charset, sent as the Content-Type's; the server reads UTF-8 without one. */
  encoding?: string;
}

interface ExportOptions extends ConnectionOptions {
  activity: string;
  out?: string;
  state?: string[];
  excel?: boolean;
}

interface RowError {
  line?: number;
  field?: string | null;
  code?: string;
  message?: string;
}

/** What the CLI reads of an RFC 9457 answer. */
interface ProblemDocument {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: RowError[];
  requestId?: string;
  line?: number;
}

/** Writes "error: …" to stderr and ends the command with `exitCode` (commander's way: runCli returns it). */
function fail(command: Command, exitCode: number, message: string): never {
  command.error(`error: ${message}`, { exitCode, code: "regsync.transfer" });
}

const causeOf = (error: unknown): string => {
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  return cause?.message || cause?.code || (error instanceof Error ? error.message : String(error));
};

function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

type TableFormat = "csv" | "xlsx";

/** A file's format, by its name: `.xlsx` is a workbook, anything else CSV. */
const formatOfFile = (file: string): TableFormat => (/\.xlsx$/i.test(file) ? "xlsx" : "csv");

/** A running server and the access key used on it. */
class Server {
  private constructor(readonly base: string, readonly keyName: string, readonly authorization: string) {}

  /** From the flags, else REGSYNC_URL and REGSYNC_KEY. */
  static from(command: Command, options: ConnectionOptions, env: Record<string, string | undefined>): Server {
    const url = options.url ?? env.REGSYNC_URL ?? DEFAULT_URL;
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      // Reported below.
    }
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
      fail(command, REFUSED, `the server's address must be an http or https URL like ${DEFAULT_URL}; got ${url}`);
    }
    const key = options.key ?? env.REGSYNC_KEY;
    if (!key) fail(command, REFUSED, "an access key is needed: --key name:secret, or REGSYNC_KEY in the environment");
    const colon = key.indexOf(":");
    if (colon < 1 || colon === key.length - 1) fail(command, REFUSED, "the access key must be given as name:secret, as `key create` prints it");
    // A base with a path (behind a proxy) keeps it: the API's path is appended, not resolved.
    return new Server(url.replace(/\/+$/, ""), key.slice(0, colon), `Basic ${Buffer.from(key).toString("base64")}`);
  }

  registrationsCsv(activityId: string, query: URLSearchParams, format: TableFormat = "csv"): string {
    const search = query.toString();
    return `${this.base}/api/events/activities/${encodeURIComponent(activityId)}/registrations.${format}${search ? `?${search}` : ""}`;
  }
}

async function readProblem(response: Response): Promise<ProblemDocument> {
  const text = await response.text().catch(() => "");
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === "object") return parsed as ProblemDocument;
  } catch {
    // Not a problem document (a proxy's page, say): its status speaks for it.
  }
  return {};
}

/** The message and exit status for an answer that is neither a success nor a rejected file. */
function refusal(server: Server, response: Response, problem: ProblemDocument, retry: string): [number, string] {
  const said = problem.detail ?? problem.title ?? response.statusText;
  const reference = problem.requestId ? `, request id ${problem.requestId}` : "";
  if (response.status === 401) {
    return [REFUSED, `the server refused the access key ${server.keyName}: ${said} (check --key or REGSYNC_KEY)`];
  }
  if (response.status === 429) {
    const after = response.headers.get("retry-after");
    return [NOT_DONE, `${said}${after ? `; try again in ${after} s` : ""}`];
  }
  // 409: the same file is still being applied, or a concurrent change got in the way (the server frees the key).
  if (response.status === 409) return [NOT_DONE, `${said}; HTTP 409${reference}; ${retry}`];
  if (response.status >= 500) return [NOT_DONE, `the server failed: ${said}; HTTP ${response.status}${reference}; ${retry}`];
  return [REFUSED, `${said}; HTTP ${response.status}${reference}`];
}

/** A progress bar on stderr, or nothing when it is off. */
class Progress {
  private readonly bar: SingleBar | undefined;

  /**
   * Drawn on `io.progress` when that is a terminal, or anyway with --progress (on stderr if the io has
   * no stream), where it prints a line every second instead of redrawing one; never with --no-progress.
   */
  constructor(io: CliIo, forced: boolean | undefined, format: string) {
    const stream = forced ? io.progress ?? process.stderr : io.progress;
    if (forced === false || !stream || (!forced && !stream.isTTY)) return;
    this.bar = new SingleBar({ stream, format, noTTYOutput: true, notTTYSchedule: 1000, barsize: 30, emptyOnZero: true });
  }

  start(total: number, payload: Record<string, string>): void {
    this.bar?.start(total, 0, payload);
  }

  update(value: number, payload: Record<string, string>): void {
    this.bar?.update(value, payload);
  }

  stop(): void {
    this.bar?.stop();
  }
}

/** Where downloaded bytes go: a file, replaced only once it is complete, or stdout. */
interface Sink {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
  /** Leaves no partial file behind. */
  abort(): Promise<void>;
}

async function fileSink(file: string): Promise<Sink> {
  const part = `${file}.${process.pid}.part`;
  const handle = await open(part, "w");
  let closed = false;
  const closeHandle = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    write: async (chunk) => {
      await handle.write(chunk);
    },
    close: async () => {
      await closeHandle();
      await rename(part, file);
    },
    abort: async () => {
      await closeHandle().catch(() => undefined);
      await rm(part, { force: true });
    },
  };
}

/** Stdout: raw bytes when the io takes them (main.ts does), else whole lines through `out`. */
function stdoutSink(io: CliIo): Sink {
  if (io.write) {
    const write = io.write.bind(io);
    return { write, close: async () => undefined, abort: async () => undefined };
  }
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let pending = "";
  return {
    write: async (chunk) => {
      pending += decoder.decode(chunk, { stream: true });
      const end = pending.lastIndexOf("\n");
      if (end < 0) return;
      io.out(pending.slice(0, end));
      pending = pending.slice(end + 1);
    },
    close: async () => {
      pending += decoder.decode();
      if (pending) io.out(pending);
    },
    abort: async () => undefined,
  };
}

/** Counts CSV records in bytes as they arrive: a line break inside quotes belongs to its record. */
class RecordCounter {
  private quoted = false;
  private open = false;
  private ended = 0;

  add(chunk: Uint8Array): void {
    for (const byte of chunk) {
      if (byte === 0x22) this.quoted = !this.quoted;
      else if (byte === 0x0a && !this.quoted) {
        this.ended++;
        this.open = false;
        continue;
      }
      this.open = true;
    }
  }

  /** Records after the header. */
  get rows(): number {
    return Math.max(0, this.ended + (this.open ? 1 : 0) - 1);
  }
}

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
  // The same bytes read in another charset are another request; without --encoding the key is as before.
  const encoding = options.encoding ? { encoding: options.encoding } : {};
  const request = JSON.stringify({ activityId, partial: options.partial ?? false, dryRun: options.dryRun ?? false, fileHash, ...encoding });
  return `regsync-import-${createHash("sha256").update(request).digest("hex")}`;
}

/** A PUT of the file under way: its answer, whether every byte was sent, and how to stop sending. */
interface Upload {
  response: Response;
  complete(): boolean;
  finish(): Promise<void>;
}

class UploadFailed extends Error {
  constructor(readonly cause: unknown, readonly bodySent: boolean, readonly fileChanged: boolean) {
    super(causeOf(cause));
  }
}

/** The request never reached a server: no connection was made. */
const UNREACHED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
const unreached = (error: unknown) => UNREACHED.has(String((error as { cause?: { code?: unknown } }).cause?.code));

/**
 * Streams the file as the request body, read in pieces, never whole. It is hashed again on the way:
 * a file that changed since its key was made ends the request before the server has the whole body,
 * so nothing is applied under a key that names other content.
 */
async function putFile(
  url: string, headers: Record<string, string>, file: string, fileHash: string,
  onSent: (bytes: number) => void, onBodySent: () => void,
): Promise<Upload> {
  const handle = await open(file, "r");
  const hash = createHash("sha256");
  const aborter = new AbortController();
  let sent = 0;
  let complete = false;
  let changed = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) {
        if (hash.digest("hex") !== fileHash) {
          changed = true;
          controller.error(new Error(`${file} changed while it was being sent`));
          return;
        }
        complete = true;
        controller.close();
        onBodySent();
        return;
      }
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      sent += bytesRead;
      controller.enqueue(chunk);
      onSent(sent);
    },
  });
  const finish = async () => {
    // The server may answer before it has read everything (a wrong key): stop sending the rest.
    if (!complete) aborter.abort();
    await handle.close().catch(() => undefined);
  };
  try {
    const response = await fetch(url, { method: "PUT", headers, body, duplex: "half", signal: aborter.signal } as RequestInit);
    return { response, complete: () => complete, finish };
  } catch (error) {
    await finish();
    throw new UploadFailed(error, complete, changed);
  }
}

function summaryOf(header: string | null): string | undefined {
  if (!header) return undefined;
  const counts = new Map(header.split(",").map((part) => {
    const [type, n] = part.trim().split("=");
    return [type.toLowerCase(), n] as const;
  }));
  return ["created", "updated", "unchanged", "skipped"].map((type) => `${type} ${counts.get(type) ?? 0}`).join(", ");
}

async function importFile(command: Command, io: CliIo, env: Record<string, string | undefined>, file: string, options: ImportOptions): Promise<void> {
  const server = Server.from(command, options, env);
  const info = await stat(file).catch((error: unknown) => fail(command, REFUSED, `cannot read ${file}: ${causeOf(error)}`));
  if (!info.isFile()) fail(command, REFUSED, `${file} is not a file`);
  const size = info.size;
  const lines = new RecordLines();
  const fileHash = await sha256OfFile(file, lines);

  const query = new URLSearchParams();
  if (options.partial) query.set("mode", "partial");
  if (options.dryRun) query.set("dryRun", "true");
  const format = formatOfFile(file);
  if (format === "xlsx" && options.encoding) fail(command, REFUSED, "--encoding is for CSV files; a workbook carries its own");
  // The answer comes in the upload's format; saved under another extension, it would not open.
  if (options.out && formatOfFile(options.out) !== format) fail(command, REFUSED, `the answer to ${file} is ${format === "xlsx" ? "a workbook" : "CSV"}: give --out a name ending in .${format}`);
  const url = server.registrationsCsv(options.activity, query, format);
  const contentType = format === "xlsx" ? XLSX_MEDIA_TYPE : options.encoding ? `text/csv; charset=${options.encoding}` : "text/csv";
  const headers: Record<string, string> = { Authorization: server.authorization, "Content-Type": contentType };
  // A dry run writes nothing, so repeating one is safe without a key, and a replayed dry run would tell
  // what would have happened then rather than now.
  const keyed = options.idempotency && !options.dryRun;
  if (keyed) headers["Idempotency-Key"] = importIdempotencyKey(fileHash, options.activity, options);
  const retry = keyed || options.dryRun
    ? "running the same command again is safe"
    : "without an Idempotency-Key, check what was imported (export) before running it again";

  const progress = new Progress(io, options.progress, "[{bar}] {percentage}% | {sent} of {size} | {duration_formatted} | {phase}");
  const sizeText = formatBytes(size);
  let upload: Upload;
  const started = Date.now();
  for (let waiting = false; ; ) {
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
      if (error.fileChanged) fail(command, REFUSED, `${file} changed while it was being sent; nothing was imported. Run the command again.`);
      if (unreached(error.cause)) fail(command, NOT_DONE, `cannot reach ${server.base} (${error.message}); nothing was sent`);
      // Sent means handed to the connection: the server may or may not have it.
      const when = error.bodySent ? "after the whole file was sent, while the server was working on it" : "before the whole file was sent";
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
    await new Promise((resolve) => setTimeout(resolve, (Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 10) : 1) * 1000));
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
  command: Command, io: CliIo, server: Server, response: Response, file: string, options: ImportOptions, retry: string,
  warnings: WarningPrinter | null,
): Promise<void> {
  const replayed = response.headers.get("idempotent-replayed") === "true";
  if (response.status === 422) {
    const problem = await readProblem(response);
    if (!problem.errors?.length) fail(command, REFUSED, problem.detail ?? "the server refused the file (422)");
    for (const e of problem.errors) {
      const where = [e.line === undefined ? undefined : `line ${e.line}`, e.field ?? undefined].filter(Boolean).join(", ");
      io.err(`${where || "file"}: ${e.message ?? e.code ?? "invalid"}`);
    }
    if (replayed) io.err("(Replayed: the server's first answer to this file with these options; --no-idempotency sends it as new.)");
    fail(command, REFUSED, problem.detail ?? `${problem.errors.length} errors; nothing was written`);
  }
  if (!response.ok) {
    const problem = await readProblem(response);
    if (problem.type === "/problems/csv-encoding" && (options.encoding ?? "utf-8") === "utf-8") {
      fail(command, REFUSED, `${file}${problem.line ? `, line ${problem.line}` : ""}: the file is not UTF-8 text. If Czech Excel saved it, `
        + "run the command again with --encoding windows-1250 (or save the sheet as \"CSV UTF-8\"); nothing was imported");
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
      fail(command, NOT_DONE, `${applied}, but its answer could not be saved to ${options.out} (${causeOf(error)}); ${retry}`);
    }
  } else {
    // Read to its end for its warnings, which also keeps the connection reusable.
    for await (const chunk of response.body ?? []) warnings?.add(chunk);
  }
  await warnings?.end();

  const summary = summaryOf(response.headers.get("sync-summary"));
  if (replayed) io.err(`Replayed: ${file} had already been imported with these options (${summary ?? "no summary"}); nothing was applied again (--no-idempotency sends it as new).`);
  else if (options.dryRun) io.err(`Dry run of ${file}, nothing was written: ${summary ?? "no summary"}.`);
  else io.err(`Imported ${file}: ${summary ?? "no summary"}.`);
  const skipped = Number(/Skipped=(\d+)/.exec(response.headers.get("sync-summary") ?? "")?.[1] ?? 0);
  if (skipped > 0) {
    io.err(`${skipped} ${skipped === 1 ? "row was" : "rows were"} skipped; the reasons are in the answer's sync.errors column${options.out ? ` (${options.out})` : ": save it with --out FILE"}.`);
  }
  if (options.out) io.err(`The server's answer is in ${options.out}.`);
}

async function exportFile(command: Command, io: CliIo, env: Record<string, string | undefined>, options: ExportOptions): Promise<void> {
  const server = Server.from(command, options, env);
  const query = new URLSearchParams();
  if (options.state?.length) query.set("state", options.state.flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean).join(","));
  // On stdout an export stays CSV: a workbook is no text for a terminal or a pipe.
  const format = options.out ? formatOfFile(options.out) : "csv";
  if (options.excel && format === "xlsx") fail(command, REFUSED, "--excel is a CSV dialect; a workbook (--out *.xlsx) has none");
  if (options.excel) query.set("dialect", "excel");
  let response: Response;
  try {
    response = await fetch(server.registrationsCsv(options.activity, query, format), { headers: { Authorization: server.authorization } });
  } catch (error) {
    fail(command, NOT_DONE, `cannot reach ${server.base} (${causeOf(error)})`);
  }
  if (!response.ok) {
    const [exitCode, message] = refusal(server, response, await readProblem(response), "run the same command again later");
    fail(command, exitCode, message);
  }

  const sink = options.out ? await fileSink(options.out) : stdoutSink(io);
  // On stdout the data is the output: a bar would only draw over it in the same terminal.
  const progress = new Progress(io, options.out ? options.progress : false,
    format === "xlsx" ? "receiving {received} | {duration_formatted}" : "receiving {received} | {rows} rows | {duration_formatted}");
  const records = new RecordCounter();
  let received = 0;
  progress.start(0, { received: formatBytes(0), rows: "0" });
  try {
    for await (const chunk of response.body ?? []) {
      received += chunk.length;
      records.add(chunk);
      progress.update(0, { received: formatBytes(received), rows: String(records.rows) });
      await sink.write(chunk);
    }
    await sink.close();
  } catch (error) {
    await sink.abort();
    // The reader of stdout stopped early (`| head`): it has what it wanted.
    if (!options.out && (error as { code?: unknown }).code === "EPIPE") return;
    fail(command, NOT_DONE, `the export stopped after ${formatBytes(received)} (${causeOf(error)})${options.out ? `; ${options.out} was not written` : ""}`);
  } finally {
    progress.stop();
  }
  // A workbook's rows cannot be counted in its zipped bytes.
  if (format === "xlsx") io.err(`Exported the registrations to ${options.out} (${formatBytes(received)}).`);
  else io.err(`Exported ${records.rows} ${records.rows === 1 ? "registration" : "registrations"}${options.out ? ` to ${options.out}` : ""} (${formatBytes(received)}).`);
}

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
    .description("sends a CSV file or .xlsx workbook of registrations to a running server in one request (all rows or none); prints what changed")
    .argument("<file>", "the CSV file (the seed's columns, or those of an export; , or ; separated), or a workbook named *.xlsx (its first sheet)")
    .requiredOption("--activity <id>", "the activity the registrations belong to")
    .option("--dry-run", "report what would change, write nothing")
    .option("--partial", "write the valid rows and skip the failing ones, instead of all or nothing")
    .option("--out <file>", "save the server's answer (the file's rows as stored, in the file's format) to this file")
    .option("--no-idempotency", "send no Idempotency-Key: apply the file even if it was imported in the last 24 hours")
    .addOption(new Option("--encoding <charset>", "the file's character encoding (Czech Excel's \"CSV\" is windows-1250)")
      .choices(["utf-8", "windows-1250", "iso-8859-2"]))
    .addHelpText("after", IMPORT_HELP);
  connectionOptions(importCommand).action((file: string, options: ImportOptions) => importFile(importCommand, io, env, file, options));

  const exportCommand = program
    .command("export")
    .description("downloads an activity's registrations as CSV (or a workbook, with --out *.xlsx) from a running server, to a file or stdout")
    .requiredOption("--activity <id>", "the activity")
    .option("--out <file>", "write to this file (replaced only once the download is complete) instead of stdout; *.xlsx writes a workbook")
    .option("--state <state...>", `only these states (${REGISTRATION_STATES.join(", ")}; several, or comma-separated)`)
    .option("--excel", "the Czech-Excel dialect: ; separated, BOM, CRLF")
    .addHelpText("after", EXIT_STATUS_HELP);
  connectionOptions(exportCommand).action((options: ExportOptions) => exportFile(exportCommand, io, env, options));
}
