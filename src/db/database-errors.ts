// What a failed database call means to a caller, and what of it may be logged (issue 12).
// PostgreSQL errors reach us raw (pg's DatabaseError, a socket error) or wrapped in TypeORM's
// QueryFailedError, which also carries the statement and all its parameters: names, birth dates, hashes.

/**
 * Why the database could not serve a request that may well succeed later:
 * - `outage`: it cannot be reached, or it is shutting down or starting;
 * - `timeout`: a statement ran longer than STATEMENT_TIMEOUT_MS and was cancelled;
 * - `contention`: a deadlock or serialization failure with concurrent transactions.
 */
export type Unavailability = "outage" | "timeout" | "contention";

const OUTAGE_CODES = new Set([
  // Socket errors of the connection to PostgreSQL.
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  // admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
  "57P01",
  "57P02",
  "57P03",
  "53300",
]);
// pg's own errors for a connection that broke or a pool that is closing carry no code.
const OUTAGE_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error|Cannot use a pool after calling end|Client was closed)/;

/** The driver's error inside TypeORM's wrapper, or the error itself. */
function driverErrorOf(error: unknown): unknown {
  return (error as { driverError?: unknown } | null)?.driverError ?? error;
}

/** An error PostgreSQL sent (pg's DatabaseError and its TypeORM wrapper carry a severity), as opposed to a socket's or a pool's. */
function sentByPostgres(error: unknown): boolean {
  return typeof (driverErrorOf(error) as { severity?: unknown } | null)?.severity === "string";
}

/** How the error makes the database unavailable for now, or null when it is not such an error. */
export function unavailability(error: unknown): Unavailability | null {
  const driverError = driverErrorOf(error) as { code?: unknown; message?: unknown } | null;
  if (!driverError || typeof driverError !== "object") return null;
  const code = typeof driverError.code === "string" ? driverError.code : "";
  if (code === "40P01" || code === "40001") return "contention";
  // query_canceled: statement_timeout's cancel (or an operator's pg_cancel_backend).
  if (code === "57014") return "timeout";
  if (OUTAGE_CODES.has(code) || code.startsWith("08")) return "outage";
  if (!code && typeof driverError.message === "string" && OUTAGE_MESSAGES.test(driverError.message)) return "outage";
  // Node's connect to `localhost` tries each address and reports all failures in one AggregateError.
  const errors = (driverError as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.length && errors.every((e) => unavailability(e) === "outage")) return "outage";
  return null;
}

/** What callers are told: no host, port, statement or value, only that it is worth trying again, and when. */
export const UNAVAILABLE_ANSWERS: Record<Unavailability, { message: string; retryAfterSeconds: number }> = {
  outage: {
    message: "The database is unavailable right now; nothing was changed. Try again shortly.",
    retryAfterSeconds: 5,
  },
  timeout: {
    message:
      "The database took too long to answer and the request was cancelled; nothing was changed. Try again later.",
    retryAfterSeconds: 5,
  },
  contention: {
    message: "Concurrent changes kept the database busy; nothing was changed. Try again.",
    retryAfterSeconds: 1,
  },
};

// Fields of a PostgreSQL error that name the failure without quoting data (its message and detail may).
const SAFE_FIELDS = ["code", "severity", "constraint", "table", "column", "dataType", "schema", "routine"] as const;

// What no log line gets from any error: TypeORM's statement and parameters, PGlite's, and the wrapped driver error.
const UNLOGGED = ["query", "parameters", "params", "driverError", "queryOptions"];

/**
 * The error as it may be logged: for a PostgreSQL error its SQL state, constraint, table and column and
 * where in our code it happened, never its message, detail, statement or parameters; for a socket error
 * its message (an address, no data); anything else as pino would log it, without statements or parameters.
 * Takes the error or pino's serialized form of it (pino-http hands its serializer that, with the error as `raw`).
 */
export function loggableError(given: unknown, serialize: (error: Error) => Record<string, unknown>): unknown {
  const error = (given as { raw?: unknown } | null)?.raw ?? given;
  if (!(error instanceof Error)) return given;
  const frames = (error.stack ?? "")
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .join("\n");
  if (sentByPostgres(error)) {
    const driverError = driverErrorOf(error) as Record<string, unknown>;
    const fields: Record<string, unknown> = {
      type: error.constructor.name,
      message: "PostgreSQL error (its text is not logged: it may quote data)",
    };
    for (const field of SAFE_FIELDS) if (driverError[field] !== undefined) fields[field] = driverError[field];
    return { ...fields, stack: frames };
  }
  const driverError = driverErrorOf(error);
  if (driverError !== error && driverError instanceof Error) {
    // A socket or pool error wrapped with the statement that met it: the error, without the statement.
    return {
      type: error.constructor.name,
      message: driverError.message,
      code: (driverError as { code?: unknown }).code,
      stack: frames,
    };
  }
  // pino's form, but with this error's own message and stack: pino appends its causes', logged apart below.
  const serialized: Record<string, unknown> = { ...serialize(error), message: error.message, stack: error.stack };
  for (const key of UNLOGGED) delete serialized[key];
  if (error.cause !== undefined) serialized.cause = loggableError(error.cause, serialize);
  if (Array.isArray((error as { errors?: unknown }).errors)) {
    serialized.aggregateErrors = (error as unknown as { errors: unknown[] }).errors.map((e) =>
      loggableError(e, serialize),
    );
  }
  return serialized;
}
