// One sync item, its person and its amount: the GraphQL input types, and each field's rule (sync-field-rules.ts)
// as a class-validator decorator. The JSON, CSV and workbook readers, the CLI import and the GraphQL mutation all
// hand their items to the sync, which reads every row by these decorators (sync-input.ts); /openapi.json's
// SyncItem schema is generated from them. A limit is the argument of one decorator below.
import "reflect-metadata";
import { ValidateNested } from "class-validator";
import { GraphQLLocalDate } from "graphql-scalars";
import { Field, ID, InputType, Int } from "type-graphql";
import { RegistrationStateEnum, SexEnum } from "../schema/enums";
import { FieldsUnder, Reads, RequiredForNew } from "./field-rule";
import {
  birthDate,
  currencyCode,
  externalId,
  flag,
  idText,
  minorUnits,
  nestedObject,
  patternText,
  registrationState,
  requiredText,
  sex,
  startNumber,
  text,
} from "./sync-field-rules";

@FieldsUnder("amount")
@InputType({ description: "An amount in minor units." })
export class MoneyInput {
  @Reads(minorUnits(2_000_000_000))
  @Field(() => Int, { description: "Amount in hundredths of the currency unit." })
  value: number;

  @Reads(currencyCode)
  @Field(() => String, { nullable: true, description: "ISO 4217 code; the activity's currency when omitted." })
  currency?: string | null;
}

@FieldsUnder("person")
@InputType({
  description:
    "Person of a sync item. Fields change a person only when an import created its account and nobody has claimed it.",
})
export class SyncPersonInput {
  @Reads(idText)
  @Field(() => ID, {
    nullable: true,
    description:
      "The registration's person (must match on update), or on insert a person already registered with this organizer.",
  })
  id?: string | null;

  @RequiredForNew()
  @Reads(requiredText(100))
  @Field(() => String, { nullable: true, description: "Given name; required for a new person." })
  givenName?: string | null;

  @Reads(text(100))
  @Field(() => String, { nullable: true, description: "Middle name; null clears it." })
  middleName?: string | null;

  @RequiredForNew()
  @Reads(requiredText(100))
  @Field(() => String, { nullable: true, description: "Surname; required for a new person." })
  surname?: string | null;

  @RequiredForNew()
  @Reads(sex)
  @Field(() => SexEnum, { nullable: true, description: "Sex; required for a new person." })
  sex?: string | null;

  @RequiredForNew()
  @Reads(birthDate)
  @Field(() => GraphQLLocalDate, { nullable: true, description: "Date of birth; required for a new person." })
  birthDate?: string | null;

  @Reads(patternText(35, /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, "must be a language tag like cs or en-GB"))
  @Field(() => String, { nullable: true, description: "Preferred language, such as cs." })
  language?: string | null;

  @Reads(text(100))
  @Field(() => String, { nullable: true, description: "Nickname." })
  nickname?: string | null;

  @Reads(patternText(2, /^[A-Za-z]{2}$/, "must be an ISO 3166 alpha-2 code like CZ", (code) => code.toUpperCase()))
  @Field(() => String, { nullable: true, description: "Country, ISO 3166 alpha-2." })
  country?: string | null;

  @Reads(flag)
  @Field(() => Boolean, { nullable: true, description: "Whether the profile is public." })
  isProfilePublic?: boolean | null;
}

@InputType({ description: "One item of a sync, shaped like the REST JSON items." })
export class SyncRegistrationInput {
  @Reads(idText)
  @Field(() => ID, { nullable: true, description: "Registration to update; omit to insert an external registration." })
  id?: string | null;

  @Reads(externalId(100))
  @Field(() => String, {
    nullable: true,
    description: "The registration's id in your system; a known one updates that registration instead of inserting.",
  })
  externalId?: string | null;

  @Reads(startNumber(20))
  @Field(() => String, {
    nullable: true,
    description: "Start number to set; null or empty clears it; omit to leave it.",
  })
  startNumber?: string | null;

  @Reads(registrationState)
  @Field(() => RegistrationStateEnum, {
    nullable: true,
    description: "State of an inserted registration (default Confirmed); ignored on update.",
  })
  state?: string | null;

  @ValidateNested()
  @Field(() => MoneyInput, { nullable: true, description: "Amount of an inserted registration; ignored on update." })
  amount?: MoneyInput | null;

  @ValidateNested()
  @Reads(nestedObject)
  @Field(() => SyncPersonInput, { nullable: true, description: "The registration's person." })
  person?: SyncPersonInput | null;
}
