import { Column, Entity, PrimaryColumn } from "typeorm";

/** A race of an event; registrations are made for an activity. */
@Entity({ name: "activity" })
export class Activity {
  @PrimaryColumn({ type: "char", length: 24 })
  id: string;

  @Column({ name: "event_id", type: "char", length: 24 })
  eventId: string;

  @Column({ type: "text" })
  name: string;

  @Column({ name: "starts_at", type: "timestamptz", nullable: true })
  startsAt: Date | null;

  /** Currency of the activity's entry fees (ISO 4217). */
  @Column({ type: "char", length: 3 })
  currency: string;

  @Column({ name: "created_at", type: "timestamptz" })
  createdAt: Date;
}
