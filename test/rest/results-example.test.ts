// The platform's results example (SPEC §9), as README and start-up print it, run with the real curl against the
// demo data: three Created results (the third with a new person), then all Unchanged, shown on the public list.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  RESULTS_ACTIVITY_ID,
  RESULTS_SECOND_PERSON_ID,
  SEED_PERSON_ID,
  loadDemoData,
  resultsExampleCurl,
} from "../../src/services/demo-data";
import { call } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
let timingKey: string;

beforeAll(async () => {
  server = await startServer();
  timingKey = (await loadDemoData(server.db)).keys.timing;
});
afterAll(() => server.close());

/** Runs the printed command with the real curl; the status is written after the body. */
async function curl(command: string): Promise<{ status: number; json: any }> {
  const { stdout } = await promisify(execFile)(
    "bash",
    ["-c", command.replace(/^curl /, "curl -sS --max-time 30 -w '\\n%{http_code}' ")],
    { encoding: "utf8" },
  );
  const at = stdout.lastIndexOf("\n");
  return { status: Number(stdout.slice(at + 1)), json: JSON.parse(stdout.slice(0, at)) };
}

describe("the platform's results example", () => {
  it("creates three results with the timing company's key, the third with a new person; a repeat is all Unchanged", async () => {
    const command = resultsExampleCurl(server.url, timingKey);
    expect(command).toContain(`/api/events/activities/${RESULTS_ACTIVITY_ID}/results \\`);
    const first = await curl(command);
    expect(first.status).toBe(200);
    expect(first.json.map((r: any) => [r.person.id, r.category, r.position, r.time, r.syncResultType])).toEqual([
      [SEED_PERSON_ID, "M40", 1, 600000, "Created"],
      [RESULTS_SECOND_PERSON_ID, "M30", 2, 660000, "Created"],
      [expect.stringMatching(/^[0-9a-f]{24}$/), "M20", 3, 720000, "Created"],
    ]);
    expect(first.json[0].splitTimes).toEqual([{ distance: 4, time: "2022-09-01T15:10:00.000Z" }]);
    expect(first.json[2].person).toMatchObject({ givenName: "Jan", surname: "Svoboda", country: "CZ" });
    const repeat = await curl(command);
    expect(repeat.json.map((r: any) => r.syncResultType)).toEqual(["Unchanged", "Unchanged", "Unchanged"]);
    expect(repeat.json[2].person.id).toBe(first.json[2].person.id);

    const publicList = await call(`${server.url}/api/events/activities/${RESULTS_ACTIVITY_ID}/publicresults.json`);
    expect(publicList.json.entries.map((e: any) => [e.position, e.name, e.clockTime])).toEqual([
      [1, "Martin Dufek", "0:10:00"],
      [2, "Petr Kolář", "0:11:00"],
      [3, "Jan Svoboda", "0:12:00"],
    ]);
  });
});
