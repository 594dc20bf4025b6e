// The sync's planner: what each item of a batch does, decided by the row rules from the items and the
// database's answers (BatchFacts). Pure: no database, no I/O; it only pauses between slices of rows.
import { setImmediate as nextTurn } from "node:timers/promises";
import { readItemKeys, type RowError, type SyncItemInput } from "../sync-input";
import { targetOf, type DraftRow, type KeyedItem, type RowPlan } from "./row-plan";
import type { PlanningFacts, RowRule } from "./row-rule";
import { ROW_RULES } from "./row-rules";

/**
 * Rows handled between two turns of the event loop: planning 30,000 rows at once held the server for
 * a third of a second, in which it answered nothing else (issue 12). A turn costs microseconds.
 */
export const ITEMS_PER_TURN = 2000;

/** `list.map(step)`, pausing for the event loop every ITEMS_PER_TURN items. */
export async function mapInTurns<T, R>(list: readonly T[], step: (value: T, at: number) => R): Promise<R[]> {
  const mapped: R[] = [];
  for (const [at, value] of list.entries()) {
    if (at % ITEMS_PER_TURN === ITEMS_PER_TURN - 1) await nextTurn();
    mapped.push(step(value, at));
  }
  return mapped;
}

/** Each item's keys (which registration, which person, which number): what the database is asked about. */
export function readKeys(items: readonly SyncItemInput[]): Promise<KeyedItem[]> {
  return mapInTurns(items, (item, index) => {
    const errors: RowError[] = [];
    const keys = readItemKeys(item, index, errors);
    return { index, item, keys, errors };
  });
}

/**
 * Plans a batch: each keyed item becomes a row, failed if its keys were wrong, and the rules run over
 * the rows in order (ROW_RULES, unless a test gives others). Never changes its arguments.
 * @throws Error when the rules leave a row undecided (a rule list without readChange).
 */
export async function planBatch(
  keyed: readonly KeyedItem[],
  facts: PlanningFacts,
  rules: readonly RowRule[] = ROW_RULES,
): Promise<RowPlan[]> {
  let rows: readonly DraftRow[] = keyed.map(({ index, item, keys, errors }): DraftRow =>
    errors.length
      ? { kind: "failed", index, errors, stored: null }
      : { kind: "pending", index, item, keys, target: targetOf(keys, facts) ?? null },
  );
  rows = await applyRules(rows, facts, rules);
  return rows.map((row) => {
    if (row.kind === "pending") throw new Error(`No row rule decided item ${row.index}`);
    return row;
  });
}

/** Runs `rules` over `rows` in order (see RowRule): any sync's rows. Never changes its arguments. */
export async function applyRules<Row, Facts>(
  rows: readonly Row[],
  facts: Facts,
  rules: readonly RowRule<Row, Facts>[],
): Promise<readonly Row[]> {
  for (const rule of rules) {
    if ("each" in rule) {
      const step = rule.each(facts);
      rows = await mapInTurns(rows, (row) => step(row));
    } else {
      rows = rule.whole(rows, facts);
    }
  }
  return rows;
}
