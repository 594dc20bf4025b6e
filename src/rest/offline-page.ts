// Browser pages built from files in node_modules (GraphiQL, Swagger UI), so they work without internet access.
// Security headers common to every answer come from helmet (security-headers.ts); a page adds its own CSP.
import { Router, type Request } from "express";

export interface OfflinePage {
  html: string;
  /** The page's own Content-Security-Policy directives. */
  contentSecurityPolicy: string[];
  /** The script that starts the page, served as a file so that the CSP needs no 'unsafe-inline' for scripts. */
  startScript: { name: string; source: string };
  /** Asset name (under ./assets/) → its file in node_modules. */
  files: Record<string, string>;
  /**
   * When the page shares its path with something else (GraphiQL with GET queries to /graphql), which
   * requests get the page; the answer then varies by Accept.
   */
  wantsPage?: (req: Request) => boolean;
}

/** The page at "/" and its files at "/assets/…"; anything else, including an unknown asset, goes on to `next`. */
export function offlinePageRoutes(page: OfflinePage): Router {
  const router = Router();
  const headers: Record<string, string> = {
    "Content-Security-Policy": page.contentSecurityPolicy.join("; "),
    "Cache-Control": "no-cache",
    ...(page.wantsPage ? { Vary: "Accept" } : {}),
  };
  router.get("/", (req, res, next) => {
    if (page.wantsPage && !page.wantsPage(req)) return next();
    res.set(headers).type("html").send(page.html);
  });
  router.get(`/assets/${page.startScript.name}`, (_req, res) => {
    res.set("Cache-Control", "no-cache").type("text/javascript").send(page.startScript.source);
  });
  router.get("/assets/:name", (req, res, next) => {
    const file = Object.hasOwn(page.files, req.params.name) ? page.files[req.params.name] : undefined;
    if (!file) return next();
    res.sendFile(file);
  });
  return router;
}
