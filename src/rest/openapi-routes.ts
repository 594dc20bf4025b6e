// Serves the REST API's OpenAPI document at GET /openapi.json and its rendering at GET /api/docs.
import { Router } from "express";
import { apiDocsPage } from "./api-docs-page";
import { stringifyJson } from "./json-codec";
import { OPENAPI_DOCUMENT } from "./openapi/document";

// Rendered once: the document does not change while the server runs.
const DOCUMENT = stringifyJson(OPENAPI_DOCUMENT);

/** Mounted at the root, before the REST routes under /api (whose last handler answers 404 for anything else). */
export function openApiRoutes(): Router {
  const router = Router();
  router.get("/openapi.json", (_req, res) => {
    res.set("Cache-Control", "no-cache").type("application/json").send(DOCUMENT);
  });
  router.use("/api/docs", apiDocsPage());
  return router;
}
