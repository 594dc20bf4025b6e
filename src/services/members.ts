// The membership aggregate: who belongs to an organization and in which role. Only Owners and Admins
// manage members, only an Owner makes or unmakes Owners, and an organization keeps at least one Owner.
import { ArgsType, Field, ID } from "type-graphql";
import type { DataSource, EntityManager, SelectQueryBuilder } from "typeorm";
import { isObjectId, newObjectId } from "../db/object-id";
import { Membership, MEMBERSHIP_ROLES, type MembershipRole } from "../entities/membership";
import { Organization } from "../entities/organization";
import { UserAccount } from "../entities/user-account";
import { MembershipRoleEnum } from "../schema/enums";
import { ensureAccount } from "./accounts";
import { type Caller, isOperator, requireManagerOf, roleOf } from "./caller";
import { ForbiddenError, InvalidInputError, NotFoundError } from "./domain-errors";
import { IsLogin, IsOneOf, inputOf } from "./management-field-rules";
import { checkedInput } from "./input-validation";
import type { MembershipView } from "./loaders";

@ArgsType()
export class AddMemberArgs {
  @Field(() => ID, { description: "Organization id." })
  organizationId: string;

  @Field(() => String, { description: "The account's login (e-mail)." })
  @IsLogin()
  login: string;

  @Field(() => MembershipRoleEnum, { defaultValue: "Member", description: "Role." })
  @IsOneOf(MEMBERSHIP_ROLES)
  role: MembershipRole = "Member";
}

@ArgsType()
export class ChangeMemberRoleArgs {
  @Field(() => ID, { description: "Membership id." })
  membershipId: string;

  @Field(() => MembershipRoleEnum, { description: "New role." })
  @IsOneOf(MEMBERSHIP_ROLES)
  role: MembershipRole;
}

/** Memberships with their account's login, as MembershipView rows (`m` is the membership). */
export function membershipViews(db: DataSource | EntityManager): SelectQueryBuilder<Membership> {
  return db
    .getRepository(Membership)
    .createQueryBuilder("m")
    .innerJoin(UserAccount, "u", "u.id = m.accountId")
    .select("m.id", "id")
    .addSelect("m.organizationId", "organizationId")
    .addSelect("m.accountId", "accountId")
    .addSelect("u.login", "login")
    .addSelect("m.role", "role")
    .addSelect("m.createdAt", "createdAt");
}

async function membershipView(db: DataSource | EntityManager, id: string): Promise<MembershipView> {
  const view = await membershipViews(db).where("m.id = :id", { id }).getRawOne<MembershipView>();
  if (!view) throw new NotFoundError("Membership", id);
  return view;
}

/** @throws ForbiddenError when the role is Owner and the caller is not an Owner there. */
function requireOwnerFor(ctx: Caller, organizationId: string, role: MembershipRole): void {
  if (role === "Owner" && roleOf(ctx, organizationId) !== "Owner")
    throw new ForbiddenError("Only an Owner may make or unmake Owners");
}

/**
 * Adds an account (created when the login is new) to an organization, in one transaction: an unknown
 * organization or a refusal leaves no new account behind.
 * @throws NotFoundError / ForbiddenError for the caller's role; InvalidInputError for a bad login or role, or AlreadyMember.
 */
export async function addMember(ctx: Caller, db: DataSource, args: AddMemberArgs): Promise<MembershipView> {
  await requireManagerOf(ctx, db, args.organizationId);
  requireOwnerFor(ctx, args.organizationId, args.role);
  const { organizationId, login, role } = checkedInput(inputOf(AddMemberArgs, args));
  return db.transaction(async (manager) => {
    const account = await ensureAccount(manager, login);
    if (await manager.getRepository(Membership).existsBy({ organizationId, accountId: account.id })) {
      throw new InvalidInputError("login", `${login} is already a member`, "AlreadyMember");
    }
    const id = newObjectId();
    await manager
      .getRepository(Membership)
      .insert({ id, organizationId, accountId: account.id, role, createdAt: new Date() });
    return membershipView(manager, id);
  });
}

