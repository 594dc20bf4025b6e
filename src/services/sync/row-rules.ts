// The sync's row rules, in the order the planner runs them. This list is the place for a new rule.
import { readChange } from "./change-rule";
import { onePersonChangePerBatch } from "./person-change-rule";
import { failed } from "./row-plan";
import type { RowRule } from "./row-rule";
import { uniqueStartNumbers } from "./start-number-rule";

/** An item that names a registration by id names one of this activity: first, as nothing else can be read for it. */
export const knownRegistration: RowRule = {
  name: "knownRegistration",
  each: () => (row) => {
    if (row.kind !== "pending" || !row.keys.id || row.target) return row;
    return failed(row, {
      index: row.index,
      field: "id",
      code: "UnknownRegistration",
      message: `Registration ${row.keys.id} does not exist in this activity`,
    });
  },
};

/**
 * A registration is changed by one item per batch; a later one fails before its values are read, as
 * the values of an item that cannot apply would only add confusing errors.
 */
export const oneItemPerRegistration: RowRule = {
  name: "oneItemPerRegistration",
  each: ({ label }) => {
    const claimedBy = new Map<string, number>();
    return (row) => {
      if (row.kind !== "pending" || !row.target) return row;
      const { view } = row.target;
      const earlier = claimedBy.get(view.id);
      if (earlier === undefined) {
        claimedBy.set(view.id, row.index);
        return row;
      }
      return failed(row, {
        index: row.index,
        field: row.keys.id ? "id" : "externalId",
        code: "DuplicateItem",
        message: `Registration ${view.code} is already changed by ${label(earlier)}`,
        registrationId: view.id,
      });
    };
  },
};

/** Two inserts with one externalId would make two registrations of one of the client's; the later one fails, before its values are read. */
export const oneInsertPerExternalId: RowRule = {
  name: "oneInsertPerExternalId",
  each: ({ label }) => {
    const insertedBy = new Map<string, number>();
    return (row) => {
      if (row.kind !== "pending" || row.target || !row.keys.externalId) return row;
      const { externalId } = row.keys;
      const earlier = insertedBy.get(externalId);
      if (earlier === undefined) {
        insertedBy.set(externalId, row.index);
        return row;
      }
      return failed(row, {
        index: row.index,
        field: "externalId",
        code: "DuplicateItem",
        message: `externalId ${externalId} is already inserted by ${label(earlier)}`,
      });
    };
  },
};

/**
 * The sync's row rules, run in this order by planBatch; each one sees the rows as the rules before it
 * left them. The order matters:
 * - the first three refuse an item that cannot apply (an unknown id, a registration or externalId
 *   named twice) before its values are read;
 * - `readChange` reads each remaining item's values and decides: insert, update, unchanged or failed.
 *   Every rule after it sees decided rows (see RowPlan);
 * - `onePersonChangePerBatch` needs those decisions (which person each row names, which it changes);
 * - `uniqueStartNumbers` stays last: it judges the numbers that the batch's end state holds, which
 *   depends on every failure before it (a failed row keeps its stored number).
 *
 * A new rule goes here. A check of each decided row (for example "start numbers of a category must fall
 * within its range") is written with checkKeptRows (see row-rule.ts) and placed after readChange and
 * before uniqueStartNumbers; what it needs from the database is read by readBatchFacts into BatchFacts.
 */
export const ROW_RULES: readonly RowRule[] = [
  knownRegistration,
  oneItemPerRegistration,
  oneInsertPerExternalId,
  readChange,
  onePersonChangePerBatch,
  uniqueStartNumbers,
];
