// Who a management service acts for: an access key's RequestContext, or the operator at the machine (the CLI).
import type { DataSource, EntityManager } from "typeorm";
import { isObjectId } from "../db/object-id";
import type { MembershipRole } from "../entities/membership";
import { Organization } from "../entities/organization";
import { requireManager } from "./access";
import { NotFoundError } from "./domain-errors";
import type { RequestContext } from "./request-context";

/**
 * The operator (the CLI): holds no key, is nobody's member, and manages every organization as its Owner
 * would. One value passed where a RequestContext goes, so each service has one code path for both.
 */
export class OperatorContext {
  readonly operator = true;
}

export const OPERATOR = new OperatorContext();

/** The `ctx` every management service takes first. */
export type Caller = RequestContext | OperatorContext;

export function isOperator(ctx: Caller): ctx is OperatorContext {
  return ctx instanceof OperatorContext;
}

/** The caller's role in an organization: the operator counts as its Owner. */
export function roleOf(ctx: Caller, organizationId: string): MembershipRole | undefined {
  return isOperator(ctx) ? "Owner" : ctx.roles.get(organizationId);
}

/**
 * Checks that the caller may manage an organization (Owner or Admin; the operator, any that exists).
 * @throws NotFoundError when it does not exist or the caller cannot see it; ForbiddenError when the role is too low.
 */
export async function requireManagerOf(
  ctx: Caller,
  db: DataSource | EntityManager,
  organizationId: string,
  what = "Organization",
): Promise<void> {
  if (!isOperator(ctx)) {
    requireManager(ctx, organizationId, what);
    return;
  }
  if (!isObjectId(organizationId) || !(await db.getRepository(Organization).existsBy({ id: organizationId }))) {
    throw new NotFoundError(what, organizationId);
  }
}

/** Whether the caller reaches an organizer's events and activities. */
export function reaches(ctx: Caller, organizerId: string): boolean {
  return isOperator(ctx) || ctx.reachableOrganizerIds.has(organizerId);
}
