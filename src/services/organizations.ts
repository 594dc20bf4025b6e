// The organization aggregate: creating and renaming organizations, for a key's account or the operator.
import { Field, ArgsType, ID } from "type-graphql";
import type { DataSource, EntityManager } from "typeorm";
import { newObjectId } from "../db/object-id";
import { Membership } from "../entities/membership";
import { Organization, ORGANIZATION_KINDS, type OrganizationKind } from "../entities/organization";
import { OrganizationKindEnum } from "../schema/enums";
import { type Caller, isOperator, requireManagerOf } from "./caller";
import { ForbiddenError } from "./domain-errors";
import { IsName, IsOneOf, inputOf } from "./management-field-rules";
import { checkedInput } from "./input-validation";
import type { OrganizationView } from "./loaders";

@ArgsType()
export class CreateOrganizationArgs {
  @Field(() => String, { description: "Name." })
  @IsName()
  name: string;

  @Field(() => OrganizationKindEnum, { defaultValue: "Organizer", description: "Kind." })
  @IsOneOf(ORGANIZATION_KINDS)
  kind: OrganizationKind = "Organizer";
}

@ArgsType()
export class RenameOrganizationArgs {
  @Field(() => ID, { description: "Organization id." })
  id: string;

  @Field(() => String, { description: "New name." })
  @IsName()
  name: string;
}

/**
 * A new organization. A key's account becomes its Owner (in the same transaction); the operator's has no members yet.
 * @throws InvalidInputError for a bad name or kind; ForbiddenError for a key limited to some organizations (it acts for those only).
 */
export async function createOrganization(
  ctx: Caller,
  db: DataSource | EntityManager,
  args: CreateOrganizationArgs,
): Promise<OrganizationView> {
  if (!isOperator(ctx) && ctx.keyOrganizationIds) {
    throw new ForbiddenError("This access key is limited to some organizations; use an unlimited key to create one");
  }
  const { name, kind } = checkedInput(inputOf(CreateOrganizationArgs, args));
  return db.transaction(async (manager) => {
    const organization = manager
      .getRepository(Organization)
      .create({ id: newObjectId(), name: name.trim(), kind, createdAt: new Date() });
    await manager.getRepository(Organization).insert(organization);
    if (!isOperator(ctx)) {
      await manager.getRepository(Membership).insert({
        id: newObjectId(),
        organizationId: organization.id,
        accountId: ctx.accountId,
        role: "Owner",
        createdAt: new Date(),
      });
    }
    return organization;
  });
}

/** @throws InvalidInputError for a bad name; NotFoundError / ForbiddenError unless the caller is Owner or Admin. */
export async function renameOrganization(
  ctx: Caller,
  db: DataSource,
  args: RenameOrganizationArgs,
): Promise<OrganizationView> {
  await requireManagerOf(ctx, db, args.id);
  const { id, name } = checkedInput(inputOf(RenameOrganizationArgs, args));
  await db.getRepository(Organization).update({ id }, { name: name.trim() });
  return db.getRepository(Organization).findOneByOrFail({ id });
}
