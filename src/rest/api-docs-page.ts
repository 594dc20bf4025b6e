// The REST API's documentation page at GET /api/docs: Swagger UI served from node_modules, so it works offline.
import path from "node:path";
import type { Router } from "express";
import { html, htmlDocument } from "./html-template";
import { offlinePageRoutes } from "./offline-page";

const ASSETS = "/api/docs/assets";

// Not require("swagger-ui-dist"): that would load its 1.7 MB browser bundle into the server.
const DIST = path.dirname(require.resolve("swagger-ui-dist/package.json"));

const FILES: Record<string, string> = {
  "swagger-ui-bundle.js": path.join(DIST, "swagger-ui-bundle.js"),
  "swagger-ui.css": path.join(DIST, "swagger-ui.css"),
};

// A served file rather than an inline script, so the page's CSP needs no 'unsafe-inline' for scripts.
// validatorUrl: null, or Swagger UI would send the document to validator.swagger.io for its badge.
const START_SCRIPT = `"use strict";
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  deepLinking: true,
  validatorUrl: null,
  persistAuthorization: false,
  displayOperationId: true,
  displayRequestDuration: true,
  defaultModelsExpandDepth: 0,
});
`;

const PAGE = htmlDocument(html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>regsync REST API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSETS}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui">Loading the API documentation…</div>
<noscript>This page needs JavaScript. Without it, read the OpenAPI document at <a href="/openapi.json">/openapi.json</a>.</noscript>
<script src="${ASSETS}/swagger-ui-bundle.js"></script>
<script src="${ASSETS}/docs-start.js"></script>
</body>
</html>
`);

// Swagger UI sets style attributes and writes <style> elements, hence 'unsafe-inline' for styles only; its icons are data: URLs.
// connect-src 'self': it fetches /openapi.json, and "Try it out" calls this server's API.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

/** Mounted at /api/docs, before the REST routes; an unknown asset falls through to their 404 problem. */
export function apiDocsPage(): Router {
  return offlinePageRoutes({
    html: PAGE,
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    startScript: { name: "docs-start.js", source: START_SCRIPT },
    files: FILES,
  });
}
