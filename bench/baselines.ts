// The baselines `npm run bench` (sync-bench.ts) measures the sync against: a raw-SQL floor and a naive per-row
// TypeORM loop, for an update of every row's start number and for an insert of new runners.
import { randomBytes } from "node:crypto";
import type { Client } from "pg";
import type { DataSource } from "typeorm";
import { newObjectId } from "../src/db/object-id";
import { AuditEntry } from "../src/entities/audit-entry";
import { Person } from "../src/entities/person";
import { Registration } from "../src/entities/registration";
import { UserAccount } from "../src/entities/user-account";

/** The organizer, key and event a bench run works in. */
export interface Fixture {
  accountId: string;
  keyId: string;
  auth: string;
  organizerId: string;
  eventId: string;
}

/** The update of `npm run bench` as the least SQL can do it: one locked read, one UPDATE, one audit INSERT. */
export async function updateFloor(pg: Client, f: Fixture, activityId: string, ids: string[], startNumbers: string[]) {
  await pg.query("BEGIN");
  const old = await pg.query(`SELECT id, start_number FROM registration WHERE activity_id = $1 FOR UPDATE`, [
    activityId,
  ]);
  const before = new Map(old.rows.map((r) => [r.id, r.start_number]));
  await pg.query(
    `UPDATE registration r SET start_number = v.n, modified_at = now() FROM unnest($1::bpchar[], $2::text[]) AS v(id, n) WHERE r.id = v.id`,
    [ids, startNumbers],
  );
  await pg.query(
    `INSERT INTO audit_entry (account_id, access_key_id, registration_id, action, old_values, new_values)
     SELECT $1, $2, v.id, 'Updated', v.o::jsonb, v.n::jsonb FROM unnest($3::text[], $4::text[], $5::text[]) AS v(id, o, n)`,
    [
      f.accountId,
      f.keyId,
      ids,
      ids.map((id) => JSON.stringify({ startNumber: before.get(id) })),
      startNumbers.map((n) => JSON.stringify({ startNumber: n })),
    ],
  );
  await pg.query("COMMIT");
}

/** The same update as a naive per-row TypeORM loop. */
export async function updateNaive(db: DataSource, f: Fixture, ids: string[], startNumbers: string[]) {
  await db.transaction(async (manager) => {
    for (const [i, id] of ids.entries()) {
      const registration = await manager.findOneByOrFail(Registration, { id });
      const old = registration.startNumber;
      registration.startNumber = startNumbers[i];
      registration.modifiedAt = new Date();
      await manager.save(registration);
      await manager.save(
        manager.create(AuditEntry, {
          at: new Date(),
          accountId: f.accountId,
          accessKeyId: f.keyId,
          registrationId: id,
          action: "Updated",
          oldValues: { startNumber: old },
          newValues: { startNumber: startNumbers[i] },
        }),
      );
    }
  });
}

/** The insert of `npm run bench` in raw SQL: one INSERT a table. */
export async function insertFloor(pg: Client, f: Fixture, activityId: string, n: number, tag: string) {
  const accounts = Array.from({ length: n }, () => newObjectId());
  const persons = Array.from({ length: n }, () => newObjectId());
  const ids = Array.from({ length: n }, () => newObjectId());
  await pg.query("BEGIN");
  await pg.query(`SELECT id FROM activity WHERE id = $1 FOR UPDATE`, [activityId]);
  await pg.query(
    `INSERT INTO user_account (id, login, unclaimed) SELECT id, md5(id) || '@actigo.app', true FROM unnest($1::text[]) AS v(id)`,
    [accounts],
  );
  await pg.query(
    `INSERT INTO person (id, account_id, given_name, surname, sex, birth_date)
     SELECT p, a, 'Eva', 'Dvořáková' || i, 'Female', '1990-02-03' FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS v(p, a, i)`,
    [persons, accounts],
  );
  await pg.query(
    `INSERT INTO registration (id, activity_id, person_id, code, state, start_number, amount_value, amount_currency, source, external_id)
     SELECT r, $3, p, 'F' || upper(substr(md5(r), 1, 11)), 'Confirmed', i::text, 0, 'CZK', 'External', $4 || '-' || i
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS v(r, p, i)`,
    [ids, persons, activityId, tag],
  );
  await pg.query(
    `INSERT INTO audit_entry (account_id, access_key_id, registration_id, action, new_values)
     SELECT $1, $2, id, 'Created', jsonb_build_object('startNumber', start_number) FROM registration WHERE id = ANY($3::bpchar[])`,
    [f.accountId, f.keyId, ids],
  );
  await pg.query("COMMIT");
}

/** The same insert as a naive per-row TypeORM loop. */
export async function insertNaive(db: DataSource, f: Fixture, activityId: string, n: number, tag: string) {
  await db.transaction(async (manager) => {
    for (let i = 0; i < n; i++) {
      const account = await manager.save(
        manager.create(UserAccount, {
          id: newObjectId(),
          login: `${randomBytes(16).toString("hex")}@actigo.app`,
          unclaimed: true,
          createdAt: new Date(),
        }),
      );
      const person = await manager.save(
        manager.create(Person, {
          id: newObjectId(),
          accountId: account.id,
          givenName: "Eva",
          middleName: null,
          surname: `Dvořáková${i}`,
          sex: "Female",
          birthDate: "1990-02-03",
          language: null,
          nickname: null,
          country: null,
          isProfilePublic: false,
        }),
      );
      const registration = await manager.save(
        manager.create(Registration, {
          id: newObjectId(),
          activityId,
          personId: person.id,
          code: `${tag}${i.toString(36).toUpperCase().padStart(5, "0")}`,
          state: "Confirmed",
          startNumber: String(i + 1),
          amountValue: 0,
          amountCurrency: "CZK",
          source: "External",
          externalId: `${tag}-${i}`,
          createdAt: new Date(),
          modifiedAt: new Date(),
        }),
      );
      await manager.save(
        manager.create(AuditEntry, {
          at: new Date(),
          accountId: f.accountId,
          accessKeyId: f.keyId,
          registrationId: registration.id,
          action: "Created",
          oldValues: null,
          newValues: { startNumber: registration.startNumber },
        }),
      );
    }
  });
}
