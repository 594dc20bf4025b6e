// Safe retries (SPEC §5): the first request with an Idempotency-Key reserves it, in the database so
// that every server process sees it; its answer is kept for a day and replayed to repeats.
import type { DataSource } from "typeorm";
import { InvalidInputError } from "./domain-errors";
import { queriesFor, type RequestContext } from "./request-context";
import { CONTROL_CHARACTER } from "./text-arguments";

/** A reservation whose request died with its process is taken over after this long. */
const ABANDONED_AFTER_SECONDS = 600;
const ABANDONED_AFTER = `${ABANDONED_AFTER_SECONDS} seconds`;
const KEPT_FOR = "24 hours";

export interface StoredAnswer {
  status: number;
  contentType: string;
  body: Buffer;
  /** The REST answer's Sync-Summary header, if it had one. */
  summary?: string | null;
}

export type Reservation =
  /** First use: run the request, then `completeIdempotentRequest` or `releaseIdempotentRequest`. */
  | { kind: "first" }
  /** The same key and request finished before: send its answer again. */
  | { kind: "replay"; answer: StoredAnswer }
  /**
   * The same key is still being served, for `runningSeconds` so far, or its server died: then the key
   * is taken over in `takenOverInSeconds`. `retryAfterSeconds` is when to ask again (see retryAfter).
   */
  | { kind: "running"; runningSeconds: number; takenOverInSeconds: number; retryAfterSeconds: number }
  /** The key was used for a different request. */
  | { kind: "other-request" };

/**
 * When a repeat should ask again: after as long as the first request has run so far, so a quick request
 * is asked about again at once and a long one less often, and never later than the takeover of a
 * reservation whose server died. A flat second had a client whose server crashed ask 600 times.
 */
function retryAfter(runningSeconds: number, takenOverInSeconds: number): number {
  return Math.max(1, Math.min(Math.ceil(runningSeconds), takenOverInSeconds));
}

/** What a repeat is told while the key is reserved: how long the first has run, when to ask again, when a dead server's key is free. */
export function inUseDetail(keyName: string, running: Extract<Reservation, { kind: "running" }>): string {
  return (
    `A request with this ${keyName} has been running for ${Math.floor(running.runningSeconds)} seconds; retry after ${running.retryAfterSeconds} seconds. ` +
    `If its server stopped, the key is taken over in ${running.takenOverInSeconds} seconds.`
  );
}

/** @throws InvalidInputError for a key that is empty, longer than 255 characters or holds a control character. */
export function checkIdempotencyKey(key: string): string {
  if (key.length < 1 || key.length > 255)
    throw new InvalidInputError("Idempotency-Key", "An Idempotency-Key has 1 to 255 characters");
  if (CONTROL_CHARACTER.test(key))
    throw new InvalidInputError("Idempotency-Key", "An Idempotency-Key must not contain control characters");
  return key;
}

/** Reserves `key` of an access key for the request with this hash, or says why not. */
async function reserveIdempotentRequest(
  db: DataSource,
  accessKeyId: string,
  key: string,
  requestHash: string,
): Promise<Reservation> {
  await db.query(`DELETE FROM idempotent_request WHERE created_at < now() - interval '${KEPT_FOR}'`);
  const inserted = await db.query(
    `INSERT INTO idempotent_request (access_key_id, key, request_hash) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING RETURNING 1`,
    [accessKeyId, key, requestHash],
  );
  if (inserted.length) return { kind: "first" };
  const [row] = (await db.query(
    `SELECT request_hash, completed_at, status, content_type, body, summary, created_at < now() - interval '${ABANDONED_AFTER}' AS abandoned,
            extract(epoch FROM now() - created_at)::float8 AS running_seconds
       FROM idempotent_request WHERE access_key_id = $1 AND key = $2`,
    [accessKeyId, key],
  )) as {
    request_hash: string;
    completed_at: Date | null;
    status: number;
    content_type: string;
    body: Buffer;
    summary: string | null;
    abandoned: boolean;
    running_seconds: number;
  }[];
  // Purged between the two statements: try once more.
  if (!row) return reserveIdempotentRequest(db, accessKeyId, key, requestHash);
  if (row.request_hash !== requestHash) return { kind: "other-request" };
  if (row.completed_at) {
    return {
      kind: "replay",
      answer: { status: row.status, contentType: row.content_type, body: Buffer.from(row.body), summary: row.summary },
    };
  }
  if (row.abandoned) {
    // TypeORM answers an UPDATE with [rows, affected count]; only one of two racing takers wins.
    const [, taken] = (await db.query(
      `UPDATE idempotent_request SET created_at = now()
        WHERE access_key_id = $1 AND key = $2 AND completed_at IS NULL AND created_at < now() - interval '${ABANDONED_AFTER}'`,
      [accessKeyId, key],
    )) as [unknown, number];
    if (taken > 0) return { kind: "first" };
  }
  const runningSeconds = Math.max(0, Number(row.running_seconds));
  const takenOverInSeconds = Math.max(1, Math.ceil(ABANDONED_AFTER_SECONDS - runningSeconds));
  return {
    kind: "running",
    runningSeconds,
    takenOverInSeconds,
    retryAfterSeconds: retryAfter(runningSeconds, takenOverInSeconds),
  };
}

