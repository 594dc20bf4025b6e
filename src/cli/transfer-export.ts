// `regsync export`: one GET of registrations.csv (or .xlsx), streamed to a file or stdout with a count of its rows.
import type { Command } from "commander";
import type { CliIo } from "./commands";
import { Progress, formatBytes } from "./transfer-progress";
import {
  NOT_DONE,
  REFUSED,
  Server,
  causeOf,
  fail,
  formatOfFile,
  readProblem,
  refusal,
  type ConnectionOptions,
} from "./transfer-server";
import { fileSink, stdoutSink } from "./transfer-sink";

export interface ExportOptions extends ConnectionOptions {
  activity: string;
  out?: string;
  state?: string[];
  excel?: boolean;
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

export async function exportFile(
  command: Command,
  io: CliIo,
  env: Record<string, string | undefined>,
  options: ExportOptions,
): Promise<void> {
  const server = Server.from(command, options, env);
  const query = new URLSearchParams();
  if (options.state?.length)
    query.set(
      "state",
      options.state
        .flatMap((s) => s.split(","))
        .map((s) => s.trim())
        .filter(Boolean)
        .join(","),
    );
  // On stdout an export stays CSV: a workbook is no text for a terminal or a pipe.
  const format = options.out ? formatOfFile(options.out) : "csv";
  if (options.excel && format === "xlsx")
    fail(command, REFUSED, "--excel is a CSV dialect; a workbook (--out *.xlsx) has none");
  if (options.excel) query.set("dialect", "excel");
  let response: Response;
  try {
    response = await fetch(server.tableUrl("registrations", options.activity, query, format), {
      headers: { Authorization: server.authorization },
    });
  } catch (error) {
    fail(command, NOT_DONE, `cannot reach ${server.base} (${causeOf(error)})`);
  }
  if (!response.ok) {
    const [exitCode, message] = refusal(
      server,
      response,
      await readProblem(response),
      "run the same command again later",
    );
    fail(command, exitCode, message);
  }

  const sink = options.out ? await fileSink(options.out) : stdoutSink(io);
  // On stdout the data is the output: a bar would only draw over it in the same terminal.
  const progress = new Progress(
    io,
    options.out ? options.progress : false,
    format === "xlsx"
      ? "receiving {received} | {duration_formatted}"
      : "receiving {received} | {rows} rows | {duration_formatted}",
  );
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
    fail(
      command,
      NOT_DONE,
      `the export stopped after ${formatBytes(received)} (${causeOf(error)})${options.out ? `; ${options.out} was not written` : ""}`,
    );
  } finally {
    progress.stop();
  }
  // A workbook's rows cannot be counted in its zipped bytes.
  if (format === "xlsx") io.err(`Exported the registrations to ${options.out} (${formatBytes(received)}).`);
  else
    io.err(
      `Exported ${records.rows} ${records.rows === 1 ? "registration" : "registrations"}${options.out ? ` to ${options.out}` : ""} (${formatBytes(received)}).`,
    );
}
