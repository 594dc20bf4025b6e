// Start numbers as a runner reads them (issue 11): `10`, `010` and `0010` are one number, `A12` and
// `a12` too. A number is normalized once, when it comes in, and compared by its key; the database
// enforces the same key (the start_number_key() function of the migration that brought this rule).

/**
 * Characters that are on no bib: zero-width spaces and joiners, word joiners, the byte order mark,
 * soft hyphens, direction marks. They are removed; what a runner sees is what is left.
 */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;
/** What may not stay inside a number: spaces of any kind, control, private-use and unassigned characters. */
const FORBIDDEN = /[\p{White_Space}\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}]/u;
/** Letters that pass for digits beside them: O/o for 0, I/l for 1, and their Greek and Cyrillic twins. */
const DIGIT_LOOKALIKES = /[OoIlΟοΙОоІіӀ]/u;
const DIGIT = /\p{Nd}/u;

let zeroOf: Map<number, number> | undefined;

/**
 * The value of a decimal digit of any script. Unicode assigns decimal digits in runs of ten, zero
 * first, and adjacent runs only ever whole, so a digit's value is its distance from its run's start,
 * modulo ten. The table is built on first use (all digits sit in the first two planes).
 */
function digitValue(cp: number): number {
  if (!zeroOf) {
    zeroOf = new Map();
    let start = -1;
    for (let c = 0; c <= 0x20000; c++) {
      if (c < 0x20000 && DIGIT.test(String.fromCodePoint(c))) {
        if (start < 0) start = c;
        zeroOf.set(c, start);
      } else {
        start = -1;
      }
    }
  }
  return (cp - zeroOf.get(cp)!) % 10;
}

/**
 * A start number as it is stored: Unicode NFKC (fullwidth `１０` is `10`), every decimal digit of any
 * script as its ASCII digit (Arabic-Indic `١٠` is `10`), invisible characters removed, surrounding
 * whitespace trimmed. Empty is null (no number).
 * @returns the number, or why it cannot be one.
 */
export function normalizeStartNumber(raw: string): string | null | { error: string } {
  let number = raw.normalize("NFKC").replace(INVISIBLE, "").trim();
  if (number === "") return null;
  number = number.replace(/\p{Nd}/gu, (digit) =>
    digit >= "0" && digit <= "9" ? digit : String(digitValue(digit.codePointAt(0)!)),
  );
  const forbidden = FORBIDDEN.exec(number);
  if (forbidden) {
    const what = /\s/u.test(forbidden[0])
      ? "a space"
      : `the invisible or control character U+${forbidden[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    return { error: `must not contain ${what} inside it` };
  }
  const lookalike = /[0-9]/.test(number) ? DIGIT_LOOKALIKES.exec(number) : null;
  if (lookalike)
    return {
      error: `mixes digits with the letter ${lookalike[0]}, which reads as a digit; write the number with digits only`,
    };
  return number;
}

/** Upper-case letters folded by the key, and their lower-case forms: ASCII, Latin-1 and Latin Extended-A, as in the migration. */
const FOLDED = /[A-Z\u00C0-\u00DE\u0100-\u017F]/g;

/**
 * What two start numbers are compared by: a number of digits without its leading zeros (`0010` → `10`,
 * `000` → `0`), anything else with its letters in lower case. Numbers are normalized first.
 */
export function startNumberKey(number: string): string {
  if (/^[0-9]+$/.test(number)) return number.replace(/^0+(?=.)/, "");
  return number.replace(FOLDED, (letter) => {
    const lower = letter.toLowerCase();
    return lower.length === 1 ? lower : letter;
  });
}

/** Whether two stored-or-wanted numbers are the same number to a runner. */
export function sameStartNumber(a: string | null, b: string | null): boolean {
  return a === b || (a !== null && b !== null && startNumberKey(a) === startNumberKey(b));
}
