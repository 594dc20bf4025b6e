// The activity aggregate: the races of an event, managed by the organizer's Owners and Admins.
import { GraphQLDateTimeISO } from "graphql-scalars";
import { ArgsType, Field, ID } from "type-graphql";
import type { DataSource } from "typeorm";
import { isObjectId, newObjectId } from "../db/object-id";
import { Activity } from "../entities/activity";
import { Event } from "../entities/event";
import { type ActivityRef, loadReachableActivity } from "./access";
import { type Caller, isOperator, requireManagerOf } from "./caller";
import { NotFoundError } from "./domain-errors";
import { managedEvent } from "./events";
import { IsCurrency, IsName, inputOf } from "./management-field-rules";
import { checkedInput } from "./input-validation";

export const DEFAULT_CURRENCY = "CZK";

@ArgsType()
export class CreateActivityArgs {
  @Field(() => ID, { description: "The event." })
  eventId: string;

  @Field(() => String, { description: "Name." })
  @IsName()
  name: string;

  @Field(() => GraphQLDateTimeISO, { nullable: true, description: "Start time." })
  startsAt?: Date | null;

  @Field(() => String, { nullable: true, description: "ISO 4217 currency of its fees; CZK when omitted." })
  @IsCurrency()
  currency?: string | null;
}

/** Omitted fields stay. */
@ArgsType()
export class UpdateActivityArgs {
  @Field(() => ID, { description: "Activity id." })
  id: string;

  @Field(() => String, { nullable: true, description: "New name." })
  @IsName()
  name?: string | null;

  @Field(() => GraphQLDateTimeISO, { nullable: true, description: "New start time; null clears it." })
  startsAt?: Date | null;

  @Field(() => String, { nullable: true, description: "New currency." })
  @IsCurrency()
  currency?: string | null;
}

/**
 * A new activity of an event.
 * @throws NotFoundError / ForbiddenError unless the caller manages the event's organizer; InvalidInputError for a bad name or currency.
 */
export async function createActivity(ctx: Caller, db: DataSource, args: CreateActivityArgs): Promise<ActivityRef> {
  const event = await managedEvent(ctx, db, args.eventId);
  const { name, startsAt = null, currency } = checkedInput(inputOf(CreateActivityArgs, args));
  const activity = db.getRepository(Activity).create({
    id: newObjectId(),
    eventId: event.id,
    name: name.trim(),
    startsAt,
    currency: currency ?? DEFAULT_CURRENCY,
    createdAt: new Date(),
  });
  await db.getRepository(Activity).insert(activity);
  return {
    id: activity.id,
    eventId: event.id,
    name: activity.name,
    startsAt,
    organizerId: event.organizerId,
    currency: activity.currency,
  };
}

/** An activity the caller reaches (the operator: any). @throws NotFoundError otherwise. */
async function reachableActivity(ctx: Caller, db: DataSource, activityId: string): Promise<ActivityRef> {
  if (!isOperator(ctx)) return loadReachableActivity(db, ctx, activityId);
  const activity = isObjectId(activityId) ? await db.getRepository(Activity).findOneBy({ id: activityId }) : null;
  const event = activity && (await db.getRepository(Event).findOneBy({ id: activity.eventId }));
  if (!activity || !event) throw new NotFoundError("Activity", activityId);
  const { id, eventId, name, startsAt, currency } = activity;
  return { id, eventId, name, startsAt, currency, organizerId: event.organizerId };
}

/**
 * Changes an activity; omitted fields stay.
 * @throws NotFoundError / ForbiddenError unless the caller manages its organizer; InvalidInputError for a bad name or currency.
 */
export async function updateActivity(ctx: Caller, db: DataSource, args: UpdateActivityArgs): Promise<ActivityRef> {
  const activity = await reachableActivity(ctx, db, args.id);
  await requireManagerOf(ctx, db, activity.organizerId, "Activity");
  const { name, startsAt, currency } = checkedInput(inputOf(UpdateActivityArgs, args));
  await db.getRepository(Activity).update(
    { id: activity.id },
    {
      name: name === undefined || name === null ? activity.name : name.trim(),
      startsAt: startsAt === undefined ? activity.startsAt : startsAt,
      currency: currency ?? activity.currency,
    },
  );
  return reachableActivity(ctx, db, activity.id);
}
