// Payloads of the organization, membership, association, event, activity and access-key mutations.
import { Field, ID, ObjectType } from "type-graphql";
import {
  AccessKeyType,
  AssociationType,
  EventType,
  MembershipType,
  OrganizationType,
} from "../schema/organization-types";
import { ActivityType } from "../schema/registration-types";
import { UserError } from "../schema/user-error";

@ObjectType({ description: "Result of an organization mutation." })
export class OrganizationPayload {
  @Field(() => OrganizationType, { nullable: true, description: "The organization; null when the mutation failed." })
  organization: OrganizationType | null;

  @Field(() => [UserError], { description: "Why it failed, if it did." })
  userErrors: UserError[];
}

@ObjectType({ description: "Result of a membership mutation." })
export class MembershipPayload {
  @Field(() => MembershipType, { nullable: true, description: "The membership; null when the mutation failed." })
  membership: MembershipType | null;

  @Field(() => [UserError], { description: "Why it failed, if it did." })
  userErrors: UserError[];
}

@ObjectType({ description: "Result of a removal." })
export class RemovalPayload {
  @Field(() => ID, { nullable: true, description: "Id of what was removed; null when the mutation failed." })
  removedId: string | null;

  @Field(() => [UserError], { description: "Why it failed, if it did." })
  userErrors: UserError[];
}

@ObjectType({ description: "Result of createAssociation." })
export class AssociationPayload {
  @Field(() => AssociationType, { nullable: true, description: "The association; null when the mutation failed." })
  association: AssociationType | null;

  @Field(() => [UserError], { description: "Why it failed, if it did." })
  userErrors: UserError[];
}

@ObjectType({ description: "Result of an event mutation." })
export class EventPayload {
  @Field(() => EventType, { nullable: true, description: "The event; null when the mutation failed." })
  event: EventType | null;

  @Field(() => [UserError], { description: "Why it failed, if it did." })
  userErrors: UserError[];
}

@ObjectType({ description: "Result of an activity mutation." })
export class ActivityPayload {
  @Field(() => ActivityType, { nullable: true, description: "The activity; null when the mutation failed." })
  activity: ActivityType | null;

  @Field(() => [UserError], { description: "Why it failed, if it did." })
  userErrors: UserError[];
}

@ObjectType({ description: "Result of createAccessKey: the only time the secret is shown." })
export class CreateAccessKeyPayload {
  @Field(() => AccessKeyType, { nullable: true, description: "The new key; null when the mutation failed." })
  accessKey: AccessKeyType | null;

  @Field(() => String, { nullable: true, description: "The secret, shown once: use name:secret in HTTP Basic auth." })
  secret: string | null;

  @Field(() => [UserError], { description: "Why it failed, if it did." })
  userErrors: UserError[];
}

@ObjectType({ description: "Result of revokeAccessKey." })
export class AccessKeyPayload {
  @Field(() => AccessKeyType, { nullable: true, description: "The revoked key." })
  accessKey: AccessKeyType | null;

  @Field(() => [UserError], { description: "Why it failed, if it did." })
  userErrors: UserError[];
}
