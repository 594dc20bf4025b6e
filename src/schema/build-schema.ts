// Builds the executable schema from the resolvers; `npm run schema` prints it into schema.graphql.
import "reflect-metadata";
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { buildSchemaSync, type MiddlewareFn } from "type-graphql";
import { requireWritableKey } from "../services/access";
import type { GraphQLContext } from "./context";
import { ActivityFields, ActivityQueries, RegistrationFields, StartListFields } from "../resolvers/activity-resolver";
import { EventResolver } from "../resolvers/event-resolver";
import { AssociationFields, MembershipFields, OrganizationResolver } from "../resolvers/organization-resolver";
import { ViewerResolver } from "../resolvers/viewer-resolver";
import { SyncRegistrationsPayloadFields, SyncRegistrationsResolver } from "../resolvers/sync-registrations-resolver";

let schema: GraphQLSchema | undefined;

/** A read-only key may not call any mutation (key scopes, issue 5). Unauthenticated calls fail later, in the resolver. */
const refuseWritesOfReadOnlyKeys: MiddlewareFn<GraphQLContext> = ({ info, context }, next) => {
  if (info.parentType.name === "Mutation" && context.auth.kind === "key") requireWritableKey(context.auth.ctx);
  return next();
};

export function buildRegsyncSchema(): GraphQLSchema {
  if (!schema) {
    schema = buildSchemaSync({
      resolvers: [
        ViewerResolver, OrganizationResolver, MembershipFields, AssociationFields, EventResolver,
        ActivityQueries, ActivityFields, StartListFields, RegistrationFields, SyncRegistrationsResolver, SyncRegistrationsPayloadFields,
      ],
      validate: false,
      globalMiddlewares: [refuseWritesOfReadOnlyKeys],
    });
    // type-graphql has no option for the root types' descriptions.
    schema.getQueryType()!.description = "Reads. Every field needs an access key (HTTP Basic) unless it says otherwise.";
    schema.getMutationType()!.description = "Writes. Every field needs an access key (HTTP Basic).";
  }
  return schema;
}

/** The SDL committed as schema.graphql. */
export function printRegsyncSchema(): string {
  return printSchema(lexicographicSortSchema(buildRegsyncSchema())) + "\n";
}
