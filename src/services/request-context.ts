// Who is calling: computed once per request from current memberships, passed first to every service.
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
