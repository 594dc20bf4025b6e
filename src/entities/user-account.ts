import { Column, Entity, PrimaryColumn } from "typeorm";

/** A login. Accounts created by an external import are unclaimed until their person claims them. */
@Entity({ name: "user_account" })
export class UserAccount {
  @PrimaryColumn({ type: "char", length: 24 })
  id: string;

  @Column({ type: "text" })
  login: string;

  @Column({ type: "boolean" })
  unclaimed: boolean;

  @Column({ name: "created_at", type: "timestamptz" })
  createdAt: Date;
}
