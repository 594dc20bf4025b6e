import { Column, Entity, PrimaryColumn } from "typeorm";

/** An API credential of an account; the secret is kept only as a slow hash. */
@Entity({ name: "access_key" })
export class AccessKey {
  @PrimaryColumn({ type: "char", length: 24 })
  id: string;

  @Column({ name: "account_id", type: "char", length: 24 })
  accountId: string;

  @Column({ type: "text" })
  name: string;

  @Column({ name: "secret_hash", type: "text" })
  secretHash: string;

  @Column({ type: "text" })
  description: string;

  @Column({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @Column({ name: "last_used_at", type: "timestamptz", nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: "revoked_at", type: "timestamptz", nullable: true })
  revokedAt: Date | null;

  /** A read-only key reads; it cannot sync or call any mutation. */
  @Column({ name: "read_only", type: "boolean", default: false })
  readOnly: boolean;

  /** The organizations the key acts for, among the account's; null: all of them. */
  @Column({ name: "organization_ids", type: "char", length: 24, array: true, nullable: true })
  organizationIds: string[] | null;
}
