// GraphQL object types of the registration read side; they resolve from the services' views.
import { GraphQLDateTimeISO, GraphQLLocalDate } from "graphql-scalars";
import { Field, ID, Int, ObjectType, type ClassType } from "type-graphql";
import {
  MONEY,
  PERSON,
  REGISTRATION,
  type MoneyView,
  type OutputEnumName,
  type OutputField,
  type OutputShape,
  type PersonView,
  type RegistrationView,
} from "../services/registration-fields";
import { RegistrationSourceEnum, RegistrationStateEnum, SexEnum } from "./enums";

// Registration, Person and Money take their fields from the definition (services/registration-fields.ts),
// applied here as the decorators would be; the classes stay empty, what resolvers return is the view.

const SCALARS = {
  id: ID,
  string: String,
  int: Int,
  boolean: Boolean,
  date: GraphQLLocalDate,
  dateTime: GraphQLDateTimeISO,
} as const satisfies Record<Exclude<OutputField["kind"], "enum" | "object">, unknown>;

const ENUMS: Record<OutputEnumName, object> = {
  RegistrationState: RegistrationStateEnum,
  Sex: SexEnum,
  RegistrationSource: RegistrationSourceEnum,
};

/** The GraphQL class of each shape, for fields that hold one. */
const TYPES = new Map<OutputShape, ClassType>();

function graphqlType(field: OutputField): object {
  if (field.kind === "enum") return ENUMS[field.enumName];
  if (field.kind === "object") {
    const type = TYPES.get(field.shape);
    if (!type) throw new Error(`The shape ${field.shape.name} has no GraphQL type`);
    return type;
  }
  return SCALARS[field.kind];
}

/** Makes `target` the GraphQL object type of `shape`: its name, description and every field. */
function objectTypeOf<T extends ClassType>(shape: OutputShape, target: T): T {
  ObjectType(shape.name, { description: shape.description })(target);
  for (const [name, field] of Object.entries(shape.fields)) {
    Field(() => graphqlType(field), { description: field.description, ...(field.nullable ? { nullable: true } : {}) })(
      target.prototype,
      name,
    );
  }
  TYPES.set(shape, target);
  return target;
}

export const MoneyType = objectTypeOf(MONEY, class MoneyType {});
export type MoneyType = MoneyView;
export const PersonType = objectTypeOf(PERSON, class PersonType {});
export type PersonType = PersonView;
export const RegistrationType = objectTypeOf(REGISTRATION, class RegistrationType {});
export type RegistrationType = RegistrationView;

@ObjectType("Activity", { description: "A race of an event; registrations are made for an activity." })
export class ActivityType {
  @Field(() => ID, { description: "24-character hex id." })
  id: string;

  @Field(() => String, { description: "Name of the activity." })
  name: string;

  @Field(() => GraphQLDateTimeISO, { nullable: true, description: "When the race starts." })
  startsAt: Date | null;

  @Field(() => String, { description: "ISO 4217 currency of the activity's entry fees." })
  currency: string;

  eventId: string;
  organizerId: string;
}

@ObjectType("PageInfo", { description: "Where a page ends and whether more follow." })
export class PageInfoType {
  @Field(() => Boolean, { description: "Whether another page follows." })
  hasNextPage: boolean;

  @Field(() => String, {
    nullable: true,
    description: "Cursor of the page's last item; pass it as `after` for the next page.",
  })
  endCursor: string | null;
}

@ObjectType("RegistrationEdge", { description: "A registration in a page, with its cursor." })
export class RegistrationEdgeType {
  @Field(() => String, { description: "Opaque cursor of this registration." })
  cursor: string;

  @Field(() => RegistrationType, { description: "The registration." })
  node: RegistrationType;
}

@ObjectType("RegistrationConnection", {
  description: "A page of registrations in a stable order (creation time, then id).",
})
export class RegistrationConnectionType {
  @Field(() => [RegistrationEdgeType], { description: "The page's registrations with their cursors." })
  edges: RegistrationEdgeType[];

  @Field(() => [RegistrationType], { description: "The page's registrations (the edges' nodes)." })
  nodes: RegistrationType[];

  @Field(() => PageInfoType, { description: "Where the page ends." })
  pageInfo: PageInfoType;

  @Field(() => Int, { description: "How many registrations match the filter, on all pages." })
  totalCount: number;
}

@ObjectType("StartListEntry", { description: "A line of a public start list." })
export class StartListEntryType {
  @Field(() => ID, {
    description:
      "A stable id of the entry (of its registration, which it does not reveal), so that a client's cache updates the entry in place.",
  })
  id: string;

  @Field(() => String, { nullable: true, description: "Start number, if assigned." })
  startNumber: string | null;

  @Field(() => String, { description: "Given name and surname." })
  name: string;

  @Field(() => Int, { nullable: true, description: "Year of birth; only for public profiles." })
  yearOfBirth?: number;

  @Field(() => String, { nullable: true, description: "Country (ISO 3166 alpha-2); only for public profiles." })
  country?: string | null;
}

@ObjectType("StartList", {
  description: "The public start list of an activity: Confirmed registrations in numeric order of start numbers.",
})
export class StartListType {
  // `id` is a field resolver (activity-resolver.ts): the same value, under the name clients' caches look for.
  @Field(() => ID, { description: "The activity." })
  activityId: string;

  @Field(() => String, { description: "Name of the activity." })
  activityName: string;

  @Field(() => String, { description: "Name of the event." })
  eventName: string;

  @Field(() => [StartListEntryType], { description: "The entries." })
  entries: StartListEntryType[];
}
