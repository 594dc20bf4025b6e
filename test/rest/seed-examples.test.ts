// The seed page's two curl examples, run verbatim (apart from host and key) with the real curl.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoData, SEED_ACTIVITY_ID, SEED_REGISTRATION_ID } from "../../src/services/demo-data";
import { basic } from "../support/fixtures";
import { getRegistrations } from "../support/http";
import { SEED_CSV_EXAMPLE, SEED_JSON_EXAMPLE, localCommand } from "../support/seed-page";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
let organizerKey: string;

beforeAll(async () => {
  server = await startServer();
  organizerKey = (await loadDemoData(server.db)).keys.organizer;
});
afterAll(() => server.close());

// Asynchronous: the server answers from this same process.
async function run(command: string): Promise<string> {
  const { stdout } = await promisify(execFile)("bash", ["-c", command.replace(/^curl /, "curl -sS --max-time 30 ")], {
    encoding: "utf8",
  });
  return stdout;
}

describe("the seed's examples", () => {
  it("answers the JSON example exactly as the seed shows", async () => {
    const answer = await run(localCommand(SEED_JSON_EXAMPLE, server.url, organizerKey));
    expect(JSON.parse(answer)).toEqual(JSON.parse(SEED_JSON_EXAMPLE.answer));
    expect(answer).toBe(SEED_JSON_EXAMPLE.answer);
  });

  it("answers the CSV example as the seed shows, with the stored start number", async () => {
    const answer = await run(localCommand(SEED_CSV_EXAMPLE, server.url, organizerKey));
    // The seed answers 0003 to a request carrying 0002: a slip in the page; we show what was stored.
    expect(SEED_CSV_EXAMPLE.answer).toContain(",0003,");
    expect(answer).toBe(SEED_CSV_EXAMPLE.answer.replace(",0003,", ",0002,") + "\n");
    const stored = await getRegistrations(server.url, SEED_ACTIVITY_ID, basic(organizerKey));
    expect(stored.json.find((r: { id: string }) => r.id === SEED_REGISTRATION_ID).startNumber).toBe("0002");
  });
});
