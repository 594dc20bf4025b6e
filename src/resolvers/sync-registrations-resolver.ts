import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import { SyncBatch, syncRegistrations, type SyncMode, type SyncOutcome } from "../services/registration-sync";
import { NotFoundError } from "../services/domain-errors";
import { checkItemCount } from "../services/sync-input";
import { type GraphQLContext, loaders, requireKey } from "../schema/context";
import { ActivityType } from "../schema/registration-types";
import { SyncModeEnum } from "../schema/enums";
import { inTurns } from "../schema/in-turns";
import { idempotentSync, userError } from "./sync-mutation";
import { SyncRegistrationInput, SyncRegistrationResult, SyncRegistrationsPayload } from "./sync-registrations-types";

@Resolver()
export class SyncRegistrationsResolver {
  @Mutation(() => SyncRegistrationsPayload, {
    description:
      "Updates start numbers and inserts external registrations of one activity (the REST PUT's rules). NOT_FOUND when the activity is out of reach; BAD_USER_INPUT (field items) for more items than the server's MAX_SYNC_ITEMS (50,000 by default), before any work.",
  })
  async syncRegistrations(
    @Arg("activityId", () => ID, { description: "The activity whose registrations are synced." }) activityId: string,
    @Arg("items", () => [SyncRegistrationInput], {
      validate: false,
      description: "Items shaped like the REST JSON items.",
    })
    items: SyncRegistrationInput[],
    @Arg("mode", () => SyncModeEnum, { defaultValue: "AllOrNothing", description: "How failing items are handled." })
    mode: SyncMode,
    @Arg("dryRun", () => Boolean, { defaultValue: false, description: "Report what would happen and write nothing." })
    dryRun: boolean,
    @Arg("idempotencyKey", () => String, {
      nullable: true,
      description:
        "Makes a retry safe, like the REST Idempotency-Key header: the same key with the same arguments answers the first answer again (replayed: true) without applying twice; with other arguments BAD_USER_INPUT; while the first is still running CONFLICT, with extensions.retryAfterSeconds saying when to ask again.",
    })
    idempotencyKey: string | null | undefined,
    @Ctx() context: GraphQLContext,
  ): Promise<SyncRegistrationsPayload> {
    const ctx = requireKey(context);
    checkItemCount(items.length, context.config.maxSyncItems);
    return idempotentSync<SyncOutcome, SyncRegistrationsPayload>(
      context,
      ctx,
      { mutation: "syncRegistrations", arguments: [activityId, items, mode, dryRun], idempotencyKey },
      (beforeCommit) =>
        syncRegistrations(context.db, ctx, activityId, new SyncBatch(items), {
          mode,
          dryRun,
          accountDomain: context.config.accountDomain,
          beforeCommit,
        }),
      (outcome) => payloadOf(activityId, outcome),
      (stored) => revivePayload(activityId, stored),
    );
  }
}

@Resolver(() => SyncRegistrationsPayload)
export class SyncRegistrationsPayloadFields {
  // A slice of results per event-loop turn: completed at once, a 10,000-row sync's answer held the server for a second.
  @FieldResolver(() => [SyncRegistrationResult], {
    description: "One result per item, in input order; empty when the batch was rejected.",
  })
  results(@Root() payload: SyncRegistrationsPayload): (SyncRegistrationResult | Promise<SyncRegistrationResult>)[] {
    return inTurns(payload.results);
  }

  @FieldResolver(() => ActivityType, {
    description:
      "The synced activity as it is now. Select its startList (with ids) to bring a client's cached start list up to date from this answer, without a refetch.",
  })
  async activity(@Root() payload: SyncRegistrationsPayload, @Ctx() context: GraphQLContext): Promise<ActivityType> {
    const activity = await loaders(context).activity.load(payload.activityId);
    if (!activity) throw new NotFoundError("Activity", payload.activityId);
    return activity;
  }
}

/** The outcome as the mutation answers it: errors only of the rows the outcome lists (see SyncItemResult.errorsListed). */
function payloadOf(activityId: string, outcome: SyncOutcome): SyncRegistrationsPayload {
  return {
    activityId,
    applied: outcome.applied,
    dryRun: outcome.dryRun,
    results: outcome.results.map(({ index, syncResultType, registration, errors, errorsListed, warnings }) => ({
      index,
      syncResultType,
      registration,
      errors: errorsListed ? errors.map(userError) : [],
      warnings,
    })),
    userErrors: outcome.errors.map(userError),
    failedItemCount: outcome.failedRows,
    userErrorCount: outcome.errorCount,
    replayed: false,
  };
}

/** A stored payload as the resolvers expect it: dates as Date again. The activity is the request's (it is part of the key's hash). */
function revivePayload(activityId: string, payload: SyncRegistrationsPayload): SyncRegistrationsPayload {
  // Stored before the counts were part of the payload (kept for a day): its lists were then whole.
  payload.failedItemCount ??= new Set(payload.userErrors.map((error) => error.path[1])).size;
  payload.userErrorCount ??= payload.userErrors.length;
  for (const result of payload.results) {
    if (result.registration) {
      result.registration.created = new Date(result.registration.created);
      result.registration.modified = new Date(result.registration.modified);
    }
  }
  return { ...payload, activityId, replayed: true };
}
