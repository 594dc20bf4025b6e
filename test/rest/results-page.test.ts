// The public results as an HTML page (issue 14): no key, Czech, result order, gaps to the leader, non-finishers
// after the finishers with their status in Czech, filtered by category and sex through a GET form (no JavaScript),
// nothing private; and the links between it and the start list page.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSkipReason, collectProblems, launchChromium, noBrowser } from "../support/browser";
import { scenario } from "../support/fixtures";
import { call } from "../support/http";
import { insertResult, smallRace } from "../support/results";
import { rows, startListRunners } from "../support/startlist-runners";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

const pageUrl = (activityId: string, query = "") =>
  `${server.url}/activities/${activityId}/results${query ? `?${query}` : ""}`;
const resultsPage = (activityId: string, query = "") =>
  call(pageUrl(activityId, query), { headers: { Accept: "text/html" } });

const { race } = startListRunners(() => server.db);

/** Rows as the page shows them: position, number, name, category, then time and gap, or the status. */
const ALL_ROWS = [
  ["1.", "0001", "Martin Dufek", "M40", "0:10:00", ""],
  ["2.", "7", "Jana Soukromá", "Z30", "0:10:30.5", "+0:00:30.5"],
  ["3.", "12", "Petr Novák", "M30", "0:11:00", "+0:01:00"],
  ["4.", "3", "Jan Svoboda", "M20", "1:02:03.4", "+0:52:03.4"],
  ["", "5", "Karel Dvořák", "M40", "Nedokončil"],
  ["", "9", "Adam Beneš", "M30", "Nestartoval"],
  ["", "4", "Eva Malá", "Z30", "Diskvalifikován"],
];

