// GraphQL read side of results (issue 14): Activity.results (a page, keyed), Person.results (the activities the
// key reaches), Result.activity, and the public Query.publicResults (no key). Resolvers only call services.
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { ResultStatus } from "../entities/result";
import { NotFoundError } from "../services/domain-errors";
import { loadPublicResults } from "../services/public-results";
import type { PersonView } from "../services/registration-view";
import type { ResultView } from "../services/result-view";
import {
  DEFAULT_RESULT_PAGE_SIZE,
  MAX_RESULT_PAGE_SIZE,
  pageResults,
  resultCursorOf,
  type ResultPageRequest,
} from "../services/results";
import { type GraphQLContext, loaders, requireKey } from "../schema/context";
import { ResultStatusEnum } from "../schema/enums";
import { unpagedListComplexity } from "../schema/limits";
import { ActivityType, PersonType } from "../schema/registration-types";
import { PublicResultsType, ResultConnectionType, ResultType } from "../schema/result-types";

@ArgsType()
class ResultPageArgs implements ResultPageRequest {
  @Field(() => String, { nullable: true, description: "Only results in this category (exactly, like M40)." })
  category?: string | null;

  @Field(() => [ResultStatusEnum], { nullable: true, description: "Only results with these statuses." })
  statuses?: ResultStatus[] | null;

  @Field(() => Int, {
    nullable: true,
    description: `Page size, ${DEFAULT_RESULT_PAGE_SIZE} by default, at most ${MAX_RESULT_PAGE_SIZE}.`,
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "The previous page's endCursor." })
  after?: string | null;
}

const pageComplexity = ({ childComplexity, args }: { childComplexity: number; args: { first?: number | null } }) =>
  Math.max(1, args.first ?? DEFAULT_RESULT_PAGE_SIZE) * childComplexity + 2;

/** What the public list's estimate assumes it holds: the results of a large race. */
export const PUBLIC_RESULTS_ESTIMATE = 1000;

@Resolver()
export class ResultQueries {
  @Query(() => PublicResultsType, {
    description: `The public results of an activity. Needs no key. Its complexity counts ${PUBLIC_RESULTS_ESTIMATE} entries × the fields selected of each.`,
    complexity: ({ childComplexity }) => PUBLIC_RESULTS_ESTIMATE * childComplexity + 1,
  })
  async publicResults(
    @Arg("activityId", () => ID, { description: "The activity." }) activityId: string,
    @Ctx() context: GraphQLContext,
  ): Promise<PublicResultsType> {
    return loadPublicResults(context.db, activityId);
  }
}

@Resolver(() => PublicResultsType)
export class PublicResultsFields {
  @FieldResolver(() => ID, {
    description:
      "The activity's id: one results list per activity, stable, so that a client's cache updates it in place.",
  })
  id(@Root() list: PublicResultsType): string {
    return list.activityId;
  }
}

@Resolver(() => ActivityType)
export class ActivityResultFields {
  @FieldResolver(() => ResultConnectionType, {
    description:
      "A page of the activity's results: finishers by position, then the others by status and name. Filter by category and statuses.",
    complexity: pageComplexity,
  })
  async results(
    @Root() activity: ActivityType,
    @Args(() => ResultPageArgs) request: ResultPageArgs,
    @Ctx() context: GraphQLContext,
  ): Promise<ResultConnectionType> {
    const page = await pageResults(context.db, requireKey(context), activity.id, request);
    const edges = page.nodes.map((node) => ({ cursor: resultCursorOf(node.id), node }));
    return {
      edges,
      nodes: page.nodes,
      totalCount: page.totalCount,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
    };
  }
}

@Resolver(() => PersonType)
export class PersonResultFields {
  @FieldResolver(() => [ResultType], {
    description: "The person's results in the activities the access key reaches.",
    complexity: unpagedListComplexity,
  })
  async results(@Root() person: PersonView, @Ctx() context: GraphQLContext): Promise<ResultView[]> {
    return loaders(context).resultsByPerson.load(person.id);
  }
}

@Resolver(() => ResultType)
export class ResultFields {
  @FieldResolver(() => ActivityType, { description: "The activity the result is in." })
  async activity(@Root() result: ResultView, @Ctx() context: GraphQLContext): Promise<ActivityType> {
    const activity = await loaders(context).activity.load(result.activityId);
    if (!activity) throw new NotFoundError("Activity", result.activityId);
    return activity;
  }
}
