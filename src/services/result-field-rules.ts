// The rules of a result item's values (SPEC §9): positions, times, splits, status. Like the registration's
// (sync-field-rules.ts), each is attached to its field by a decorator (result-item-input.ts). No database here.
import { RESULT_STATUSES, type ResultStatus, type SplitTime } from "../entities/result";
import { fail, type Failure, type FieldRule } from "./field-rule";
import { parseInstant } from "./iso-instant";
import { oneOf, quoted } from "./sync-field-rules";

export const resultStatus: FieldRule<ResultStatus | null> = oneOf(RESULT_STATUSES, true);

/** A whole number from 1 to `max` (a position); digits in a string are taken too; empty or null is none. */
export function position(max: number): FieldRule<number | null> {
  return {
    name: "position",
    read(value) {
      if (value === null || value === "") return null;
      const number = typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
      if (typeof number !== "number" || !Number.isInteger(number) || number < 1 || number > max)
        return fail(`must be a whole number from 1 to ${max}`);
      return number;
    },
    schema: { type: ["integer", "string", "null"], minimum: 1, maximum: max },
  };
}

// How timing software writes a finish time: h:mm:ss with an optional fraction (1:02:03.4, 0:59:59,999).
const CLOCK = /^\s*(\d{1,3}):([0-5]\d):([0-5]\d)(?:[.,](\d{1,3}))?\s*$/;

/**
 * A finish time in milliseconds, from 0 to `max`: a whole number (also as digits in a string), or `h:mm:ss`
 * with up to three decimals, as timing software exports it. `10:00` is refused: minutes and seconds, or
 * hours and minutes, would be a guess. Empty or null is none.
 */
export function finishTime(max: number): FieldRule<number | null> {
  const tooLong = fail(`must be at most ${max} milliseconds`);
  return {
    name: "finishTime",
    read(value) {
      if (value === null || value === "") return null;
      if (typeof value === "number" || (typeof value === "string" && /^\s*\d+\s*$/.test(value))) {
        const ms = Number(value);
        if (!Number.isInteger(ms) || ms < 0) return fail("must be a whole number of milliseconds, 0 or more");
        return ms > max ? tooLong : ms;
      }
      const clock = typeof value === "string" ? CLOCK.exec(value) : null;
      if (!clock)
        return fail(
          `must be milliseconds (600000) or h:mm:ss like 0:10:00 or 1:02:03.4${typeof value === "string" ? `, not ${quoted(value)}` : ""}`,
        );
      const [, h, m, s, fraction = ""] = clock;
      const ms = ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(fraction.padEnd(3, "0"));
      return ms > max ? tooLong : ms;
    },
    schema: { type: ["integer", "string", "null"], minimum: 0, maximum: max },
  };
}

/** The farthest split, in km. */
export const MAX_SPLIT_KM = 100_000;

/** A split's distance in km: a number above 0 (also as text, with `.` or `,`). */
function readDistance(value: unknown): number | Failure {
  const number =
    typeof value === "string" && /^\s*\d+(?:[.,]\d+)?\s*$/.test(value) ? Number(value.replace(",", ".")) : value;
  if (typeof number !== "number" || !Number.isFinite(number) || number <= 0 || number > MAX_SPLIT_KM)
    return fail("distance must be a number of km above 0");
  return number;
}

/**
 * Split times: at most `max` of `{ distance, time }`, distance in km, time the instant passed (ISO 8601
 * with its offset), each further and later than the one before. Stored with the instant in UTC. Null or
 * an empty list is none.
 */
export function splitTimes(max: number): FieldRule<SplitTime[]> {
  return {
    name: "splitTimes",
    read(value) {
      if (value === null || value === "") return [];
      if (!Array.isArray(value)) return fail("must be a list of { distance, time }");
      if (value.length > max) return fail(`must have at most ${max} splits`);
      const splits: SplitTime[] = [];
      for (const [i, split] of value.entries()) {
        if (typeof split !== "object" || split === null || Array.isArray(split))
          return fail(`[${i}] must be an object { distance, time }`);
        const { distance, time } = split as Record<string, unknown>;
        const km = readDistance(distance);
        if (typeof km !== "number") return fail(`[${i}].${km.error}`);
        const instant = typeof time === "string" ? parseInstant(time.trim()) : null;
        if (!instant || typeof time !== "string" || !time.includes("T"))
          return fail(`[${i}].time must be an instant with its offset, like 2022-09-01T15:10:00Z`);
        const previous = splits[i - 1];
        if (previous && km <= previous.distance)
          return fail(`[${i}].distance must be greater than the split before it (${previous.distance} km)`);
        const iso = instant.toISOString();
        if (previous && iso <= previous.time)
          return fail(`[${i}].time must be later than the split before it (${previous.time})`);
        splits.push({ distance: km, time: iso });
      }
      return splits;
    },
    schema: {
      type: ["array", "null"],
      maxItems: max,
      items: {
        type: "object",
        properties: {
          distance: { type: ["number", "string"], exclusiveMinimum: 0, maximum: MAX_SPLIT_KM },
          time: { type: "string", format: "date-time" },
        },
        required: ["distance", "time"],
      },
    },
  };
}