describe("the results page", () => {
  it("shows the results in order with h:mm:ss times, gaps to the winner and Czech statuses, without a key", async () => {
    const activityId = await race("Velká Kunratická", "Hlavní závod 10 km");
    await smallRace(server.db, activityId);
    const page = await resultsPage(activityId);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-language")).toBe("cs");
    expect(page.text).toMatch(/^<!doctype html>\n<html lang="cs">/);
    expect(rows(page.text)).toEqual(ALL_ROWS);
    expect(page.text).toContain("<title>Výsledky – Hlavní závod 10 km – Velká Kunratická</title>");
    expect(page.text).toContain("<h1>Hlavní závod 10 km</h1>");
    expect(page.text).toContain("V cíli: 4 z 7");
  });

  it("filters by category and by sex through a GET form, with positions and gaps of what is shown", async () => {
    const activityId = await race("Pražský kros", "10 km");
    await smallRace(server.db, activityId);
    await insertResult(server.db, activityId, {
      givenName: "Marie",
      surname: "Rychlá",
      sex: "Female",
      category: "Z30",
      position: 5,
      positionByCategory: 2,
      positionBySex: 2,
      time: 3_800_000,
    });
    const z30 = await resultsPage(activityId, "category=Z30");
    expect(rows(z30.text)).toEqual([
      ["1.", "7", "Jana Soukromá", "Z30", "0:10:30.5", ""],
      ["2.", "", "Marie Rychlá", "Z30", "1:03:20", "+0:52:49.5"],
      ["", "4", "Eva Malá", "Z30", "Diskvalifikován"],
    ]);
    expect(z30.text).toContain('<option value="Z30" selected>Z30</option>');
    expect(z30.text).toContain("Zobrazeno 3 z 8");
    const men = await resultsPage(activityId, "sex=Male");
    expect(rows(men.text).map((r) => `${r[0]} ${r[2]} ${r[5] ?? r[4]}`)).toEqual([
      "1. Martin Dufek ",
      "2. Petr Novák +0:01:00",
      "3. Jan Svoboda +0:52:03.4",
      " Karel Dvořák Nedokončil",
      " Adam Beneš Nestartoval",
    ]);
    expect(men.text).toContain('<option value="Male" selected>Muži</option>');
    const form = z30.text.match(/<form[^>]*>([\s\S]*?)<\/form>/)!;
    expect(form[0]).toMatch(/^<form method="get">/);
    expect(form[1]).toContain('<select id="category" name="category">');
    // Categories in order, numbers as numbers; each once.
    expect([...form[1].matchAll(/<option value="([^"]*)"/g)].map((m) => m[1])).toEqual([
      "",
      "M20",
      "M30",
      "M40",
      "Z30",
      "",
      "Male",
      "Female",
    ]);
    expect(rows((await resultsPage(activityId, "category=M40&sex=Female")).text)).toEqual([]);
    // An unknown category or sex is everyone: a mangled shared link still shows the results.
    expect(rows((await resultsPage(activityId, "category=W99&sex=Other")).text)).toHaveLength(8);
  });

  it("never shows logins, birth dates, splits or a private profile's year and country", async () => {
    const activityId = await race("Pražský kros", "Děti");
    await smallRace(server.db, activityId);
    for (const query of ["", "category=Z30", "sex=Female"]) {
      const page = await resultsPage(activityId, query);
      expect(page.text).not.toMatch(/1975-11-27|1991|@example\.test|login|\bSK\b|15:10|15:11/);
    }
  });

  it("links the results and the start list to each other", async () => {
    const activityId = await race("Pražský kros", "5 km");
    const results = await resultsPage(activityId);
    expect(results.text).toContain('<a href="startlist">Startovní listina</a>');
    expect(results.text).toContain("Výsledky zatím nejsou.");
    const startList = await call(`${server.url}/activities/${activityId}/startlist`);
    expect(startList.text).toContain('<a href="results">Výsledky</a>');
  });

  it("escapes every value and answers an unknown activity with an HTML 404 page", async () => {
    const activityId = await race(`<script>alert("e")</script>`, `<img src=x onerror=alert(1)>`);
    await insertResult(server.db, activityId, {
      givenName: "Tom",
      surname: `<script>alert("x")</script>`,
      category: `<b>M</b>`,
      position: 1,
      time: 1000,
    });
    const page = await resultsPage(activityId, `category=${encodeURIComponent("<b>M</b>")}`);
    expect(page.text).not.toMatch(/<script|<img|<b>/);
    expect(rows(page.text)[0][2]).toBe("Tom &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(page.text).toContain('<option value="&lt;b&gt;M&lt;/b&gt;" selected>');
    const missing = await resultsPage("000000000000000000000000");
    expect(missing.status).toBe(404);
    expect(missing.text).toContain("<h1>Výsledky nenalezeny</h1>");
    expect((await resultsPage("not-an-id")).text).toBe(missing.text);
  });

  it("sends a strict CSP that allows only its own <style> by hash, on the 404 page too", async () => {
    const { activityId } = await scenario(server.db);
    // The results page and the page saying there is no such race: each allows the one style it has.
    for (const page of [await resultsPage(activityId), await resultsPage("000000000000000000000000")]) {
      const style = page.text.match(/<style>([\s\S]*?)<\/style>/)![1];
      const hash = createHash("sha256").update(style).digest("base64");
      expect(page.headers.get("content-security-policy")).toBe(
        `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
      );
      expect(page.text).not.toMatch(/<script|<link|\bsrc=|\bstyle="|\bon[a-z]+=/);
    }
  });

  it.skipIf(noBrowser)(
    `reads and filters on a phone in headless Chromium with JavaScript off${browserSkipReason}`,
    async () => {
      const activityId = await race("Velká Kunratická", "Hlavní závod 10 km");
      await smallRace(server.db, activityId);
      const browser = await launchChromium();
      try {
        const context = await browser.newContext({
          javaScriptEnabled: false,
          viewport: { width: 390, height: 844 },
          deviceScaleFactor: 2,
          isMobile: true,
          hasTouch: true,
        });
        const page = await context.newPage();
        const requests: string[] = [];
        page.on("request", (request: any) => requests.push(`${request.resourceType()} ${request.url()}`));
        const problems = collectProblems(page, { warnings: true });

        await page.goto(pageUrl(activityId));
        await expect(page.locator("h1").textContent()).resolves.toBe("Hlavní závod 10 km");
        expect(await page.locator("tbody td.name").allTextContents()).toEqual(ALL_ROWS.map((r) => r[2]));
        expect(await page.locator("tbody td.gap").allTextContents()).toEqual([
          "",
          "+0:00:30.5",
          "+0:01:00",
          "+0:52:03.4",
        ]);
        expect(await page.locator("tbody td.status").allTextContents()).toEqual([
          "Nedokončil",
          "Nestartoval",
          "Diskvalifikován",
        ]);
        // Readable on the phone: the table and the form fit the 390 px screen.
        const table = await page.locator("table").boundingBox();
        expect(table.x).toBeGreaterThanOrEqual(0);
        expect(table.x + table.width).toBeLessThanOrEqual(390);
        const screenshot = path.join(os.tmpdir(), "regsync-results.png");
        await page.screenshot({ path: screenshot, fullPage: true });
        console.log(`results screenshot (390×844, JavaScript off): ${screenshot}`);

        await page.locator("select#category").selectOption("M40");
        await Promise.all([
          page.waitForURL(/\?category=M40&sex=$/),
          page.getByRole("button", { name: "Zobrazit" }).click(),
        ]);
        expect(await page.locator("tbody td.name").allTextContents()).toEqual(["Martin Dufek", "Karel Dvořák"]);
        await page.locator("select#category").selectOption("");
        await page.locator("select#sex").selectOption("Female");
        await Promise.all([
          page.waitForURL(/\?category=&sex=Female$/),
          page.getByRole("button", { name: "Zobrazit" }).click(),
        ]);
        expect(await page.locator("tbody td.name").allTextContents()).toEqual(["Jana Soukromá", "Eva Malá"]);
        expect(await page.locator("tbody td.position").allTextContents()).toEqual(["1.", ""]);

        await Promise.all([
          page.waitForURL(/\/startlist$/),
          page.getByRole("link", { name: "Startovní listina" }).click(),
        ]);
        expect(
          requests.every((request) => request.startsWith(`document ${server.url}/activities/${activityId}/`)),
          requests.join("\n"),
        ).toBe(true);
        expect(problems).toEqual([]);
        expect(fs.statSync(screenshot).size).toBeGreaterThan(10_000);
        await context.close();
      } finally {
        await browser.close();
      }
    },
  );
});
