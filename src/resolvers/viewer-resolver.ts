import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver } from "type-graphql";
import { CreateAccessKeyArgs, createKey, listAccessKeys, revokeKey, type AccessKeyView } from "../services/access-keys";
import { loadAccount } from "../services/accounts";
import type { OrganizationView } from "../services/loaders";
import { type GraphQLContext, loaders, requireKey } from "../schema/context";
import { AccessKeyType, MembershipType, OrganizationType, ViewerType } from "../schema/organization-types";
import { withUserErrors } from "../schema/payload";
import { unpagedListComplexity } from "../schema/limits";
import { AccessKeyPayload, CreateAccessKeyPayload } from "./management-payloads";

@Resolver(() => ViewerType)
export class ViewerResolver {
  @Query(() => ViewerType, { description: "The caller: the account behind the access key." })
  async viewer(@Ctx() context: GraphQLContext): Promise<ViewerType> {
    const ctx = requireKey(context);
    return { id: ctx.accessKeyId, account: await loadAccount(context.db, ctx.accountId) };
  }

  @FieldResolver(() => [MembershipType], {
    description: "The viewer's own memberships.",
    complexity: unpagedListComplexity,
  })
  async memberships(@Ctx() context: GraphQLContext): Promise<MembershipType[]> {
    const ctx = requireKey(context);
    const all = await loaders(context).membershipsByOrganization.loadMany([...ctx.roles.keys()]);
    return all.flatMap((list) => (Array.isArray(list) ? list.filter((m) => m.accountId === ctx.accountId) : []));
  }

  @FieldResolver(() => [OrganizationType], {
    description:
      "Every organization the viewer may see: its own, organizers that associated them, and their associates.",
    complexity: unpagedListComplexity,
  })
  async organizations(@Ctx() context: GraphQLContext): Promise<OrganizationType[]> {
    const found = await loaders(context).organization.loadMany([...requireKey(context).visibleOrganizationIds]);
    return found
      .filter((o): o is OrganizationView => o !== null && !(o instanceof Error))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  @FieldResolver(() => [AccessKeyType], {
    description:
      "The viewer's own access keys, newest first (never their secrets); a key limited to some organizations sees only keys limited to those or fewer.",
    complexity: unpagedListComplexity,
  })
  accessKeys(@Ctx() context: GraphQLContext): Promise<AccessKeyView[]> {
    return listAccessKeys(requireKey(context), context.db);
  }

  @Mutation(() => CreateAccessKeyPayload, {
    description:
      "Creates an access key for the viewer's account. Name and secret are generated unless given; the secret is shown only in this answer.",
  })
  async createAccessKey(
    @Args(() => CreateAccessKeyArgs, { validate: false }) args: CreateAccessKeyArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<CreateAccessKeyPayload> {
    return withUserErrors(
      async () => {
        const created = await createKey(requireKey(context), context.db, args);
        return { accessKey: created.key, secret: created.secret };
      },
      { accessKey: null, secret: null },
    );
  }

  @Mutation(() => AccessKeyPayload, {
    description:
      "Revokes one of the viewer's own keys that this key may see (see accessKeys); the next request made with it is refused. Any other key is NOT_FOUND.",
  })
  async revokeAccessKey(
    @Arg("id", () => ID, { description: "Key id." }) id: string,
    @Ctx() context: GraphQLContext,
  ): Promise<AccessKeyPayload> {
    return withUserErrors(async () => ({ accessKey: await revokeKey(requireKey(context), context.db, { id }) }), {
      accessKey: null,
    });
  }
}
