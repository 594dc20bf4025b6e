import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import { syncRegistrations, type RowError, type SyncMode } from "../services/registration-sync";
import { type GraphQLContext, requireKey } from "../schema/context";
import { SyncModeEnum } from "../schema/enums";
import type { UserError } from "../schema/user-error";
import { SyncRegistrationInput, SyncRegistrationsPayload } from "./sync-registrations-types";

function userError(error: RowError): UserError {
  return {
    code: error.code,
    path: ["items", String(error.index), ...(error.field ? error.field.split(".") : [])],
    message: error.message,
    registrationId: error.registrationId ?? null,
  };
}

@Resolver()
export class SyncRegistrationsResolver {
  @Mutation(() => SyncRegistrationsPayload, {
    description: "Updates start numbers and inserts external registrations of one activity (the REST PUT's rules). NOT_FOUND when the activity is out of reach.",
  })
  async syncRegistrations(
    @Arg("activityId", () => ID, { description: "The activity whose registrations are synced." }) activityId: string,
    @Arg("items", () => [SyncRegistrationInput], { description: "Items shaped like the REST JSON items." }) items: SyncRegistrationInput[],
    @Arg("mode", () => SyncModeEnum, { defaultValue: "AllOrNothing", description: "How failing items are handled." }) mode: SyncMode,
    @Arg("dryRun", () => Boolean, { defaultValue: false, description: "Report what would happen and write nothing." }) dryRun: boolean,
    @Ctx() context: GraphQLContext,
  ): Promise<SyncRegistrationsPayload> {
    const outcome = await syncRegistrations(context.db, requireKey(context), activityId, items, {
      mode,
      dryRun,
      accountDomain: context.config.accountDomain,
    });
    return {
      applied: outcome.applied,
      dryRun: outcome.dryRun,
      results: outcome.results.map((result) => ({ ...result, errors: result.errors.map(userError) })),
      userErrors: outcome.errors.map(userError),
    };
  }
}
