// Who is calling: computed once per request from current memberships, passed first to every service.
export interface RequestContext {
  /** The account that created the access key. */
  accountId: string;
  accessKeyId: string;
  /** Organizers whose activities this key may reach: the account's own organizations and those that associated them. */
  reachableOrganizerIds: ReadonlySet<string>;
}
