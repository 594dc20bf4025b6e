// The registration sync (SPEC §4): one service behind the GraphQL mutation and both REST formats. It runs
// on the sync engine (sync/run-sync.ts) shared with the results sync: the reader loads what the batch
// touches, the planner runs the row rules (sync/row-rules.ts), the writer applies the plan; each step is
// set-based, so a batch costs the same number of statements whatever its size. The parts live in sync/.
import type { DataSource } from "typeorm";
import type { RequestContext } from "./request-context";
import type { SyncItemInput } from "./sync-input";
import { findPossibleDuplicates, readBatchFacts } from "./sync/batch-reader";
import { writeBatch } from "./sync/batch-writer";
import { assignCodes } from "./sync/code-assignment";
import { planBatch, readKeys } from "./sync/planner";
import { runSync, type SyncOptions, type SyncSubject } from "./sync/run-sync";
import type { SyncBatch } from "./sync/sync-batch";
import { listedErrors, resultsOf, type SyncItemResult, type SyncOutcome } from "./sync/sync-outcome";

export type { RowError, SyncItemInput } from "./sync-input";
export { ROWS_PER_STATEMENT } from "./sync/batch-writer";
export { SYNC_ATTEMPTS, syncEvents, type SyncOptions } from "./sync/run-sync";
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

/** Registrations as the sync engine sees them. */
const REGISTRATIONS: SyncSubject<SyncItemInput, SyncItemResult> = {
  kind: "registrations",
  async plan({ transaction, activity, ctx, now, label, accountDomain }, items) {
    // Each item's keys, then what the database holds for them, then the rules; what is read on the way is let go.
    const keyed = await readKeys(items);
    const facts = await readBatchFacts(transaction, activity, keyed);
    let plans = await planBatch(keyed, { ...facts, now, label });
    return {
      errors: listedErrors(plans),
      async finish(dryRun) {
        const warnings = await findPossibleDuplicates(transaction, activity, plans);
        // Only now: a rejected batch uses up no codes. The plans without codes are let go.
        plans = await assignCodes(transaction, plans, dryRun);
        if (!dryRun) await writeBatch(transaction, { activity, ctx, accountDomain, now }, plans);
        return resultsOf(plans, warnings);
      },
    };
  },
};

/**
 * Applies a batch of items to an activity's registrations (see runSync for the errors it throws).
 * @param batch its items are let go when this returns (see SyncBatch).
 */
export function syncRegistrations(
  db: DataSource,
  ctx: RequestContext,
  activityId: string,
  batch: SyncBatch<SyncItemInput>,
  options: SyncOptions<SyncItemResult>,
): Promise<SyncOutcome> {
  return runSync(db, ctx, activityId, batch, options, REGISTRATIONS);
}
