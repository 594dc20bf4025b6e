// The REST API's documentation page at /api/docs: Swagger UI rendering the OpenAPI document (issue 6) from this
// server alone.
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockAllBut, browserSkipReason, collectProblems, launchChromium, noBrowser } from "../support/browser";
import { call } from "../support/http";
import { OpenApiDocument, REGISTRATIONS, mediaTypeOf, startOpenApiServer } from "../support/openapi-checks";
import type { TestServer } from "../support/test-server";

let server: TestServer;
let openapi: OpenApiDocument;
beforeAll(async () => {
  server = await startOpenApiServer();
  openapi = new OpenApiDocument((await call(`${server.url}/openapi.json`)).json);
});
afterAll(() => server?.close());

describe("the documentation page at /api/docs", () => {
  it("is Swagger UI from this server, with its own policy allowing its files and calls to this server only", async () => {
    const page = await call(`${server.url}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = [...page.text.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)]
      .map((m) => m[1])
      .filter((src) => !src.startsWith("data:"));
    expect(assets.length).toBe(3);
    for (const src of assets) {
      const url = new URL(src, `${server.url}/api/docs`);
      expect(url.origin, src).toBe(server.url);
      const asset = await fetch(url);
      expect(asset.status, src).toBe(200);
      expect(asset.headers.get("content-type"), src).toMatch(/javascript|^text\/css/);
      expect((await asset.arrayBuffer()).byteLength, src).toBeGreaterThan(0);
    }
    const start = await call(`${server.url}/api/docs/assets/docs-start.js`);
    expect(start.text).toContain('url: "/openapi.json"');
    expect(start.text).toContain("validatorUrl: null");
  });

  it("answers an unknown asset with the API's 404 problem, never a file from elsewhere", async () => {
    for (const name of ["package.json", "..%2Fpackage.json", "index.html"]) {
      const reply = await call(`${server.url}/api/docs/assets/${name}`);
      expect([name, reply.status, mediaTypeOf(reply.headers.get("content-type"))]).toEqual([
        name,
        404,
        "application/problem+json",
      ]);
    }
  });

  it.skipIf(noBrowser)(
    `renders every operation in headless Chromium with every request off this server blocked${browserSkipReason}`,
    async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const blocked = await blockAllBut(page, server.url);
        const problems = collectProblems(page);
        await page.goto(`${server.url}/api/docs`);
        const operations = openapi.documentedRoutes();
        // One block per operation; a locator, not waitForFunction, since the page's CSP (rightly) forbids eval.
        await page
          .locator(".opblock")
          .nth(operations.length - 1)
          .waitFor({ timeout: 30_000 });
        expect(await page.locator(".opblock").count()).toBe(operations.length);
        await page.locator(".info .title", { hasText: openapi.document.info.title }).waitFor();
        for (const route of operations) {
          const [method, routePath] = route.split(" ");
          await page
            .locator(`.opblock-${method.toLowerCase()} .opblock-summary-path[data-path="${routePath}"]`)
            .first()
            .waitFor({ timeout: 5_000 });
        }
        // Open the JSON sync: its parameters and answers render, with the problem statuses.
        await page.locator(`.opblock-put .opblock-summary-path[data-path="${REGISTRATIONS("json")}"]`).click();
        const opened = page.locator(".opblock.is-open");
        await opened.locator(".parameters-container", { hasText: "Idempotency-Key" }).waitFor({ timeout: 10_000 });
        for (const status of ["200", "401", "403", "409", "422", "429"]) {
          await opened.locator(".responses-table .response-col_status", { hasText: status }).first().waitFor();
        }
        await page.screenshot({ path: path.join(os.tmpdir(), "regsync-openapi.png"), fullPage: true });
        expect(blocked).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );
});
