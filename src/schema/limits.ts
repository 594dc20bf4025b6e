// Query limits: how deep and how costly one GraphQL operation may be, checked before anything runs.
import { setImmediate } from "node:timers/promises";
import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { GraphQLError, Kind, type SelectionSetNode, type ValidationContext, type ValidationRule } from "graphql";
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from "graphql-query-complexity";

// An IDE's introspection query nests ofType about ten levels deep; introspection has its own switch.
const INTROSPECTION_FIELDS = new Set(["__schema", "__type"]);

/**
 * A validation rule refusing operations whose fields nest deeper than `maxDepth`:
 * `{ a { b } }` is 2 levels deep. Fragments count as the fields they contain.
 */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext) => {
    const fragmentDepths = new Map<string, number>();
    const depthOf = (selectionSet: SelectionSetNode, entered: Set<string>): number => {
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          if (INTROSPECTION_FIELDS.has(selection.name.value)) continue;
          deepest = Math.max(deepest, 1 + (selection.selectionSet ? depthOf(selection.selectionSet, entered) : 0));
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, entered));
        } else {
          const name = selection.name.value;
          const fragment = context.getFragment(name);
          // A fragment cycle is reported by graphql's own NoFragmentCyclesRule; here it only must not loop.
          if (!fragment || entered.has(name)) continue;
          // Remembered per fragment, so a fragment spread many times is walked once.
          if (!fragmentDepths.has(name))
            fragmentDepths.set(name, depthOf(fragment.selectionSet, new Set(entered).add(name)));
          deepest = Math.max(deepest, fragmentDepths.get(name)!);
        }
      }
      return deepest;
    };
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, new Set());
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`Query is ${depth} levels deep; the limit is ${maxDepth}.`, { nodes: [operation] }),
          );
        }
        return false;
      },
    };
  };
}

/** What the estimate assumes an unpaged list holds when nothing tells it: an organizer's events, an event's activities. */
export const UNPAGED_LIST_ESTIMATE = 20;

/**
 * type-graphql's complexity option of an unpaged list whose size the estimate cannot know: UNPAGED_LIST_ESTIMATE items
 * × what is selected of each, so that nesting such lists (organizations → events → activities → start list) multiplies.
 */
export const unpagedListComplexity = ({ childComplexity }: { childComplexity: number }) =>
  UNPAGED_LIST_ESTIMATE * childComplexity + 1;

function tooComplex(complexity: number | undefined, limit: number): GraphQLError {
  const message =
    complexity === undefined
      ? `Query has too many fields and fragments to estimate its complexity; the limit is ${limit}.`
      : `Query complexity is ${complexity}; the limit is ${limit}.`;
  return new GraphQLError(message, {
    extensions: { code: "QUERY_TOO_COMPLEX", complexity, limit, http: { status: 400 } },
  });
}

/** Sizes a field's complexity asks about, looked up between the plugin's two estimates (see StartListSizes). */
export interface EstimateContext {
  /** Looks up the sizes the first estimate asked about; false when it asked none, so that estimate stands. */
  lookUp(): Promise<boolean>;
}

/**
 * An Apollo plugin refusing operations whose estimated complexity exceeds `maxComplexity`.
 * A field counts 1 unless it declares its own `complexity` (type-graphql's field option;
 * connections multiply their selection by `first`). With `estimateContext`, the operation is estimated
 * once with every looked-up size at 1, then, if that fits, again after lookUp() (at most two statements).
 */
export function complexityLimitPlugin<C>(
  maxComplexity: number,
  estimateContext?: (contextValue: C) => EstimateContext,
): ApolloServerPlugin<C & BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName, contextValue }) {
          const context = estimateContext?.(contextValue);
          const estimate = () =>
            getComplexity({
              schema,
              query: document,
              variables: request.variables ?? {},
              operationName: operationName ?? undefined,
              estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
              context: context as Record<string, unknown> | undefined,
            });
          let complexity: number;
          // Validation of a large document has just held the event loop; let other requests (/healthz) in between.
          await setImmediate();
          try {
            complexity = estimate();
          } catch (error) {
            // Past maxQueryNodes (10,000) the estimate stops: refuse. Any other failure is a variable that does
            // not fit its type, which execution then reports as BAD_USER_INPUT without running a resolver.
            if (error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message))
              throw tooComplex(undefined, maxComplexity);
            return;
          }
          // The first estimate is a lower bound: over the limit already, it is refused without looking anything up.
          if (complexity <= maxComplexity && context && (await context.lookUp())) {
            await setImmediate();
            complexity = estimate();
          }
          if (complexity > maxComplexity) throw tooComplex(complexity, maxComplexity);
        },
      };
    },
  };
}
