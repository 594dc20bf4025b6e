// The results sync (SPEC §9): one service behind the GraphQL mutation, the REST formats and the CLI. It runs
// on the sync engine shared with the registration sync (sync/run-sync.ts): the reader loads what the batch
// touches, the row rules decide (result-sync/result-rules.ts), the writer applies the plan, each step set-based.
import type { DataSource } from "typeorm";
import type { RequestContext } from "./request-context";
import type { ResultView } from "./result-view";
import { readResultKeys, type ResultItemInput } from "./result-sync/result-keys";
import type { ResultDelete, ResultPlan, ResultRow } from "./result-sync/result-plan";
import { readResultFacts } from "./result-sync/result-reader";
import { RESULT_RULES } from "./result-sync/result-rules";
import { writeResults } from "./result-sync/result-writer";
import type { RowError } from "./sync-input";
import { applyRules, mapInTurns } from "./sync/planner";
import { runSync, type SyncOptions, type SyncSubject } from "./sync/run-sync";
import type { SyncBatch } from "./sync/sync-batch";
import { NONE, listedErrors, listingOfFailures, type ItemOutcome, type SyncOutcome } from "./sync/sync-outcome";

export type { ResultItemInput } from "./result-sync/result-keys";

/** A results sync's result for one item, or for a stored result that `prune` deleted (index null). */
export interface ResultSyncItem extends ItemOutcome {
  /** The result as stored (or as it would be, in a dry run; as it was, when Deleted); null for a row that named no one's. */
  result: ResultView | null;
}

export interface ResultSyncOptions extends SyncOptions<ResultSyncItem> {
  /** The upload is the whole list: the activity's results it leaves out are deleted (answered as Deleted). */
  prune?: boolean;
}

function itemResults(plans: readonly ResultPlan[], deleted: readonly ResultDelete[]): ResultSyncItem[] {
  const listed = listingOfFailures();
  const results = plans.map((plan): ResultSyncItem => {
    const { index } = plan;
    switch (plan.kind) {
      case "failed":
        return {
          index,
          syncResultType: "Skipped",
          result: plan.stored,
          errors: [...plan.errors],
          errorsListed: listed(),
        };
      case "insert":
        return { index, syncResultType: "Created", result: plan.result, errors: NONE, errorsListed: true };
      case "update":
        return { index, syncResultType: "Updated", result: plan.result, errors: NONE, errorsListed: true };
      case "unchanged":
        return { index, syncResultType: "Unchanged", result: plan.stored, errors: NONE, errorsListed: true };
    }
  });
  for (const { stored } of deleted)
    results.push({ index: null, syncResultType: "Deleted", result: stored, errors: NONE, errorsListed: true });
  return results;
}

/** Results as the sync engine sees them; `prune` says whether the upload is the whole list. */
function resultsSubject(prune: boolean): SyncSubject<ResultItemInput, ResultSyncItem> {
  return {
    kind: "results",
    async plan({ transaction, activity, ctx, now, label, accountDomain }, items) {
      const read = await mapInTurns(items, (item, index): ResultRow | ResultPlan => {
        const errors: RowError[] = [];
        const keys = readResultKeys(item, index, errors);
        return errors.length ? { kind: "failed", index, errors, stored: null } : { kind: "read", index, keys };
      });
      const facts = await readResultFacts(
        transaction,
        activity,
        read.map((row) => ({ keys: row.kind === "read" ? row.keys : null })),
      );
      const planning = { ...facts, now, label, prune };
      const plans = (await applyRules<ResultRow, typeof planning>(read, planning, RESULT_RULES)).map((row) => {
        if (row.kind === "read" || row.kind === "matched") throw new Error(`No result rule decided item ${row.index}`);
        return row;
      });
      const named = new Set(plans.flatMap((plan) => ("stored" in plan && plan.stored ? [plan.stored.id] : [])));
      const deleted: ResultDelete[] = prune
        ? [...facts.stored.values()]
            .filter((stored) => !named.has(stored.id))
            .map((stored) => ({ kind: "delete", stored }))
        : [];
      return {
        errors: listedErrors(plans),
        async finish(dryRun) {
          if (!dryRun) await writeResults(transaction, { activity, ctx, accountDomain, now }, plans, deleted);
          return itemResults(plans, deleted);
        },
      };
    },
  };
}

/**
 * Applies a batch of result items to an activity's results (see runSync for the errors it throws).
 * @param batch its items are let go when this returns (see SyncBatch).
 */
export function syncResults(
  db: DataSource,
  ctx: RequestContext,
  activityId: string,
  batch: SyncBatch<ResultItemInput>,
  options: ResultSyncOptions,
): Promise<SyncOutcome<ResultSyncItem>> {
  return runSync(db, ctx, activityId, batch, options, resultsSubject(options.prune ?? false));
}
