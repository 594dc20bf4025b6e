// A statement that fails is logged by what failed (SQL state, table), never with its SQL parameters:
// an import's parameters are its runners' names and birth dates, a new key's are its secret's hash (issue 12).
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scenario, type Scenario } from "../support/fixtures";
import { graphql, putCsv } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
let s: Scenario;
const logs: string[] = [];
const tag = `redaction_${process.pid}_${Date.now().toString(36)}`;

beforeAll(async () => {
  const logDestination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  server = await startServer({ LOG_LEVEL: "info" }, { logDestination });
  s = await scenario(server.db);
  // Statements that fail for this test's activity and key description only (the database may be shared with other tests).
  await server.db.query(
    `CREATE FUNCTION ${tag}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused for the log test'; END $$`,
  );
  await server.db.query(
    `CREATE TRIGGER ${tag} BEFORE INSERT ON registration FOR EACH ROW WHEN (NEW.activity_id = '${s.activityId}') EXECUTE FUNCTION ${tag}()`,
  );
  await server.db.query(
    `CREATE TRIGGER ${tag} BEFORE INSERT ON access_key FOR EACH ROW WHEN (NEW.description = '${tag}') EXECUTE FUNCTION ${tag}()`,
  );
});
afterAll(async () => {
  await server.db.query(`DROP TRIGGER IF EXISTS ${tag} ON registration`);
  await server.db.query(`DROP TRIGGER IF EXISTS ${tag} ON access_key`);
  await server.db.query(`DROP FUNCTION IF EXISTS ${tag}()`);
  await server.close();
});

describe("logs of failed statements", () => {
  it("name the failure but none of a failed import's runners, birth dates or rows", async () => {
    const lines = ["registration.externalId,person.givenName,person.surname,person.sex,person.birthDate"];
    for (let i = 0; i < 50; i++) lines.push(`redacted-${i},Důvěrná,Tajemná${i},Female,1966-06-16`);
    const reply = await putCsv(server.url, s.activityId, s.organizer.auth, `${lines.join("\n")}\n`);
    expect(reply.status).toBe(500);
    expect(reply.text).not.toMatch(/Tajemná|1966|refused|INSERT/);
    const logged = logs.join("");
    // The operator still learns what failed, and for which request.
    expect(logged).toContain(`"requestId":"${reply.json.requestId}"`);
    expect(logged).toMatch(/"code":"P0001"/);
    expect(logged).not.toMatch(/Tajemná|Důvěrná|1966-06-16|redacted-\d|INSERT INTO|refused for the log test/);
  });

  it("never contain a new key's secret hash", async () => {
    const reply = await graphql(
      server.url,
      s.organizer.auth,
      `
        mutation ($d: String) {
          createAccessKey(description: $d) {
            secret
          }
        }
      `,
      { d: tag },
    );
    expect(reply.json.errors[0].extensions.code).toBe("INTERNAL_SERVER_ERROR");
    const logged = logs.join("");
    expect(logged).toMatch(/"code":"P0001"/);
    expect(logged).not.toMatch(/scrypt\$|INSERT INTO/);
  });
});
