// The syncResults mutation (SPEC §9): the REST results PUT's rules through GraphQL, on the same service and
// the same idempotency handling as syncRegistrations (sync-mutation.ts).
import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from "type-graphql";
import { type GraphQLContext, requireKey } from "../schema/context";
import { SyncModeEnum } from "../schema/enums";
import { ResultType } from "../schema/result-types";
import { SyncResultTypeEnum } from "../schema/sync-result-type-enum";
import { UserError } from "../schema/user-error";
import { SyncBatch, LISTED_FAILED_ROWS, type SyncMode, type SyncOutcome } from "../services/registration-sync";
import { syncResults, type ResultItemInput, type ResultSyncItem } from "../services/result-sync";
import { SyncResultInput } from "../services/result-item-input";
import type { ResultView } from "../services/result-view";
import { checkItemCount } from "../services/sync-input";
import { idempotentSync, userError } from "./sync-mutation";

const LISTED = LISTED_FAILED_ROWS.toLocaleString("en");

@ObjectType({ description: "What the results sync did with one item, or with a stored result that prune deleted." })
export class SyncResultItem {
  @Field(() => Int, {
    nullable: true,
    description: "Position of the item in the input list; null for a stored result that prune deleted.",
  })
  index: number | null;

  @Field(() => SyncResultTypeEnum, { description: "What happened: Created, Updated, Unchanged, Deleted or Skipped." })
  syncResultType: string;

  @Field(() => ResultType, {
    nullable: true,
    description:
      "The result as stored (as it would be, in a dry run; as it was, when Deleted); null for a failed item that named no stored result.",
  })
  result: ResultView | null;

  @Field(() => [UserError], {
    description: `Why a Skipped item failed; listed for the first ${LISTED} failing items only, like userErrors.`,
  })
  errors: UserError[];
}

@ObjectType({ description: "Result of syncResults." })
export class SyncResultsPayload {
  @Field(() => Boolean, { description: "Whether anything was written: false for a rejected batch and for a dry run." })
  applied: boolean;

  @Field(() => Boolean, { description: "Whether this was a dry run." })
  dryRun: boolean;

  @Field(() => [SyncResultItem], {
    description:
      "One result per item, in input order, then the results prune deleted; empty when the batch was rejected.",
  })
  results: SyncResultItem[];

  @Field(() => [UserError], {
    description: `The errors of the first ${LISTED} failing items (userErrorCount counts them all); in AllOrNothing mode any error means nothing was written.`,
  })
  userErrors: UserError[];

  @Field(() => Int, { description: "How many items failed, listed in userErrors or not." })
  failedItemCount: number;

  @Field(() => Int, { description: "How many errors the failing items had in all." })
  userErrorCount: number;

  @Field(() => Boolean, {
    description:
      "True when this answer repeats the first answer given to the same idempotencyKey: nothing was applied again.",
  })
  replayed: boolean;
}

function payloadOf(outcome: SyncOutcome<ResultSyncItem>): SyncResultsPayload {
  return {
    applied: outcome.applied,
    dryRun: outcome.dryRun,
    results: outcome.results.map(({ index, syncResultType, result, errors, errorsListed }) => ({
      index,
      syncResultType,
      result,
      errors: errorsListed ? errors.map(userError) : [],
    })),
    userErrors: outcome.errors.map(userError),
    failedItemCount: outcome.failedRows,
    userErrorCount: outcome.errorCount,
    replayed: false,
  };
}

/** A stored payload as the resolvers expect it: dates as Date again. */
function revivePayload(payload: SyncResultsPayload): SyncResultsPayload {
  for (const { result } of payload.results) {
    if (result) {
      result.created = new Date(result.created);
      result.modified = new Date(result.modified);
    }
  }
  return { ...payload, replayed: true };
}

@Resolver()
export class SyncResultsResolver {
  @Mutation(() => SyncResultsPayload, {
    description:
      "Creates and corrects the official results of one activity (the REST PUT …/results rules): an item names its runner by person.id, by the startNumber of a registration in the activity, or by name, sex and birth date (a new person is created). NOT_FOUND when the activity is out of reach; BAD_USER_INPUT (field items) for more items than the server's MAX_SYNC_ITEMS.",
  })
  async syncResults(
    @Arg("activityId", () => ID, { description: "The activity whose results are synced." }) activityId: string,
    @Arg("items", () => [SyncResultInput], {
      validate: false,
      description: "Items shaped like the REST JSON items.",
    })
    items: SyncResultInput[],
    @Arg("mode", () => SyncModeEnum, { defaultValue: "AllOrNothing", description: "How failing items are handled." })
    mode: SyncMode,
    @Arg("dryRun", () => Boolean, { defaultValue: false, description: "Report what would happen and write nothing." })
    dryRun: boolean,
    @Arg("prune", () => Boolean, {
      defaultValue: false,
      description: "The items are the whole list: the activity's results they leave out are deleted (Deleted).",
    })
    prune: boolean,
    @Arg("idempotencyKey", () => String, {
      nullable: true,
      description:
        "Makes a retry safe, like the REST Idempotency-Key header: the same key with the same arguments answers the first answer again (replayed: true).",
    })
    idempotencyKey: string | null | undefined,
    @Ctx() context: GraphQLContext,
  ): Promise<SyncResultsPayload> {
    const ctx = requireKey(context);
    checkItemCount(items.length, context.config.maxSyncItems);
    return idempotentSync<SyncOutcome<ResultSyncItem>, SyncResultsPayload>(
      context,
      ctx,
      { mutation: "syncResults", arguments: [activityId, items, mode, dryRun, prune], idempotencyKey },
      (beforeCommit) =>
        syncResults(context.db, ctx, activityId, new SyncBatch(items as ResultItemInput[]), {
          mode,
          dryRun,
          prune,
          accountDomain: context.config.accountDomain,
          beforeCommit,
        }),
      payloadOf,
      revivePayload,
    );
  }
}
