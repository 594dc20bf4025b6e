// Builds the HTTP app: Apollo at /graphql, REST under /api.
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import type { DestinationStream } from "pino";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { DataSource } from "typeorm";
import { AddressQuota } from "./auth/address-quota";
import { RateLimits, TooManyRequestsError, rateLimitHeaders } from "./auth/rate-limits";
import type { Config } from "./config";
import { UNAVAILABLE_ANSWERS, unavailability } from "./db/database-errors";
import { corsMiddleware } from "./rest/cors";
import { batchLimit, operationCount } from "./rest/graphql-batches";
import { createLogger, loggedError, requestLogging } from "./observability/logging";
import { Metrics } from "./observability/metrics";
import { readiness } from "./observability/readiness";
import { graphiqlPage } from "./rest/graphiql-page";
import { openApiRoutes } from "./rest/openapi-routes";
import { registrationRoutes } from "./rest/registration-routes";
import { resultRoutes } from "./rest/result-routes";
import { resultsPage } from "./rest/results-page";
import { problemHandler } from "./rest/problem";
import { queryParameterChecks } from "./rest/query-parameters";
import { declaredLengthLimit } from "./rest/request-body";
import { securityHeaders } from "./rest/security-headers";
import { startListPage } from "./rest/startlist-page";
import { buildRegsyncSchema } from "./schema/build-schema";
import type { GraphQLContext } from "./schema/context";
import { argumentChecksPlugin } from "./schema/argument-checks";
import { checksInOrder } from "./schema/checks-in-order";
import { complexityLimitPlugin, depthLimitRule } from "./schema/limits";
import { StartListSizes } from "./schema/start-list-sizes";
import { syncItemCapPlugin } from "./schema/sync-item-cap";
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from "./services/domain-errors";

const DOMAIN_ERRORS = [NotFoundError, ForbiddenError, InvalidInputError, ConflictError];

/** Neither a domain failure, a GraphQL error of Apollo's or ours, nor an unavailable database: a bug, logged and answered without detail. */
function unexpected(error: unknown): boolean {
  const original = unwrapResolverError(error);
  return (
    !(original instanceof GraphQLError) &&
    !DOMAIN_ERRORS.some((type) => original instanceof type) &&
    !unavailability(original)
  );
}

/** The database is unavailable for now (database-errors.ts): HTTP 503 with Retry-After, like REST, coded SERVICE_UNAVAILABLE. */
function serviceUnavailable(error: unknown): GraphQLError | null {
  // Apollo wraps what a plugin throws (the start-list sizes' lookup) in a GraphQLError without a path.
  const unwrapped = unwrapResolverError(error);
  const unavailable = unavailability(
    unwrapped instanceof GraphQLError && unwrapped.originalError ? unwrapped.originalError : unwrapped,
  );
  if (!unavailable) return null;
  const { message, retryAfterSeconds } = UNAVAILABLE_ANSWERS[unavailable];
  return new GraphQLError(message, {
    extensions: {
      code: "SERVICE_UNAVAILABLE",
      http: { status: 503, headers: new HeaderMap([["retry-after", String(retryAfterSeconds)]]) },
    },
  });
}

/** Domain failures get a code; anything unexpected is answered without detail (logLikelyBugs logs it). */
function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof NotFoundError)
    return { ...formatted, message: original.message, extensions: { code: "NOT_FOUND" } };
  if (original instanceof ForbiddenError)
    return { ...formatted, message: original.message, extensions: { code: "FORBIDDEN" } };
  if (original instanceof InvalidInputError)
    return { ...formatted, message: original.message, extensions: { code: "BAD_USER_INPUT", field: original.field } };
  if (original instanceof ConflictError)
    return { ...formatted, message: original.message, extensions: { code: "CONFLICT" } };
  const unavailable = serviceUnavailable(error);
  if (unavailable)
    return {
      message: unavailable.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: "SERVICE_UNAVAILABLE" },
    };
  if (!unexpected(error) || formatted.extensions?.code !== "INTERNAL_SERVER_ERROR") return formatted;
  return {
    message: "Internal server error",
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  };
}

/**
 * Unexpected failures go into the request's log line, with its request id, never into the answer.
 * An unavailable database is logged as a warning and turns the answer into a 503 with Retry-After.
 */
const logLikelyBugs: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ contextValue, errors, response }) {
        for (const error of errors) {
          const unavailable = serviceUnavailable(error.originalError ?? error);
          if (unavailable) {
            contextValue.log?.warn({ err: unwrapResolverError(error.originalError) }, "database unavailable");
            const http = unavailable.extensions.http as { status: number; headers: HeaderMap };
            response.http.status = http.status;
            for (const [name, value] of http.headers) response.http.headers.set(name, value);
            continue;
          }
          if (!unexpected(error.originalError ?? error)) continue;
          if (contextValue.log)
            contextValue.log.error({ err: unwrapResolverError(error.originalError) }, "unhandled GraphQL error");
          else console.error(loggedError(error.originalError));
        }
      },
    };
  },
};

