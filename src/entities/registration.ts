import { Column, Entity, PrimaryColumn } from "typeorm";

export type RegistrationState = "New" | "Confirmed" | "Cancelled";
/** Exactly the states the platform's download page lists. */
export const REGISTRATION_STATES: readonly RegistrationState[] = ["New", "Confirmed", "Cancelled"];

export type RegistrationSource = "Native" | "External";
export const REGISTRATION_SOURCES: readonly RegistrationSource[] = ["Native", "External"];

/** A person's entry in an activity. */
@Entity({ name: "registration" })
export class Registration {
  @PrimaryColumn({ type: "char", length: 24 })
  id: string;

  @Column({ name: "activity_id", type: "char", length: 24 })
  activityId: string;

  @Column({ name: "person_id", type: "char", length: 24 })
  personId: string;

  /** Short human-friendly code such as RGZ196. */
  @Column({ type: "text" })
  code: string;

  @Column({ type: "text" })
  state: RegistrationState;

  /** A string, so that 0001 keeps its zeros; null when none is assigned. */
  @Column({ name: "start_number", type: "text", nullable: true })
  startNumber: string | null;

  /** Amount in minor units (hundredths). */
  @Column({ name: "amount_value", type: "integer" })
  amountValue: number;

  @Column({ name: "amount_currency", type: "char", length: 3 })
  amountCurrency: string;

  @Column({ type: "text" })
  source: RegistrationSource;

  /** The registration's id in the client's own system. */
  @Column({ name: "external_id", type: "text", nullable: true })
  externalId: string | null;

  @Column({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @Column({ name: "modified_at", type: "timestamptz" })
  modifiedAt: Date;
}
