// GraphQL object types of organizations, their members, associations, events and access keys.
import { GraphQLDateTimeISO, GraphQLLocalDate } from "graphql-scalars";
import { Field, ID, ObjectType } from "type-graphql";
import { MembershipRoleEnum, OrganizationKindEnum } from "./enums";

@ObjectType("Organization", { description: "A race organizer, a timing company or another organization." })
export class OrganizationType {
  @Field(() => ID, { description: "24-character hex id." })
  id: string;

  @Field(() => String, { description: "Name." })
  name: string;

  @Field(() => OrganizationKindEnum, { description: "Kind of organization." })
  kind: string;
}

@ObjectType("Account", { description: "A user account (seen by members of the same organization)." })
export class AccountType {
  @Field(() => ID, { description: "24-character hex id." })
  id: string;

  @Field(() => String, { description: "Login (an e-mail address)." })
  login: string;
}

@ObjectType("Membership", { description: "An account's membership of an organization." })
export class MembershipType {
  @Field(() => ID, { description: "24-character hex id." })
  id: string;

  @Field(() => MembershipRoleEnum, { description: "Role in the organization." })
  role: string;

  @Field(() => GraphQLDateTimeISO, { description: "When the account joined." })
  createdAt: Date;

  organizationId: string;
  accountId: string;
  login: string;
}

@ObjectType("Association", {
  description: "Organizer → associate: the associate's members reach the organizer's activities, not the reverse.",
})
export class AssociationType {
  @Field(() => ID, { description: "24-character hex id." })
  id: string;

  @Field(() => GraphQLDateTimeISO, { description: "When the association was made." })
  createdAt: Date;

  organizerId: string;
  associateId: string;
}

@ObjectType("Event", { description: "An organizer's event (a race weekend); it has activities." })
export class EventType {
  @Field(() => ID, { description: "24-character hex id." })
  id: string;

  @Field(() => String, { description: "Name." })
  name: string;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "First day." })
  startsOn: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "Last day." })
  endsOn: string | null;

  organizerId: string;
}

@ObjectType("AccessKey", {
  description: "An access key of the viewer's account; its secret is never shown again after creation.",
})
export class AccessKeyType {
  @Field(() => ID, { description: "24-character hex id." })
  id: string;

  @Field(() => String, { description: "Key name: the user part of HTTP Basic credentials." })
  name: string;

  @Field(() => String, { description: "What the key is for." })
  description: string;

  @Field(() => GraphQLDateTimeISO, { description: "When it was created." })
  createdAt: Date;

  @Field(() => GraphQLDateTimeISO, { nullable: true, description: "When it was last used (to the minute)." })
  lastUsedAt: Date | null;

  @Field(() => GraphQLDateTimeISO, { nullable: true, description: "When it was revoked; a revoked key is refused." })
  revokedAt: Date | null;

  @Field(() => Boolean, {
    description: "A read-only key reads; syncs and mutations made with it are refused (FORBIDDEN, REST 403).",
  })
  readOnly: boolean;

  @Field(() => [ID], {
    nullable: true,
    description: "The organizations the key acts for; null: every organization of the account.",
  })
  organizationIds: string[] | null;
}

@ObjectType("Viewer", { description: "The caller: the account behind the access key." })
export class ViewerType {
  // What the viewer sees depends on the key (a limited key reaches fewer organizations), so the key identifies it.
  @Field(() => ID, { description: "The access key in use: a stable id for a client's cache, one viewer per key." })
  id: string;

  @Field(() => AccountType, { description: "The account that created the key in use." })
  account: AccountType;
}
