// Headless Debian Chromium driven by playwright-core, for the tests of the HTML pages (GraphiQL,
// the API docs, the start list). Without the browser those tests are skipped, and say why; in CI they fail.
import fs from "node:fs";
import { createRequire } from "node:module";
import { inCi } from "./ci";

const CHROMIUM = "/usr/bin/chromium";
const requireHere = createRequire(__filename);

function resolvable(name: string): boolean {
  try {
    requireHere.resolve(name);
    return true;
  } catch {
    return false;
  }
}

const missing = !fs.existsSync(CHROMIUM) || !resolvable("playwright-core");

/** Skip the browser tests: the browser is missing, outside CI (in CI, launchChromium fails instead). */
export const noBrowser = missing && !inCi;

/** Appended to a browser test's name: the reason it is skipped, if it is. */
export const browserSkipReason = noBrowser ? ` (skipped: needs ${CHROMIUM} and playwright-core)` : "";

/** A headless Chromium that talks to nothing on its own (no sync, updates or QUIC). Close it when done. */
export async function launchChromium(): Promise<any> {
  if (missing)
    throw new Error(
      `the page tests need ${CHROMIUM} and playwright-core, and CI must run them: install Debian's chromium (.ci/run does)`,
    );
  const { chromium } = requireHere("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Watches a page: its script errors and console errors (and, with `warnings`, console warnings, which
 * is where a CSP violation shows) go into `problems`.
 */
export function collectProblems(page: any, { warnings = false } = {}): string[] {
  const problems: string[] = [];
  page.on("pageerror", (error: Error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message: any) => {
    if (message.type() === "error" || (warnings && message.type() === "warning"))
      problems.push(`console: ${message.text()}`);
  });
  return problems;
}

/** Aborts every request of the page that does not go to `origin`; the returned list names them. */
export async function blockAllBut(page: any, origin: string): Promise<string[]> {
  const blocked: string[] = [];
  await page.route("**/*", (route: any) => {
    const url: string = route.request().url();
    if (url.startsWith(origin)) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  return blocked;
}
