// The public results as a plain HTML page (issue 14) at GET /activities/{activityId}/results, in the start list
// page's style (startlist-page.ts): Czech, for phones, no JavaScript. Filtered on the server by category and sex
// through a GET form (?category=M40&sex=Female); times as h:mm:ss with the gap to the leader of what is shown.
import { Router, type Request, type Response } from "express";
import type { DataSource } from "typeorm";
import type { AddressQuota } from "../auth/address-quota";
import { TooManyRequestsError } from "../auth/rate-limits";
import { UNAVAILABLE_ANSWERS, unavailability } from "../db/database-errors";
import { SEXES, type Sex } from "../entities/person";
import type { ResultStatus } from "../entities/result";
import { NotFoundError } from "../services/domain-errors";
import {
  loadDetailedPublicResults,
  winningTime,
  type DetailedPublicResultEntry,
  type DetailedPublicResults,
} from "../services/public-results";
import { clockTime } from "../services/result-view";
import { html, type Html } from "./html-template";
import { STYLE, czechPage, pageHeaders } from "./startlist-page";

/** How the page names a status: a finisher shows a time instead. */
export const STATUS_NAMES: Record<ResultStatus, string> = {
  Finished: "Dokončil",
  DidNotFinish: "Nedokončil",
  DidNotStart: "Nestartoval",
  Disqualified: "Diskvalifikován",
};

const SEX_NAMES: Record<Sex, string> = { Male: "Muži", Female: "Ženy" };

const collator = new Intl.Collator("cs", { numeric: true });

// The start list's style and what this page adds: the filter's selects, right-aligned times.
const RESULTS_STYLE = `${STYLE}
form label { flex: 0 0 auto; font-weight: 600; }
.field { display: flex; gap: .4rem; align-items: center; }
select { font: inherit; padding: .5rem .4rem; border: 1px solid var(--muted); border-radius: .4rem; max-width: 100%; }
.position, .time, .gap { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.gap { color: var(--muted); }
td.status { text-align: right; color: var(--muted); }
td.name { overflow-wrap: break-word; }
@media (max-width: 30rem) {
  th, td { padding: .45rem .2rem; font-size: .9rem; }
  td.gap { font-size: .8rem; }
}
`;

const PAGE_HEADERS = pageHeaders(RESULTS_STYLE);
const MESSAGE_PAGE_HEADERS = pageHeaders(STYLE);

interface ResultsView {
  /** A category the list has; empty: all. */
  category: string;
  /** Empty: both. */
  sex: Sex | "";
}

function firstString(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first : undefined;
}

/** The categories the results have, in Czech order with numbers as numbers (M9 before M10). */
function categoriesOf(entries: readonly DetailedPublicResultEntry[]): string[] {
  const categories = new Set<string>();
  for (const entry of entries) if (entry.category) categories.add(entry.category);
  return [...categories].sort(collator.compare);
}

/** Unknown or repeated values fall back to all: a mangled shared link still shows the results. */
function readView(query: Request["query"], categories: readonly string[]): ResultsView {
  const category = firstString(query.category) ?? "";
  const sex = firstString(query.sex) ?? "";
  return {
    category: categories.includes(category) ? category : "",
    sex: SEXES.includes(sex as Sex) ? (sex as Sex) : "",
  };
}

function matching(entries: readonly DetailedPublicResultEntry[], view: ResultsView): DetailedPublicResultEntry[] {
  return entries.filter(
    (entry) => (!view.category || entry.category === view.category) && (!view.sex || entry.sex === view.sex),
  );
}

/** The position that fits what is shown: in the category, among the sex, or overall. */
function positionIn(entry: DetailedPublicResultEntry, view: ResultsView): number | null {
  if (view.category) return entry.positionByCategory;
  if (view.sex) return entry.positionBySex;
  return entry.position;
}

function row(entry: DetailedPublicResultEntry, view: ResultsView, leader: number | null): Html {
  const position = positionIn(entry, view);
  const finished = entry.status === "Finished";
  const gap = finished && entry.time !== null && leader !== null && entry.time > leader ? entry.time - leader : null;
  const last = finished
    ? html`<td class="time">${entry.clockTime}</td><td class="gap">${gap === null ? "" : `+${clockTime(gap)}`}</td>`
    : html`<td class="status" colspan="2">${STATUS_NAMES[entry.status]}</td>`;
  return html`<tr><td class="position">${position === null ? "" : `${position}.`}</td><td class="number">${entry.startNumber}</td><td class="name">${entry.name}</td><td class="category">${entry.category}</td>${last}</tr>`;
}

