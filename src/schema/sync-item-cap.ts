// The sync's item cap (MAX_SYNC_ITEMS) for GraphQL, checked on the operation as sent, before its variables
// are coerced: coercing 100,000 items into input objects costs seconds for a request that is refused anyway.
import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, Kind, visit, type ValueNode } from "graphql";
import { InvalidInputError } from "../services/domain-errors";
import { checkItemCount } from "../services/sync-input";

/** The mutations that take a sync's `items` (and read them by their own rules, see argument-checks.ts). */
export const SYNC_MUTATIONS: readonly string[] = ["syncRegistrations", "syncResults"];

/** How many items an `items` argument holds: a list written in the operation, or the variable it names. */
function itemCount(value: ValueNode, variables: Record<string, unknown> | undefined): number {
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.VARIABLE) {
    const list = variables?.[value.name.value];
    return Array.isArray(list) ? list.length : 0;
  }
  return 0;
}

/** Refuses a sync mutation with more than `max` items as BAD_USER_INPUT, as its resolver would, but first. */
export function syncItemCapPlugin(max: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          visit(document, {
            Field(field) {
              if (!SYNC_MUTATIONS.includes(field.name.value)) return;
              const items = field.arguments?.find((argument) => argument.name.value === "items");
              if (!items) return;
              try {
                checkItemCount(itemCount(items.value, request.variables), max);
              } catch (error) {
                if (!(error instanceof InvalidInputError)) throw error;
                throw new GraphQLError(error.message, {
                  nodes: [items],
                  extensions: { code: "BAD_USER_INPUT", field: error.field, http: { status: 400 } },
                });
              }
            },
          });
        },
      };
    },
  };
}