/**
 * Keeps the first request's answer for its repeats. Given a context that carries the work's transaction,
 * it commits with the work: a process killed at any point leaves either both or neither.
 */
async function completeIdempotentRequest(
  db: DataSource,
  ctx: RequestContext,
  key: string,
  answer: StoredAnswer,
): Promise<void> {
  await queriesFor(db, ctx).query(
    `UPDATE idempotent_request SET completed_at = now(), status = $3, content_type = $4, body = $5, summary = $6
      WHERE access_key_id = $1 AND key = $2`,
    [ctx.accessKeyId, key, answer.status, answer.contentType, answer.body, answer.summary ?? null],
  );
}

/** Frees the key after a failure that a retry may not repeat (a conflict, a server error). */
async function releaseIdempotentRequest(db: DataSource, accessKeyId: string, key: string): Promise<void> {
  await db.query(`DELETE FROM idempotent_request WHERE access_key_id = $1 AND key = $2 AND completed_at IS NULL`, [
    accessKeyId,
    key,
  ]);
}

/**
 * Called by the service that owns the work's transaction, inside it, once the work is done: `ctx` carries
 * the transaction (see inTransaction), so what the hook writes commits with the work.
 */
export type BeforeCommit<Result> = (ctx: RequestContext, result: Result) => Promise<void>;

/** What an adapter hands over: how to run its request, and how its answer is kept for repeats. */
export interface IdempotentWork<Result> {
  /**
   * Runs the request. Given `beforeCommit`, the work calls it inside its transaction if it has one that
   * commits (a batch that writes); work that writes nothing need not call it.
   */
  run(beforeCommit: BeforeCommit<Result> | undefined): Promise<Result>;
  /** The answer a repeat gets, byte for byte, as the adapter sends it. */
  encode(result: Result): StoredAnswer | Promise<StoredAnswer>;
}

/** How an idempotent request went; the adapter answers each in its own format. */
export type IdempotentOutcome<Result> =
  /** The request ran now. `answer` is what was kept for repeats (send it, it is the same); null when no key was given. */
  { kind: "ran"; result: Result; answer: StoredAnswer | null } | Exclude<Reservation, { kind: "first" }>;

/**
 * The Idempotency-Key flow of every adapter (SPEC §5): without a key the work just runs; with one, the
 * first request reserves the key, runs, and keeps its encoded answer, in the work's own transaction
 * when it writes (else after it); a repeat gets that answer, or hears that the first still runs or that
 * the key was used for another request. A request that fails frees its key for a retry.
 * @param request the client's key as sent (null or undefined: none) and the hash of what makes two requests the same (computed only with a key).
 * @throws InvalidInputError (field `Idempotency-Key`) for a key that checkIdempotencyKey refuses; whatever the work throws.
 */
export async function runIdempotently<Result>(
  db: DataSource,
  ctx: RequestContext,
  request: { key: string | null | undefined; hash: () => string },
  work: IdempotentWork<Result>,
): Promise<IdempotentOutcome<Result>> {
  if (request.key === null || request.key === undefined)
    return { kind: "ran", result: await work.run(undefined), answer: null };
  const key = checkIdempotencyKey(request.key);
  const reservation = await reserveIdempotentRequest(db, ctx.accessKeyId, key, request.hash());
  if (reservation.kind !== "first") return reservation;
  try {
    let kept: StoredAnswer | undefined;
    const result = await work.run(async (transaction, done) => {
      kept = await work.encode(done);
      await completeIdempotentRequest(db, transaction, key, kept);
    });
    // A rejected batch or a dry run wrote nothing and committed nothing: its answer is kept now.
    if (kept === undefined) {
      kept = await work.encode(result);
      await completeIdempotentRequest(db, ctx, key, kept);
    }
    return { kind: "ran", result, answer: kept };
  } catch (error) {
    await releaseIdempotentRequest(db, ctx.accessKeyId, key);
    throw error;
  }
}
