// What members do to their organizations through the API: each function takes the caller first and
// checks roles (only Owner and Admin manage members, associations and the organizer's events).
import type { DataSource } from "typeorm";
import { isObjectId } from "../db/object-id";
import { AccessKey } from "../entities/access-key";
import { Activity } from "../entities/activity";
import { Association } from "../entities/association";
import { Event } from "../entities/event";
import { Membership, MEMBERSHIP_ROLES, type MembershipRole } from "../entities/membership";
import { Organization, type OrganizationKind } from "../entities/organization";
import { loadReachableActivity, requireManager } from "./access";
import { createAccessKey, type CreatedAccessKey } from "./access-keys";
import { ForbiddenError, InvalidInputError, NotFoundError } from "./domain-errors";
import type { AssociationView, EventView, MembershipView, OrganizationView } from "./loaders";
import { addMember, associate, createActivity, createEvent, createOrganization, ensureAccount } from "./organizations";
import type { RequestContext } from "./request-context";

function day(field: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const date = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new InvalidInputError(field, `${field} must be a date like 2025-06-14`);
  }
  return value;
}

function name(field: string, value: string): string {
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > 200) throw new InvalidInputError(field, `${field} must have 1 to 200 characters`);
  return trimmed;
}

async function membershipView(db: DataSource, id: string): Promise<MembershipView> {
  const [row] = await db.query(
    `SELECT m.id, m.organization_id AS "organizationId", m.account_id AS "accountId", u.login, m.role, m.created_at AS "createdAt"
       FROM membership m JOIN user_account u ON u.id = m.account_id WHERE m.id = $1`,
    [id],
  );
  return row;
}

/**
 * The organization becomes the caller's; the caller is its Owner.
 * @throws ForbiddenError for a key limited to some organizations: it acts for those only.
 */
export async function createOwnOrganization(db: DataSource, ctx: RequestContext, orgName: string, kind: OrganizationKind): Promise<OrganizationView> {
  if (ctx.keyOrganizationIds) throw new ForbiddenError("This access key is limited to some organizations; use an unlimited key to create one");
  return db.transaction(async (manager) => {
    const organization = await createOrganization(manager, name("name", orgName), kind);
    await addMember(manager, organization.id, ctx.accountId, "Owner");
    return organization;
  });
}

/** @throws NotFoundError / ForbiddenError unless the caller is Owner or Admin. */
export async function renameOrganization(db: DataSource, ctx: RequestContext, id: string, newName: string): Promise<OrganizationView> {
  requireManager(ctx, id);
  await db.getRepository(Organization).update({ id }, { name: name("name", newName) });
  return (await db.getRepository(Organization).findOneByOrFail({ id })) as OrganizationView;
}

function requireOwnerFor(ctx: RequestContext, organizationId: string, role: MembershipRole) {
  if (!MEMBERSHIP_ROLES.includes(role)) throw new InvalidInputError("role", `role must be one of ${MEMBERSHIP_ROLES.join(", ")}`);
  if (role === "Owner" && ctx.roles.get(organizationId) !== "Owner") throw new ForbiddenError("Only an Owner may make or unmake Owners");
}

/**
 * Adds an account (created when the login is new) to an organization.
 * @throws InvalidInputError AlreadyMember; NotFoundError / ForbiddenError for the caller's role.
 */
export async function addMemberAs(db: DataSource, ctx: RequestContext, organizationId: string, login: string, role: MembershipRole): Promise<MembershipView> {
  requireManager(ctx, organizationId);
  requireOwnerFor(ctx, organizationId, role);
  const id = await db.transaction(async (manager) => {
    const account = await ensureAccount(manager, login.trim().toLowerCase());
    if (await manager.getRepository(Membership).existsBy({ organizationId, accountId: account.id })) {
      throw new InvalidInputError("login", `${login} is already a member`, "AlreadyMember");
    }
    return (await addMember(manager, organizationId, account.id, role)).id;
  });
  return membershipView(db, id);
}

async function managedMembership(db: DataSource, ctx: RequestContext, membershipId: string): Promise<Membership> {
  const membership = isObjectId(membershipId) ? await db.getRepository(Membership).findOneBy({ id: membershipId }) : null;
  if (!membership || !ctx.roles.has(membership.organizationId)) throw new NotFoundError("Membership", membershipId);
  requireManager(ctx, membership.organizationId);
  return membership;
}

async function assertOwnerRemains(db: DataSource, membership: Membership): Promise<void> {
  if (membership.role !== "Owner") return;
  const owners = await db.getRepository(Membership).countBy({ organizationId: membership.organizationId, role: "Owner" });
  if (owners <= 1) throw new InvalidInputError("membershipId", "An organization keeps at least one Owner", "LastOwner");
}

