// The public start list as an HTML page (SPEC §7): no key, Confirmed only, numeric order, sorted and searched
// through query parameters so that it works without JavaScript, every value escaped, nothing private.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createActivity } from "../../src/services/activities";
import { OPERATOR } from "../../src/services/caller";
import { createEvent } from "../../src/services/events";
import { browserSkipReason, collectProblems, launchChromium, noBrowser } from "../support/browser";
import { nativeRegistration, organizationWithMember, scenario } from "../support/fixtures";
import { call } from "../support/http";
import { names, numbers, rows, startListRunners } from "../support/startlist-runners";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

const pageUrl = (activityId: string, query = "") =>
  `${server.url}/activities/${activityId}/startlist${query ? `?${query}` : ""}`;
const startListPage = (activityId: string, query = "") =>
  call(pageUrl(activityId, query), { headers: { Accept: "text/html" } });

const { race, runner, czechField } = startListRunners(() => server.db);

describe("the start list page", () => {
  it("shows only Confirmed registrations in numeric order, with the race's names and start in the heading, without a key", async () => {
    const activityId = await race("Velká Kunratická", "Hlavní závod 10 km", new Date("2025-11-09T09:30:00Z"));
    await runner(activityId, "10", "Jana", "Desátá");
    await runner(activityId, "2", "Jana", "Druhá");
    await runner(activityId, "3", "Jana", "Nová", { state: "New" });
    await runner(activityId, "4", "Jana", "Zrušená", { state: "Cancelled" });
    await runner(activityId, null, "Jana", "Bezčíslá");
    const page = await startListPage(activityId);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.text).toMatch(/^<!doctype html>\n<html lang="cs">/);
    expect(rows(page.text)).toEqual([
      ["2", "Jana Druhá", "1990", "CZ"],
      ["10", "Jana Desátá", "1990", "CZ"],
      ["", "Jana Bezčíslá", "1990", "CZ"],
    ]);
    expect(page.text).not.toMatch(/Nová<|Zrušená/);
    const heading = page.text.match(/<header>([\s\S]*?)<\/header>/)![1];
    expect(heading).toContain("Velká Kunratická");
    expect(heading).toContain("<h1>Hlavní závod 10 km</h1>");
    // 09:30 UTC is 10:30 in Prague in November.
    expect(heading).toContain('<time datetime="2025-11-09T09:30:00.000Z">neděle 9. listopadu 2025 v 10:30</time>');
    expect(page.text).toContain("<title>Startovní listina – Hlavní závod 10 km – Velká Kunratická</title>");
  });

  it("shows the event's days when the activity has no start time", async () => {
    const organizer = await organizationWithMember(server.db);
    const event = await createEvent(OPERATOR, server.db, {
      organizerId: organizer.organizationId,
      name: "Běh Prahou",
      startsOn: "2026-05-16",
      endsOn: "2026-05-17",
    });
    const activity = await createActivity(OPERATOR, server.db, { eventId: event.id, name: "Půlmaraton" });
    const page = await startListPage(activity.id);
    expect(page.text).toContain(
      '<time datetime="2026-05-16">sobota 16. května 2026</time> – <time datetime="2026-05-17">neděle 17. května 2026</time>',
    );
    expect(page.text).toContain("Zatím tu nikdo není.");
  });

  it("sorts by number, name (Czech order), year and country through ?sort= and ?dir=, missing values last", async () => {
    const activityId = await race("Pražský kros", "5 km");
    await czechField(activityId);
    const sortedBy = async (query: string) => startListPage(activityId, query);

    expect(numbers((await sortedBy("")).text)).toEqual(["1", "2", "5", "7", "10", "33", ""]);
    expect(numbers((await sortedBy("sort=number&dir=desc")).text)).toEqual(["33", "10", "7", "5", "2", "1", ""]);
    expect(names((await sortedBy("sort=name")).text)).toEqual([
      "Adam Cibulka",
      "Eva Čermáková",
      "Jan Hora",
      "Petr Chalupa",
      "Tomáš Novák",
      "Marie Nováková",
      "Zuzana Žáková",
    ]);
    expect(names((await sortedBy("sort=name&dir=desc")).text)).toEqual([
      "Zuzana Žáková",
      "Marie Nováková",
      "Tomáš Novák",
      "Petr Chalupa",
      "Jan Hora",
      "Eva Čermáková",
      "Adam Cibulka",
    ]);
    // The private profile has no year or country: last, whichever the direction.
    expect(rows((await sortedBy("sort=year")).text).map((r) => r[2])).toEqual([
      "1971",
      "1980",
      "1988",
      "1990",
      "1995",
      "2001",
      "",
    ]);
    expect(rows((await sortedBy("sort=year&dir=desc")).text).map((r) => r[2])).toEqual([
      "2001",
      "1995",
      "1990",
      "1988",
      "1980",
      "1971",
      "",
    ]);
    // Ties keep start-number order (Žáková has none, so she is the last CZ).
    expect(rows((await sortedBy("sort=country")).text).map((r) => `${r[3]} ${r[0]}`)).toEqual([
      "AT 7",
      "CZ 1",
      "CZ 2",
      "CZ ",
      "PL 5",
      "SK 10",
      " 33",
    ]);
    // An unknown sort is the default order, not an error: a mangled shared link still shows the list.
    const unknown = await sortedBy("sort=birthDate&dir=sideways");
    expect(unknown.status).toBe(200);
    expect(numbers(unknown.text)).toEqual(["1", "2", "5", "7", "10", "33", ""]);
  });

  it("links every column header to its sort; the sorted column's link turns the order around and keeps the search", async () => {
    const activityId = await race("Pražský kros", "10 km");
    await czechField(activityId);
    const plain = await startListPage(activityId);
    const headers = [...plain.text.matchAll(/<th scope="col"[^>]*><a href="([^"]*)">([^<]*)/g)].map((m) => [
      m[2].trim(),
      m[1],
    ]);
    expect(headers).toEqual([
      ["St. č.", "?dir=desc"],
      ["Jméno", "?sort=name"],
      ["Ročník", "?sort=year"],
      ["Stát", "?sort=country"],
    ]);
    expect(plain.text).toContain('<th scope="col" class="number" aria-sort="ascending">');

    const searched = await startListPage(activityId, "sort=name&q=nov");
    expect(searched.text).toContain(
      '<th scope="col" class="name" aria-sort="ascending"><a href="?sort=name&amp;dir=desc&amp;q=nov">',
    );
    expect(searched.text).toContain('<a href="?sort=year&amp;q=nov">');
  });

  it("searches by name (without regard to case or diacritics) or by number with a GET form that keeps the sort", async () => {
    const activityId = await race("Pražský kros", "21 km");
    await czechField(activityId);
    expect(names((await startListPage(activityId, "q=nov")).text)).toEqual(["Marie Nováková", "Tomáš Novák"]);
    expect(names((await startListPage(activityId, "q=NOVAK")).text)).toEqual(["Marie Nováková", "Tomáš Novák"]);
    expect(names((await startListPage(activityId, "q=tom%C3%A1%C5%A1+nov")).text)).toEqual(["Tomáš Novák"]);
    expect(names((await startListPage(activityId, "q=33")).text)).toEqual(["Tomáš Novák"]);
    expect(names((await startListPage(activityId, "q=cerm&sort=name&dir=desc")).text)).toEqual(["Eva Čermáková"]);

    const page = await startListPage(activityId, "q=nov&sort=name&dir=desc");
    expect(names(page.text)).toEqual(["Marie Nováková", "Tomáš Novák"]);
    const form = page.text.match(/<form[^>]*>([\s\S]*?)<\/form>/)!;
    expect(form[0]).toMatch(/^<form method="get"/);
    expect(form[0]).not.toContain("action=");
    expect(form[1]).toContain('<input type="search" id="q" name="q" value="nov"');
    expect(form[1]).toContain('<input type="hidden" name="sort" value="name">');
    expect(form[1]).toContain('<input type="hidden" name="dir" value="desc">');
    expect(page.text).toContain("Nalezeno 2 z 7");

    const none = await startListPage(activityId, "q=Dvořák");
    expect(rows(none.text)).toEqual([]);
    expect(none.text).toContain("Hledání „Dvořák“ nic nenašlo.");
  });

  it("escapes every value: names, the race's names and the search as typed", async () => {
    const activityId = await race(`Event <script>alert("e")</script>`, `<img src=x onerror=alert(1)> & "10 km"`);
    await runner(activityId, "1", `Tom & 'Jerry'`, `<script>alert("x")</script>`);
    await runner(activityId, `<b>7</b>`, "Jana", "Nováková");
    const page = await startListPage(activityId, `q=${encodeURIComponent(`"><script>alert(2)</script>`)}`);
    const all = await startListPage(activityId);
    for (const html of [page.text, all.text]) {
      expect(html).not.toMatch(/<script|<img|<b>|onerror=alert\(1\)>/);
    }
    expect(all.text).toContain("<h1>&lt;img src=x onerror=alert(1)&gt; &amp; &quot;10 km&quot;</h1>");
    expect(all.text).toContain("Event &lt;script&gt;alert(&quot;e&quot;)&lt;/script&gt;");
    expect(names(all.text)).toContain("Tom &amp; &#39;Jerry&#39; &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(numbers(all.text)).toContain("&lt;b&gt;7&lt;/b&gt;");
    expect(page.text).toContain('value="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"');
  });

  it("keeps a hostile value inert in every text and attribute: headings, title, rows, search field, links and the empty result", async () => {
    const hostile = `"onmouseover="alert(1)" x='<script>alert(2)</script>`;
    const escaped = "&quot;onmouseover=&quot;alert(1)&quot; x=&#39;&lt;script&gt;alert(2)&lt;/script&gt;";
    const activityId = await race(`${hostile} event`, `${hostile} race`);
    await runner(activityId, "1", "Jana", hostile);
    const found = await startListPage(activityId, `sort=name&q=${encodeURIComponent(`jana ${hostile}`)}`);
    const none = await startListPage(activityId, `q=${encodeURIComponent(`nobody ${hostile}`)}`);
    for (const page of [found, none]) {
      // Nothing the value brings becomes markup: no element, no attribute, no quote closing an attribute early.
      expect(page.text).not.toMatch(/<script|[\s"']onmouseover=|x='/);
      expect(page.text).toContain(`<title>Startovní listina – ${escaped} race – ${escaped} event</title>`);
      expect(page.text).toContain(`<p class="event">${escaped} event</p>`);
      expect(page.text).toContain(`<h1>${escaped} race</h1>`);
      // Each link carries the search in its query string, percent-encoded, so it cannot leave the attribute either
      // (the link to the results page is a constant).
      for (const [, href] of page.text.matchAll(/<a href="([^"]*)"/g))
        expect(href).toMatch(/^(\?[\w=&;%.*+-]*|results)$/);
    }
    expect(names(found.text)).toEqual([`Jana ${escaped}`]);
    expect(found.text).toContain(`<input type="search" id="q" name="q" value="jana ${escaped}"`);
    expect(none.text).toContain(`<input type="search" id="q" name="q" value="nobody ${escaped}"`);
    expect(none.text).toContain(`<p class="empty">Hledání „nobody ${escaped}“ nic nenašlo.</p>`);
  });

  it("never shows logins or full birth dates, and only name and number of a private profile", async () => {
    const activityId = await race("Pražský kros", "Děti");
    await runner(activityId, "1", "Veřejná", "Běžkyně", { birthDate: "1981-04-05", country: "SK" });
    await runner(activityId, "2", "Soukromá", "Běžkyně", {
      birthDate: "1982-06-07",
      country: "AT",
      isProfilePublic: false,
    });
    const page = await startListPage(activityId);
    expect(rows(page.text)).toEqual([
      ["1", "Veřejná Běžkyně", "1981", "SK"],
      ["2", "Soukromá Běžkyně", "", ""],
    ]);
    expect(page.text).not.toMatch(/1981-04-05|1982-06-07|1982|@example\.test|login|\bAT\b/);
    // Sorting or searching does not bring the private data back.
    for (const query of ["sort=year", "sort=country&dir=desc", "q=soukrom"]) {
      const sorted = await startListPage(activityId, query);
      expect(sorted.text).not.toMatch(/1982|\bAT\b/);
      expect(rows(sorted.text)).toContainEqual(["2", "Soukromá Běžkyně", "", ""]);
    }
    // Nor does a search find anyone by what their private profile keeps to itself.
    for (const query of ["q=1982", "q=AT", "q=at"])
      expect(rows((await startListPage(activityId, query)).text)).toEqual([]);
  });

  it("answers an unknown activity and a malformed id with the same HTML 404 page", async () => {
    const unknown = await startListPage("000000000000000000000000");
    const malformed = await startListPage("not-an-id%3Cscript%3E");
    for (const page of [unknown, malformed]) {
      expect(page.status).toBe(404);
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(page.text).toMatch(/^<!doctype html>\n<html lang="cs">/);
      expect(page.text).toContain("<h1>Startovní listina nenalezena</h1>");
      expect(page.headers.get("content-security-policy")).toMatch(/^default-src 'none'; style-src 'sha256-/);
    }
    expect(malformed.text).toBe(unknown.text);
    expect(malformed.text).not.toContain("<script");
  });

  it("sends a strict CSP: no scripts, nothing loaded, only its own <style> by hash, forms to itself, no framing", async () => {
    const { activityId } = await scenario(server.db);
    await nativeRegistration(server.db, activityId, { startNumber: "1" });
    const page = await startListPage(activityId);
    const csp = page.headers.get("content-security-policy")!;
    const style = page.text.match(/<style>([\s\S]*?)<\/style>/)![1];
    const hash = createHash("sha256").update(style).digest("base64");
    expect(csp).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
    );
    expect(csp).not.toMatch(/unsafe|script-src/);
    expect(page.text).not.toMatch(/<script|<link|\bsrc=|\bstyle="|\bon[a-z]+=/);
    expect(page.text.match(/<style>/g)).toHaveLength(1);
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.text).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it.skipIf(noBrowser)(
    `reads, sorts and searches on a phone in headless Chromium with JavaScript off${browserSkipReason}`,
    async () => {
      const activityId = await race("Velká Kunratická", "Hlavní závod 10 km", new Date("2025-11-09T09:30:00Z"));
      await czechField(activityId);
      await runner(activityId, "12", "Bartoloměj Maxmilián", "Svatopluk-Šťastný-Vyskočil", {
        birthDate: "1966-08-08",
        country: "CZ",
      });
      await runner(activityId, "4", "Tom", `<script>alert("x")</script>`, { birthDate: "1977-07-07" });
      await runner(activityId, "3", "Nikdo", "Nepotvrzený", { state: "New" });

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
        // A CSP violation (say, the style's hash not matching) is reported as a console warning.
        const problems = collectProblems(page, { warnings: true });
        const dialogs: string[] = [];
        page.on("dialog", (dialog: any) => {
          dialogs.push(dialog.message());
          return dialog.dismiss();
        });

        await page.goto(pageUrl(activityId));
        await expect(page.locator("h1").textContent()).resolves.toBe("Hlavní závod 10 km");
        await expect(page.locator("html").getAttribute("lang")).resolves.toBe("cs");
        expect(await page.locator("tbody td.number").allTextContents()).toEqual([
          "1",
          "2",
          "4",
          "5",
          "7",
          "10",
          "12",
          "33",
          "",
        ]);
        // Readable on the phone: the table fits the 390 px screen, nothing scrolls sideways.
        const table = await page.locator("table").boundingBox();
        expect(table.x).toBeGreaterThanOrEqual(0);
        expect(table.x + table.width).toBeLessThanOrEqual(390);
        const search = await page.locator("input[type=search]").boundingBox();
        expect(search.x + search.width).toBeLessThanOrEqual(390);

        await Promise.all([page.waitForURL(/\?sort=name$/), page.getByRole("link", { name: "Jméno" }).click()]);
        // Punctuation sorts before letters, so the hostile name comes first, shown as text.
        expect(await page.locator("tbody td.name").allTextContents()).toEqual([
          `Tom <script>alert("x")</script>`,
          "Adam Cibulka",
          "Eva Čermáková",
          "Jan Hora",
          "Petr Chalupa",
          "Tomáš Novák",
          "Marie Nováková",
          "Bartoloměj Maxmilián Svatopluk-Šťastný-Vyskočil",
          "Zuzana Žáková",
        ]);
        await expect(page.locator("th.name").getAttribute("aria-sort")).resolves.toBe("ascending");
        const screenshot = path.join(os.tmpdir(), "regsync-startlist.png");
        await page.screenshot({ path: screenshot, fullPage: true });
        console.log(`start list screenshot (390×844, JavaScript off): ${screenshot}`);

        await page.locator("input[type=search]").fill("nov");
        await Promise.all([
          page.waitForURL(/\?q=nov&sort=name$/),
          page.getByRole("button", { name: "Hledat" }).click(),
        ]);
        expect(await page.locator("tbody td.name").allTextContents()).toEqual(["Tomáš Novák", "Marie Nováková"]);
        await expect(page.locator("input[type=search]").inputValue()).resolves.toBe("nov");

        // Every request was a page of this server: no scripts, styles, fonts or images, from here or elsewhere.
        expect(
          requests.every((request) => request.startsWith(`document ${server.url}/activities/${activityId}/startlist`)),
          requests.join("\n"),
        ).toBe(true);
        expect(requests).toHaveLength(3);
        expect(problems).toEqual([]);
        expect(dialogs).toEqual([]);
        expect(fs.statSync(screenshot).size).toBeGreaterThan(10_000);
        await context.close();
      } finally {
        await browser.close();
      }
    },
  );
});
