// JSON bodies and answers in the seed's shape.
import type { SyncItemInput, SyncItemResult } from "../services/registration-sync";
import { DEFAULT_MAX_SYNC_ITEMS } from "../config";
import { tooManyItemsMessage } from "../services/sync-input";
import { problem } from "./problem";
import { registrationJson } from "./registration-json";

export { registrationJson };

export function syncResultJson(result: SyncItemResult): Record<string, unknown> {
  const json: Record<string, unknown> = result.registration ? registrationJson(result.registration) : {};
  json.syncResultType = result.syncResultType;
  if (result.errors.length) json.errors = result.errors.map(({ index: _index, ...rest }) => rest);
  if (result.warnings.length) json.warnings = result.warnings;
  return json;
}

export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/**
 * `stringifyJson(items.map(toJson))`, byte for byte, in pieces of 500 items: each piece is one
 * pretty-printed array whose brackets are cut off, which keeps the nested indentation exact.
 */
export function* jsonArrayPieces<T>(items: readonly T[], toJson: (item: T) => unknown): Generator<string> {
  if (!items.length) {
    yield "[]";
    return;
  }
  for (let start = 0; start < items.length; start += 500) {
    const piece = stringifyJson(items.slice(start, start + 500).map(toJson));
    // "[\n  {…},\n  {…}\n]": keep the inside, joined to the previous piece with ",\n".
    yield `${start ? ",\n" : "[\n"}${piece.slice(2, -2)}${start + 500 >= items.length ? "\n]" : ""}`;
  }
}

const malformed = (detail: string, extra = {}) => problem(400, "malformed-json", "Malformed JSON", detail, extra);

const [SPACE, TAB, LF, CR, QUOTE, BACKSLASH, COMMA] = [0x20, 0x09, 0x0a, 0x0d, 0x22, 0x5c, 0x2c];
const [OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT] = [0x5b, 0x5d, 0x7b, 0x7d];
const isSpace = (b: number) => b === SPACE || b === LF || b === CR || b === TAB;

function parseItem(text: string, index: number): SyncItemInput {
  let item: unknown;
  try {
    item = JSON.parse(text);
  } catch (error) {
    throw malformed(`Item ${index} is not valid JSON: ${(error as Error).message}`, {
      errors: [{ index, field: null, code: "InvalidValue", message: "The item is not valid JSON" }],
    });
  }
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    throw malformed(`Item ${index} must be an object`, {
      errors: [{ index, field: null, code: "InvalidValue", message: "Each item must be a JSON object" }],
    });
  }
  return item as SyncItemInput;
}

// Like the body limit: the rest of the body is not read, so the connection is closed after the answer.
function tooManyItems(maxItems: number) {
  const error = problem(
    413,
    "too-many-items",
    "Content Too Large",
    `Item ${maxItems}: ${tooManyItemsMessage(maxItems)}`,
    { index: maxItems },
  );
  error.headers.Connection = "close";
  return error;
}

/**
 * A PUT body, a JSON array of objects, read as it arrives: the array is split into its items by a
 * byte scanner and each item is parsed on its own, so the body is never held whole.
 * @throws HttpProblem 400 for anything but an array of objects, naming the item; 413 as soon as an item past `maxItems` begins.
 */
export async function readJsonItems(
  chunks: AsyncIterable<Buffer>,
  maxItems = DEFAULT_MAX_SYNC_ITEMS,
): Promise<SyncItemInput[]> {
  const items: SyncItemInput[] = [];
  // before: nothing but a BOM and spaces yet; first: after `[`; next: after `,`; item: inside one; done: after `]`.
  let state = "before" as "before" | "first" | "next" | "item" | "done";
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: Buffer[] = [];
  let offset = 0;
  const finish = (chunk: Buffer, start: number, end: number) => {
    parts.push(chunk.subarray(start, end));
    const text = parts.length === 1 ? parts[0].toString("utf8") : Buffer.concat(parts).toString("utf8");
    parts = [];
    items.push(parseItem(text, items.length));
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let i = 0; i < chunk.length; i++, offset++) {
      const b = chunk[i];
      if (state === "item") {
        if (inString) {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) inString = false;
        } else if (b === QUOTE) inString = true;
        else if (b === OPEN_OBJECT || b === OPEN_ARRAY) depth++;
        else if ((b === CLOSE_OBJECT || b === CLOSE_ARRAY) && depth > 0) depth--;
        else if (depth === 0 && (b === COMMA || b === CLOSE_ARRAY)) {
          finish(chunk, start, i);
          state = b === COMMA ? "next" : "done";
        }
        continue;
      }
      if (isSpace(b)) continue;
      if (state === "before") {
        if (offset === 0 && b === 0xef && chunk[i + 1] === 0xbb && chunk[i + 2] === 0xbf) {
          i += 2; // a UTF-8 byte order mark
          offset += 2;
        } else if (b === OPEN_ARRAY) state = "first";
        else
          throw malformed(
            b === OPEN_OBJECT
              ? "The body must be a JSON array of registrations, not a single object"
              : "The body is not valid JSON: it must be an array of registrations, starting with [",
          );
      } else if (state === "done") {
        throw malformed("The body is not valid JSON: there is more after the array's closing ]");
      } else if (b === CLOSE_ARRAY && state === "first") {
        state = "done";
      } else if (b === CLOSE_ARRAY || b === COMMA) {
        throw malformed(`The body is not valid JSON: item ${items.length} is missing`);
      } else {
        if (items.length === maxItems) throw tooManyItems(maxItems);
        state = "item";
        start = i;
        depth = 0;
        i--; // read this byte again as the item's first
        offset--;
      }
    }
    if (state === "item") parts.push(chunk.subarray(start));
  }
  if (state === "before") throw malformed("The body is empty: it must be a JSON array of registrations");
  if (state !== "done") throw malformed("The body is not valid JSON: it ends before the array's closing ]");
  return items;
}
