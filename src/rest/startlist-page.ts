// The public start list as a plain HTML page (SPEC §7) at GET /activities/{activityId}/startlist: sorted and
// searched on the server through query parameters (?sort=name&dir=desc&q=nov), so it needs no JavaScript.
import { createHash } from "node:crypto";
import { Router, type Request, type Response } from "express";
import type { DataSource } from "typeorm";
import type { AddressQuota } from "../auth/address-quota";
import { TooManyRequestsError } from "../auth/rate-limits";
import { UNAVAILABLE_ANSWERS, unavailability } from "../db/database-errors";
import { NotFoundError } from "../services/domain-errors";
import { loadDetailedStartList, type DetailedStartList, type DetailedStartListEntry } from "../services/start-list";
import { raw } from "hono/html";
import { html, htmlDocument, type Html } from "./html-template";

const SORT_KEYS = ["number", "name", "year", "country"] as const;
type SortKey = (typeof SORT_KEYS)[number];
type SortDirection = "asc" | "desc";

interface StartListView {
  sort: SortKey;
  dir: SortDirection;
  /** The search as typed (trimmed); empty: everyone. */
  q: string;
}

const MAX_QUERY_LENGTH = 100;
// The platform's races are Czech: times are shown in Prague time, names sorted the Czech way (ch after h, č after c).
const TIME_ZONE = "Europe/Prague";
const collator = new Intl.Collator("cs");
const startTime = new Intl.DateTimeFormat("cs", { timeZone: TIME_ZONE, dateStyle: "full", timeStyle: "short" });
const day = new Intl.DateTimeFormat("cs", { timeZone: "UTC", dateStyle: "full" });

const COLUMNS: { key: SortKey; label: string; className: string }[] = [
  { key: "number", label: "St. č.", className: "number" },
  { key: "name", label: "Jméno", className: "name" },
  { key: "year", label: "Ročník", className: "year" },
  { key: "country", label: "Stát", className: "country" },
];

function firstString(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first : undefined;
}

/** Unknown or repeated parameters fall back to the default view: a shared link never breaks the page. */
function readView(query: Request["query"]): StartListView {
  const sort = firstString(query.sort);
  const dir = firstString(query.dir);
  return {
    sort: SORT_KEYS.includes(sort as SortKey) ? (sort as SortKey) : "number",
    dir: dir === "desc" ? "desc" : "asc",
    q: (firstString(query.q) ?? "").trim().slice(0, MAX_QUERY_LENGTH),
  };
}

/** Lower case without diacritics: "novak" finds Novák, "NOVÁK" too. */
function searchable(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase("cs");
}

/** Everyone whose name or number contains every word of the search. */
function matching(entries: DetailedStartListEntry[], q: string): DetailedStartListEntry[] {
  const words = searchable(q).split(/\s+/).filter(Boolean);
  if (!words.length) return entries;
  return entries.filter((entry) => {
    const text = `${searchable(entry.name)} ${entry.startNumber ?? ""}`;
    return words.every((word) => text.includes(word));
  });
}

const hasYear = (entry: DetailedStartListEntry) => entry.yearOfBirth !== undefined && entry.yearOfBirth !== null;

/**
 * Entries in the view's order. They come in start-number order (numeric: 2 before 10), which also breaks ties.
 * Whoever lacks the sorted value (no number; a private profile's year or country) comes last in either direction.
 */
function sorted(entries: DetailedStartListEntry[], sort: SortKey, dir: SortDirection): DetailedStartListEntry[] {
  const lacks: Record<SortKey, (e: DetailedStartListEntry) => boolean> = {
    number: (e) => e.startNumber === null,
    name: () => false,
    year: (e) => !hasYear(e),
    country: (e) => !e.country,
  };
  type Row = { entry: DetailedStartListEntry; index: number };
  const compare: Record<SortKey, (a: Row, b: Row) => number> = {
    number: (a, b) => a.index - b.index,
    name: (a, b) =>
      collator.compare(a.entry.surname, b.entry.surname) || collator.compare(a.entry.givenName, b.entry.givenName),
    year: (a, b) => a.entry.yearOfBirth! - b.entry.yearOfBirth!,
    country: (a, b) => collator.compare(a.entry.country!, b.entry.country!),
  };
  const sign = dir === "desc" ? -1 : 1;
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => {
      const aLacks = lacks[sort](a.entry);
      const bLacks = lacks[sort](b.entry);
      if (aLacks !== bLacks) return aLacks ? 1 : -1;
      return (aLacks ? 0 : sign * compare[sort](a, b)) || a.index - b.index;
    })
    .map((row) => row.entry);
}

