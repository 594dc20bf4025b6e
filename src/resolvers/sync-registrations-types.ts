// Input and payload of the syncRegistrations mutation: the seed's JSON items, as GraphQL types.
// The input classes carry the sync's field rules, so they live with the sync (services/sync-item-input.ts).
import { Field, ID, Int, ObjectType } from "type-graphql";
import { LISTED_FAILED_ROWS } from "../services/registration-sync";
import { SyncResultTypeEnum } from "../schema/sync-result-type-enum";
import { RegistrationType } from "../schema/registration-types";
import { UserError } from "../schema/user-error";

export { MoneyInput, SyncPersonInput, SyncRegistrationInput } from "../services/sync-item-input";

const LISTED = LISTED_FAILED_ROWS.toLocaleString("en");

@ObjectType({ description: "A hint about an item that was applied, for example a possible duplicate person." })
export class SyncWarning {
  @Field(() => String, { description: "Machine-readable code, such as PossibleDuplicatePerson." })
  code: string;

  @Field(() => String, { description: "Human-readable explanation." })
  message: string;

  @Field(() => [ID], { description: "Persons the warning is about." })
  personIds: string[];
}

@ObjectType({ description: "What the sync did with one item." })
export class SyncRegistrationResult {
  @Field(() => Int, { description: "Position of the item in the input list." })
  index: number;

  @Field(() => SyncResultTypeEnum, { description: "What happened to the item." })
  syncResultType: string;

  @Field(() => RegistrationType, {
    nullable: true,
    description: "The registration as stored (or as it would be, in a dry run); null for a failed insert.",
  })
  registration: RegistrationType | null;

  @Field(() => [UserError], {
    description: `Why a Skipped item failed; listed for the first ${LISTED} failing items only, like userErrors (failedItemCount counts them all).`,
  })
  errors: UserError[];

  @Field(() => [SyncWarning], { description: "Hints about an applied item." })
  warnings: SyncWarning[];
}

@ObjectType({ description: "Result of syncRegistrations." })
export class SyncRegistrationsPayload {
  @Field(() => Boolean, { description: "Whether anything was written: false for a rejected batch and for a dry run." })
  applied: boolean;

  @Field(() => Boolean, { description: "Whether this was a dry run." })
  dryRun: boolean;

  @Field(() => [SyncRegistrationResult], {
    description: "One result per item, in input order; empty when the batch was rejected.",
  })
  results: SyncRegistrationResult[];

  @Field(() => [UserError], {
    description: `The errors of the first ${LISTED} failing items (userErrorCount counts them all); in AllOrNothing mode any error means nothing was written.`,
  })
  userErrors: UserError[];

  @Field(() => Int, { description: "How many items failed, listed in userErrors or not." })
  failedItemCount: number;

  @Field(() => Int, {
    description: `How many errors the failing items had in all; userErrors lists those of the first ${LISTED} failing items.`,
  })
  userErrorCount: number;

  @Field(() => Boolean, {
    description:
      "True when this answer repeats the first answer given to the same idempotencyKey: nothing was applied again.",
  })
  replayed: boolean;

  /** The synced activity, which the `activity` field resolves (sync-registrations-resolver.ts). */
  activityId: string;
}
