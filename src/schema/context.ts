// The per-request GraphQL context, and the guard resolvers use to require a key.
import { GraphQLError } from "graphql";
import type { DataSource } from "typeorm";
import type { Authentication } from "../auth/authenticate";
import type { Config } from "../config";
import type { RequestContext } from "../services/request-context";

export interface GraphQLContext {
  db: DataSource;
  config: Config;
  auth: Authentication;
}

/** The caller's RequestContext. @throws GraphQLError UNAUTHENTICATED without a valid key. */
export function requireKey(context: GraphQLContext): RequestContext {
  if (context.auth.kind === "key") return context.auth.ctx;
  throw new GraphQLError(
    context.auth.kind === "none" ? "This API needs an access key: Authorization: Basic base64(keyName:keySecret)" : "The access key is unknown, wrong or revoked",
    { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } },
  );
}
