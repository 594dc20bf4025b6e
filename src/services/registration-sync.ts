// The registration sync (SPEC §4): one service behind the GraphQL mutation and both REST formats.
// A batch runs in one transaction with the activity locked: the reader loads what it touches, the
// planner runs the row rules (sync/row-rules.ts), the writer applies the plan; each step is set-based,
// so a batch costs the same number of statements whatever its size. The parts live in sync/.
import { randomInt } from "node:crypto";
import { EventEmitter } from "node:events";
import type { DataSource, EntityManager } from "typeorm";
import { unavailability } from "../db/database-errors";
import { loadWritableActivity, type ActivityRef } from "./access";
import { ConflictError } from "./domain-errors";
import type { BeforeCommit } from "./idempotency";
import { inTransaction, type RequestContext } from "./request-context";
import type { SyncItemInput } from "./sync-input";
import { findPossibleDuplicates, readBatchFacts } from "./sync/batch-reader";
import { writeBatch } from "./sync/batch-writer";
import { assignCodes } from "./sync/code-assignment";
import { planBatch, readKeys } from "./sync/planner";
import type { RowPlan } from "./sync/row-plan";
import type { SyncBatch } from "./sync/sync-batch";
import { listedErrors, resultsOf, type SyncMode, type SyncOutcome } from "./sync/sync-outcome";

export type { RowError, SyncItemInput } from "./sync-input";
export { ROWS_PER_STATEMENT } from "./sync/batch-writer";
export { SyncBatch } from "./sync/sync-batch";
export {
  LISTED_FAILED_ROWS,
  SYNC_RESULT_TYPES,
  countResults,
  type SyncItemResult,
  type SyncMode,
  type SyncOutcome,
  type SyncResultType,
  type SyncWarning,
} from "./sync/sync-outcome";

/** Every committed batch is announced here (metrics count its rows). */
export const syncEvents = new EventEmitter<{ applied: [SyncOutcome] }>();

export interface SyncOptions {
  mode?: SyncMode;
  dryRun?: boolean;
  /** Domain of generated logins (`<32 random chars>@<domain>`). */
  accountDomain: string;
  /** How messages name another item of the batch: `item 3` by default; a CSV upload says `line 5`. */
  itemLabel?: (index: number) => string;
  /**
   * Runs inside the batch's transaction once it is written, with a context carrying that transaction
   * and the outcome: what it writes commits with the batch (see runIdempotently). Not called for a
   * rejected batch or a dry run, which commit nothing.
   */
  beforeCommit?: BeforeCommit<SyncOutcome>;
}

/** Tries of a batch that meets a deadlock or serialization failure; then the error goes to the caller (503). */
export const SYNC_ATTEMPTS = 3;

/**
 * Applies a batch of items to an activity's registrations.
 * Row failures are returned in the outcome, never thrown. A batch that deadlocks with another transaction
 * is rolled back and run again from the start, up to SYNC_ATTEMPTS times.
 * @param batch its items are let go when this returns (see SyncBatch).
 * @throws ForbiddenError when the caller's key is read-only.
 * @throws NotFoundError when the activity is missing or unreachable for the caller.
 * @throws ConflictError when the database refuses the batch at commit (a concurrent change).
 * @throws the database's error when the batch still deadlocks after its last try, or the database is unavailable (see database-errors.ts).
 */
export async function syncRegistrations(
  db: DataSource,
  ctx: RequestContext,
  activityId: string,
  batch: SyncBatch,
  options: SyncOptions,
): Promise<SyncOutcome> {
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        return await syncOnce(db, ctx, activityId, batch, options);
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

/** Reads each item's keys, then what the database holds for them, then runs the rules; what it reads on the way is let go when it returns. */
async function plan(
  transaction: EntityManager,
  activity: ActivityRef,
  items: readonly SyncItemInput[],
  now: Date,
  label: (index: number) => string,
): Promise<RowPlan[]> {
  const keyed = await readKeys(items);
  const facts = await readBatchFacts(transaction, activity, keyed);
  return planBatch(keyed, { ...facts, now, label });
}

async function syncOnce(
  db: DataSource,
  ctx: RequestContext,
  activityId: string,
  batch: SyncBatch,
  options: SyncOptions,
): Promise<SyncOutcome> {
  const mode = options.mode ?? "AllOrNothing";
  const dryRun = options.dryRun ?? false;
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const transaction = runner.manager;
    const activity = await loadWritableActivity(transaction, ctx, activityId, true);
    const now = new Date();
    let plans = await plan(transaction, activity, batch.read(), now, options.itemLabel ?? ((index) => `item ${index}`));
    const warnings = await findPossibleDuplicates(transaction, activity, plans);
    const errors = listedErrors(plans);
    if (errors.errorCount > 0 && mode === "AllOrNothing") {
      await runner.rollbackTransaction();
      return { applied: false, dryRun, results: [], ...errors };
    }
    // Only now: a rejected batch uses up no codes. The plans without codes are let go.
    plans = await assignCodes(transaction, plans, dryRun);
    if (!dryRun) await writeBatch(transaction, { activity, ctx, accountDomain: options.accountDomain, now }, plans);
    // Made after the write, so that a large batch's results and its write's parameters are not held at once.
    const outcome: SyncOutcome = { applied: !dryRun, dryRun, results: resultsOf(plans, warnings), ...errors };
    if (dryRun) {
      await runner.rollbackTransaction();
    } else {
      await options.beforeCommit?.(inTransaction(ctx, transaction), outcome);
      await runner.commitTransaction();
      syncEvents.emit("applied", outcome);
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
