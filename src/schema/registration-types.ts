// GraphQL object types of the registration read side; they resolve from the services' views.
import { GraphQLDateTimeISO, GraphQLLocalDate } from "graphql-scalars";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { RegistrationSourceEnum, RegistrationStateEnum, SexEnum } from "./enums";

@ObjectType("Money", { description: "An amount in minor units: { value: 85000, currency: CZK } is 850 CZK." })
export class MoneyType {
  @Field(() => Int, { description: "Amount in hundredths of the currency unit." })
  value: number;

  @Field(() => String, { description: "ISO 4217 currency code." })
  currency: string;
}

@ObjectType("Person", { description: "A registered person." })
export class PersonType {
  @Field(() => ID, { description: "24-character hex id." })
  id: string;

  @Field(() => String, { description: "Given name." })
  givenName: string;

  @Field(() => String, { nullable: true, description: "Middle name, if any." })
  middleName: string | null;

  @Field(() => String, { description: "Surname." })
  surname: string;

  @Field(() => SexEnum, { description: "Sex." })
  sex: string;

  @Field(() => GraphQLLocalDate, { description: "Date of birth." })
  birthDate: string;

  @Field(() => String, { nullable: true, description: "Preferred language (BCP 47 tag such as cs)." })
  language: string | null;

  @Field(() => String, { nullable: true, description: "Public nickname." })
  nickname: string | null;

  @Field(() => String, { nullable: true, description: "Country, ISO 3166 alpha-2." })
  country: string | null;

  @Field(() => Boolean, { description: "Whether the person's profile is public." })
  isProfilePublic: boolean;

  @Field(() => String, { description: "Given name and surname." })
  name: string;

  @Field(() => String, { description: "Nickname, else id: how the platform links to the person." })
  ref: string;
}

@ObjectType("Registration", { description: "A person's entry in an activity." })
export class RegistrationType {
  @Field(() => ID, { description: "24-character hex id." })
  id: string;

  @Field(() => GraphQLDateTimeISO, { description: "When the registration was made." })
  created: Date;

  @Field(() => GraphQLDateTimeISO, { description: "When the registration last changed." })
  modified: Date;

  @Field(() => String, { description: "Short human-friendly code such as RGZ196." })
  code: string;

  @Field(() => RegistrationStateEnum, { description: "State of the registration." })
  state: string;

  @Field(() => String, { nullable: true, description: "Start (bib) number; a string so that 0001 keeps its zeros." })
  startNumber: string | null;

  @Field(() => MoneyType, { description: "Amount paid or due." })
  amount: MoneyType;

  @Field(() => RegistrationSourceEnum, { description: "Where the registration was made." })
  source: string;

  @Field(() => String, { nullable: true, description: "The registration's id in the importing client's own system." })
  externalId: string | null;

  @Field(() => PersonType, { description: "The registered person." })
  person: PersonType;
}

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

  @Field(() => String, { nullable: true, description: "Cursor of the page's last item; pass it as `after` for the next page." })
  endCursor: string | null;
}

@ObjectType("RegistrationEdge", { description: "A registration in a page, with its cursor." })
export class RegistrationEdgeType {
  @Field(() => String, { description: "Opaque cursor of this registration." })
  cursor: string;

  @Field(() => RegistrationType, { description: "The registration." })
  node: RegistrationType;
}

@ObjectType("RegistrationConnection", { description: "A page of registrations in a stable order (creation time, then id)." })
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
  @Field(() => ID, { description: "A stable id of the entry (of its registration, which it does not reveal), so that a client's cache updates the entry in place." })
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

@ObjectType("StartList", { description: "The public start list of an activity: Confirmed registrations in numeric order of start numbers." })
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
