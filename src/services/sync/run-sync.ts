// How every sync runs (registrations, results): one transaction with the activity locked, all-or-nothing
// or partial, dry runs, retries after a deadlock, the idempotency hook and the metrics' event. What is
// synced (reading, planning, writing, answering) is the subject's (see SyncSubject).
import { randomInt } from "node:crypto";
import { EventEmitter } from "node:events";
import type { DataSource, EntityManager } from "typeorm";
import { unavailability } from "../../db/database-errors";
import { loadWritableActivity, type ActivityRef } from "../access";
import { ConflictError } from "../domain-errors";
import type { BeforeCommit } from "../idempotency";
import { inTransaction, type RequestContext } from "../request-context";
import type { SyncBatch } from "./sync-batch";
import type { ItemOutcome, ListedErrors, SyncMode, SyncOutcome } from "./sync-outcome";

/** What is synced: the metrics' label. */
export type SyncedKind = "registrations" | "results";

/** Every committed batch is announced here (metrics count its rows). */
export const syncEvents = new EventEmitter<{ applied: [SyncedKind, SyncOutcome<ItemOutcome>] }>();

/** Tries of a batch that meets a deadlock or serialization failure; then the error goes to the caller (503). */
export const SYNC_ATTEMPTS = 3;

export interface SyncOptions<R extends ItemOutcome = ItemOutcome> {
  mode?: SyncMode;
  dryRun?: boolean;
  /** Domain of generated logins (`<32 random chars>@<domain>`) of the persons a sync creates. */
  accountDomain: string;
  /** How messages name another item of the batch: `item 3` by default; a CSV upload says `line 5`. */
  itemLabel?: (index: number) => string;
  /**
   * Runs inside the batch's transaction once it is written, with a context carrying that transaction
   * and the outcome: what it writes commits with the batch (see runIdempotently). Not called for a
   * rejected batch or a dry run, which commit nothing.
   */
  beforeCommit?: BeforeCommit<SyncOutcome<R>>;
}

/** What a subject's planning knows besides the items. */
export interface BatchContext {
  transaction: EntityManager;
  activity: ActivityRef;
  ctx: RequestContext;
  /** When the batch runs: new rows' created and modified time, and their new ids' time. */
  now: Date;
  label: (index: number) => string;
  accountDomain: string;
}

/** A planned batch: its row errors, and how to finish it once it is accepted. */
export interface PlannedBatch<R extends ItemOutcome> {
  errors: ListedErrors;
  /**
   * Writes the batch (not in a dry run) and answers each item's result. The plans live in this closure
   * only, so that they are let go as the batch is finished (a large batch's plans are tens of megabytes).
   */
  finish(dryRun: boolean): Promise<R[]>;
}

/** What a sync of one kind does with a batch's items; the rest is runSync's. */
export interface SyncSubject<Item, R extends ItemOutcome> {
  readonly kind: SyncedKind;
  /** Reads what the items touch and plans each, in a fixed number of statements whatever the batch's size. */
  plan(batch: BatchContext, items: readonly Item[]): Promise<PlannedBatch<R>>;
}

/**
 * Applies a batch of items to an activity. Row failures are returned in the outcome, never thrown. A
 * batch that deadlocks with another transaction is rolled back and run again from the start, up to
 * SYNC_ATTEMPTS times.
 * @param batch its items are let go when this returns (see SyncBatch).
 * @throws ForbiddenError when the caller's key is read-only.
 * @throws NotFoundError when the activity is missing or unreachable for the caller.
 * @throws ConflictError when the database refuses the batch at commit (a concurrent change).
 * @throws the database's error when the batch still deadlocks after its last try, or the database is unavailable (see database-errors.ts).
 */
export async function runSync<Item, R extends ItemOutcome>(
  db: DataSource,
  ctx: RequestContext,
  activityId: string,
  batch: SyncBatch<Item>,
  options: SyncOptions<R>,
  subject: SyncSubject<Item, R>,
): Promise<SyncOutcome<R>> {
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        return await syncOnce(db, ctx, activityId, batch, options, subject);
      } catch (error) {
        if (attempt >= SYNC_ATTEMPTS || unavailability(error) !== "contention") throw error;
        // A random pause, so that the transactions that met do not meet again at once.
        await new Promise((resolve) => setTimeout(resolve, attempt * (25 + randomInt(75))));
      }
    }
  } finally {
    batch.release();
  }
}

async function syncOnce<Item, R extends ItemOutcome>(
  db: DataSource,
  ctx: RequestContext,
  activityId: string,
  batch: SyncBatch<Item>,
  options: SyncOptions<R>,
  subject: SyncSubject<Item, R>,
): Promise<SyncOutcome<R>> {
  const mode = options.mode ?? "AllOrNothing";
  const dryRun = options.dryRun ?? false;
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const transaction = runner.manager;
    const activity = await loadWritableActivity(transaction, ctx, activityId, true);
    const planned = await subject.plan(
      {
        transaction,
        activity,
        ctx,
        now: new Date(),
        label: options.itemLabel ?? ((index) => `item ${index}`),
        accountDomain: options.accountDomain,
      },
      batch.read(),
    );
    const { errors } = planned;
    if (errors.errorCount > 0 && mode === "AllOrNothing") {
      await runner.rollbackTransaction();
      return { applied: false, dryRun, results: [], ...errors };
    }
    const outcome: SyncOutcome<R> = { applied: !dryRun, dryRun, results: await planned.finish(dryRun), ...errors };
    if (dryRun) {
      await runner.rollbackTransaction();
    } else {
      await options.beforeCommit?.(inTransaction(ctx, transaction), outcome);
      await runner.commitTransaction();
      syncEvents.emit("applied", subject.kind, outcome);
    }
    return outcome;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    const code = (error as { code?: string }).code;
    if (code === "23P01" || code === "23505") {
      throw new ConflictError("A concurrent change conflicts with this batch; nothing was written. Retry it.");
    }
    throw error;
  } finally {
    await runner.release();
  }
}