/** Over a rate limit: HTTP 429 with Retry-After, like REST, and a GraphQL error coded TOO_MANY_REQUESTS. */
function tooManyRequests(error: unknown): never {
  if (!(error instanceof TooManyRequestsError)) throw serviceUnavailable(error) ?? error;
  throw new GraphQLError(error.message, {
    extensions: {
      code: "TOO_MANY_REQUESTS",
      http: { status: 429, headers: new HeaderMap([["retry-after", String(error.retryAfterSeconds)]]) },
    },
  });
}

export interface RegsyncApp {
  app: express.Express;
  stop(): Promise<void>;
}

export interface AppOptions {
  /** Where the JSON logs go; stdout unless given (tests read them from a stream). */
  logDestination?: DestinationStream;
}

export async function createApp(db: DataSource, config: Config, options: AppOptions = {}): Promise<RegsyncApp> {
  const apollo = new ApolloServer<GraphQLContext>({
    schema: buildRegsyncSchema(),
    introspection: config.introspection,
    // "Did you mean …?" suggestions would spell out the schema that turning introspection off hides.
    hideSchemaDetailsFromClientErrors: !config.introspection,
    csrfPrevention: true,
    // Apollo Client's BatchHttpLink sends arrays of operations; graphql-batches.ts caps their number.
    allowBatchedHttpRequests: true,
    includeStacktraceInErrorResponses: false,
    // index.ts drains requests on SIGTERM/SIGINT; Apollo's own handler would stop mid-request and re-raise the signal.
    stopOnTerminationSignals: false,
    formatError,
    validationRules: [depthLimitRule(config.graphqlMaxDepth)],
    // Browsers get our own GraphiQL page instead of Apollo's landing page, which loads its IDE from a CDN.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      checksInOrder<GraphQLContext>(
        syncItemCapPlugin(config.maxSyncItems),
        argumentChecksPlugin(),
        complexityLimitPlugin<GraphQLContext>(
          config.graphqlMaxComplexity,
          ({ db, auth }) => new StartListSizes(db, auth),
        ),
      ),
      logLikelyBugs,
    ],
  });
  await apollo.start();

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  // Behind a proxy, req.ip (which the per-address limit counts) is the client's only if the proxy is trusted.
  app.set("trust proxy", config.trustProxy);
  const logger = createLogger(config, options.logDestination);
  const metrics = new Metrics(db);
  app.use(requestLogging(logger), metrics.middleware());
  app.use(securityHeaders(config));
  const cors = corsMiddleware(config);
  if (cors) app.use(["/graphql", "/api"], cors);
  const rateLimits = new RateLimits(config);
  const addressQuota = new AddressQuota(config.anonymousRequestsPerMinute);
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (req, res) => {
    const { ready, detail, error } = await readiness(db);
    if (error) req.log.warn({ err: error }, "not ready: database unreachable");
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not ready", detail });
  });
  app.get("/metrics", (req, res) => metrics.handler(req, res));
  app.use(
    "/graphql",
    graphiqlPage(),
    declaredLengthLimit(config.bodyLimit),
    express.json({ limit: config.bodyLimit }),
    batchLimit(),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const cost = operationCount(req);
        const auth = await rateLimits
          .authenticate(db, req.get("authorization"), req.ip, {
            cost,
            onQuota: (quota) => res.set(rateLimitHeaders(quota)),
          })
          .catch(tooManyRequests);
        // Without a valid key there is no key's quota to count against: the address's is.
        if (auth.kind !== "key") await addressQuota.consume(req.ip, cost).catch(tooManyRequests);
        return { db, config, log: req.log, auth };
      },
    }),
  );
  app.use(openApiRoutes());
  // The public start list needs no key: each address has its quota (a 429 problem from problemHandler).
  app.get("/api/events/activities/:activityId/startlist.json", (req, _res, next) =>
    addressQuota.consume(req.ip).then(() => next(), next),
  );
  // Results first: the registration routes end with a 404 for anything they do not serve.
  app.use(
    "/api",
    queryParameterChecks(),
    resultRoutes(db, rateLimits, addressQuota),
    registrationRoutes(db, config, rateLimits),
  );
  // The public start list and results as HTML pages: no key, their own CSP.
  app.use("/activities", startListPage(db, addressQuota), resultsPage(db, addressQuota));
  app.use(problemHandler);
  return {
    app,
    stop: async () => {
      metrics.stop();
      await apollo.stop();
    },
  };
}
