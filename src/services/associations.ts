// The association aggregate: an organizer lets an associate's members (a timing company's) reach its
// activities; not the reverse. Managed by the organizer's Owners and Admins.
import { ArgsType, Field, ID } from "type-graphql";
import type { DataSource } from "typeorm";
import { isObjectId, newObjectId } from "../db/object-id";
import { Association } from "../entities/association";
import { Organization } from "../entities/organization";
import { type Caller, isOperator, requireManagerOf } from "./caller";
import { InvalidInputError, NotFoundError } from "./domain-errors";
import type { AssociationView } from "./loaders";

@ArgsType()
export class CreateAssociationArgs {
  @Field(() => ID, { description: "The organizer whose activities become reachable." })
  organizerId: string;

  @Field(() => ID, { description: "The organization (a timing company, say) whose members reach them." })
  associateId: string;
}

/**
 * Lets the associate's members reach the organizer's activities; associating twice answers the existing association.
 * @throws NotFoundError / ForbiddenError for the caller's role in the organizer; InvalidInputError UnknownOrganization or SelfAssociation.
 */
export async function createAssociation(
  ctx: Caller,
  db: DataSource,
  { organizerId, associateId }: CreateAssociationArgs,
): Promise<AssociationView> {
  await requireManagerOf(ctx, db, organizerId);
  if (!isObjectId(associateId) || !(await db.getRepository(Organization).existsBy({ id: associateId }))) {
    throw new InvalidInputError("associateId", `No organization ${associateId}`, "UnknownOrganization");
  }
  if (associateId === organizerId)
    throw new InvalidInputError("associateId", "An organization cannot associate itself", "SelfAssociation");
  const repository = db.getRepository(Association);
  const existing = await repository.findOneBy({ organizerId, associateId });
  if (existing) return existing;
  const association = repository.create({ id: newObjectId(), organizerId, associateId, createdAt: new Date() });
  await repository.insert(association);
  return association;
}

/** Removes an association; returns its id. @throws NotFoundError (also for one the caller cannot see) / ForbiddenError. */
export async function removeAssociation(ctx: Caller, db: DataSource, associationId: string): Promise<string> {
  const association = isObjectId(associationId)
    ? await db.getRepository(Association).findOneBy({ id: associationId })
    : null;
  if (!association || (!isOperator(ctx) && !ctx.roles.has(association.organizerId)))
    throw new NotFoundError("Association", associationId);
  await requireManagerOf(ctx, db, association.organizerId);
  await db.getRepository(Association).delete({ id: association.id });
  return association.id;
}
