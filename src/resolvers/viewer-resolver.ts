import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver } from "type-graphql";
import type { OrganizationView } from "../services/loaders";
import { createOwnAccessKey, listOwnAccessKeys, revokeOwnAccessKey, type AccessKeyView } from "../services/organization-admin";
import { type GraphQLContext, loaders, requireKey } from "../schema/context";
import { AccessKeyType, AccountType, MembershipType, OrganizationType, ViewerType } from "../schema/organization-types";
import { withUserErrors } from "../schema/payload";
import { unpagedListComplexity } from "../schema/limits";
import { AccessKeyPayload, CreateAccessKeyPayload } from "./management-payloads";

@Resolver(() => ViewerType)
export class ViewerResolver {
  @Query(() => ViewerType, { description: "The caller: the account behind the access key." })
  async viewer(@Ctx() context: GraphQLContext): Promise<ViewerType> {
    const ctx = requireKey(context);
    const [account] = await context.db.query(`SELECT id, login FROM user_account WHERE id = $1`, [ctx.accountId]);
    return { id: ctx.accessKeyId, account: account as AccountType };
  }

  @FieldResolver(() => [MembershipType], { description: "The viewer's own memberships.", complexity: unpagedListComplexity })
  async memberships(@Ctx() context: GraphQLContext): Promise<MembershipType[]> {
    const ctx = requireKey(context);
    const all = await loaders(context).membershipsByOrganization.loadMany([...ctx.roles.keys()]);
    return all.flatMap((list) => (Array.isArray(list) ? list.filter((m) => m.accountId === ctx.accountId) : []));
  }

  @FieldResolver(() => [OrganizationType], { description: "Every organization the viewer may see: its own, organizers that associated them, and their associates.", complexity: unpagedListComplexity })
  async organizations(@Ctx() context: GraphQLContext): Promise<OrganizationType[]> {
    const found = await loaders(context).organization.loadMany([...requireKey(context).visibleOrganizationIds]);
    return found.filter((o): o is OrganizationView => o !== null && !(o instanceof Error)).sort((a, b) => a.name.localeCompare(b.name));
  }

  @FieldResolver(() => [AccessKeyType], {
    description: "The viewer's own access keys, newest first (never their secrets); a key limited to some organizations sees only keys limited to those or fewer.",
    complexity: unpagedListComplexity,
  })
  accessKeys(@Ctx() context: GraphQLContext): Promise<AccessKeyView[]> {
    return listOwnAccessKeys(context.db, requireKey(context));
  }

  @Mutation(() => CreateAccessKeyPayload, { description: "Creates an access key for the viewer's account. Name and secret are generated unless given; the secret is shown only in this answer." })
  async createAccessKey(
    @Arg("name", () => String, { nullable: true, description: "Key name (3–64 of A–Z a–z 0–9 . _ ~ -)." }) name: string | null,
    @Arg("secret", () => String, { nullable: true, description: "Secret, at least 16 characters." }) secret: string | null,
    @Arg("description", () => String, { nullable: true, description: "What the key is for." }) description: string | null,
    @Arg("readOnly", () => Boolean, { defaultValue: false, description: "Make a key that can read but not write." }) readOnly: boolean,
    @Arg("organizationIds", () => [ID], { nullable: true, description: "Limit the key to these of the viewer's organizations; omitted: all (or, with a limited key, the same limit)." }) organizationIds: string[] | null,
    @Ctx() context: GraphQLContext,
  ): Promise<CreateAccessKeyPayload> {
    return withUserErrors(async () => {
      const created = await createOwnAccessKey(context.db, requireKey(context), { name, secret, description, readOnly, organizationIds });
      return { accessKey: created.key, secret: created.secret };
    }, { accessKey: null, secret: null });
  }

  @Mutation(() => AccessKeyPayload, { description: "Revokes one of the viewer's own keys that this key may see (see accessKeys); the next request made with it is refused. Any other key is NOT_FOUND." })
  async revokeAccessKey(@Arg("id", () => ID, { description: "Key id." }) id: string, @Ctx() context: GraphQLContext): Promise<AccessKeyPayload> {
    return withUserErrors(async () => ({ accessKey: await revokeOwnAccessKey(context.db, requireKey(context), id) }), { accessKey: null });
  }
}