/** A membership the caller may manage. @throws NotFoundError (also for one the caller cannot see) / ForbiddenError. */
async function managedMembership(
  ctx: Caller,
  db: DataSource | EntityManager,
  membershipId: string,
): Promise<Membership> {
  const membership = isObjectId(membershipId)
    ? await db.getRepository(Membership).findOneBy({ id: membershipId })
    : null;
  if (!membership || (!isOperator(ctx) && !ctx.roles.has(membership.organizationId)))
    throw new NotFoundError("Membership", membershipId);
  await requireManagerOf(ctx, db, membership.organizationId);
  return membership;
}

/**
 * Runs a change of one membership in a transaction that holds its organization's row lock, and re-reads
 * the membership under it: two concurrent demotions of an organization's two Owners then run one after
 * the other, and the second sees that only one Owner is left.
 */
async function underOrganizationLock<T>(
  db: DataSource,
  membership: Membership,
  change: (manager: EntityManager, current: Membership) => Promise<T>,
): Promise<T> {
  return db.transaction(async (manager) => {
    await manager
      .getRepository(Organization)
      .createQueryBuilder("o")
      .setLock("pessimistic_write")
      .where("o.id = :id", { id: membership.organizationId })
      .getOne();
    const current = await manager.getRepository(Membership).findOneBy({ id: membership.id });
    if (!current) throw new NotFoundError("Membership", membership.id);
    return change(manager, current);
  });
}

/** @throws InvalidInputError LastOwner when the membership is its organization's only Owner. Call under the organization's lock. */
async function assertOwnerRemains(manager: EntityManager, membership: Membership): Promise<void> {
  if (membership.role !== "Owner") return;
  const owners = await manager
    .getRepository(Membership)
    .countBy({ organizationId: membership.organizationId, role: "Owner" });
  if (owners <= 1) throw new InvalidInputError("membershipId", "An organization keeps at least one Owner", "LastOwner");
}

/**
 * Changes a member's role.
 * @throws NotFoundError / ForbiddenError for the caller's role (only an Owner touches Owners); InvalidInputError for a bad role, or LastOwner.
 */
export async function changeMemberRole(
  ctx: Caller,
  db: DataSource,
  args: ChangeMemberRoleArgs,
): Promise<MembershipView> {
  const membership = await managedMembership(ctx, db, args.membershipId);
  const { role } = checkedInput(inputOf(ChangeMemberRoleArgs, args));
  requireOwnerFor(ctx, membership.organizationId, role);
  if (membership.role === "Owner") requireOwnerFor(ctx, membership.organizationId, "Owner");
  return underOrganizationLock(db, membership, async (manager, current) => {
    if (current.role === "Owner") requireOwnerFor(ctx, current.organizationId, "Owner");
    if (role !== "Owner") await assertOwnerRemains(manager, current);
    await manager.getRepository(Membership).update({ id: current.id }, { role });
    return membershipView(manager, current.id);
  });
}

/**
 * Removes a member; returns the membership's id.
 * @throws NotFoundError / ForbiddenError for the caller's role (only an Owner removes an Owner); InvalidInputError LastOwner.
 */
export async function removeMember(ctx: Caller, db: DataSource, membershipId: string): Promise<string> {
  const membership = await managedMembership(ctx, db, membershipId);
  if (membership.role === "Owner") requireOwnerFor(ctx, membership.organizationId, "Owner");
  return underOrganizationLock(db, membership, async (manager, current) => {
    if (current.role === "Owner") requireOwnerFor(ctx, current.organizationId, "Owner");
    await assertOwnerRemains(manager, current);
    await manager.getRepository(Membership).delete({ id: current.id });
    return current.id;
  });
}
