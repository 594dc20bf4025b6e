// GraphQL enums share their values with REST, so a client sees one vocabulary.
import { registerEnumType } from "type-graphql";
import { SYNC_RESULT_TYPES } from "../services/registration-sync";

const values = <T extends string>(list: readonly T[]) => Object.fromEntries(list.map((v) => [v, v])) as { [K in T]: K };

export const RegistrationStateEnum = values(["New", "Confirmed", "Cancelled"] as const);
registerEnumType(RegistrationStateEnum, {
  name: "RegistrationState",
  description: "State of a registration; only Confirmed registrations appear on the start list.",
  valuesConfig: {
    New: { description: "Not yet paid or approved." },
    Confirmed: { description: "Paid or otherwise approved." },
    Cancelled: { description: "Cancelled; its start number is free for others." },
  },
});

export const SexEnum = values(["Male", "Female"] as const);
registerEnumType(SexEnum, {
  name: "Sex",
  description: "A person's sex as race categories use it.",
  valuesConfig: { Male: { description: "Male." }, Female: { description: "Female." } },
});

export const RegistrationSourceEnum = values(["Native", "External"] as const);
registerEnumType(RegistrationSourceEnum, {
  name: "RegistrationSource",
  description: "Where a registration was made.",
  valuesConfig: {
    Native: { description: "Made in this platform." },
    External: { description: "Made in another application of the organizer and imported by a sync." },
  },
});

export const SyncResultTypeEnum = values(SYNC_RESULT_TYPES);
registerEnumType(SyncResultTypeEnum, {
  name: "SyncResultType",
  description: "What a sync did with one item (the platform's documented values).",
  valuesConfig: {
    Created: { description: "A new registration was created." },
    Updated: { description: "An existing registration changed." },
    Unchanged: { description: "The item equals what is stored." },
    Deleted: { description: "Reserved: deleting is not offered." },
    Skipped: { description: "The item failed and was passed over (partial mode); see its errors." },
  },
});

export const SyncModeEnum = values(["AllOrNothing", "Partial"] as const);
registerEnumType(SyncModeEnum, {
  name: "SyncMode",
  description: "How a batch with failing items is handled.",
  valuesConfig: {
    AllOrNothing: { description: "Any failing item rejects the whole batch; nothing is written." },
    Partial: { description: "Valid items are applied; failing items are Skipped with their errors." },
  },
});

export const OrganizationKindEnum = values(["Organizer", "TimingCompany", "Other"] as const);
registerEnumType(OrganizationKindEnum, {
  name: "OrganizationKind",
  description: "Kind of organization.",
  valuesConfig: {
    Organizer: { description: "Organizes events and sells entries." },
    TimingCompany: { description: "Times races; usually an organizer's associate." },
    Other: { description: "Any other organization." },
  },
});

export const MembershipRoleEnum = values(["Owner", "Admin", "Member"] as const);
registerEnumType(MembershipRoleEnum, {
  name: "MembershipRole",
  description: "Role of a member; Owner and Admin manage members, associations and events.",
  valuesConfig: {
    Owner: { description: "Full control, including making other Owners." },
    Admin: { description: "Manages members (not Owners), associations, events and activities." },
    Member: { description: "Works with registrations." },
  },
});
