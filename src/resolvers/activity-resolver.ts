import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { loadReachableActivity } from "../services/access";
import { listRegistrations } from "../services/registrations";
import type { RegistrationState } from "../entities/registration";
import { type GraphQLContext, requireKey } from "../schema/context";
import { RegistrationStateEnum } from "../schema/enums";
import { ActivityType, RegistrationType } from "../schema/registration-types";

@Resolver(() => ActivityType)
export class ActivityResolver {
  @Query(() => ActivityType, { description: "An activity the access key may reach. NOT_FOUND when it does not exist or is out of reach." })
  async activity(@Arg("id", () => ID, { description: "Activity id." }) id: string, @Ctx() context: GraphQLContext): Promise<ActivityType> {
    return loadReachableActivity(context.db, requireKey(context), id);
  }

  @FieldResolver(() => [RegistrationType], { description: "The activity's registrations, oldest first." })
  async registrations(
    @Root() activity: ActivityType,
    @Arg("states", () => [RegistrationStateEnum], { nullable: true, description: "Only registrations in these states." }) states: RegistrationState[] | null,
    @Ctx() context: GraphQLContext,
  ): Promise<RegistrationType[]> {
    return listRegistrations(context.db, requireKey(context), activity.id, { states: states ?? undefined });
  }
}
