// Builds the HTTP app: Apollo at /graphql, REST under /api.
import { ApolloServer } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { DataSource } from "typeorm";
import { authenticate } from "./auth/authenticate";
import type { Config } from "./config";
import { graphiqlPage } from "./rest/graphiql-page";
import { registrationRoutes } from "./rest/registration-routes";
import { problemHandler } from "./rest/problem";
import { buildRegsyncSchema } from "./schema/build-schema";
import type { GraphQLContext } from "./schema/context";
import { complexityLimitPlugin, depthLimitRule } from "./schema/limits";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "./services/domain-errors";

/** Domain failures get a code; anything unexpected is logged and answered without detail. */
function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof NotFoundError) return { ...formatted, message: original.message, extensions: { code: "NOT_FOUND" } };
  if (original instanceof ForbiddenError) return { ...formatted, message: original.message, extensions: { code: "FORBIDDEN" } };
  if (original instanceof InvalidInputError) return { ...formatted, message: original.message, extensions: { code: "BAD_USER_INPUT", field: original.field } };
  if (original instanceof ConflictError) return { ...formatted, message: original.message, extensions: { code: "CONFLICT" } };
  if (original instanceof GraphQLError || formatted.extensions?.code !== "INTERNAL_SERVER_ERROR") return formatted;
  console.error(original);
  return { message: "Internal server error", locations: formatted.locations, path: formatted.path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
}

export interface RegsyncApp {
  app: express.Express;
  stop(): Promise<void>;
}

export async function createApp(db: DataSource, config: Config): Promise<RegsyncApp> {
  const apollo = new ApolloServer<GraphQLContext>({
    schema: buildRegsyncSchema(),
    introspection: config.introspection,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    formatError,
    validationRules: [depthLimitRule(config.graphqlMaxDepth)],
    // Browsers get our own GraphiQL page instead of Apollo's landing page, which loads its IDE from a CDN.
    plugins: [ApolloServerPluginLandingPageDisabled(), complexityLimitPlugin(config.graphqlMaxComplexity)],
  });
  await apollo.start();

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.use(
    "/graphql",
    graphiqlPage(),
    express.json({ limit: config.bodyLimit }),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({ db, config, auth: await authenticate(db, req.get("authorization")) }),
    }),
  );
  app.use("/api", registrationRoutes(db, config));
  app.use(problemHandler);
  return { app, stop: () => apollo.stop() };
}
