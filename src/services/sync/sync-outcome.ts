// What a sync answers (SPEC §4, §9): one result per item and the batch's errors, counted and capped here
// once, so that every adapter only formats them. The registration sync's item results are here too.
import type { RegistrationView } from "../registration-view";
import type { RowError } from "../sync-input";
import type { RowPlan } from "./row-plan";

/** The platform's documented result values; `Deleted` is reserved (deleting is not offered). */
export type SyncResultType = "Created" | "Updated" | "Unchanged" | "Deleted" | "Skipped";
export const SYNC_RESULT_TYPES: readonly SyncResultType[] = ["Created", "Updated", "Unchanged", "Deleted", "Skipped"];

export type SyncMode = "AllOrNothing" | "Partial";

export interface SyncWarning {
  code: "PossibleDuplicatePerson";
  message: string;
  personIds: string[];
}

/** What every sync's item result says, whatever is synced. */
export interface ItemOutcome {
  /** Position of the item in the input; null for a row no item named (a result that `prune` deleted). */
  index: number | null;
  syncResultType: SyncResultType;
  /** All of the row's errors. */
  errors: RowError[];
  /**
   * Whether the outcome lists this row's errors: it is one of the first LISTED_FAILED_ROWS failing rows.
   * An answer that resolves every error (GraphQL) shows the errors of listed rows only.
   */
  errorsListed: boolean;
}

/** A registration sync's result for one item. */
export interface SyncItemResult extends ItemOutcome {
  index: number;
  /** The registration as stored (or as it would be, in a dry run); null for a failed insert. */
  registration: RegistrationView | null;
  warnings: SyncWarning[];
}

export interface SyncOutcome<R extends ItemOutcome = SyncItemResult> {
  /** False when the batch was rejected (all-or-nothing with failing rows) or was a dry run. */
  applied: boolean;
  dryRun: boolean;
  /** One per item, in input order; empty when the batch was rejected. */
  results: R[];
  /** The errors of the first LISTED_FAILED_ROWS failing rows, in input order (see failedRows and errorCount for all). */
  errors: RowError[];
  /** How many rows failed, and how many errors they had, in all. */
  failedRows: number;
  errorCount: number;
}

/**
 * Most failing rows whose errors an outcome lists; the rest are only counted. 50,000 rows that all fail
 * would otherwise make an answer of hundreds of thousands of errors, megabytes a client cannot use.
 */
export const LISTED_FAILED_ROWS = 1000;

/** A batch's row errors as its outcome lists and counts them. */
export type ListedErrors = Pick<SyncOutcome, "errors" | "failedRows" | "errorCount">;

/** A plan as listedErrors sees it: a failed one has errors. */
type PlanWithErrors = { kind: "failed"; errors: readonly RowError[] } | { kind: string };

/** The errors an outcome lists (see LISTED_FAILED_ROWS), with the counts of all; any sync's plans. */
export function listedErrors(plans: readonly PlanWithErrors[]): ListedErrors {
  const errors: RowError[] = [];
  let failedRows = 0;
  let errorCount = 0;
  for (const plan of plans) {
    if (!("errors" in plan) || plan.kind !== "failed") continue;
    if (++failedRows <= LISTED_FAILED_ROWS) errors.push(...plan.errors);
    errorCount += plan.errors.length;
  }
  return { errors, failedRows, errorCount };
}

/**
 * One empty list for every row without errors or warnings: a fresh one per row was 100,000 arrays in a
 * large import. Frozen, as it is shared.
 */
export const NONE = Object.freeze([]) as never[];

/** Counts failing rows as resultsOf meets them: whether the next failing row's errors are listed. */
export function listingOfFailures(): () => boolean {
  let failedRows = 0;
  return () => ++failedRows <= LISTED_FAILED_ROWS;
}

/** Each plan's result, in input order; `warnings` by row index (see findPossibleDuplicates). */
export function resultsOf(plans: readonly RowPlan[], warnings: ReadonlyMap<number, SyncWarning[]>): SyncItemResult[] {
  const listed = listingOfFailures();
  return plans.map((plan): SyncItemResult => {
    const { index } = plan;
    const warned = warnings.get(index) ?? NONE;
    switch (plan.kind) {
      case "failed": {
        const errorsListed = listed();
        return {
          index,
          syncResultType: "Skipped",
          registration: plan.stored,
          errors: [...plan.errors],
          errorsListed,
          warnings: warned,
        };
      }
      case "insert":
        return {
          index,
          syncResultType: "Created",
          registration: plan.registration,
          errors: NONE,
          errorsListed: true,
          warnings: warned,
        };
      case "update":
        return {
          index,
          syncResultType: "Updated",
          registration: plan.registration,
          errors: NONE,
          errorsListed: true,
          warnings: warned,
        };
      case "unchanged":
        return {
          index,
          syncResultType: "Unchanged",
          registration: plan.stored,
          errors: NONE,
          errorsListed: true,
          warnings: warned,
        };
    }
  });
}

/** How many of a batch's rows got each result, in the documented order: `Deleted` only when some row was (a pruned result). */
export function countResults(outcome: SyncOutcome<ItemOutcome>): Map<SyncResultType, number> {
  const counts = new Map<SyncResultType, number>(
    SYNC_RESULT_TYPES.filter(
      (type) => type !== "Deleted" || outcome.results.some((r) => r.syncResultType === type),
    ).map((type) => [type, 0]),
  );
  for (const result of outcome.results) counts.set(result.syncResultType, (counts.get(result.syncResultType) ?? 0) + 1);
  return counts;
}
