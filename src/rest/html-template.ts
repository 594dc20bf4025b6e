// The one way the server writes HTML: hono's `html` tag escapes every value put into a template (text or
// attribute, `&<>"'`), so a value that is not escaped has to be marked as such (hono's `raw`) where it is used.
// A template's result put into another template is markup, not text: it stays as it is.
import { html as escapingHtml, type raw } from "hono/html";

/** Markup made by `html` (or a trusted constant marked with hono's `raw`). */
export type Html = ReturnType<typeof raw>;

/** Tags a template whose every interpolated value is escaped; arrays are joined, and false, null and undefined print nothing. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  const markup = escapingHtml(strings, ...values);
  // hono answers a promise only when a value is one, and no page puts one in.
  if (markup instanceof Promise) throw new TypeError("an HTML template was given a promise");
  return markup;
}

/** The text of a whole page, doctype first. (Markup is a String object, which Express would send as JSON.) */
export function htmlDocument(markup: Html): string {
  return `<!doctype html>\n${markup.toString()}`;
}
