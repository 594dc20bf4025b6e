// The event aggregate: an organizer's events (race weekends), managed by the organizer's Owners and Admins.
import { GraphQLLocalDate } from "graphql-scalars";
import { ArgsType, Field, ID } from "type-graphql";
import type { DataSource, EntityManager } from "typeorm";
import { isObjectId, newObjectId } from "../db/object-id";
import { Event } from "../entities/event";
import { type Caller, reaches, requireManagerOf } from "./caller";
import { InvalidInputError, NotFoundError } from "./domain-errors";
import { IsDay, IsName, inputOf } from "./management-field-rules";
import { checkedInput } from "./input-validation";
import type { EventView } from "./loaders";

@ArgsType()
export class CreateEventArgs {
  @Field(() => ID, { description: "The organizer." })
  organizerId: string;

  @Field(() => String, { description: "Name." })
  @IsName()
  name: string;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "First day." })
  @IsDay()
  startsOn?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "Last day." })
  @IsDay()
  endsOn?: string | null;
}

/** Omitted fields stay; null dates clear. */
@ArgsType()
export class UpdateEventArgs {
  @Field(() => ID, { description: "Event id." })
  id: string;

  @Field(() => String, { nullable: true, description: "New name." })
  @IsName()
  name?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "New first day." })
  @IsDay()
  startsOn?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "New last day." })
  @IsDay()
  endsOn?: string | null;
}

/** An event ends on or after the day it starts (the database's check says so too, less kindly). @throws InvalidInputError */
function requireOrderedDays(startsOn: string | null, endsOn: string | null): void {
  if (startsOn && endsOn && endsOn < startsOn)
    throw new InvalidInputError("endsOn", "endsOn must not be before startsOn");
}

/**
 * A new event of an organizer.
 * @throws NotFoundError / ForbiddenError unless the caller is Owner or Admin of the organizer; InvalidInputError for a bad name or days, or an end before the start.
 */
export async function createEvent(
  ctx: Caller,
  db: DataSource | EntityManager,
  args: CreateEventArgs,
): Promise<EventView> {
  await requireManagerOf(ctx, db, args.organizerId);
  const { organizerId, name, startsOn = null, endsOn = null } = checkedInput(inputOf(CreateEventArgs, args));
  requireOrderedDays(startsOn, endsOn);
  const event = db
    .getRepository(Event)
    .create({ id: newObjectId(), organizerId, name: name.trim(), startsOn, endsOn, createdAt: new Date() });
  await db.getRepository(Event).insert(event);
  return { id: event.id, organizerId, name: event.name, startsOn, endsOn };
}

/**
 * An event the caller may manage.
 * @throws NotFoundError when it does not exist or the caller does not reach its organizer; ForbiddenError when the role is too low.
 */
export async function managedEvent(ctx: Caller, db: DataSource | EntityManager, eventId: string): Promise<Event> {
  const event = isObjectId(eventId) ? await db.getRepository(Event).findOneBy({ id: eventId }) : null;
  if (!event || !reaches(ctx, event.organizerId)) throw new NotFoundError("Event", eventId);
  await requireManagerOf(ctx, db, event.organizerId, "Event");
  return event;
}

/**
 * Changes an event; omitted fields stay, null dates clear.
 * @throws NotFoundError / ForbiddenError as managedEvent; InvalidInputError for a bad name or days, or an end before the start.
 */
export async function updateEvent(ctx: Caller, db: DataSource, args: UpdateEventArgs): Promise<EventView> {
  const event = await managedEvent(ctx, db, args.id);
  const { name, startsOn, endsOn } = checkedInput(inputOf(UpdateEventArgs, args));
  const next = {
    name: name === undefined || name === null ? event.name : name.trim(),
    startsOn: startsOn === undefined ? event.startsOn : startsOn,
    endsOn: endsOn === undefined ? event.endsOn : endsOn,
  };
  requireOrderedDays(next.startsOn, next.endsOn);
  await db.getRepository(Event).update({ id: event.id }, next);
  return { id: event.id, organizerId: event.organizerId, ...next };
}
