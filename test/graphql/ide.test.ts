// The GraphQL IDE at GET /graphql: GraphiQL from our own server only, so it works without internet access.
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockAllBut, browserSkipReason, collectProblems, launchChromium, noBrowser } from "../support/browser";
import { call, graphql } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

function pageAssets(html: string): { scripts: string[]; styles: string[] } {
  const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
  const styles = [...html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]);
  return { scripts, styles };
}

describe("the GraphQL IDE", () => {
  it("answers a browser's GET /graphql with the GraphiQL page and its security headers", async () => {
    const page = await call(`${server.url}/graphql`, { headers: { Accept: BROWSER } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.text).toContain('<div id="graphiql">');
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(csp).toContain("connect-src 'self'");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    // No inline script: the page's only scripts are files.
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it("loads every script and style from this server, each answering 200 with its content type", async () => {
    const page = await call(`${server.url}/graphql`, { headers: { Accept: "text/html" } });
    const { scripts, styles } = pageAssets(page.text);
    expect(scripts.length).toBeGreaterThanOrEqual(4);
    expect(styles.length).toBeGreaterThanOrEqual(1);
    for (const [urls, type] of [
      [scripts, /javascript/],
      [styles, /^text\/css/],
    ] as const) {
      for (const src of urls) {
        const url = new URL(src, `${server.url}/graphql`);
        expect(url.origin, src).toBe(server.url);
        const asset = await fetch(url);
        expect(asset.status, src).toBe(200);
        expect(asset.headers.get("content-type"), src).toMatch(type);
        expect(asset.headers.get("x-content-type-options"), src).toBe("nosniff");
        expect((await asset.arrayBuffer()).byteLength, src).toBeGreaterThan(0);
      }
    }
  });

  it("starts GraphiQL against /graphql with a header hint that is not stored in the browser", async () => {
    const start = await call(`${server.url}/graphql/assets/graphiql-start.js`);
    expect(start.text).toContain('GraphiQL.createFetcher({ url: "/graphql" })');
    expect(start.text).toContain("shouldPersistHeaders: false");
    expect(start.text).toContain("Basic <base64 of keyName:keySecret>");
    // The header GET queries need (CSRF prevention), as the README tells clients to send it.
    expect(start.text).toContain('\\"apollo-require-preflight\\": \\"true\\"');
  });

  it("answers 404 for an unknown asset instead of handing it to Apollo", async () => {
    const reply = await call(`${server.url}/graphql/assets/package.json`);
    expect(reply.status).toBe(404);
  });

  it("leaves POST /graphql and GET /graphql?query= to Apollo", async () => {
    const post = await graphql(server.url, null, "{ __typename }");
    expect(post.json).toEqual({ data: { __typename: "Query" } });
    const get = await call(`${server.url}/graphql?query=${encodeURIComponent("{ __typename }")}`, {
      headers: { Accept: "application/json", "Apollo-Require-Preflight": "true" },
    });
    expect(get.json).toEqual({ data: { __typename: "Query" } });
    // A browser following a link with a query gets Apollo (which asks for a preflight header), not the page.
    const link = await call(`${server.url}/graphql?query=${encodeURIComponent("{ __typename }")}`, {
      headers: { Accept: BROWSER },
    });
    expect(link.headers.get("content-type")).not.toMatch(/^text\/html/);
    // Without Accept: text/html (curl, GraphQL clients) GET /graphql is Apollo's too.
    const plain = await call(`${server.url}/graphql`, { headers: { Accept: "*/*" } });
    expect(plain.headers.get("content-type")).not.toMatch(/^text\/html/);
  });

  it.skipIf(noBrowser)(
    `renders GraphiQL in headless Chromium with every request off this server blocked${browserSkipReason}`,
    async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const blocked = await blockAllBut(page, server.url);
        const problems = collectProblems(page);
        await page.goto(`${server.url}/graphql`);
        await page.waitForSelector(".graphiql-container", { timeout: 30_000 });
        // The default query is { __typename }: running it proves the fetcher reaches Apollo under the page's CSP.
        await page.click(".graphiql-execute-button");
        // A locator, not waitForFunction: the page's CSP (rightly) forbids the eval that a string function needs.
        await page.locator(".result-window", { hasText: '"Query"' }).waitFor({ timeout: 30_000 });
        await page.screenshot({ path: path.join(os.tmpdir(), "regsync-graphiql.png") });
        expect(blocked).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );
});
