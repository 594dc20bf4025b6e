import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { MembershipRole } from "../entities/membership";
import { requireMember } from "../services/access";
import { CreateAssociationArgs, createAssociation, removeAssociation } from "../services/associations";
import { ForbiddenError, NotFoundError } from "../services/domain-errors";
import { AddMemberArgs, ChangeMemberRoleArgs, addMember, changeMemberRole, removeMember } from "../services/members";
import {
  CreateOrganizationArgs,
  RenameOrganizationArgs,
  createOrganization,
  renameOrganization,
} from "../services/organizations";
import { type GraphQLContext, loaders, refreshAccess, requireKey } from "../schema/context";
import { MembershipRoleEnum } from "../schema/enums";
import {
  AccountType,
  AssociationType,
  EventType,
  MembershipType,
  OrganizationType,
} from "../schema/organization-types";
import { withUserErrors } from "../schema/payload";
import { unpagedListComplexity } from "../schema/limits";
import { AssociationPayload, MembershipPayload, OrganizationPayload, RemovalPayload } from "./management-payloads";

async function organization(context: GraphQLContext, id: string): Promise<OrganizationType> {
  const found = await loaders(context).organization.load(id);
  if (!found) throw new NotFoundError("Organization", id);
  return found;
}

@Resolver(() => OrganizationType)
export class OrganizationResolver {
  @Query(() => OrganizationType, {
    description:
      "An organization the key may see (its own, organizers that associated it, their associates). NOT_FOUND otherwise.",
  })
  async organization(
    @Arg("id", () => ID, { description: "Organization id." }) id: string,
    @Ctx() context: GraphQLContext,
  ): Promise<OrganizationType> {
    requireKey(context);
    return organization(context, id);
  }

  @FieldResolver(() => MembershipRoleEnum, {
    nullable: true,
    description: "The viewer's role here; null when the viewer is not a member.",
  })
  viewerRole(@Root() org: OrganizationType, @Ctx() context: GraphQLContext): MembershipRole | null {
    return requireKey(context).roles.get(org.id) ?? null;
  }

  @FieldResolver(() => Boolean, {
    description: "Whether the viewer reaches this organization's activities (as a member or an associate).",
  })
  reachable(@Root() org: OrganizationType, @Ctx() context: GraphQLContext): boolean {
    return requireKey(context).reachableOrganizerIds.has(org.id);
  }

  @FieldResolver(() => [MembershipType], {
    nullable: true,
    description: "Members. Null with a FORBIDDEN error unless the viewer is a member.",
    complexity: unpagedListComplexity,
  })
  async members(@Root() org: OrganizationType, @Ctx() context: GraphQLContext): Promise<MembershipType[]> {
    requireMember(requireKey(context), org.id);
    return loaders(context).membershipsByOrganization.load(org.id);
  }

  @FieldResolver(() => [AssociationType], {
    nullable: true,
    description: "Associations in either direction. Null with a FORBIDDEN error unless the viewer is a member.",
    complexity: unpagedListComplexity,
  })
  async associations(@Root() org: OrganizationType, @Ctx() context: GraphQLContext): Promise<AssociationType[]> {
    requireMember(requireKey(context), org.id);
    return loaders(context).associationsByOrganization.load(org.id);
  }

  @FieldResolver(() => [EventType], {
    nullable: true,
    description: "Events it organizes. Null with a FORBIDDEN error unless the viewer reaches its activities.",
    complexity: unpagedListComplexity,
  })
  async events(@Root() org: OrganizationType, @Ctx() context: GraphQLContext): Promise<EventType[]> {
    if (!requireKey(context).reachableOrganizerIds.has(org.id))
      throw new ForbiddenError("Only members and associates of the organizer see its events");
    return loaders(context).eventsByOrganizer.load(org.id);
  }

