// Helpers of the sync-rule tests (test/rest/sync-rules*.test.ts): a new runner's person fields, and reading
// back what a test server stored.
import { getRegistrations } from "./http";
import type { TestServer } from "./test-server";

export const newRunner = (extra: Record<string, unknown> = {}) => ({
  givenName: "Anežka",
  surname: `Š${Math.random().toString(36).slice(2, 8)}`,
  sex: "Female",
  birthDate: "1994-05-06",
  ...extra,
});

/** The reads of a test file, on the server `current()` gives when called. */
export function storedReads(current: () => TestServer) {
  async function stored(activityId: string, auth: string) {
    return (await getRegistrations(current().url, activityId, auth)).json as Array<Record<string, any>>;
  }

  async function auditOf(registrationId: string) {
    return current().db.query(
      `SELECT action, old_values, new_values, account_id, access_key_id, at FROM audit_entry WHERE registration_id = $1 ORDER BY id`,
      [registrationId],
    );
  }

  return { stored, auditOf };
}
