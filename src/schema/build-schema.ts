// Builds the executable schema from the resolvers; `npm run schema` prints it into schema.graphql.
import "reflect-metadata";
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { buildSchemaSync } from "type-graphql";
import { requireWritableKey } from "../services/access";
import type { GraphQLContext } from "./context";
import { ActivityFields, ActivityQueries, RegistrationFields, StartListFields } from "../resolvers/activity-resolver";
import { EventResolver } from "../resolvers/event-resolver";
import { AssociationFields, MembershipFields, OrganizationResolver } from "../resolvers/organization-resolver";
import { ViewerResolver } from "../resolvers/viewer-resolver";
import {
  ActivityResultFields,
  PersonResultFields,
  PublicResultsFields,
  ResultFields,
  ResultQueries,
} from "../resolvers/result-resolver";
import { SyncRegistrationsPayloadFields, SyncRegistrationsResolver } from "../resolvers/sync-registrations-resolver";
import { SyncResultsResolver } from "../resolvers/sync-results-resolver";

let schema: GraphQLSchema | undefined;

/**
 * A read-only key may not call any mutation (key scopes, issue 5). Unauthenticated calls fail later, in the resolver.
 * Wrapped around the Mutation fields only: as a type-graphql global middleware it made every field of every
 * answer a chain of promises, and a 10,000-row sync's answer held the event loop for seconds (issue 12).
 */
function refuseWritesOfReadOnlyKeys(schema: GraphQLSchema): void {
  for (const field of Object.values(schema.getMutationType()!.getFields())) {
    const resolve = field.resolve!;
    field.resolve = (root, args, context: GraphQLContext, info) => {
      if (context.auth.kind === "key") requireWritableKey(context.auth.ctx);
      return resolve(root, args, context, info);
    };
  }
}

export function buildRegsyncSchema(): GraphQLSchema {
  if (!schema) {
    schema = buildSchemaSync({
      resolvers: [
        ViewerResolver,
        OrganizationResolver,
        MembershipFields,
        AssociationFields,
        EventResolver,
        ActivityQueries,
        ActivityFields,
        StartListFields,
        RegistrationFields,
        SyncRegistrationsResolver,
        SyncResultsResolver,
        SyncRegistrationsPayloadFields,
        ResultQueries,
        PublicResultsFields,
        ActivityResultFields,
        PersonResultFields,
        ResultFields,
      ],
      // Every input class's class-validator decorators hold before a resolver runs (a top-level BAD_USER_INPUT error
      // naming the failed constraints). Arguments whose failures are domain failures opt out (`validate: false`) and
      // are checked by their service through the same decorators, so that they answer in the payload's userErrors:
      // the sync's items (per row, services/sync-input.ts) and the management inputs (services/input-validation.ts),
      // which the CLI sends through the same service.
      validate: { forbidUnknownValues: false },
    });
    refuseWritesOfReadOnlyKeys(schema);
    // type-graphql has no option for the root types' descriptions.
    schema.getQueryType()!.description =
      "Reads. Every field needs an access key (HTTP Basic) unless it says otherwise.";
    schema.getMutationType()!.description = "Writes. Every field needs an access key (HTTP Basic).";
  }
  return schema;
}

/** The SDL committed as schema.graphql. */
export function printRegsyncSchema(): string {
  return printSchema(lexicographicSortSchema(buildRegsyncSchema())) + "\n";
}
