// Registration codes (SPEC §3: short, unique, human-friendly, like RGZ196): three letters and three digits.
// A written code comes from the database sequence registration_code_seq through a fixed permutation of the
// code space, so two batches writing at once never draw the same code (issue 12: random draws collided
// across concurrent imports, and one import waited for the other's unique-index entry, then failed or
// deadlocked). The permutation only makes neighbouring codes look unrelated; codes are not secrets.
import { randomInt } from "node:crypto";

const LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ";
const DIGITS = 1000;
/** How many codes there are: 23³ letter triples × 1,000 numbers. */
export const CODE_SPACE = LETTERS.length ** 3 * DIGITS;

// A four-round Feistel network on 24-bit numbers (2^24 > CODE_SPACE) is a permutation of them; applied
// again while the result is outside the code space ("cycle walking"), it permutes the code space itself.
const HALF_BITS = 12;
const HALF_MASK = (1 << HALF_BITS) - 1;
const ROUND_KEYS = [0x5bd1e995, 0x27d4eb2f, 0x165667b1, 0x9e3779b1];

function round(half: number, key: number): number {
  let h = Math.imul(half ^ key, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) & HALF_MASK;
}

function feistel(n: number): number {
  let left = n >>> HALF_BITS;
  let right = n & HALF_MASK;
  for (const key of ROUND_KEYS) [left, right] = [right, left ^ round(right, key)];
  return (left << HALF_BITS) | right;
}

/** The code of the n-th value (0 ≤ n < CODE_SPACE); distinct values give distinct codes. */
export function registrationCode(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= CODE_SPACE) throw new RangeError(`No registration code number ${n}`);
  let index = feistel(n);
  while (index >= CODE_SPACE) index = feistel(index);
  let letters = Math.floor(index / DIGITS);
  let code = "";
  for (let i = 0; i < 3; i++, letters = Math.floor(letters / LETTERS.length))
    code = LETTERS[letters % LETTERS.length] + code;
  return code + String(index % DIGITS).padStart(3, "0");
}

/** A code for a dry run's answer: shown, never written, so it need not (and must not) use up the sequence. */
export function previewRegistrationCode(): string {
  return registrationCode(randomInt(CODE_SPACE));
}
