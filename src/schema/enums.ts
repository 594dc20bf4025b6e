// GraphQL enums share their values with REST, so a client sees one vocabulary: each is made from the one constant
// the code checks values against, and a value added there fails to compile here until it is described.
import { registerEnumType } from "type-graphql";
import { MEMBERSHIP_ROLES } from "../entities/membership";
import { ORGANIZATION_KINDS } from "../entities/organization";
import { SEXES } from "../entities/person";
import { REGISTRATION_SOURCES, REGISTRATION_STATES } from "../entities/registration";
import { RESULT_STATUSES } from "../entities/result";
import { SYNC_MODES } from "../services/sync-modes";

/**
 * Registers `list` as the GraphQL enum `name` and returns its enum object (each value its own name).
 * `values` describes every value of the list: a Record, so none can be left out.
 */
export function graphqlEnum<T extends string>(
  list: readonly T[],
  name: string,
  description: string,
  values: Record<T, string>,
): { [K in T]: K } {
  const enumObject = Object.fromEntries(list.map((v) => [v, v])) as { [K in T]: K };
  registerEnumType(enumObject, {
    name,
    description,
    valuesConfig: Object.fromEntries(list.map((v) => [v, { description: values[v] }])) as {
      [K in T]: { description: string };
    },
  });
  return enumObject;
}

export const RegistrationStateEnum = graphqlEnum(
  REGISTRATION_STATES,
  "RegistrationState",
  "State of a registration; only Confirmed registrations appear on the start list.",
  {
    New: "Not yet paid or approved.",
    Confirmed: "Paid or otherwise approved.",
    Cancelled: "Cancelled; its start number is free for others.",
  },
);

export const SexEnum = graphqlEnum(SEXES, "Sex", "A person's sex as race categories use it.", {
  Male: "Male.",
  Female: "Female.",
});

export const RegistrationSourceEnum = graphqlEnum(
  REGISTRATION_SOURCES,
  "RegistrationSource",
  "Where a registration was made.",
  {
    Native: "Made in this platform.",
    External: "Made in another application of the organizer and imported by a sync.",
  },
);

export const SyncModeEnum = graphqlEnum(SYNC_MODES, "SyncMode", "How a batch with failing items is handled.", {
  AllOrNothing: "Any failing item rejects the whole batch; nothing is written.",
  Partial: "Valid items are applied; failing items are Skipped with their errors.",
});

export const OrganizationKindEnum = graphqlEnum(ORGANIZATION_KINDS, "OrganizationKind", "Kind of organization.", {
  Organizer: "Organizes events and sells entries.",
  TimingCompany: "Times races; usually an organizer's associate.",
  Other: "Any other organization.",
});

export const MembershipRoleEnum = graphqlEnum(
  MEMBERSHIP_ROLES,
  "MembershipRole",
  "Role of a member; Owner and Admin manage members, associations and events.",
  {
    Owner: "Full control, including making other Owners.",
    Admin: "Manages members (not Owners), associations, events and activities.",
    Member: "Works with registrations.",
  },
);

export const ResultStatusEnum = graphqlEnum(RESULT_STATUSES, "ResultStatus", "How a runner's race ended.", {
  Finished: "Finished; only finishers have positions.",
  DidNotFinish: "Started but did not finish (DNF).",
  DidNotStart: "Did not start (DNS).",
  Disqualified: "Disqualified (DSQ).",
});
