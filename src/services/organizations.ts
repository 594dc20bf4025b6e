// Operator-level management: organizations, accounts, memberships, associations, events, activities.
import type { DataSource, EntityManager } from "typeorm";
import { newObjectId, isObjectId } from "../db/object-id";
import { Activity } from "../entities/activity";
import { Association } from "../entities/association";
import { Event } from "../entities/event";
import { Membership, MEMBERSHIP_ROLES, type MembershipRole } from "../entities/membership";
import { Organization, ORGANIZATION_KINDS, type OrganizationKind } from "../entities/organization";
import { UserAccount } from "../entities/user-account";
import { InvalidInputError, NotFoundError } from "./domain-errors";

type Db = DataSource | EntityManager;

async function mustExist(db: Db, entity: typeof Organization | typeof Event | typeof UserAccount, what: string, id: string): Promise<void> {
  if (!isObjectId(id) || !(await db.getRepository(entity).existsBy({ id }))) throw new NotFoundError(what, id);
}

/** @throws InvalidInputError for an empty name or unknown kind. */
export async function createOrganization(db: Db, name: string, kind: OrganizationKind = "Organizer"): Promise<Organization> {
  if (!name.trim()) throw new InvalidInputError("name", "An organization needs a name");
  if (!ORGANIZATION_KINDS.includes(kind)) throw new InvalidInputError("kind", `kind must be one of ${ORGANIZATION_KINDS.join(", ")}`);
  const organization = db.getRepository(Organization).create({ id: newObjectId(), name: name.trim(), kind, createdAt: new Date() });
  await db.getRepository(Organization).insert(organization);
  return organization;
}

/** Finds the account with this login, creating it (claimed) when there is none. */
export async function ensureAccount(db: Db, login: string): Promise<UserAccount> {
  const repository = db.getRepository(UserAccount);
  if (!/^[^\s@]+@[^\s@]+$/.test(login)) throw new InvalidInputError("login", "A login looks like name@example.com");
  const existing = await findAccountByLogin(db, login);
  if (existing) return existing;
  const account = repository.create({ id: newObjectId(), login, unclaimed: false, createdAt: new Date() });
  await repository.insert(account);
  return account;
}

/** The account with this login, or null. */
export async function findAccountByLogin(db: Db, login: string): Promise<UserAccount | null> {
  return db.getRepository(UserAccount).findOneBy({ login });
}

/**
 * Makes an account a member of an organization (or changes its role).
 * @throws NotFoundError for an unknown organization or account.
 */
export async function addMember(db: Db, organizationId: string, accountId: string, role: MembershipRole = "Member"): Promise<Membership> {
  if (!MEMBERSHIP_ROLES.includes(role)) throw new InvalidInputError("role", `role must be one of ${MEMBERSHIP_ROLES.join(", ")}`);
  await mustExist(db, Organization, "Organization", organizationId);
  await mustExist(db, UserAccount, "Account", accountId);
  const repository = db.getRepository(Membership);
  const existing = await repository.findOneBy({ organizationId, accountId });
  if (existing) {
    await repository.update({ id: existing.id }, { role });
    return { ...existing, role };
  }
  const membership = repository.create({ id: newObjectId(), organizationId, accountId, role, createdAt: new Date() });
  await repository.insert(membership);
  return membership;
}

/**
 * Lets the associate's members reach the organizer's activities (not the reverse).
 * @throws NotFoundError for an unknown organization; InvalidInputError for a self-association.
 */
export async function associate(db: Db, organizerId: string, associateId: string): Promise<Association> {
  if (organizerId === associateId) throw new InvalidInputError("associateId", "An organization cannot associate itself");
  await mustExist(db, Organization, "Organization", organizerId);
  await mustExist(db, Organization, "Organization", associateId);
  const repository = db.getRepository(Association);
  const existing = await repository.findOneBy({ organizerId, associateId });
  if (existing) return existing;
  const association = repository.create({ id: newObjectId(), organizerId, associateId, createdAt: new Date() });
  await repository.insert(association);
  return association;
}

/** @throws NotFoundError for an unknown organizer. */
export async function createEvent(db: Db, organizerId: string, name: string, startsOn: string | null = null, endsOn: string | null = null): Promise<Event> {
  await mustExist(db, Organization, "Organization", organizerId);
  if (!name.trim()) throw new InvalidInputError("name", "An event needs a name");
  const event = db.getRepository(Event).create({ id: newObjectId(), organizerId, name: name.trim(), startsOn, endsOn, createdAt: new Date() });
  await db.getRepository(Event).insert(event);
  return event;
}

/** @throws NotFoundError for an unknown event. */
export async function createActivity(db: Db, eventId: string, name: string, startsAt: Date | null = null, currency = "CZK"): Promise<Activity> {
  await mustExist(db, Event, "Event", eventId);
  if (!name.trim()) throw new InvalidInputError("name", "An activity needs a name");
  if (!/^[A-Z]{3}$/.test(currency)) throw new InvalidInputError("currency", "currency is an ISO 4217 code like CZK");
  const activity = db.getRepository(Activity).create({ id: newObjectId(), eventId, name: name.trim(), startsAt, currency, createdAt: new Date() });
  await db.getRepository(Activity).insert(activity);
  return activity;
}
