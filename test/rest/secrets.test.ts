// Keys and sessions (issue 5): a key's secret is never stored, logged or echoed in clear.
// The server's JSON logs (issue 6) are on and collected here, alongside anything written to stdout/stderr.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { KEY_HASH_COST, setKeyHashCost } from "../../src/services/access-keys";
import { basic, scenario } from "../support/fixtures";
import { getRegistrations, graphql, putJson } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
const logLines: string[] = [];
beforeAll(async () => {
  // This file checks the stored hash at production's cost, which the other test files lower (test/support/key-hash-cost.ts).
  setKeyHashCost(KEY_HASH_COST);
  // Logs on, at the most talkative level, into memory.
  server = await startServer(
    { LOG_LEVEL: "trace" },
    { logDestination: { write: (line: string) => void logLines.push(line) } },
  );
});
afterAll(() => server.close());

describe("access key secrets", () => {
  it("appear in no table, no log line and no answer, whether the key is right or wrong", async () => {
    const s = await scenario(server.db);
    const [name, secret] = s.organizer.key.split(":");
    const written: string[] = [];
    const capture = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    const spies = [
      vi.spyOn(process.stdout, "write").mockImplementation(capture),
      vi.spyOn(process.stderr, "write").mockImplementation(capture),
      ...(["log", "info", "warn", "error", "debug"] as const).map((level) =>
        vi.spyOn(console, level).mockImplementation((...args) => void capture(args.join(" "))),
      ),
    ];
    const answers: string[] = [];
    try {
      answers.push((await getRegistrations(server.url, s.activityId, s.organizer.auth)).text);
      answers.push(
        (await putJson(server.url, s.activityId, s.organizer.auth, [{ id: "nope", startNumber: "1" }])).text,
      );
      const wrong = basic(`${name}:${secret.slice(0, -2)}xx`);
      answers.push((await getRegistrations(server.url, s.activityId, wrong)).text);
      answers.push((await graphql(server.url, wrong, "{ viewer { account { id } } }")).text);
      answers.push(
        (await graphql(server.url, s.organizer.auth, "{ viewer { accessKeys { name description } } }")).text,
      );
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const dump = JSON.stringify(await server.db.query(`SELECT * FROM access_key`));
    expect(dump).toContain(name);
    expect(logLines.length).toBeGreaterThanOrEqual(5);
    for (const place of [dump, written.join("\n"), logLines.join(""), answers.join("\n")]) {
      expect(place).not.toContain(secret);
      expect(place).not.toContain(Buffer.from(`${name}:${secret}`).toString("base64"));
    }
    const [{ secret_hash: hash }] = await server.db.query(`SELECT secret_hash FROM access_key WHERE name = $1`, [name]);
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
  });
});