/** A link to this page with another view (relative: only the query changes). */
function viewHref(view: StartListView): string {
  const params = new URLSearchParams();
  if (view.sort !== "number") params.set("sort", view.sort);
  if (view.dir !== "asc") params.set("dir", view.dir);
  if (view.q) params.set("q", view.q);
  const query = params.toString();
  return query ? `?${query}` : "?";
}

/** When the race starts: the activity's start time, else the event's day or days; nothing when neither is known. */
function when(list: DetailedStartList): Html | undefined {
  if (list.activityStartsAt) {
    return html`<time datetime="${list.activityStartsAt.toISOString()}">${startTime.format(list.activityStartsAt)}</time>`;
  }
  if (!list.eventStartsOn) return undefined;
  const first = html`<time datetime="${list.eventStartsOn}">${day.format(new Date(list.eventStartsOn))}</time>`;
  if (!list.eventEndsOn || list.eventEndsOn === list.eventStartsOn) return first;
  return html`${first} – <time datetime="${list.eventEndsOn}">${day.format(new Date(list.eventEndsOn))}</time>`;
}

function headerCell(column: (typeof COLUMNS)[number], view: StartListView): Html {
  const active = view.sort === column.key;
  // The active column's link turns its order around; the others sort ascending.
  const next: StartListView = { ...view, sort: column.key, dir: active && view.dir === "asc" ? "desc" : "asc" };
  const ariaSort = active && html` aria-sort="${view.dir === "asc" ? "ascending" : "descending"}"`;
  const arrow = active && html` <span aria-hidden="true">${view.dir === "asc" ? "▲" : "▼"}</span>`;
  return html`<th scope="col" class="${column.className}"${ariaSort}><a href="${viewHref(next)}">${column.label}${arrow}</a></th>`;
}

function row(entry: DetailedStartListEntry): Html {
  const cells = [
    ["number", entry.startNumber],
    ["name", entry.name],
    ["year", hasYear(entry) && entry.yearOfBirth],
    ["country", entry.country],
  ];
  return html`<tr>${cells.map(([className, value]) => html`<td class="${className}">${value}</td>`)}</tr>`;
}

/** The pages' style (the results page adds its own rules after it). */
export const STYLE = `
:root { color-scheme: light dark; --line: #d0d0d0; --muted: #595959; --accent: #0b57d0; }
@media (prefers-color-scheme: dark) { :root { --line: #444; --muted: #b0b0b0; --accent: #8ab4f8; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 48rem; margin: 0 auto; padding: 1rem; }
header p { margin: 0; color: var(--muted); }
.event { font-weight: 600; }
h1 { font-size: 1.6rem; line-height: 1.2; margin: .15rem 0 .35rem; overflow-wrap: anywhere; }
form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 1rem 0 .5rem; }
form label { flex: 1 0 100%; font-weight: 600; }
input[type=search] { flex: 1 1 12rem; min-width: 0; font: inherit; padding: .55rem .6rem; border: 1px solid var(--muted); border-radius: .4rem; }
button { font: inherit; padding: .55rem 1.1rem; border-radius: .4rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; }
.count { color: var(--muted); margin: .25rem 0 .5rem; }
a { color: var(--accent); }
table { width: 100%; border-collapse: collapse; }
th, td { padding: .5rem .4rem; text-align: left; border-bottom: 1px solid var(--line); vertical-align: top; }
th { white-space: nowrap; }
th a { display: block; color: inherit; text-decoration: underline dotted; text-underline-offset: .2em; }
th[aria-sort] a { text-decoration: underline; }
.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.year { font-variant-numeric: tabular-nums; }
td.name { overflow-wrap: anywhere; }
.empty { padding: 1rem 0; }
@media (max-width: 30rem) {
  main { padding: .75rem .5rem; }
  h1 { font-size: 1.35rem; }
  th, td { padding: .45rem .25rem; font-size: .95rem; }
}
`;

/**
 * The headers of a page whose one <style> element holds `style`: the CSP allows exactly that element by its hash
 * (no scripts, no other styles, nothing loaded). nosniff, Referrer-Policy and frame protection come with every
 * answer (security-headers.ts).
 */
