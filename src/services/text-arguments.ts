// What any text argument of a request may be, GraphQL argument or REST query parameter alike.

/** The longest text argument not capped shorter by its own rule: far more than any name, login, key or cursor. */
export const MAX_ARGUMENT_LENGTH = 1000;

// Tab, line feed and carriage return are text; the other C0 controls and DEL are not (PostgreSQL cannot even store NUL).
// eslint-disable-next-line no-control-regex -- finding control characters is this rule's job
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Any C0 control or DEL: none belongs in a one-line value (a name, number, id, key), tab and line breaks included. */
// eslint-disable-next-line no-control-regex -- as above
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** The first control character of the text as `U+0000`, or undefined when it has none. */
export function controlCharacterIn(text: string): string | undefined {
  const char = CONTROL.exec(text)?.[0];
  return char === undefined ? undefined : `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}