  @Mutation(() => OrganizationPayload, { description: "Creates an organization; the viewer becomes its Owner." })
  async createOrganization(
    @Args(() => CreateOrganizationArgs, { validate: false }) args: CreateOrganizationArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<OrganizationPayload> {
    return withUserErrors(
      async () => {
        const created = await createOrganization(requireKey(context), context.db, args);
        await refreshAccess(context);
        return { organization: created };
      },
      { organization: null },
    );
  }

  @Mutation(() => OrganizationPayload, { description: "Renames an organization (Owner or Admin)." })
  async renameOrganization(
    @Args(() => RenameOrganizationArgs, { validate: false }) args: RenameOrganizationArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<OrganizationPayload> {
    return withUserErrors(
      async () => ({ organization: await renameOrganization(requireKey(context), context.db, args) }),
      { organization: null },
    );
  }

  @Mutation(() => MembershipPayload, {
    description:
      "Adds an account (created for a new login) to an organization (Owner or Admin; only an Owner adds Owners).",
  })
  async addMember(
    @Args(() => AddMemberArgs, { validate: false }) args: AddMemberArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<MembershipPayload> {
    return withUserErrors(async () => ({ membership: await addMember(requireKey(context), context.db, args) }), {
      membership: null,
    });
  }

  @Mutation(() => MembershipPayload, {
    description: "Changes a member's role (Owner or Admin; only an Owner touches Owners; the last Owner stays).",
  })
  async changeMemberRole(
    @Args(() => ChangeMemberRoleArgs, { validate: false }) args: ChangeMemberRoleArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<MembershipPayload> {
    return withUserErrors(async () => ({ membership: await changeMemberRole(requireKey(context), context.db, args) }), {
      membership: null,
    });
  }

  @Mutation(() => RemovalPayload, { description: "Removes a member (Owner or Admin; the last Owner stays)." })
  async removeMember(
    @Arg("membershipId", () => ID, { description: "Membership id." }) membershipId: string,
    @Ctx() context: GraphQLContext,
  ): Promise<RemovalPayload> {
    return withUserErrors(
      async () => ({ removedId: await removeMember(requireKey(context), context.db, membershipId) }),
      { removedId: null },
    );
  }

  @Mutation(() => AssociationPayload, {
    description: "Lets the associate's members reach the organizer's activities (Owner or Admin of the organizer).",
  })
  async createAssociation(
    @Args(() => CreateAssociationArgs, { validate: false }) args: CreateAssociationArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<AssociationPayload> {
    return withUserErrors(
      async () => {
        const association = await createAssociation(requireKey(context), context.db, args);
        await refreshAccess(context);
        return { association };
      },
      { association: null },
    );
  }

  @Mutation(() => RemovalPayload, { description: "Removes an association (Owner or Admin of the organizer)." })
  async removeAssociation(
    @Arg("associationId", () => ID, { description: "Association id." }) associationId: string,
    @Ctx() context: GraphQLContext,
  ): Promise<RemovalPayload> {
    return withUserErrors(
      async () => ({ removedId: await removeAssociation(requireKey(context), context.db, associationId) }),
      { removedId: null },
    );
  }
}

@Resolver(() => MembershipType)
export class MembershipFields {
  @FieldResolver(() => AccountType, { description: "The member's account." })
  account(@Root() membership: MembershipType): AccountType {
    return { id: membership.accountId, login: membership.login };
  }

  @FieldResolver(() => OrganizationType, { description: "The organization." })
  organization(@Root() membership: MembershipType, @Ctx() context: GraphQLContext): Promise<OrganizationType> {
    return organization(context, membership.organizationId);
  }
}

@Resolver(() => AssociationType)
export class AssociationFields {
  @FieldResolver(() => OrganizationType, { description: "The organizer whose activities the associate reaches." })
  organizer(@Root() association: AssociationType, @Ctx() context: GraphQLContext): Promise<OrganizationType> {
    return organization(context, association.organizerId);
  }

  @FieldResolver(() => OrganizationType, { description: "The associate (a timing company, say)." })
  associate(@Root() association: AssociationType, @Ctx() context: GraphQLContext): Promise<OrganizationType> {
    return organization(context, association.associateId);
  }
}
