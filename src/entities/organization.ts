import { Column, Entity, PrimaryColumn } from "typeorm";

export type OrganizationKind = "Organizer" | "TimingCompany" | "Other";
export const ORGANIZATION_KINDS: readonly OrganizationKind[] = ["Organizer", "TimingCompany", "Other"];

/** A race organizer, a timing company or another organization. */
@Entity({ name: "organization" })
export class Organization {
  @PrimaryColumn({ type: "char", length: 24 })
  id: string;

  @Column({ type: "text" })
  name: string;

  @Column({ type: "text" })
  kind: OrganizationKind;

  @Column({ name: "created_at", type: "timestamptz" })
  createdAt: Date;
}
