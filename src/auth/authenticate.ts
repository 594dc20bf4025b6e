// Turns a request's Authorization header into a RequestContext, from the key's current state.
import type { DataSource } from "typeorm";
import { loadAccess } from "../services/access";
import { verifyAccessKey, type BeforeSlowCheck } from "../services/access-keys";
import type { RequestContext } from "../services/request-context";
import { parseBasicCredentials } from "./basic-credentials";

export type Authentication = { kind: "none" } | { kind: "invalid" } | { kind: "key"; ctx: RequestContext };

/**
 * Reads the header; a missing header is "none", a wrong or revoked key "invalid".
 * @throws whatever beforeSlowCheck throws (see verifyAccessKey).
 */
export async function authenticate(
  db: DataSource,
  authorization: string | undefined,
  beforeSlowCheck?: BeforeSlowCheck,
): Promise<Authentication> {
  if (!authorization) return { kind: "none" };
  const credentials = parseBasicCredentials(authorization);
  if (!credentials) return { kind: "invalid" };
  const key = await verifyAccessKey(db, credentials.name, credentials.secret, beforeSlowCheck);
  if (!key) return { kind: "invalid" };
  return {
    kind: "key",
    ctx: {
      accountId: key.accountId,
      accessKeyId: key.id,
      readOnly: key.readOnly,
      keyOrganizationIds: key.organizationIds,
      ...(await loadAccess(db, key.accountId, key.organizationIds)),
    },
  };
}
