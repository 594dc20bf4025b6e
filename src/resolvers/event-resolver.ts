import { GraphQLDateTimeISO, GraphQLLocalDate } from "graphql-scalars";
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import { NotFoundError } from "../services/domain-errors";
import { createActivityAs, createEventAs, updateActivity, updateEvent } from "../services/organization-admin";
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

  @FieldResolver(() => [ActivityType], { description: "The event's activities, by start time.", complexity: unpagedListComplexity })
  activities(@Root() event: EventType, @Ctx() context: GraphQLContext): Promise<ActivityType[]> {
    return loaders(context).activitiesByEvent.load(event.id);
  }

  @Mutation(() => EventPayload, { description: "Creates an event of an organizer (Owner or Admin)." })
  async createEvent(
    @Arg("organizerId", () => ID, { description: "The organizer." }) organizerId: string,
    @Arg("name", () => String, { description: "Name." }) name: string,
    @Arg("startsOn", () => GraphQLLocalDate, { nullable: true, description: "First day." }) startsOn: string | null,
    @Arg("endsOn", () => GraphQLLocalDate, { nullable: true, description: "Last day." }) endsOn: string | null,
    @Ctx() context: GraphQLContext,
  ): Promise<EventPayload> {
    return withUserErrors(async () => ({ event: await createEventAs(context.db, requireKey(context), organizerId, { name, startsOn, endsOn }) }), { event: null });
  }

  @Mutation(() => EventPayload, { description: "Changes an event (Owner or Admin of its organizer); omitted arguments stay, null dates clear." })
  async updateEvent(
    @Arg("id", () => ID, { description: "Event id." }) id: string,
    @Arg("name", () => String, { nullable: true, description: "New name." }) name: string | null | undefined,
    @Arg("startsOn", () => GraphQLLocalDate, { nullable: true, description: "New first day." }) startsOn: string | null | undefined,
    @Arg("endsOn", () => GraphQLLocalDate, { nullable: true, description: "New last day." }) endsOn: string | null | undefined,
    @Ctx() context: GraphQLContext,
  ): Promise<EventPayload> {
    return withUserErrors(async () => ({ event: await updateEvent(context.db, requireKey(context), id, { name, startsOn, endsOn }) }), { event: null });
  }

  @Mutation(() => ActivityPayload, { description: "Creates an activity of an event (Owner or Admin of its organizer)." })
  async createActivity(
    @Arg("eventId", () => ID, { description: "The event." }) eventId: string,
    @Arg("name", () => String, { description: "Name." }) name: string,
    @Arg("startsAt", () => GraphQLDateTimeISO, { nullable: true, description: "Start time." }) startsAt: Date | null,
    @Arg("currency", () => String, { nullable: true, description: "ISO 4217 currency of its fees; CZK when omitted." }) currency: string | null,
    @Ctx() context: GraphQLContext,
  ): Promise<ActivityPayload> {
    return withUserErrors(async () => ({ activity: await createActivityAs(context.db, requireKey(context), eventId, { name, startsAt, currency }) }), { activity: null });
  }

  @Mutation(() => ActivityPayload, { description: "Changes an activity (Owner or Admin of its organizer); omitted arguments stay." })
  async updateActivity(
    @Arg("id", () => ID, { description: "Activity id." }) id: string,
    @Arg("name", () => String, { nullable: true, description: "New name." }) name: string | null | undefined,
    @Arg("startsAt", () => GraphQLDateTimeISO, { nullable: true, description: "New start time; null clears it." }) startsAt: Date | null | undefined,
    @Arg("currency", () => String, { nullable: true, description: "New currency." }) currency: string | null | undefined,
    @Ctx() context: GraphQLContext,
  ): Promise<ActivityPayload> {
    return withUserErrors(async () => ({ activity: await updateActivity(context.db, requireKey(context), id, { name, startsAt, currency }) }), { activity: null });
  }
}
