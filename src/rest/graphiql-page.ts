// The GraphQL IDE a browser gets at GET /graphql: GraphiQL served from node_modules, so it works offline.
import path from "node:path";
import type { Request, Router } from "express";
import { html, htmlDocument } from "./html-template";
import { offlinePageRoutes } from "./offline-page";

const ASSETS = "/graphql/assets";

function packageFile(name: string, file: string): string {
  // react and react-dom export only package.json and their entry points, so resolve the folder, not the file.
  return path.join(path.dirname(require.resolve(`${name}/package.json`)), file);
}

const FILES: Record<string, string> = {
  "react.production.min.js": packageFile("react", "umd/react.production.min.js"),
  "react-dom.production.min.js": packageFile("react-dom", "umd/react-dom.production.min.js"),
  "graphiql.min.js": packageFile("graphiql", "graphiql.min.js"),
  "graphiql.min.css": packageFile("graphiql", "graphiql.min.css"),
};

// GraphiQL POSTs, which CSRF prevention lets through; the header is here so that a request copied out of the IDE
// into a GET client (curl -G, urql's default) works too, as the README says.
const KEY_HINT = JSON.stringify(
  { Authorization: "Basic <base64 of keyName:keySecret>", "apollo-require-preflight": "true" },
  null,
  2,
);

const DEFAULT_QUERY = `# regsync GraphQL. Every field needs an access key: put
#   Authorization: Basic base64(keyName:keySecret)
# into the Headers tab below (it is not stored in the browser).
# Ctrl-Space completes, Ctrl-Enter runs, the Docs button lists the schema.

{
  __typename
}
`;

// A served file rather than an inline script, so the page's CSP needs no 'unsafe-inline' for scripts.
const START_SCRIPT = `"use strict";
ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {
    fetcher: GraphiQL.createFetcher({ url: "/graphql" }),
    defaultQuery: ${JSON.stringify(DEFAULT_QUERY)},
    defaultHeaders: ${JSON.stringify(KEY_HINT)},
    shouldPersistHeaders: false,
    defaultEditorToolsVisibility: "headers",
  }),
);
`;

const PAGE = htmlDocument(html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>regsync GraphQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSETS}/graphiql.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading the GraphQL IDE…</div>
<noscript>The GraphQL IDE needs JavaScript. Without it, POST queries to /graphql.</noscript>
<script src="${ASSETS}/react.production.min.js"></script>
<script src="${ASSETS}/react-dom.production.min.js"></script>
<script src="${ASSETS}/graphiql.min.js"></script>
<script src="${ASSETS}/graphiql-start.js"></script>
</body>
</html>
`);

// GraphiQL (emotion, CodeMirror) writes <style> elements, hence 'unsafe-inline' for styles only; its fonts and icons are data: URLs.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

/** A browser navigating to /graphql, as opposed to a GraphQL request over GET. */
function wantsPage(req: Request): boolean {
  return (
    req.query.query === undefined &&
    req.accepts(["application/graphql-response+json", "application/json", "text/html"]) === "text/html"
  );
}

/** Mounted at /graphql before Apollo; everything it does not answer passes on to Apollo, but for unknown assets. */
export function graphiqlPage(): Router {
  const router = offlinePageRoutes({
    html: PAGE,
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    startScript: { name: "graphiql-start.js", source: START_SCRIPT },
    files: FILES,
    wantsPage,
  });
  // Apollo would take an unknown asset's path for a GraphQL request.
  router.get("/assets/:name", (_req, res) => {
    res.status(404).type("text/plain").send("Not found");
  });
  return router;
}
