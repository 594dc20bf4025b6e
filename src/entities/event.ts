import { Column, Entity, PrimaryColumn } from "typeorm";

/** An organizer's event (a race weekend); it has activities. */
@Entity({ name: "event" })
export class Event {
  @PrimaryColumn({ type: "char", length: 24 })
  id: string;

  @Column({ name: "organizer_id", type: "char", length: 24 })
  organizerId: string;

  @Column({ type: "text" })
  name: string;

  @Column({ name: "starts_on", type: "date", nullable: true })
  startsOn: string | null;

  @Column({ name: "ends_on", type: "date", nullable: true })
  endsOn: string | null;

  @Column({ name: "created_at", type: "timestamptz" })
  createdAt: Date;
}
