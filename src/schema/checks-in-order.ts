// Apollo runs every plugin's didResolveOperation at once (Promise.all): a refusal by one does not stop the others.
// The edge checks are ordered from cheap to dear, and a dear one (coercing 100,000 sync items, estimating a cost)
// must never run for an operation a cheap one has refused.
import type { ApolloServerPlugin, BaseContext } from "@apollo/server";

/** One plugin running the given plugins' didResolveOperation (the only hook they use) one after another. */
export function checksInOrder<C extends BaseContext>(...plugins: ApolloServerPlugin<C>[]): ApolloServerPlugin<C> {
  return {
    async requestDidStart(requestContext) {
      const listeners = await Promise.all(plugins.map((plugin) => plugin.requestDidStart?.(requestContext)));
      return {
        async didResolveOperation(context) {
          for (const listener of listeners) await listener?.didResolveOperation?.(context);
        },
      };
    },
  };
}
