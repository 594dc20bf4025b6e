// One item of a results sync (SPEC §9), shaped like the platform's JSON: the GraphQL input types, and each
// field's rule (result-field-rules.ts) as a class-validator decorator. The JSON, CSV and workbook readers,
// the CLI and the GraphQL mutation hand their items to the results sync, which reads each row by these.
import "reflect-metadata";
import { ValidateNested } from "class-validator";
import { GraphQLSafeInt } from "graphql-scalars";
import { Field, Float, InputType, Int } from "type-graphql";
import { ResultStatusEnum } from "../schema/enums";
import { Reads } from "./field-rule";
import { finishTime, position, resultStatus, splitTimes } from "./result-field-rules";
import { nestedObject, startNumber, text } from "./sync-field-rules";
import { SyncPersonInput } from "./sync-item-input";

/** The highest position: far above any field of runners. */
export const MAX_POSITION = 1_000_000;
/** The longest finish time: 31 days, longer than any race (a SafeInt in GraphQL, as GraphQL's Int ends at 24.8 days). */
export const MAX_FINISH_TIME = 31 * 24 * 3_600_000;
export const MAX_SPLITS = 200;

@InputType({ description: "Where and when a runner passed a split." })
export class SplitTimeInput {
  @Field(() => Float, { description: "Distance from the start in km, above 0." })
  distance: number;

  @Field(() => String, { description: "The instant the split was passed, ISO 8601 with its offset." })
  time: string;
}

@InputType({ description: "One item of a results sync, shaped like the REST JSON items." })
export class SyncResultInput {
  @ValidateNested()
  @Reads(nestedObject)
  @Field(() => SyncPersonInput, {
    nullable: true,
    description:
      "Whose result: `id` of a person known to this organizer; else the startNumber names the registration; else givenName, surname, sex and birthDate find or create the person.",
  })
  person?: SyncPersonInput | null;

  @Reads(startNumber(20))
  @Field(() => String, {
    nullable: true,
    description: "Start number; without person.id it finds the runner's registration in this activity.",
  })
  startNumber?: string | null;

  @Reads(resultStatus)
  @Field(() => ResultStatusEnum, {
    nullable: true,
    description: "Finished when omitted; only finishers have positions.",
  })
  status?: string | null;

  @Reads(text(32))
  @Field(() => String, { nullable: true, description: "Category, such as M40; at most 32 characters." })
  category?: string | null;

  @Reads(position(MAX_POSITION))
  @Field(() => Int, {
    nullable: true,
    description: "Overall position, from 1; finishers with equal times may share one.",
  })
  position?: number | null;

  @Reads(position(MAX_POSITION))
  @Field(() => Int, { nullable: true, description: "Position in the category." })
  positionByCategory?: number | null;

  @Reads(position(MAX_POSITION))
  @Field(() => Int, { nullable: true, description: "Position among runners of the same sex." })
  positionBySex?: number | null;

  @Reads(finishTime(MAX_FINISH_TIME))
  @Field(() => GraphQLSafeInt, { nullable: true, description: "Finish time in milliseconds (600000 = 10:00.000)." })
  time?: number | null;

  @Reads(splitTimes(MAX_SPLITS))
  @Field(() => [SplitTimeInput], {
    nullable: true,
    description: "Split times in increasing distance and time.",
  })
  splitTimes?: SplitTimeInput[] | null;
}
