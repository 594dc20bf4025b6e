// The rule that a person is changed by one item per batch.
import { failed, registrationOf, type DraftRow, type KeptPlan } from "./row-plan";
import type { RowRule } from "./row-rule";

/** Rows that name a stored person: updates, unchanged rows and inserts attaching one (a new person's id is fresh). */
const namesStoredPerson = (row: DraftRow): row is KeptPlan =>
  row.kind === "update" || row.kind === "unchanged" || (row.kind === "insert" && !row.newPerson);

/**
 * A person changed by one item may not appear in another item of the batch (an update of another of
 * their registrations, or an insert attaching them): each result would show its own version of the
 * person, while only one can be stored. The first item keeps the person; the others fail.
 */
export const onePersonChangePerBatch: RowRule = {
  name: "onePersonChangePerBatch",
  whole: (rows, { label }) => {
    // No list per person: at 50,000 rows those lists were megabytes, kept for the whole batch.
    const first = new Map<string, number>();
    const repeated = new Set<string>();
    const changed = new Set<string>();
    for (const row of rows) {
      if (!namesStoredPerson(row)) continue;
      const personId = registrationOf(row).person.id;
      if (first.has(personId)) repeated.add(personId);
      else first.set(personId, row.index);
      if (row.kind !== "unchanged" && row.personChanged) changed.add(personId);
    }
    if (!repeated.size) return rows;
    return rows.map((row) => {
      if (!namesStoredPerson(row)) return row;
      const personId = registrationOf(row).person.id;
      const keeper = first.get(personId);
      if (keeper === undefined || keeper === row.index || !repeated.has(personId) || !changed.has(personId)) return row;
      return failed(row, {
        index: row.index,
        field: "person.id",
        code: "DuplicateItem",
        message: `Person ${personId} is already in ${label(keeper)}; change a person in one item per batch`,
      });
    });
  },
};
