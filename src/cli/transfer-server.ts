// What the import and export commands share about the server they talk to: its address and key, the exit
// statuses, and how a refusal (an RFC 9457 problem document) becomes the message and status the CLI ends with.
import type { Command } from "commander";

export const DEFAULT_URL = "http://localhost:4000";

/** Exit status: 1 when something must be fixed first, 2 when the same command may succeed later. */
export const REFUSED = 1;
export const NOT_DONE = 2;

export const EXIT_STATUS_HELP = `
Exit status: 0 done; 1 refused (the rows, the key, the activity or the arguments
need fixing); 2 not done for a reason that may pass (the server unreachable,
failing or busy): run the same command again.`;

export interface ConnectionOptions {
  url?: string;
  key?: string;
  /** true: --progress, false: --no-progress, undefined: when stderr is a terminal. */
  progress?: boolean;
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
export function fail(command: Command, exitCode: number, message: string): never {
  command.error(`error: ${message}`, { exitCode, code: "regsync.transfer" });
}

export const causeOf = (error: unknown): string => {
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  return cause?.message || cause?.code || (error instanceof Error ? error.message : String(error));
};

export type TableFormat = "csv" | "xlsx";

/** What a transfer carries, as the API's path names it. */
export type TransferTarget = "registrations" | "results";

/** A file's format, by its name: `.xlsx` is a workbook, anything else CSV. */
export const formatOfFile = (file: string): TableFormat => (/\.xlsx$/i.test(file) ? "xlsx" : "csv");

/** A running server and the access key used on it. */
export class Server {
  private constructor(
    readonly base: string,
    readonly keyName: string,
    readonly authorization: string,
  ) {}

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
    if (colon < 1 || colon === key.length - 1)
      fail(command, REFUSED, "the access key must be given as name:secret, as `key create` prints it");
    // A base with a path (behind a proxy) keeps it: the API's path is appended, not resolved.
    return new Server(url.replace(/\/+$/, ""), key.slice(0, colon), `Basic ${Buffer.from(key).toString("base64")}`);
  }

  /** The activity's registrations or results as a table: what an import PUTs to and an export GETs. */
  tableUrl(target: TransferTarget, activityId: string, query: URLSearchParams, format: TableFormat = "csv"): string {
    const search = query.toString();
    return `${this.base}/api/events/activities/${encodeURIComponent(activityId)}/${target}.${format}${search ? `?${search}` : ""}`;
  }
}

export async function readProblem(response: Response): Promise<ProblemDocument> {
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
export function refusal(server: Server, response: Response, problem: ProblemDocument, retry: string): [number, string] {
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
  if (response.status >= 500)
    return [NOT_DONE, `the server failed: ${said}; HTTP ${response.status}${reference}; ${retry}`];
  return [REFUSED, `${said}; HTTP ${response.status}${reference}`];
}
