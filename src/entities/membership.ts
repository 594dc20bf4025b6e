import { Column, Entity, PrimaryColumn } from "typeorm";

export type MembershipRole = "Owner" | "Admin" | "Member";
export const MEMBERSHIP_ROLES: readonly MembershipRole[] = ["Owner", "Admin", "Member"];

/** An account's membership of an organization. */
@Entity({ name: "membership" })
export class Membership {
  @PrimaryColumn({ type: "char", length: 24 })
  id: string;

  @Column({ name: "account_id", type: "char", length: 24 })
  accountId: string;

  @Column({ name: "organization_id", type: "char", length: 24 })
  organizationId: string;

  @Column({ type: "text" })
  role: MembershipRole;

  @Column({ name: "created_at", type: "timestamptz" })
  createdAt: Date;
}
