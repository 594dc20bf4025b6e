// Writes a planned batch: set-based statements (a fixed number per batch, one more per slice of
// ROWS_PER_STATEMENT rows and table), and an audit entry per registration created or changed.
import type { EntityManager } from "typeorm";
import type { ActivityRef } from "../access";
import type { PersonView, RegistrationView } from "../registration-view";
import type { RequestContext } from "../request-context";
import { PERSON_FIELDS } from "../sync-input";
import { PERSON_FIELD_COLUMNS, PERSON_FIELD_TYPES, insertNewPersons, personFieldColumns } from "./new-persons";
import { slices } from "./slices";

export { ROWS_PER_STATEMENT } from "./slices";
import type { InsertPlan, RowPlan, UpdatePlan } from "./row-plan";

const AUDITED_PERSON_KEYS = PERSON_FIELDS.map((name) => [name, `person.${name}`] as const);

/** The audited values (start number, person fields) that differ, as the audit entry's old and new JSON. */
function auditedChange(from: RegistrationView, to: RegistrationView): { old: string; new: string } {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  if (from.startNumber !== to.startNumber) {
    before.startNumber = from.startNumber;
    after.startNumber = to.startNumber;
  }
  for (const [name, key] of AUDITED_PERSON_KEYS) {
    if (from.person[name] !== to.person[name]) {
      before[key] = from.person[name];
      after[key] = to.person[name];
    }
  }
  return { old: JSON.stringify(before), new: JSON.stringify(after) };
}

/** Where the batch goes, and who writes it (the audit's account and key). */
export interface WriteTarget {
  activity: ActivityRef;
  ctx: RequestContext;
  /** Domain of generated logins (`<32 random chars>@<domain>`) for new persons' accounts. */
  accountDomain: string;
  now: Date;
}

/** Writes the batch's updates and inserts (failed and unchanged rows write nothing), in its transaction. */
export async function writeBatch(
  transaction: EntityManager,
  { activity, ctx, accountDomain, now }: WriteTarget,
  plans: readonly RowPlan[],
): Promise<void> {
  const updated: UpdatePlan[] = [];
  const inserted: InsertPlan[] = [];
  const changedPersons = new Map<string, PersonView>();
  for (const plan of plans) {
    if (plan.kind === "update") updated.push(plan);
    if (plan.kind === "insert") inserted.push(plan);
    if ((plan.kind === "update" || plan.kind === "insert") && plan.personChanged)
      changedPersons.set(plan.registration.person.id, plan.registration.person);
  }
  const column = <T>(list: readonly (UpdatePlan | InsertPlan)[], pick: (r: RegistrationView) => T) =>
    list.map((p) => pick(p.registration));

  for (const slice of slices(updated)) {
    await transaction.query(
      `UPDATE registration r SET start_number = v.start_number, modified_at = $3,
              start_number_clash = r.start_number_clash AND r.start_number IS NOT DISTINCT FROM v.start_number
         FROM unnest($1::bpchar[], $2::text[]) AS v(id, start_number) WHERE r.id = v.id`,
      [column(slice, (r) => r.id), column(slice, (r) => r.startNumber), now],
    );
  }
  if (changedPersons.size) {
    const newPersonIds = new Set(inserted.filter((p) => p.newPerson).map((p) => p.registration.person.id));
    for (const persons of slices([...changedPersons.values()].filter((person) => !newPersonIds.has(person.id)))) {
      await transaction.query(
        `UPDATE person p SET ${PERSON_FIELD_COLUMNS.map((column) => `${column} = v.${column}`).join(", ")}
           FROM unnest($1::bpchar[], ${PERSON_FIELD_TYPES.map((type, i) => `$${i + 2}::${type}[]`).join(", ")})
             AS v(id, ${PERSON_FIELD_COLUMNS.join(", ")})
          WHERE p.id = v.id`,
        [persons.map((person) => person.id), ...personFieldColumns(persons)],
      );
    }
  }
  await insertNewPersons(
    transaction,
    inserted.flatMap((p) => (p.newPerson ? [p.registration.person] : [])),
    accountDomain,
    now,
  );
  for (const slice of slices(inserted)) {
    await transaction.query(
      `INSERT INTO registration (id, activity_id, person_id, code, state, start_number, amount_value, amount_currency,
                                 source, external_id, created_at, modified_at)
       SELECT v.id, $1, v.person_id, v.code, v.state, v.start_number, v.amount_value, v.amount_currency,
              'External', v.external_id, $9, $9
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $10::text[])
           AS v(id, person_id, code, state, start_number, amount_value, amount_currency, external_id)`,
      [
        activity.id,
        column(slice, (r) => r.id),
        column(slice, (r) => r.person.id),
        column(slice, (r) => r.code),
        column(slice, (r) => r.state),
        column(slice, (r) => r.startNumber),
        column(slice, (r) => r.amount.value),
        column(slice, (r) => r.amount.currency),
        now,
        column(slice, (r) => r.externalId),
      ],
    );
  }
  for (const slice of slices<UpdatePlan | InsertPlan>([...updated, ...inserted])) {
    const changes = slice.flatMap((p) => (p.kind === "update" ? [p] : []));
    const audits = changes.map((p) => auditedChange(p.stored, p.registration));
    // New registrations' audit values are read back in SQL rather than sent as JSON: a large import
    // would otherwise ship (and hold in memory) one JSON document per row.
    await transaction.query(
      `INSERT INTO audit_entry (at, account_id, access_key_id, registration_id, action, old_values, new_values)
       SELECT $1::timestamptz, $2::text, $3::text, v.registration_id, 'Updated', v.old_values::jsonb, v.new_values::jsonb
         FROM unnest($4::text[], $5::text[], $6::text[]) AS v(registration_id, old_values, new_values)
       UNION ALL
       SELECT $1::timestamptz, $2::text, $3::text, r.id, 'Created', NULL, jsonb_build_object(
                'code', r.code, 'state', r.state, 'externalId', r.external_id, 'personId', r.person_id,
                'amount', jsonb_build_object('value', r.amount_value, 'currency', r.amount_currency),
                'startNumber', r.start_number, 'person.givenName', p.given_name, 'person.middleName', p.middle_name,
                'person.surname', p.surname, 'person.sex', p.sex, 'person.birthDate', p.birth_date,
                'person.language', p.language, 'person.nickname', p.nickname, 'person.country', p.country,
                'person.isProfilePublic', p.is_profile_public)
         FROM registration r JOIN person p ON p.id = r.person_id WHERE r.id = ANY($7::bpchar[])`,
      [
        now,
        ctx.accountId,
        ctx.accessKeyId,
        changes.map((p) => p.registration.id),
        audits.map((change) => change.old),
        audits.map((change) => change.new),
        slice.flatMap((p) => (p.kind === "insert" ? [p.registration.id] : [])),
      ],
    );
  }
}
