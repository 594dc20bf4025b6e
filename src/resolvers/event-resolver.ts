import { Args, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { CreateActivityArgs, UpdateActivityArgs, createActivity, updateActivity } from "../services/activities";
import { NotFoundError } from "../services/domain-errors";
import { CreateEventArgs, UpdateEventArgs, createEvent, updateEvent } from "../services/events";
import { type GraphQLContext, loaders, requireKey } from "../schema/context";
import { EventType, OrganizationType } from "../schema/organization-types";
import { withUserErrors } from "../schema/payload";
import { unpagedListComplexity } from "../schema/limits";
import { ActivityType } from "../schema/registration-types";
import { ActivityPayload, EventPayload } from "./management-payloads";

@Resolver(() => EventType)
export class EventResolver {
  @FieldResolver(() => OrganizationType, { description: "The organizer." })
  async organizer(@Root() event: EventType, @Ctx() context: GraphQLContext): Promise<OrganizationType> {
    const organization = await loaders(context).organization.load(event.organizerId);
    if (!organization) throw new NotFoundError("Organization", event.organizerId);
    return organization;
  }

  @FieldResolver(() => [ActivityType], {
    description: "The event's activities, by start time.",
    complexity: unpagedListComplexity,
  })
  activities(@Root() event: EventType, @Ctx() context: GraphQLContext): Promise<ActivityType[]> {
    return loaders(context).activitiesByEvent.load(event.id);
  }

  @Mutation(() => EventPayload, { description: "Creates an event of an organizer (Owner or Admin)." })
  async createEvent(
    @Args(() => CreateEventArgs, { validate: false }) args: CreateEventArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<EventPayload> {
    return withUserErrors(async () => ({ event: await createEvent(requireKey(context), context.db, args) }), {
      event: null,
    });
  }

  @Mutation(() => EventPayload, {
    description: "Changes an event (Owner or Admin of its organizer); omitted arguments stay, null dates clear.",
  })
  async updateEvent(
    @Args(() => UpdateEventArgs, { validate: false }) args: UpdateEventArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<EventPayload> {
    return withUserErrors(async () => ({ event: await updateEvent(requireKey(context), context.db, args) }), {
      event: null,
    });
  }

  @Mutation(() => ActivityPayload, {
    description: "Creates an activity of an event (Owner or Admin of its organizer).",
  })
  async createActivity(
    @Args(() => CreateActivityArgs, { validate: false }) args: CreateActivityArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<ActivityPayload> {
    return withUserErrors(async () => ({ activity: await createActivity(requireKey(context), context.db, args) }), {
      activity: null,
    });
  }

  @Mutation(() => ActivityPayload, {
    description: "Changes an activity (Owner or Admin of its organizer); omitted arguments stay.",
  })
  async updateActivity(
    @Args(() => UpdateActivityArgs, { validate: false }) args: UpdateActivityArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<ActivityPayload> {
    return withUserErrors(async () => ({ activity: await updateActivity(requireKey(context), context.db, args) }), {
      activity: null,
    });
  }
}
