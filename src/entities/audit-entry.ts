import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

/** One recorded change of a registration or a result: who, when, old and new values. */
@Entity({ name: "audit_entry" })
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: "bigint" })
  id: string;

  @Column({ type: "timestamptz" })
  at: Date;

  @Column({ name: "account_id", type: "char", length: 24, nullable: true })
  accountId: string | null;

  @Column({ name: "access_key_id", type: "char", length: 24, nullable: true })
  accessKeyId: string | null;

  /** The registration changed; null for an entry about a result. */
  @Column({ name: "registration_id", type: "char", length: 24, nullable: true })
  registrationId: string | null;

  /** The result changed (a plain id: a deleted result's entries keep naming it); null for a registration's. */
  @Column({ name: "result_id", type: "char", length: 24, nullable: true })
  resultId: string | null;

  @Column({ type: "text" })
  action: "Created" | "Updated" | "Deleted";

  @Column({ name: "old_values", type: "jsonb", nullable: true })
  oldValues: Record<string, unknown> | null;

  @Column({ name: "new_values", type: "jsonb" })
  newValues: Record<string, unknown>;
}
