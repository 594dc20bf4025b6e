// REST query parameters are text arguments like GraphQL's: capped at 1000 characters, no control characters.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scenario } from "../support/fixtures";
import { getRegistrations } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe("query parameters", () => {
  it("refuses a value over 1000 characters or with a control character with 400, naming the parameter", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const long = await getRegistrations(server.url, activityId, organizer.auth, "csv", `columns=${"x".repeat(1001)}`);
    expect(long.status).toBe(400);
    expect(long.json).toMatchObject({
      type: "/problems/invalid-query",
      detail: `Query parameter "columns" has 1001 characters; the limit is 1000.`,
    });
    const nul = await getRegistrations(server.url, activityId, organizer.auth, "json", "tag=a%00b");
    expect(nul.status).toBe(400);
    expect(nul.json).toMatchObject({
      type: "/problems/invalid-query",
      detail: `Query parameter "tag" contains the control character U+0000; text must not contain control characters.`,
    });
    expect(
      (await getRegistrations(server.url, activityId, organizer.auth, "json", `tag=${"x".repeat(1000)}`)).status,
    ).toBe(200);
  });
});