export async function changeMemberRole(db: DataSource, ctx: RequestContext, membershipId: string, role: MembershipRole): Promise<MembershipView> {
  const membership = await managedMembership(db, ctx, membershipId);
  requireOwnerFor(ctx, membership.organizationId, role);
  if (membership.role === "Owner") requireOwnerFor(ctx, membership.organizationId, "Owner");
  if (role !== "Owner") await assertOwnerRemains(db, membership);
  await db.getRepository(Membership).update({ id: membership.id }, { role });
  return membershipView(db, membership.id);
}

export async function removeMember(db: DataSource, ctx: RequestContext, membershipId: string): Promise<string> {
  const membership = await managedMembership(db, ctx, membershipId);
  if (membership.role === "Owner") requireOwnerFor(ctx, membership.organizationId, "Owner");
  await assertOwnerRemains(db, membership);
  await db.getRepository(Membership).delete({ id: membership.id });
  return membership.id;
}

/**
 * Lets the associate's members reach the organizer's activities.
 * @throws InvalidInputError UnknownOrganization or SelfAssociation.
 */
export async function createAssociationAs(db: DataSource, ctx: RequestContext, organizerId: string, associateId: string): Promise<AssociationView> {
  requireManager(ctx, organizerId);
  if (!isObjectId(associateId) || !(await db.getRepository(Organization).existsBy({ id: associateId }))) {
    throw new InvalidInputError("associateId", `No organization ${associateId}`, "UnknownOrganization");
  }
  if (associateId === organizerId) throw new InvalidInputError("associateId", "An organization cannot associate itself", "SelfAssociation");
  return associate(db, organizerId, associateId);
}

export async function removeAssociation(db: DataSource, ctx: RequestContext, associationId: string): Promise<string> {
  const association = isObjectId(associationId) ? await db.getRepository(Association).findOneBy({ id: associationId }) : null;
  if (!association || !ctx.roles.has(association.organizerId)) throw new NotFoundError("Association", associationId);
  requireManager(ctx, association.organizerId);
  await db.getRepository(Association).delete({ id: association.id });
  return association.id;
}

export interface EventChanges {
  name?: string | null;
  startsOn?: string | null;
  endsOn?: string | null;
}

function checkDates(startsOn: string | null, endsOn: string | null) {
  if (startsOn && endsOn && endsOn < startsOn) throw new InvalidInputError("endsOn", "endsOn must not be before startsOn");
}

export async function createEventAs(db: DataSource, ctx: RequestContext, organizerId: string, input: EventChanges & { name: string }): Promise<EventView> {
  requireManager(ctx, organizerId);
  const startsOn = day("startsOn", input.startsOn);
  const endsOn = day("endsOn", input.endsOn);
  checkDates(startsOn, endsOn);
  const event = await createEvent(db, organizerId, name("name", input.name), startsOn, endsOn);
  return { id: event.id, organizerId, name: event.name, startsOn, endsOn };
}

async function managedEvent(db: DataSource, ctx: RequestContext, eventId: string): Promise<Event> {
  const event = isObjectId(eventId) ? await db.getRepository(Event).findOneBy({ id: eventId }) : null;
  if (!event || !ctx.reachableOrganizerIds.has(event.organizerId)) throw new NotFoundError("Event", eventId);
  requireManager(ctx, event.organizerId, "Event");
  return event;
}

export async function updateEvent(db: DataSource, ctx: RequestContext, eventId: string, changes: EventChanges): Promise<EventView> {
  const event = await managedEvent(db, ctx, eventId);
  const next = {
    name: changes.name === undefined || changes.name === null ? event.name : name("name", changes.name),
    startsOn: changes.startsOn === undefined ? event.startsOn : day("startsOn", changes.startsOn),
    endsOn: changes.endsOn === undefined ? event.endsOn : day("endsOn", changes.endsOn),
  };
  checkDates(next.startsOn, next.endsOn);
  await db.getRepository(Event).update({ id: event.id }, next);
  return { id: event.id, organizerId: event.organizerId, ...next };
}

export interface ActivityChanges {
  name?: string | null;
  startsAt?: Date | null;
  currency?: string | null;
}


function currency(value: string | null | undefined, fallback: string): string {
  if (value === null || value === undefined) return fallback;
  if (!/^[A-Z]{3}$/.test(value)) throw new InvalidInputError("currency", "currency must be an ISO 4217 code like CZK");
  return value;
}

