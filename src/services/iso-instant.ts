// An instant in a query string, read strictly. `new Date(text)` reads almost anything: `1` was 2001-01-01.

// RFC 3339 with optional seconds and fraction, or a plain date.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2})))?$/;

/**
 * The instant `text` names, or null when it names none: a date-time with its offset
 * (`2022-12-06T09:12:03.701Z`, `2022-12-06T10:12:03+01:00`) or a date (`2022-12-06`, its midnight UTC).
 * A date-time without an offset is refused: whose local time it is would be a guess.
 */
export function parseInstant(text: string): Date | null {
  const match = INSTANT.exec(text);
  if (!match) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", , sign, oh = "0", om = "0"] = match;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = [y, mo, d, h, mi, s, oh, om].map(Number);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    offsetHours > 23 ||
    offsetMinutes > 59
  )
    return null;
  const local = new Date(0);
  // setUTCFullYear, not Date.UTC, which reads the years 0–99 as 1900–1999.
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, Number(fraction.slice(0, 3).padEnd(3, "0")));
  // A day the month does not have (2022-02-30) would roll over into the next month.
  if (local.getUTCDate() !== day) return null;
  const offset = (sign === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return new Date(local.getTime() - offset);
}