function option(value: string, label: string, selected: string): Html {
  return html`<option value="${value}"${value === selected && html` selected`}>${label}</option>`;
}

/** The whole page for one view; every value from the database or the query is escaped by `html`. */
function renderResultsPage(list: DetailedPublicResults, view: ResultsView): string {
  const categories = categoriesOf(list.entries);
  const shown = matching(list.entries, view);
  // Gaps are to whoever leads what is shown: the category's winner when one category is shown.
  const leader = winningTime(shown);
  const finishers = shown.filter((entry) => entry.status === "Finished").length;
  const filtered = view.category || view.sex;
  const count = filtered
    ? html`Zobrazeno ${shown.length} z ${list.entries.length} · <a href="?">zobrazit všechny</a>`
    : html`V cíli: ${finishers} z ${list.entries.length}`;
  const table = shown.length
    ? html`<table>
<thead><tr><th scope="col" class="position">Poř.</th><th scope="col" class="number">St. č.</th><th scope="col" class="name">Jméno</th><th scope="col" class="category">Kat.</th><th scope="col" class="time">Čas</th><th scope="col" class="gap">Ztráta</th></tr></thead>
<tbody>
${shown.map((entry) => html`${row(entry, view, leader)}\n`)}</tbody>
</table>`
    : html`<p class="empty">${list.entries.length ? "Tomuto výběru nikdo neodpovídá." : "Výsledky zatím nejsou."}</p>`;
  return czechPage(
    `Výsledky – ${list.activityName} – ${list.eventName}`,
    html`<header>
<p class="event">${list.eventName}</p>
<h1>${list.activityName}</h1>
<p>Výsledky · <a href="startlist">Startovní listina</a></p>
</header>
<form method="get">
<span class="field"><label for="category">Kategorie</label>
<select id="category" name="category">
${option("", "Všechny", view.category)}${categories.map((c) => option(c, c, view.category))}
</select></span>
<span class="field"><label for="sex">Pohlaví</label>
<select id="sex" name="sex">
${option("", "Všichni", view.sex)}${SEXES.map((s) => option(s, SEX_NAMES[s], view.sex))}
</select></span>
<button type="submit">Zobrazit</button>
</form>
<p class="count">${count}</p>
${table}`,
    RESULTS_STYLE,
  );
}

/** A page that only says something (404, 429, 503): the start list's style is enough, and its headers go with it. */
function sendMessagePage(res: Response, status: number, title: string, message: string): void {
  res
    .status(status)
    .set(MESSAGE_PAGE_HEADERS)
    .type("html")
    .send(czechPage(title, html`<h1>${title}</h1>\n<p>${message}</p>`));
}

/** Mounted at /activities; needs no key, so each client address has its `quota` of pages a minute. */
export function resultsPage(db: DataSource, quota?: AddressQuota): Router {
  const router = Router();
  router.get("/:activityId/results", async (req: Request, res: Response) => {
    res.set(PAGE_HEADERS);
    try {
      await quota?.consume(req.ip);
    } catch (error) {
      if (!(error instanceof TooManyRequestsError)) throw error;
      res.set("Retry-After", String(error.retryAfterSeconds));
      sendMessagePage(
        res,
        429,
        "Příliš mnoho požadavků",
        "Z vaší adresy přišlo během minuty příliš mnoho požadavků. Zkuste to prosím za chvíli znovu.",
      );
      return;
    }
    let list: DetailedPublicResults;
    try {
      list = await loadDetailedPublicResults(db, String(req.params.activityId));
    } catch (error) {
      // A browser gets a page, not the API's problem document: when the database is down (503) too.
      const unavailable = unavailability(error);
      if (unavailable) {
        req.log.warn({ err: error }, `database unavailable (${unavailable})`);
        res.set("Retry-After", String(UNAVAILABLE_ANSWERS[unavailable].retryAfterSeconds));
        sendMessagePage(res, 503, "Výsledky jsou dočasně nedostupné", "Zkuste stránku za chvíli načíst znovu.");
        return;
      }
      if (!(error instanceof NotFoundError)) throw error;
      sendMessagePage(res, 404, "Výsledky nenalezeny", "Tento závod neexistuje. Zkontrolujte odkaz od pořadatele.");
      return;
    }
    res.type("html").send(renderResultsPage(list, readView(req.query, categoriesOf(list.entries))));
  });
  return router;
}
