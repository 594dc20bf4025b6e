// Control characters (NUL, tabs, line breaks, …) are no part of any value a sync reads: each is a row
// error naming its field, the same in JSON, CSV and GraphQL, and none reaches the database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scenario } from "../support/fixtures";
import { graphql, putCsv, putJson } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const ID = "638f01d0c5eaf533c891fac3";

describe("control characters in sync values", () => {
  it("refuses them in ids and dates as InvalidValue naming the field (JSON)", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const person = { givenName: "Jan", surname: "Nul", sex: "Male", birthDate: "1980-01-01" };
    const reply = await putJson(server.url, activityId, organizer.auth, [
      { id: `${ID}\u0000` },
      { person: { ...person, id: `\u0000${ID}` } },
      { person: { ...person, birthDate: "1980-01-01\u0000" } },
      { externalId: "a\tb", person },
    ]);
    expect(reply.status).toBe(422);
    expect(reply.json.errors.map((e: any) => [e.index, e.field, e.code, e.message])).toEqual([
      [0, "id", "InvalidValue", "id must not contain control characters"],
      [1, "person.id", "InvalidValue", "person.id must not contain control characters"],
      [2, "person.birthDate", "InvalidValue", "person.birthDate must not contain control characters"],
      [3, "externalId", "InvalidValue", "externalId must not contain control characters"],
    ]);
  });

  it("refuses them in a CSV cell the same way, naming the line and column", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reply = await putCsv(
      server.url,
      activityId,
      organizer.auth,
      `registration.id,registration.startNumber\n${ID}\u0001,7\n`,
    );
    expect(reply.status).toBe(422);
    expect(reply.json.errors).toEqual([
      { line: 2, field: "registration.id", code: "InvalidValue", message: "id must not contain control characters" },
    ]);
  });

  it("answers a GraphQL sync with NUL in an id or in its idempotencyKey as bad input, never a server error", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const SYNC = `mutation ($a: ID!, $items: [SyncRegistrationInput!]!, $key: String) {
      syncRegistrations(activityId: $a, items: $items, idempotencyKey: $key) { applied userErrors { code path message } } }`;
    const row = await graphql(server.url, organizer.auth, SYNC, { a: activityId, items: [{ id: `${ID}\u0000` }] });
    expect(row.json.data.syncRegistrations.userErrors).toEqual([
      { code: "InvalidValue", path: ["items", "0", "id"], message: "id must not contain control characters" },
    ]);
    const key = await graphql(server.url, organizer.auth, SYNC, { a: activityId, items: [], key: "k\u0000" });
    // Refused at the edge with every other text argument (schema/argument-checks.ts).
    expect(key.json.errors[0]).toMatchObject({
      message: expect.stringContaining(
        "Argument idempotencyKey of syncRegistrations contains the control character U+0000",
      ),
      extensions: { code: "BAD_USER_INPUT" },
    });
  });
});
