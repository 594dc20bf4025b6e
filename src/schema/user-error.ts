import { Field, ID, ObjectType } from "type-graphql";

/** A domain failure reported in a mutation's payload; one shape across all mutations. */
@ObjectType({ description: "A domain failure reported in a mutation's payload; one shape across all mutations." })
export class UserError {
  @Field(() => String, { description: "Machine-readable code, for example StartNumberTaken or MissingField." })
  code: string;

  @Field(() => [String], { description: 'Path to the offending input, for example ["items", "3", "startNumber"].' })
  path: string[];

  @Field(() => String, { description: "Human-readable explanation." })
  message: string;

  @Field(() => ID, {
    nullable: true,
    description: "The registration the failure is about, for example the one holding a wanted start number.",
  })
  registrationId?: string | null;
}
