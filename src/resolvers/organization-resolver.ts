import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { MembershipRole } from "../entities/membership";
import type { OrganizationKind } from "../entities/organization";
import { requireMember } from "../services/access";
import { ForbiddenError, NotFoundError } from "../services/domain-errors";
import {
  addMemberAs, changeMemberRole, createAssociationAs, createOwnOrganization, removeAssociation, removeMember, renameOrganization,
} from "../services/organization-admin";
import { type GraphQLContext, loaders, refreshAccess, requireKey } from "../schema/context";
import { MembershipRoleEnum, OrganizationKindEnum } from "../schema/enums";
import { AccountType, AssociationType, EventType, MembershipType, OrganizationType } from "../schema/organization-types";
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
  @Query(() => OrganizationType, { description: "An organization the key may see (its own, organizers that associated it, their associates). NOT_FOUND otherwise." })
  async organization(@Arg("id", () => ID, { description: "Organization id." }) id: string, @Ctx() context: GraphQLContext): Promise<OrganizationType> {
    requireKey(context);
    return organization(context, id);
  }

  @FieldResolver(() => MembershipRoleEnum, { nullable: true, description: "The viewer's role here; null when the viewer is not a member." })
  viewerRole(@Root() org: OrganizationType, @Ctx() context: GraphQLContext): MembershipRole | null {
    return requireKey(context).roles.get(org.id) ?? null;
  }

  @FieldResolver(() => Boolean, { description: "Whether the viewer reaches this organization's activities (as a member or an associate)." })
  reachable(@Root() org: OrganizationType, @Ctx() context: GraphQLContext): boolean {
    return requireKey(context).reachableOrganizerIds.has(org.id);
  }

  @FieldResolver(() => [MembershipType], { nullable: true, description: "Members. Null with a FORBIDDEN error unless the viewer is a member.", complexity: unpagedListComplexity })
  async members(@Root() org: OrganizationType, @Ctx() context: GraphQLContext): Promise<MembershipType[]> {
    requireMember(requireKey(context), org.id);
    return loaders(context).membershipsByOrganization.load(org.id);
  }

  @FieldResolver(() => [AssociationType], { nullable: true, description: "Associations in either direction. Null with a FORBIDDEN error unless the viewer is a member.", complexity: unpagedListComplexity })
  async associations(@Root() org: OrganizationType, @Ctx() context: GraphQLContext): Promise<AssociationType[]> {
    requireMember(requireKey(context), org.id);
    return loaders(context).associationsByOrganization.load(org.id);
  }

  @FieldResolver(() => [EventType], { nullable: true, description: "Events it organizes. Null with a FORBIDDEN error unless the viewer reaches its activities.", complexity: unpagedListComplexity })
  async events(@Root() org: OrganizationType, @Ctx() context: GraphQLContext): Promise<EventType[]> {
    if (!requireKey(context).reachableOrganizerIds.has(org.id)) throw new ForbiddenError("Only members and associates of the organizer see its events");
    return loaders(context).eventsByOrganizer.load(org.id);
  }

  @Mutation(() => OrganizationPayload, { description: "Creates an organization; the viewer becomes its Owner." })
  async createOrganization(
    @Arg("name", () => String, { description: "Name." }) name: string,
    @Arg("kind", () => OrganizationKindEnum, { defaultValue: "Organizer", description: "Kind." }) kind: OrganizationKind,
    @Ctx() context: GraphQLContext,
  ): Promise<OrganizationPayload> {
    return withUserErrors(async () => {
      const created = await createOwnOrganization(context.db, requireKey(context), name, kind);
      await refreshAccess(context);
      return { organization: created };
    }, { organization: null });
  }

  @Mutation(() => OrganizationPayload, { description: "Renames an organization (Owner or Admin)." })
  async renameOrganization(
    @Arg("id", () => ID, { description: "Organization id." }) id: string,
    @Arg("name", () => String, { description: "New name." }) name: string,
    @Ctx() context: GraphQLContext,
  ): Promise<OrganizationPayload> {
    return withUserErrors(async () => ({ organization: await renameOrganization(context.db, requireKey(context), id, name) }), { organization: null });
  }

  @Mutation(() => MembershipPayload, { description: "Adds an account (created for a new login) to an organization (Owner or Admin; only an Owner adds Owners)." })
  async addMember(
    @Arg("organizationId", () => ID, { description: "Organization id." }) organizationId: string,
    @Arg("login", () => String, { description: "The account's login (e-mail)." }) login: string,
    @Arg("role", () => MembershipRoleEnum, { defaultValue: "Member", description: "Role." }) role: MembershipRole,
    @Ctx() context: GraphQLContext,
  ): Promise<MembershipPayload> {
    return withUserErrors(async () => ({ membership: await addMemberAs(context.db, requireKey(context), organizationId, login, role) }), { membership: null });
  }

  @Mutation(() => MembershipPayload, { description: "Changes a member's role (Owner or Admin; only an Owner touches Owners; the last Owner stays)." })
  async changeMemberRole(
    @Arg("membershipId", () => ID, { description: "Membership id." }) membershipId: string,
    @Arg("role", () => MembershipRoleEnum, { description: "New role." }) role: MembershipRole,
    @Ctx() context: GraphQLContext,
  ): Promise<MembershipPayload> {
    return withUserErrors(async () => ({ membership: await changeMemberRole(context.db, requireKey(context), membershipId, role) }), { membership: null });
  }

  @Mutation(() => RemovalPayload, { description: "Removes a member (Owner or Admin; the last Owner stays)." })
  async removeMember(@Arg("membershipId", () => ID, { description: "Membership id." }) membershipId: string, @Ctx() context: GraphQLContext): Promise<RemovalPayload> {
    return withUserErrors(async () => ({ removedId: await removeMember(context.db, requireKey(context), membershipId) }), { removedId: null });
  }

  @Mutation(() => AssociationPayload, { description: "Lets the associate's members reach the organizer's activities (Owner or Admin of the organizer)." })
  async createAssociation(
    @Arg("organizerId", () => ID, { description: "The organizer whose activities become reachable." }) organizerId: string,
    @Arg("associateId", () => ID, { description: "The organization (a timing company, say) whose members reach them." }) associateId: string,
    @Ctx() context: GraphQLContext,
  ): Promise<AssociationPayload> {
    return withUserErrors(async () => {
      const association = await createAssociationAs(context.db, requireKey(context), organizerId, associateId);
      await refreshAccess(context);
      return { association };
    }, { association: null });
  }

  @Mutation(() => RemovalPayload, { description: "Removes an association (Owner or Admin of the organizer)." })
  async removeAssociation(@Arg("associationId", () => ID, { description: "Association id." }) associationId: string, @Ctx() context: GraphQLContext): Promise<RemovalPayload> {
    return withUserErrors(async () => ({ removedId: await removeAssociation(context.db, requireKey(context), associationId) }), { removedId: null });
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
