// The shape of a row rule, the unit the planner is made of (see row-rules.ts for the list).
import type { RowError } from "../sync-input";
import { storedOf, type BatchFacts, type DraftRow, type KeptPlan } from "./row-plan";

/** What every rule may read besides the rows: the database's answers, and the batch's own facts. */
export interface PlanningFacts extends BatchFacts {
  /** When the batch runs: a new registration's created and modified time, and its new ids' time. */
  readonly now: Date;
  /** How a message names another item of the batch: `item 3`, or `line 5` for a CSV upload. */
  readonly label: (index: number) => string;
}

/**
 * A row rule. Either it looks at one row at a time, in input order (`each`: called once per batch, it
 * returns the function that takes each row, which may remember earlier rows), or at the whole batch at
 * once (`whole`). Either way it returns each row as it is, or its replacement (usually a FailedPlan),
 * and never changes what it is given: rules are pure, and tested without a database. The registration
 * sync's rows and facts are the default; the results sync has its own (result-sync/result-rules.ts).
 */
export type RowRule<Row = DraftRow, Facts = PlanningFacts> =
  | { readonly name: string; readonly each: (facts: Facts) => (row: Row) => Row }
  | { readonly name: string; readonly whole: (rows: readonly Row[], facts: Facts) => readonly Row[] };

/**
 * A rule that checks each row the batch keeps (inserts, updates, unchanged rows), one at a time: a
 * row with errors fails with them. The easy way to add a check, for example:
 * `checkKeptRows("startNumberInCategoryRange", (plan, facts) => …errors)`.
 */
export function checkKeptRows(
  name: string,
  check: (plan: KeptPlan, facts: PlanningFacts) => readonly RowError[],
): RowRule {
  return {
    name,
    each: (facts) => (row) => {
      if (row.kind === "pending" || row.kind === "failed") return row;
      const errors = check(row, facts);
      return errors.length ? { kind: "failed", index: row.index, errors: [...errors], stored: storedOf(row) } : row;
    },
  };
}