export async function createActivityAs(db: DataSource, ctx: RequestContext, eventId: string, input: ActivityChanges & { name: string }) {
  const event = await managedEvent(db, ctx, eventId);
  const activity = await createActivity(db, event.id, name("name", input.name), input.startsAt ?? null, currency(input.currency, "CZK"));
  return loadReachableActivity(db, ctx, activity.id);
}

export async function updateActivity(db: DataSource, ctx: RequestContext, activityId: string, changes: ActivityChanges) {
  const activity = await loadReachableActivity(db, ctx, activityId);
  requireManager(ctx, activity.organizerId, "Activity");
  await db.getRepository(Activity).update({ id: activity.id }, {
    name: changes.name === undefined || changes.name === null ? activity.name : name("name", changes.name),
    startsAt: changes.startsAt === undefined ? activity.startsAt : changes.startsAt,
    currency: currency(changes.currency, activity.currency),
  });
  return loadReachableActivity(db, ctx, activity.id);
}

export interface AccessKeyView {
  id: string;
  name: string;
  description: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  readOnly: boolean;
  organizationIds: string[] | null;
}

const keyView = ({ id, name: keyName, description, createdAt, lastUsedAt, revokedAt, readOnly, organizationIds }: AccessKey): AccessKeyView =>
  ({ id, name: keyName, description, createdAt, lastUsedAt, revokedAt, readOnly, organizationIds });

/**
 * Whether the caller's key may see and revoke `key`: an unlimited key, every key of its account; a key
 * limited to some organizations, only keys limited to those or fewer. Otherwise a key for one club would
 * list the account's other organization ids and could revoke the account's unlimited key.
 */
function withinKeyScope(ctx: RequestContext, key: AccessKey): boolean {
  if (key.accountId !== ctx.accountId) return false;
  if (ctx.keyOrganizationIds === null) return true;
  return key.organizationIds !== null && key.organizationIds.every((id) => ctx.keyOrganizationIds!.includes(id));
}

/** The caller's own keys within its key's scope (see withinKeyScope), newest first (never their secrets). */
export async function listOwnAccessKeys(db: DataSource, ctx: RequestContext): Promise<AccessKeyView[]> {
  const keys = await db.getRepository(AccessKey).find({ where: { accountId: ctx.accountId }, order: { createdAt: "DESC", id: "ASC" } });
  return keys.filter((key) => withinKeyScope(ctx, key)).map(keyView);
}

/**
 * A new key for the caller's account; the secret is in the answer once and never again. It may be
 * read-only and limited to some of the caller's organizations; a key made with a limited key is
 * limited to the same organizations or fewer, so a key never makes a stronger one.
 * @throws InvalidInputError for an organization the caller (with this key) is not a member of.
 */
export async function createOwnAccessKey(
  db: DataSource,
  ctx: RequestContext,
  options: { name?: string | null; secret?: string | null; description?: string | null; readOnly?: boolean | null; organizationIds?: string[] | null },
): Promise<{ key: AccessKeyView; secret: string }> {
  const organizationIds = options.organizationIds ? [...new Set(options.organizationIds)] : ctx.keyOrganizationIds;
  const foreign = organizationIds?.filter((id) => !ctx.roles.has(id)) ?? [];
  if (foreign.length) throw new InvalidInputError("organizationIds", `Not a member of ${foreign.join(", ")} with this key`);
  const created: CreatedAccessKey = await createAccessKey(db, ctx.accountId, {
    name: options.name ?? undefined, secret: options.secret ?? undefined, description: options.description ?? undefined,
    readOnly: options.readOnly ?? false, organizationIds: organizationIds ? [...organizationIds] : null,
  });
  return { key: keyView(await db.getRepository(AccessKey).findOneByOrFail({ id: created.id })), secret: created.secret };
}

/**
 * Revokes one of the caller's own keys within its key's scope (see withinKeyScope).
 * @throws NotFoundError for any other key, the same answer as for a key that does not exist.
 */
export async function revokeOwnAccessKey(db: DataSource, ctx: RequestContext, id: string): Promise<AccessKeyView> {
  const key = isObjectId(id) ? await db.getRepository(AccessKey).findOneBy({ id, accountId: ctx.accountId }) : null;
  if (!key || !withinKeyScope(ctx, key)) throw new NotFoundError("Access key", id);
  await db.getRepository(AccessKey).update({ id }, { revokedAt: () => "coalesce(revoked_at, now())" });
  return keyView(await db.getRepository(AccessKey).findOneByOrFail({ id }));
}
