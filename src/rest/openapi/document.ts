// The OpenAPI 3.1 document of the REST API (SPEC §5), served at GET /openapi.json and rendered at GET /api/docs.
// Enumerations (states, sexes, result types, CSV columns) come from the code that enforces them, so they cannot drift;
// test/rest/openapi.test.ts checks the rest against the router and against real answers.
import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS } from "../cors";
import { DEFAULT_TABLE_LIMITS } from "../upload-table";
import { answer, example, header, parameter, problemAnswer, problemExample, response, schema } from "./builders";
import type { JsonSchema, OpenApiDocument } from "./document-types";
import { HEADERS, PARAMETERS } from "./parameters";
import { REGISTRATION_SYNC, registrationsPath } from "./registration-operations";
import { RESPONSES } from "./responses";
import { RESULT_PATHS, RESULT_SCHEMAS } from "./result-operations";
import { SCHEMAS } from "./schemas";
import { downloadXlsx, syncXlsx } from "./workbook-operations";

export const PUBLIC: Record<string, string[]>[] = [];

export const OPENAPI_DOCUMENT: OpenApiDocument = {
  openapi: "3.1.1",
  info: {
    title: "regsync REST API",
    version: "0.1.0",
    summary:
      "Download and sync an activity's registrations (start numbers, imported entries) as JSON, CSV or Excel workbooks.",
    description: `Race organizers sell entries in the platform; timing companies and the organizers' other tools download them
and push start (bib) numbers and whole registrations back, as JSON or CSV. The same sync is offered over GraphQL at
\`/graphql\` (schema: \`schema.graphql\`), which this document does not describe.

**Access keys.** \`Authorization: Basic base64(keyName:keySecret)\`. A key reaches the activities of organizations its
creator is a member of, and of organizers that associated such an organization (a timing company). A key may be
read-only (downloads only: every sync answers 403) or limited to some organizations (others answer 404).

**Errors** are \`application/problem+json\` (RFC 9457) with a \`requestId\`; failing rows come in \`errors[]\`.

**Limits.** A sync takes at most ${DEFAULT_TABLE_LIMITS.maxRows.toLocaleString("en")} items or rows (\`MAX_SYNC_ITEMS\`) and a body of at most 20 MiB after
decoding (\`BODY_LIMIT_BYTES\`); more is refused with 413 as soon as it is read. A request's headers must arrive within 20
seconds (\`HEADERS_TIMEOUT_SECONDS\`) and the whole request, body included, within 120 seconds (\`REQUEST_TIMEOUT_SECONDS\`);
after that the server answers 408 (plain text, not a problem document) and closes the connection.

**Rate limits.** Failed authentications are counted per key name from one client address and per client address, and each key may make a
limited number of requests a minute; over a limit the answer is 429 with \`Retry-After\`. Requests without a valid key
(the start list) are counted per client address (\`ANONYMOUS_REQUESTS_PER_MINUTE\`). Every answer to a request whose key was accepted carries the key's quota as \`RateLimit-Policy:
"per-key";q=1200;w=60\` and \`RateLimit: "per-key";r=1187;t=42\` (IETF httpapi RateLimit headers draft: \`r\` requests
left, the window resets in \`t\` seconds), so a client can slow down before it is refused.

**CORS** is off unless the server is configured with \`CORS_ORIGINS\` (origins, or \`*\`). Then a page from such an origin
may call \`/api\` (and \`/graphql\`): a preflight \`OPTIONS\` answers 204 allowing the methods GET, HEAD, POST, PUT and the
request headers ${CORS_ALLOWED_HEADERS.map((name) => `\`${name}\``).join(", ")}; answers let the page read
${CORS_EXPOSED_HEADERS.map((name) => `\`${name}\``).join(", ")}. Credentials (cookies) are never allowed: the key travels in the
Authorization header that the page's script sets. Off, or from another origin, there are no CORS headers and the browser
refuses the call.