export function pageHeaders(style: string): Record<string, string> {
  const hash = createHash("sha256").update(style).digest("base64");
  return {
    "Content-Security-Policy": [
      "default-src 'none'",
      `style-src 'sha256-${hash}'`,
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join("; "),
    "Content-Language": "cs",
    // Numbers change while timing syncs them: a shared link should show the current list.
    "Cache-Control": "no-cache",
  };
}

const PAGE_HEADERS = pageHeaders(STYLE);

/** A whole Czech page around `body`, with `style` as its one <style> element (send pageHeaders(style) with it). */
export function czechPage(title: string, body: Html, style = STYLE): string {
  // The style is the one value not escaped: a constant, allowed by the CSP through its hash.
  return htmlDocument(html`<html lang="cs">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<style>${raw(style)}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`);
}

/** The whole page for one view of the list; every value from the database or the query is escaped by `html`. */
function renderStartListPage(list: DetailedStartList, view: StartListView): string {
  const shown = sorted(matching(list.entries, view.q), view.sort, view.dir);
  const hidden = (name: string, value: string, defaultValue: string) =>
    value !== defaultValue && html`<input type="hidden" name="${name}" value="${value}">`;
  const count = view.q
    ? html`Nalezeno ${shown.length} z ${list.entries.length} · <a href="${viewHref({ ...view, q: "" })}">zobrazit všechny</a>`
    : html`Potvrzených závodníků: ${list.entries.length}`;
  const table = shown.length
    ? html`<table>
<thead><tr>${COLUMNS.map((column) => headerCell(column, view))}</tr></thead>
<tbody>
${shown.map((entry) => html`${row(entry)}\n`)}</tbody>
</table>`
    : html`<p class="empty">${view.q ? html`Hledání „${view.q}“ nic nenašlo.` : "Zatím tu nikdo není."}</p>`;
  const time = when(list);
  return czechPage(
    `Startovní listina – ${list.activityName} – ${list.eventName}`,
    html`<header>
<p class="event">${list.eventName}</p>
<h1>${list.activityName}</h1>
${time && html`<p class="when">Start: ${time}</p>\n`}<p>Startovní listina · <a href="results">Výsledky</a></p>
</header>
<form method="get" role="search">
<label for="q">Hledat jméno nebo startovní číslo</label>
<input type="search" id="q" name="q" value="${view.q}" maxlength="${MAX_QUERY_LENGTH}" autocomplete="off">
${hidden("sort", view.sort, "number")}${hidden("dir", view.dir, "asc")}<button type="submit">Hledat</button>
</form>
<p class="count">${count}</p>
${table}`,
  );
}

function renderNotFoundPage(): string {
  return czechPage(
    "Startovní listina nenalezena",
    html`<h1>Startovní listina nenalezena</h1>
<p>Tento závod neexistuje. Zkontrolujte odkaz od pořadatele.</p>`,
  );
}

function renderTooManyRequestsPage(): string {
  return czechPage(
    "Příliš mnoho požadavků",
    html`<h1>Příliš mnoho požadavků</h1>
<p>Z vaší adresy přišlo během minuty příliš mnoho požadavků. Zkuste to prosím za chvíli znovu.</p>`,
  );
}

function renderUnavailablePage(): string {
  return czechPage(
    "Startovní listina je dočasně nedostupná",
    html`<h1>Startovní listina je dočasně nedostupná</h1>
<p>Zkuste stránku za chvíli načíst znovu.</p>`,
  );
}

/** Mounted at /activities; needs no key, so each client address has its `quota` of pages a minute. */
export function startListPage(db: DataSource, quota?: AddressQuota): Router {
  const router = Router();
  router.get("/:activityId/startlist", async (req: Request, res: Response) => {
    res.set(PAGE_HEADERS);
    try {
      await quota?.consume(req.ip);
    } catch (error) {
      if (!(error instanceof TooManyRequestsError)) throw error;
      res
        .status(429)
        .set("Retry-After", String(error.retryAfterSeconds))
        .type("html")
        .send(renderTooManyRequestsPage());
      return;
    }
    let list: DetailedStartList;
    try {
      list = await loadDetailedStartList(db, String(req.params.activityId));
    } catch (error) {
      // A browser gets a page, not the API's problem document: when the database is down (503) too.
      const unavailable = unavailability(error);
      if (unavailable) {
        req.log.warn({ err: error }, `database unavailable (${unavailable})`);
        res
          .status(503)
          .set("Retry-After", String(UNAVAILABLE_ANSWERS[unavailable].retryAfterSeconds))
          .type("html")
          .send(renderUnavailablePage());
        return;
      }
      if (!(error instanceof NotFoundError)) throw error;
      res.status(404).type("html").send(renderNotFoundPage());
      return;
    }
    res.type("html").send(renderStartListPage(list, readView(req.query)));
  });
  return router;
}
