// The per-request GraphQL context, and the guards resolvers use to require a key.
import { GraphQLError } from "graphql";
import type { DataSource } from "typeorm";
import type { Authentication } from "../auth/authenticate";
import type { Config } from "../config";
import { loadAccess } from "../services/access";
import { createLoaders, type Loaders } from "../services/loaders";
import type { RequestContext } from "../services/request-context";

export interface GraphQLContext {
  db: DataSource;
  config: Config;
  auth: Authentication;
  /** Made on first use, for this request only. */
  loaders?: Loaders;
  /** The request's logger (its lines carry the request id); unexpected failures are logged here. */
  log?: { error(details: object, message: string): void; warn(details: object, message: string): void };
}

/** The caller's RequestContext. @throws GraphQLError UNAUTHENTICATED without a valid key. */
export function requireKey(context: GraphQLContext): RequestContext {
  if (context.auth.kind === "key") return context.auth.ctx;
  throw new GraphQLError(
    context.auth.kind === "none"
      ? "This API needs an access key: Authorization: Basic base64(keyName:keySecret)"
      : "The access key is unknown, wrong or revoked",
    { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } },
  );
}

/** The request's loaders, which answer only what the caller may see. */
export function loaders(context: GraphQLContext): Loaders {
  return (context.loaders ??= createLoaders(context.db, requireKey(context)));
}

/** After a mutation that changed the caller's own reach (a new organization, an association), later fields see it. */
export async function refreshAccess(context: GraphQLContext): Promise<void> {
  const ctx = requireKey(context);
  context.auth = {
    kind: "key",
    ctx: { ...ctx, ...(await loadAccess(context.db, ctx.accountId, ctx.keyOrganizationIds)) },
  };
  context.loaders = undefined;
}
