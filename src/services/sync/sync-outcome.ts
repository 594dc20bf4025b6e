// What a sync answers (SPEC §4): one result per item and the batch's errors, counted and capped here
// once, so that every adapter only formats them.
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

export interface SyncItemResult {
  index: number;
  syncResultType: SyncResultType;
  /** The registration as stored (or as it would be, in a dry run); null for a failed insert. */
  registration: RegistrationView | null;
  /** All of the row's errors. */
  errors: RowError[];
  /**
   * Whether the outcome lists this row's errors: it is one of the first LISTED_FAILED_ROWS failing rows.
   * An answer that resolves every error (GraphQL) shows the errors of listed rows only.
   */
  errorsListed: boolean;
  warnings: SyncWarning[];
}

export interface SyncOutcome {
  /** False when the batch was rejected (all-or-nothing with failing rows) or was a dry run. */
  applied: boolean;
  dryRun: boolean;
  /** One per item, in input order; empty when the batch was rejected. */
  results: SyncItemResult[];
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

/** The errors an outcome lists (see LISTED_FAILED_ROWS), with the counts of all. */
export function listedErrors(plans: readonly RowPlan[]): Pick<SyncOutcome, "errors" | "failedRows" | "errorCount"> {
  const errors: RowError[] = [];
  let failedRows = 0;
  let errorCount = 0;
  for (const plan of plans) {
    if (plan.kind !== "failed") continue;
    if (++failedRows <= LISTED_FAILED_ROWS) errors.push(...plan.errors);
    errorCount += plan.errors.length;
  }
  return { errors, failedRows, errorCount };
}

/**
 * One empty list for every row without errors or warnings: a fresh one per row was 100,000 arrays in a
 * large import. Frozen, as it is shared.
 */
const NONE = Object.freeze([]) as never[];

/** Each plan's result, in input order; `warnings` by row index (see findPossibleDuplicates). */
export function resultsOf(plans: readonly RowPlan[], warnings: ReadonlyMap<number, SyncWarning[]>): SyncItemResult[] {
  let failedRows = 0;
  return plans.map((plan): SyncItemResult => {
    const { index } = plan;
    const warned = warnings.get(index) ?? NONE;
    switch (plan.kind) {
      case "failed": {
        const errorsListed = ++failedRows <= LISTED_FAILED_ROWS;
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

/** How many of a batch's rows got each result: every type but the reserved `Deleted`, in the documented order. */
export function countResults(outcome: SyncOutcome): Map<SyncResultType, number> {
  const counts = new Map<SyncResultType, number>(
    SYNC_RESULT_TYPES.filter((type) => type !== "Deleted").map((type) => [type, 0]),
  );
  for (const result of outcome.results) counts.set(result.syncResultType, (counts.get(result.syncResultType) ?? 0) + 1);
  return counts;
}
