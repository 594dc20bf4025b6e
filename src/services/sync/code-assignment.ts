// Codes of a batch's new registrations, drawn once the batch is accepted: a rejected batch uses up none.
import type { EntityManager } from "typeorm";
import { previewRegistrationCode, registrationCode } from "../registration-code";
import type { RowPlan } from "./row-plan";

/**
 * The plans with a unique code for each new registration. A batch that writes numbers its codes from the
 * database's sequence, so batches written at once never draw the same code and never wait for each
 * other's; the codes of older registrations (drawn at random before the sequence) are skipped, and the
 * few they displace are drawn again. A dry run shows unreserved random codes. The statement count stays fixed.
 */
export async function assignCodes(
  transaction: EntityManager,
  plans: readonly RowPlan[],
  dryRun: boolean,
): Promise<RowPlan[]> {
  const codes = new Map<number, string>();
  const pending = plans.flatMap((plan) => (plan.kind === "insert" ? [plan.index] : []));
  while (pending.length) {
    let candidates: string[];
    if (dryRun) {
      const drawn = new Set<string>();
      while (drawn.size < pending.length + Math.max(16, Math.ceil(pending.length / 4)))
        drawn.add(previewRegistrationCode());
      candidates = [...drawn];
    } else {
      const numbers = (await transaction.query(
        `SELECT nextval('registration_code_seq')::int AS n FROM generate_series(1, $1::int)`,
        [pending.length],
      )) as { n: number }[];
      candidates = numbers.map(({ n }) => registrationCode(n));
    }
    const taken = new Set(
      (
        (await transaction.query(`SELECT code FROM registration WHERE code = ANY($1::text[])`, [candidates])) as {
          code: string;
        }[]
      ).map((r) => r.code),
    );
    const free = candidates.filter((code) => !taken.has(code));
    // As many rows as free codes: each pop() finds one.
    for (const index of pending.splice(0, free.length)) codes.set(index, free.pop() ?? "");
  }
  return plans.map((plan) =>
    plan.kind === "insert"
      ? { ...plan, registration: { ...plan.registration, code: codes.get(plan.index) ?? "" } }
      : plan,
  );
}
