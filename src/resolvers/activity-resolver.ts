import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import { loadReachableActivity } from "../services/access";
import { NotFoundError } from "../services/domain-errors";
import {
  MAX_SEARCH_LENGTH,
  cursorOf,
  loadPerson,
  loadRegistration,
  pageRegistrations,
  type RegistrationPageRequest,
} from "../services/registrations";
import type { RegistrationView } from "../services/registration-view";
import { loadStartList } from "../services/start-list";
import type { RegistrationState } from "../entities/registration";
import { type GraphQLContext, loaders, requireKey } from "../schema/context";
import { RegistrationStateEnum } from "../schema/enums";
import { EventType, OrganizationType } from "../schema/organization-types";
import { startListComplexity } from "../schema/start-list-sizes";
import {
  ActivityType,
  PersonType,
  RegistrationConnectionType,
  RegistrationType,
  StartListType,
} from "../schema/registration-types";

@ArgsType()
class RegistrationPageArgs implements RegistrationPageRequest {
  @Field(() => [RegistrationStateEnum], { nullable: true, description: "Only registrations in these states." })
  states?: RegistrationState[] | null;

  @Field(() => String, {
    nullable: true,
    description: `Part of the name or the code, or the exact start number; at most ${MAX_SEARCH_LENGTH} characters.`,
  })
  search?: string | null;

  @Field(() => Int, { nullable: true, description: "Page size, 50 by default, at most 1000." })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "The previous page's endCursor." })
  after?: string | null;
}

const pageComplexity = ({ childComplexity, args }: { childComplexity: number; args: { first?: number | null } }) =>
  Math.max(1, args.first ?? 50) * childComplexity + 2;

async function page(
  context: GraphQLContext,
  activityId: string,
  request: RegistrationPageRequest,
): Promise<RegistrationConnectionType> {
  const result = await pageRegistrations(context.db, requireKey(context), activityId, request);
  const edges = result.nodes.map((node) => ({ cursor: cursorOf(node.id), node }));
  return {
    edges,
    nodes: result.nodes,
    totalCount: result.totalCount,
    pageInfo: { hasNextPage: result.hasNextPage, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
  };
}

@Resolver()
export class ActivityQueries {
  @Query(() => ActivityType, {
    description: "An activity the access key may reach. NOT_FOUND when it does not exist or is out of reach.",
  })
  async activity(
    @Arg("id", () => ID, { description: "Activity id." }) id: string,
    @Ctx() context: GraphQLContext,
  ): Promise<ActivityType> {
    return loadReachableActivity(context.db, requireKey(context), id);
  }

  @Query(() => RegistrationConnectionType, {
    description: "A page of an activity's registrations (the same as activity(id).registrations).",
    complexity: pageComplexity,
  })
  async registrations(
    @Arg("activityId", () => ID, { description: "The activity." }) activityId: string,
    @Args(() => RegistrationPageArgs) request: RegistrationPageArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<RegistrationConnectionType> {
    return page(context, activityId, request);
  }

  @Query(() => RegistrationType, {
    description: "A registration in an activity the key may reach. NOT_FOUND otherwise.",
  })
  async registration(
    @Arg("id", () => ID, { description: "Registration id." }) id: string,
    @Ctx() context: GraphQLContext,
  ): Promise<RegistrationView> {
    return loadRegistration(context.db, requireKey(context), id);
  }

  @Query(() => PersonType, {
    description: "A person registered in an activity the key may reach. NOT_FOUND otherwise.",
  })
  async person(
    @Arg("id", () => ID, { description: "Person id." }) id: string,
    @Ctx() context: GraphQLContext,
  ): Promise<PersonType> {
    return loadPerson(context.db, requireKey(context), id);
  }

  @Query(() => StartListType, {
    description:
      "The public start list of an activity. Needs no key. Its complexity is its entries × the fields selected of it.",
    complexity: startListComplexity,
  })
  async startList(
    @Arg("activityId", () => ID, { description: "The activity." }) activityId: string,
    @Ctx() context: GraphQLContext,
  ): Promise<StartListType> {
    return loadStartList(context.db, activityId);
  }
}

@Resolver(() => ActivityType)
export class ActivityFields {
  @FieldResolver(() => RegistrationConnectionType, {
    description: "A page of the activity's registrations.",
    complexity: pageComplexity,
  })
  async registrations(
    @Root() activity: ActivityType,
    @Args(() => RegistrationPageArgs) request: RegistrationPageArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<RegistrationConnectionType> {
    return page(context, activity.id, request);
  }

  @FieldResolver(() => EventType, { description: "The event the activity belongs to." })
  async event(@Root() activity: ActivityType, @Ctx() context: GraphQLContext): Promise<EventType> {
    const event = await loaders(context).event.load(activity.eventId);
    if (!event) throw new NotFoundError("Event", activity.eventId);
    return event;
  }

  @FieldResolver(() => OrganizationType, { description: "The organizer of the activity." })
  async organizer(@Root() activity: ActivityType, @Ctx() context: GraphQLContext): Promise<OrganizationType> {
    const organization = await loaders(context).organization.load(activity.organizerId);
    if (!organization) throw new NotFoundError("Organization", activity.organizerId);
    return organization;
  }

  @FieldResolver(() => StartListType, {
    description:
      "The activity's public start list. Its complexity is the entries of the largest start list the key reaches × the fields selected of it.",
    complexity: startListComplexity,
  })
  async startList(@Root() activity: ActivityType, @Ctx() context: GraphQLContext): Promise<StartListType> {
    return loadStartList(context.db, activity.id);
  }
}

@Resolver(() => StartListType)
export class StartListFields {
  // A start list is one per activity, so the activity's id identifies it; its typename keeps it apart from the Activity.
  @FieldResolver(() => ID, {
    description:
      "The activity's id: one start list per activity, stable, so that a client's cache (Apollo Client, urql's Graphcache) updates it in place.",
  })
  id(@Root() list: StartListType): string {
    return list.activityId;
  }
}

@Resolver(() => RegistrationType)
export class RegistrationFields {
  @FieldResolver(() => ActivityType, { description: "The activity the registration is for." })
  async activity(@Root() registration: RegistrationView, @Ctx() context: GraphQLContext): Promise<ActivityType> {
    const activity = await loaders(context).activity.load(registration.activityId);
    if (!activity) throw new NotFoundError("Activity", registration.activityId);
    return activity;
  }
}
