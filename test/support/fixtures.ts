// Each test makes its own organizer, activity, keys and registrations, so tests do not depend on order.
import type { DataSource } from "typeorm";
import { newObjectId } from "../../src/db/object-id";
import { createAccessKey } from "../../src/services/access-keys";
import { createActivity } from "../../src/services/activities";
import { createAssociation } from "../../src/services/associations";
import { OPERATOR } from "../../src/services/caller";
import { createEvent } from "../../src/services/events";
import { addMember } from "../../src/services/members";
import { createOrganization } from "../../src/services/organizations";
import type { OrganizationKind } from "../../src/entities/organization";

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`;

export function basic(key: string): string {
  return `Basic ${Buffer.from(key).toString("base64")}`;
}

export interface Member {
  organizationId: string;
  accountId: string;
  login: string;
  /** `name:secret` */
  key: string;
  /** Authorization header value. */
  auth: string;
}

/** An organization with one member holding a fresh key. */
export async function organizationWithMember(db: DataSource, kind: OrganizationKind = "Organizer"): Promise<Member> {
  const organization = await createOrganization(OPERATOR, db, { name: unique(kind), kind });
  const login = `${unique("member")}@example.test`;
  const { accountId } = await addMember(OPERATOR, db, { organizationId: organization.id, login, role: "Owner" });
  const created = await createAccessKey(db, accountId, { description: "test key" });
  const key = `${created.name}:${created.secret}`;
  return { organizationId: organization.id, accountId, login, key, auth: basic(key) };
}

export async function activityOf(db: DataSource, organizerId: string, currency = "CZK"): Promise<string> {
  const event = await createEvent(OPERATOR, db, { organizerId, name: unique("Event") });
  return (await createActivity(OPERATOR, db, { eventId: event.id, name: unique("Activity"), currency })).id;
}

export interface Scenario {
  organizer: Member;
  activityId: string;
}

export async function scenario(db: DataSource): Promise<Scenario> {
  const organizer = await organizationWithMember(db);
  return { organizer, activityId: await activityOf(db, organizer.organizationId) };
}

export async function timingCompanyOf(db: DataSource, organizerId: string): Promise<Member> {
  const timing = await organizationWithMember(db, "TimingCompany");
  await createAssociation(OPERATOR, db, { organizerId, associateId: timing.organizationId });
  return timing;
}

export interface NativeRegistration {
  id: string;
  personId: string;
  code: string;
}

/** A registration made in the platform by a person with a claimed account (only fixtures make these). */
export async function nativeRegistration(
  db: DataSource,
  activityId: string,
  options: {
    startNumber?: string | null;
    state?: string;
    givenName?: string;
    surname?: string;
    birthDate?: string;
    isProfilePublic?: boolean;
    personId?: string;
  } = {},
): Promise<NativeRegistration> {
  let personId = options.personId;
  if (!personId) {
    const account = newObjectId();
    personId = newObjectId();
    await db.query(`INSERT INTO user_account (id, login) VALUES ($1, $2)`, [
      account,
      `${unique("runner")}@example.test`,
    ]);
    await db.query(
      `INSERT INTO person (id, account_id, given_name, surname, sex, birth_date, language, country, is_profile_public)
       VALUES ($1, $2, $3, $4, 'Female', $5, 'cs', 'CZ', $6)`,
      [
        personId,
        account,
        options.givenName ?? "Jana",
        options.surname ?? unique("Nováková"),
        options.birthDate ?? "1990-01-02",
        options.isProfilePublic ?? true,
      ],
    );
  }
  const id = newObjectId();
  const code = `T${String(counter++).padStart(3, "0")}${Math.random().toString(36).slice(2, 6).toUpperCase()}`.slice(
    0,
    12,
  );
  await db.query(
    `INSERT INTO registration (id, activity_id, person_id, code, state, start_number, amount_value, amount_currency, source)
     VALUES ($1, $2, $3, $4, $5, $6, 85000, 'CZK', 'Native')`,
    [id, activityId, personId, code, options.state ?? "Confirmed", options.startNumber ?? null],
  );
  return { id, personId, code };
}
