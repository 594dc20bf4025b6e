// GraphQL object types of the results read side (issue 14): a result as organizers and timing companies read it
// (the full person, like a registration), its page, and the public results list (no key, nothing private).
// Times are SafeInt milliseconds: GraphQL's Int is 32-bit and would end at 24.8 days, which multi-day races pass.
import { GraphQLDateTimeISO, GraphQLSafeInt } from "graphql-scalars";
import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import type { ResultStatus } from "../entities/result";
import type { PersonView } from "../services/registration-view";
import { ResultStatusEnum } from "./enums";
import { PageInfoType, PersonType } from "./registration-types";

@ObjectType("SplitTime", { description: "A split: where on the course, and when the runner passed it." })
export class SplitTimeType {
  @Field(() => Float, { description: "Distance from the start in km, like 4.0." })
  distance: number;

  @Field(() => GraphQLDateTimeISO, { description: "The instant the runner passed it (UTC)." })
  time: string;
}

@ObjectType("Result", { description: "A person's official result in an activity: one per person per activity." })
export class ResultType {
  @Field(() => ID, { description: "24-character hex id." })
  id: string;

  @Field(() => ResultStatusEnum, { description: "How the race ended; only finishers have positions." })
  status: ResultStatus;

  @Field(() => String, { nullable: true, description: "The category, like M40." })
  category: string | null;

  @Field(() => Int, { nullable: true, description: "Overall position; finishers only." })
  position: number | null;

  @Field(() => Int, { nullable: true, description: "Position in the category; finishers only." })
  positionByCategory: number | null;

  @Field(() => Int, { nullable: true, description: "Position among runners of the same sex; finishers only." })
  positionBySex: number | null;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: "Finish time in milliseconds (600000 is 10:00); a SafeInt, since GraphQL's Int ends at 24.8 days.",
  })
  time: number | null;

  @Field(() => [SplitTimeType], { description: "Split times in increasing distance; empty when none." })
  splitTimes: readonly SplitTimeType[];

  @Field(() => String, { nullable: true, description: "Start (bib) number as text, so that 0001 keeps its zeros." })
  startNumber: string | null;

  @Field(() => PersonType, { description: "The person, with all the fields a registration shows." })
  person: PersonView;

  @Field(() => ID, { nullable: true, description: "The person's registration in the activity, if there is one." })
  registrationId: string | null;

  @Field(() => GraphQLDateTimeISO, { description: "When the result was first stored." })
  created: Date;

  @Field(() => GraphQLDateTimeISO, { description: "When the result last changed." })
  modified: Date;

  activityId: string;
}

@ObjectType("ResultEdge", { description: "A result in a page, with its cursor." })
export class ResultEdgeType {
  @Field(() => String, { description: "Opaque cursor of this result." })
  cursor: string;

  @Field(() => ResultType, { description: "The result." })
  node: ResultType;
}

@ObjectType("ResultConnection", {
  description:
    "A page of results in result order: finishers by position (ties by time), then the others by status, then by name.",
})
export class ResultConnectionType {
  @Field(() => [ResultEdgeType], { description: "The page's results with their cursors." })
  edges: ResultEdgeType[];

  @Field(() => [ResultType], { description: "The page's results (the edges' nodes)." })
  nodes: ResultType[];

  @Field(() => PageInfoType, { description: "Where the page ends." })
  pageInfo: PageInfoType;

  @Field(() => Int, { description: "How many results match the filter, on all pages." })
  totalCount: number;
}

@ObjectType("PublicResultEntry", {
  description:
    "A line of the public results: never a birth date; of a private profile only name, number, category and time.",
})
export class PublicResultEntryType {
  @Field(() => ID, {
    description:
      "A stable id of the entry (of its result, which it does not reveal), so that a client's cache updates the entry in place.",
  })
  id: string;

  @Field(() => ResultStatusEnum, { description: "How the race ended." })
  status: ResultStatus;

  @Field(() => Int, { nullable: true, description: "Overall position; finishers only." })
  position: number | null;

  @Field(() => Int, { nullable: true, description: "Position in the category; finishers only." })
  positionByCategory: number | null;

  @Field(() => Int, { nullable: true, description: "Position among runners of the same sex; finishers only." })
  positionBySex: number | null;

  @Field(() => String, { nullable: true, description: "The category, like M40." })
  category: string | null;

  @Field(() => String, { nullable: true, description: "Start (bib) number." })
  startNumber: string | null;

  @Field(() => String, { description: "Given name and surname." })
  name: string;

  @Field(() => GraphQLSafeInt, { nullable: true, description: "Finish time in milliseconds." })
  time: number | null;

  @Field(() => String, { nullable: true, description: "The finish time as h:mm:ss, like 0:41:07." })
  clockTime: string | null;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: "Milliseconds behind the activity's fastest finisher (0 for the winner); null for non-finishers.",
  })
  gap: number | null;

  @Field(() => Int, { nullable: true, description: "Year of birth; only for public profiles." })
  yearOfBirth?: number;

  @Field(() => String, { nullable: true, description: "Country (ISO 3166 alpha-2); only for public profiles." })
  country?: string | null;
}

@ObjectType("PublicResults", { description: "The public results of an activity, in result order." })
export class PublicResultsType {
  // `id` is a field resolver (result-resolver.ts): the activity's id, under the name clients' caches look for.
  @Field(() => ID, { description: "The activity." })
  activityId: string;

  @Field(() => String, { description: "Name of the activity." })
  activityName: string;

  @Field(() => String, { description: "Name of the event." })
  eventName: string;

  @Field(() => [PublicResultEntryType], {
    description: "The entries: finishers by position, then the others by status and name.",
  })
  entries: PublicResultEntryType[];
}
