// Input and payload of the syncRegistrations mutation: the seed's JSON items, as GraphQL types.
import { GraphQLLocalDate } from "graphql-scalars";
import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { LISTED_FAILED_ROWS } from "../services/registration-sync";
import { RegistrationStateEnum, SexEnum, SyncResultTypeEnum } from "../schema/enums";
import { RegistrationType } from "../schema/registration-types";
import { UserError } from "../schema/user-error";

const LISTED = LISTED_FAILED_ROWS.toLocaleString("en");

@InputType({ description: "An amount in minor units." })
export class MoneyInput {
  @Field(() => Int, { description: "Amount in hundredths of the currency unit." })
  value: number;

  @Field(() => String, { nullable: true, description: "ISO 4217 code; the activity's currency when omitted." })
  currency?: string | null;
}

@InputType({ description: "Person of a sync item. Fields change a person only when an import created its account and nobody has claimed it." })
export class SyncPersonInput {
  @Field(() => ID, { nullable: true, description: "The registration's person (must match on update), or on insert a person already registered with this organizer." })
  id?: string | null;

  @Field(() => String, { nullable: true, description: "Given name; required for a new person." })
  givenName?: string | null;

  @Field(() => String, { nullable: true, description: "Middle name; null clears it." })
  middleName?: string | null;

  @Field(() => String, { nullable: true, description: "Surname; required for a new person." })
  surname?: string | null;

  @Field(() => SexEnum, { nullable: true, description: "Sex; required for a new person." })
  sex?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "Date of birth; required for a new person." })
  birthDate?: string | null;

  @Field(() => String, { nullable: true, description: "Preferred language, such as cs." })
  language?: string | null;

  @Field(() => String, { nullable: true, description: "Nickname." })
  nickname?: string | null;

  @Field(() => String, { nullable: true, description: "Country, ISO 3166 alpha-2." })
  country?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Whether the profile is public." })
  isProfilePublic?: boolean | null;
}

@InputType({ description: "One item of a sync, shaped like the REST JSON items." })
export class SyncRegistrationInput {
  @Field(() => ID, { nullable: true, description: "Registration to update; omit to insert an external registration." })
  id?: string | null;

  @Field(() => String, { nullable: true, description: "The registration's id in your system; a known one updates that registration instead of inserting." })
  externalId?: string | null;

  @Field(() => String, { nullable: true, description: "Start number to set; null or empty clears it; omit to leave it." })
  startNumber?: string | null;

  @Field(() => RegistrationStateEnum, { nullable: true, description: "State of an inserted registration (default Confirmed); ignored on update." })
  state?: string | null;

  @Field(() => MoneyInput, { nullable: true, description: "Amount of an inserted registration; ignored on update." })
  amount?: MoneyInput | null;

  @Field(() => SyncPersonInput, { nullable: true, description: "The registration's person." })
  person?: SyncPersonInput | null;
}

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

  @Field(() => RegistrationType, { nullable: true, description: "The registration as stored (or as it would be, in a dry run); null for a failed insert." })
  registration: RegistrationType | null;

  @Field(() => [UserError], { description: `Why a Skipped item failed; listed for the first ${LISTED} failing items only, like userErrors (failedItemCount counts them all).` })
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

  @Field(() => [SyncRegistrationResult], { description: "One result per item, in input order; empty when the batch was rejected." })
  results: SyncRegistrationResult[];

  @Field(() => [UserError], { description: `The errors of the first ${LISTED} failing items (userErrorCount counts them all); in AllOrNothing mode any error means nothing was written.` })
  userErrors: UserError[];

  @Field(() => Int, { description: "How many items failed, listed in userErrors or not." })
  failedItemCount: number;

  @Field(() => Int, { description: `How many errors the failing items had in all; userErrors lists those of the first ${LISTED} failing items.` })
  userErrorCount: number;

  @Field(() => Boolean, { description: "True when this answer repeats the first answer given to the same idempotencyKey: nothing was applied again." })
  replayed: boolean;

  /** The synced activity, which the `activity` field resolves (sync-registrations-resolver.ts). */
  activityId: string;
}
