// Who is calling: computed once per request from current memberships, passed first to every service.
import type { DataSource, EntityManager } from "typeorm";
import type { MembershipRole } from "../entities/membership";

export interface RequestContext {
  /** The account that created the access key. */
  accountId: string;
  accessKeyId: string;
  /** The key may read but not write (no sync, no mutation). */
  readOnly: boolean;
  /** The organizations the key is limited to; null: every membership of the account counts. */
  keyOrganizationIds: readonly string[] | null;
  /** The account's role in each organization it is a member of. */
  roles: ReadonlyMap<string, MembershipRole>;
  /** Organizers whose activities this key may reach: the account's own organizations and those that associated them. */
  reachableOrganizerIds: ReadonlySet<string>;
  /** Organizations the key may see by name: the reachable ones and the associates of its own organizations. */
  visibleOrganizationIds: ReadonlySet<string>;
}

/**
 * The transaction a request's work runs in, kept beside its context rather than in it: the service that
 * owns a transaction hands a context carrying it to the hooks it calls inside (Vendure's `ctx` holds its
 * transaction the same way), so that what they write commits with its work, and no adapter ever holds a
 * query runner. A WeakMap, so that a context and its transaction are collected together.
 */
const transactions = new WeakMap<RequestContext, EntityManager>();

/** The caller's context, carrying `transaction`: for hooks that run inside it. */
export function inTransaction(ctx: RequestContext, transaction: EntityManager): RequestContext {
  const carrying = { ...ctx };
  transactions.set(carrying, transaction);
  return carrying;
}

/** Where a service's statements for this request go: the transaction the context carries, else the database. */
export function queriesFor(db: DataSource, ctx: RequestContext): DataSource | EntityManager {
  return transactions.get(ctx) ?? db;
}
