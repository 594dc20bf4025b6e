// The seed's API page (test/fixtures/seed-page-cs.txt, a copy of shared/seed), read for its examples.
import fs from "node:fs";
import path from "node:path";

const page = fs.readFileSync(path.join(__dirname, "../fixtures/seed-page-cs.txt"), "utf8");

export interface SeedExample {
  /** The curl command with its here-document, verbatim. */
  command: string;
  /** The answer the page shows. */
  answer: string;
}

function examples(): SeedExample[] {
  const found: SeedExample[] = [];
  const pattern =
    /(curl https:\/\/actigo\.app[\s\S]*?<<BODY\n[\s\S]*?\nBODY)\n\s*server vrátí odpověď\n\n([\s\S]*?)\n\n/g;
  for (const match of page.matchAll(pattern)) found.push({ command: match[1], answer: match[2] });
  if (found.length !== 2) throw new Error(`expected the seed page's two curl examples, found ${found.length}`);
  return found;
}

export const [SEED_JSON_EXAMPLE, SEED_CSV_EXAMPLE] = examples();

/** The example pointed at our server and key: host and key are all that change. */
export function localCommand(example: SeedExample, base: string, key: string): string {
  return example.command
    .replace("https://actigo.app", base)
    .replace("Basic ***", `Basic ${Buffer.from(key).toString("base64")}`);
}
