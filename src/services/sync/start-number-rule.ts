// The rule that start numbers are unique in an activity, judged by the batch's end state.
import type { RegistrationState } from "../../entities/registration";
import { startNumberKey } from "../start-number";
import { failed, registrationOf, storedOf, type DraftRow, type KeptPlan, type NumberHolder } from "./row-plan";
import type { RowRule } from "./row-rule";

/** Who holds a number at the end of the batch: a row of it (`at` its position), or a stored registration it leaves alone. */
type Holder = { number: string; at: number; plan: KeptPlan } | { number: string; stored: NumberHolder };

const live = (state: RegistrationState) => state !== "Cancelled";
const movesNumber = (plan: KeptPlan) => plan.kind === "insert" || (plan.kind === "update" && plan.numberChanged);
const isKept = (row: DraftRow): row is KeptPlan => row.kind !== "pending" && row.kind !== "failed";

/**
 * Start numbers are unique among an activity's registrations that are not cancelled, compared by their
 * key (`10` and `0010` are one number). The batch is judged by its end state, so numbers may be
 * exchanged inside it. Only a row that takes a number fails for it; a failed row keeps its stored
 * number, which can make another row fail: the rule repeats until nothing changes. That is why it comes
 * last: every other rule's failures must be known before the end state is.
 */
export const uniqueStartNumbers: RowRule = {
  name: "uniqueStartNumbers",
  whole: (input, { numberHolders, label }) => {
    if (!input.some((row) => isKept(row) && movesNumber(row))) return input;
    const rows = [...input];
    for (;;) {
      // key → who holds it at the end of the batch; a list only where two or more do.
      const first = new Map<string, Holder>();
      const clashes = new Map<string, Holder[]>();
      const add = (who: Holder) => {
        const key = startNumberKey(who.number);
        const earlier = first.get(key);
        const list = clashes.get(key);
        if (!earlier) first.set(key, who);
        else if (list) list.push(who);
        else clashes.set(key, [earlier, who]);
      };
      const inBatch = new Set(rows.flatMap((row) => (isKept(row) && row.kind !== "insert" ? [row.stored.id] : [])));
      for (const stored of numberHolders) {
        if (!inBatch.has(stored.id)) add({ number: stored.startNumber, stored });
      }
      rows.forEach((row, at) => {
        if (!isKept(row)) return;
        const { startNumber, state } = registrationOf(row);
        if (startNumber && live(state)) add({ number: startNumber, at, plan: row });
      });
      let newFailures = false;
      for (const list of clashes.values()) {
        for (const who of list) {
          if (!("plan" in who) || !movesNumber(who.plan)) continue;
          const other = list.find((o) => o !== who);
          if (!other) continue;
          let otherName: string;
          if ("plan" in other) {
            const stored = storedOf(other.plan);
            otherName = stored ? `registration ${stored.code} (${label(other.plan.index)})` : label(other.plan.index);
          } else {
            otherName = `registration ${other.stored.code}`;
          }
          const spelled = other.number === who.number ? "" : ` as ${other.number}`;
          rows[who.at] = failed(who.plan, {
            index: who.plan.index,
            field: "startNumber",
            code: "StartNumberTaken",
            message: `Start number ${who.number} is held by ${otherName}${spelled}`,
            registrationId: "plan" in other ? storedOf(other.plan)?.id : other.stored.id,
          });
          newFailures = true;
        }
      }
      if (!newFailures) return rows;
    }
  },
};
