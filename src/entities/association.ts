import { Column, Entity, PrimaryColumn } from "typeorm";

/** Organizer → associate: the associate's members reach the organizer's activities, not the reverse. */
@Entity({ name: "association" })
export class Association {
  @PrimaryColumn({ type: "char", length: 24 })
  id: string;

  @Column({ name: "organizer_id", type: "char", length: 24 })
  organizerId: string;

  @Column({ name: "associate_id", type: "char", length: 24 })
  associateId: string;

  @Column({ name: "created_at", type: "timestamptz" })
  createdAt: Date;
}