**Every answer** carries \`X-Request-Id\` and security headers: \`X-Content-Type-Options: nosniff\`, \`Referrer-Policy:
no-referrer\`, \`X-Frame-Options: DENY\`, \`Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\` (the
HTML pages send their own), \`Cross-Origin-Resource-Policy\` and \`Cross-Origin-Opener-Policy: same-origin\`.`,
  },
  servers: [{ url: "/", description: "This server" }],
  tags: [
    {
      name: "Registrations",
      description: "Download and sync an activity's registrations; every call needs an access key.",
    },
    { name: "Start list", description: "The public start list; no key." },
    {
      name: "Results",
      description: "An activity's results: the download with an access key, the public list and page without one.",
    },
    { name: "Operations", description: "Health, readiness and metrics, for the people running the server." },
    { name: "Documentation", description: "This document and the page that renders it." },
  ],
  security: [{ accessKey: [] }],
  paths: {
    "/api/events/activities/{activityId}/registrations.json": registrationsPath("json"),
    "/api/events/activities/{activityId}/registrations.csv": registrationsPath("csv"),
    "/api/events/activities/{activityId}/registrations.xlsx": {
      summary: "An activity's registrations as an Excel workbook",
      parameters: [parameter("activityId")],
      get: downloadXlsx(),
      put: syncXlsx(REGISTRATION_SYNC),
    },
    "/api/events/activities/{activityId}/startlist.json": {
      parameters: [parameter("publicActivityId")],
      get: {
        operationId: "getStartList",
        tags: ["Start list"],
        summary: "An activity's public start list",
        description:
          "Confirmed registrations in numeric order of start numbers, for anyone: no key is needed, and an Authorization header is not looked at. Private profiles show only name and number.",
        security: PUBLIC,
        parameters: [parameter("RequestId")],
        responses: {
          200: answer("The start list.", {
            "application/json": {
              schema: schema("StartList"),
              examples: {
                small: example("Two starters, one with a private profile", {
                  activityId: "638f01d0c5eaf533c891fac3",
                  activityName: "10 km",
                  eventName: "Velká Kunratická",
                  entries: [
                    {
                      id: "I50_H2mefrHOaKPSnmzF_m",
                      startNumber: "1",
                      name: "Martin Dufek",
                      yearOfBirth: 1975,
                      country: "CZ",
                    },
                    { id: "_wcuHe9GXAC8pd184K_x-i", startNumber: "2", name: "Jana Nováková" },
                  ],
                }),
              },
            },
          }),
          404: problemAnswer(404, "No such activity.", ["/problems/not-found"], {
            notFound: example(
              "An unknown activity",
              problemExample(
                "/problems/not-found",
                "Not Found",
                404,
                "Activity 000000000000000000000000 was not found",
              ),
            ),
          }),
          429: problemAnswer(
            429,
            "More requests from this client address in a minute than ANONYMOUS_REQUESTS_PER_MINUTE allows (keyless GraphQL and both start lists count together).",
            ["/problems/too-many-requests"],
            {
              throttled: example(
                "Too many requests from one address",
                problemExample(
                  "/problems/too-many-requests",
                  "Too Many Requests",
                  429,
                  "Too many requests without an access key from this address; retry after 42 seconds",
                ),
              ),
            },
            { "Retry-After": header("Retry-After") },
          ),
          500: response("ServerError"),
          503: response("ServiceUnavailable"),
        },
      },
    },
    "/activities/{activityId}/startlist": {
      parameters: [parameter("publicActivityId")],
      get: {
        operationId: "getStartListPage",
        tags: ["Start list"],
        summary: "An activity's start list as a web page",
        description:
          "The public start list as a plain HTML page in Czech for people (no JavaScript, no key): sorted and searched on the server through its query parameters. It shows the same entries as startlist.json, and the race's start time.",
        security: PUBLIC,
        parameters: [
          {
            name: "sort",
            in: "query",
            description:
              "Sort by start number (default), name (surname first, Czech order), year of birth or country. Any other value: by number.",
            schema: { type: "string", enum: ["number", "name", "year", "country"], default: "number" },
          },
          {
            name: "dir",
            in: "query",
            description: "`desc` sorts the other way; anything else ascending.",
            schema: { type: "string", enum: ["asc", "desc"], default: "asc" },
          },
          {
            name: "q",
            in: "query",
            description:
              "Only starters whose name or start number contains every word of this, ignoring case and diacritics (novak finds Novák). Longer than 100 characters: cut.",
            schema: { type: "string" },
          },
          parameter("RequestId"),
        ],
        responses: {
          200: answer("The page.", {
            "text/html": { schema: { type: "string", description: "An HTML page (Content-Language: cs)." } },
          }),
          404: answer("No such activity: a page that says so.", {
            "text/html": { schema: { type: "string", description: "An HTML page (Content-Language: cs)." } },
          }),
          429: answer(
            "More requests from this client address in a minute than ANONYMOUS_REQUESTS_PER_MINUTE allows: a page that says so.",
            {
              "text/html": { schema: { type: "string", description: "An HTML page (Content-Language: cs)." } },
            },
            { "Retry-After": header("Retry-After") },
          ),
          503: answer(
            "The database cannot serve the page now: a page that says so, with Retry-After.",
            { "text/html": { schema: { type: "string", description: "An HTML page (Content-Language: cs)." } } },
            { "Retry-After": header("Retry-After") },
          ),
          500: response("ServerError"),
        },
      },
    },
    ...RESULT_PATHS,
    "/healthz": {
      get: {
        operationId: "getHealth",
        tags: ["Operations"],
        summary: "Liveness",
        description: "Answers as long as the process serves HTTP; it does not look at the database (see /readyz).",
        security: PUBLIC,
        parameters: [parameter("RequestId")],
        responses: {
          200: answer("The process is up.", {
            "application/json": {
              schema: {
                type: "object",
                description: "Always the same.",
                properties: { status: { const: "ok", description: "Up." } },
                required: ["status"],
              },
            },
          }),
        },
      },
    },
    "/readyz": {
      get: {
        operationId: "getReadiness",
        tags: ["Operations"],
        summary: "Readiness",
        description:
          "Whether the server can serve requests: the database answers and no migration is pending. A load balancer should send traffic only while this answers 200.",
        security: PUBLIC,
        parameters: [parameter("RequestId")],
        responses: {
          200: answer("Ready.", { "application/json": { schema: readiness("ready") } }),
          503: answer("Not ready: the database does not answer, or migrations are pending; detail says which.", {
            "application/json": { schema: readiness("not ready") },
          }),
        },
      },
    },
    "/metrics": {
      get: {
        operationId: "getMetrics",
        tags: ["Operations"],
        summary: "Prometheus metrics",
        description: `Metrics in the Prometheus text format: \`regsync_http_requests_total\` and \`regsync_http_request_duration_seconds\`
by method, route pattern and status; \`regsync_rows_synced_total\` by result type; \`regsync_db_pool_*\` (PostgreSQL pool);
Node process metrics (\`regsync_process_*\`, \`regsync_nodejs_*\`). Not protected by a key: restrict it at the proxy if the
counts are not for everyone.`,
        security: PUBLIC,
        parameters: [parameter("RequestId")],
        responses: {
          200: answer("The metrics.", {
            "text/plain": {
              schema: {
                type: "string",
                description:
                  "Prometheus text exposition format 0.0.4 (Content-Type `text/plain; version=0.0.4; charset=utf-8`).",
              },
            },
          }),
        },
      },
    },
    "/openapi.json": {
      get: {
        operationId: "getOpenApiDocument",
        tags: ["Documentation"],
        summary: "This OpenAPI document",
        description: "The OpenAPI 3.1 description of the REST API, for code generators and API tools.",
        security: PUBLIC,
        parameters: [parameter("RequestId")],
        responses: {
          200: answer("The document.", {
            "application/json": {
              schema: {
                type: "object",
                description: "An OpenAPI 3.1 document.",
                required: ["openapi", "info", "paths"],
              },
            },
          }),
        },
      },
    },
    "/api/docs": {
      get: {
        operationId: "getApiDocsPage",
        tags: ["Documentation"],
        summary: "This document, rendered for a browser",
        description:
          "A Swagger UI page that renders /openapi.json. All its files are served by this server, so it works without internet access.",
        security: PUBLIC,
        parameters: [parameter("RequestId")],
        responses: {
          200: answer("The page.", { "text/html": { schema: { type: "string", description: "An HTML page." } } }),
        },
      },
    },
  },
  components: {
    schemas: { ...SCHEMAS, ...RESULT_SCHEMAS },
    parameters: PARAMETERS,
    headers: HEADERS,
    responses: RESPONSES,
    securitySchemes: {
      accessKey: {
        type: "http",
        scheme: "basic",
        description:
          "An access key: user name = the key's name, password = its secret (`Authorization: Basic base64(keyName:keySecret)`). Keys are made with the operator CLI or GraphQL's createAccessKey; the secret is shown once.",
      },
    },
  },
};

export function readiness(status: "ready" | "not ready"): JsonSchema {
  return {
    type: "object",
    description: "Readiness and why.",
    properties: {
      status: { const: status, description: status === "ready" ? "Ready." : "Not ready." },
      detail: { type: "string", description: "What was checked, or what failed." },
    },
    required: ["status", "detail"],
  };
}
