// Issue 12's GraphQL probe, small: start lists cost their size, text arguments are capped and free of control
// characters before anything runs, searches take % and \ literally, cursors belong to their list.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeRegistration, scenario } from "../support/fixtures";
import { call, graphql, putJson } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const runners = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    startNumber: String(i + 1),
    person: { givenName: "Běžec", surname: `Číslo${i + 1}`, sex: "Male", birthDate: "1990-01-01" },
  }));

/** An activity with `n` Confirmed runners. */
async function activityWith(n: number) {
  const { organizer, activityId } = await scenario(server.db);
  expect((await putJson(server.url, activityId, organizer.auth, runners(n))).status).toBe(200);
  return { organizer, activityId };
}

const aliases = (n: number, field: string) => Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(" ");

describe("the cost of a start list", () => {
  it("counts its entries, so 800 aliases of a 200-runner start list are refused before any runs, without a key", async () => {
    const { activityId } = await activityWith(200);
    const one = await graphql(
      server.url,
      null,
      `
        query ($id: ID!) {
          startList(activityId: $id) {
            entries {
              name
              startNumber
            }
          }
        }
      `,
      { id: activityId },
    );
    expect(one.json.data.startList.entries).toHaveLength(200);

    const many = await graphql(
      server.url,
      null,
      `query($id: ID!) { ${aliases(800, "startList(activityId: $id) { entries { name startNumber } }")} }`,
      { id: activityId },
    );
    expect(many.status).toBe(400);
    expect(many.json.data).toBeUndefined();
    // Each alias: 200 entries × (entries 1 + name 1 + startNumber 1), plus the start list itself.
    const complexity = 800 * (200 * 3 + 1);
    expect(many.json.errors).toEqual([
      expect.objectContaining({
        message: `Query complexity is ${complexity}; the limit is 100000.`,
        extensions: { code: "QUERY_TOO_COMPLEX", complexity, limit: 100_000 },
      }),
    ]);
  });

  it("counts a start list reached through an activity by the largest start list the key reaches", async () => {
    const { organizer, activityId } = await activityWith(200);
    const many = await graphql(
      server.url,
      organizer.auth,
      `query($id: ID!) { ${aliases(300, "activity(id: $id) { startList { entries { name } } }")} }`,
      { id: activityId },
    );
    expect(many.status).toBe(400);
    expect(many.json.errors[0].extensions).toEqual({
      code: "QUERY_TOO_COMPLEX",
      complexity: 300 * (1 + 200 * 2 + 1),
      limit: 100_000,
    });
    const one = await graphql(
      server.url,
      organizer.auth,
      `
        query ($id: ID!) {
          activity(id: $id) {
            startList {
              entries {
                name
              }
            }
          }
        }
      `,
      { id: activityId },
    );
    expect(one.json.data.activity.startList.entries).toHaveLength(200);
  });
});

describe("text arguments", () => {
  const PAGE = `query($id: ID!, $search: String, $after: String) {
    registrations(activityId: $id, search: $search, after: $after) { totalCount nodes { id code } pageInfo { endCursor } }
  }`;

  it("caps search at 200 characters and every other text argument at 1000, naming the argument and the cap", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const at = await graphql(server.url, organizer.auth, PAGE, { id: activityId, search: "x".repeat(200) });
    expect(at.json.errors).toBeUndefined();
    for (const search of ["x".repeat(201), "x".repeat(30_000)]) {
      const over = await graphql(server.url, organizer.auth, PAGE, { id: activityId, search });
      expect(over.status).toBe(400);
      expect(over.json.errors).toEqual([
        expect.objectContaining({
          message: `Argument search of registrations has ${search.length} characters; the limit is 200.`,
          extensions: { code: "BAD_USER_INPUT", argument: "search" },
        }),
      ]);
    }
    const event = await graphql(
      server.url,
      organizer.auth,
      `
        mutation ($o: ID!, $name: String!) {
          createEvent(organizerId: $o, name: $name) {
            event {
              id
            }
          }
        }
      `,
      { o: organizer.organizationId, name: "n".repeat(1001) },
    );
    expect(event.json.errors).toEqual([
      expect.objectContaining({
        message: "Argument name of createEvent has 1001 characters; the limit is 1000.",
        extensions: { code: "BAD_USER_INPUT", argument: "name" },
      }),
    ]);
  });

  it("takes %, _ and \\ in a search literally: % matches no code, a trailing \\ is no failure", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await nativeRegistration(server.db, activityId, { surname: "Procentová" });
    await nativeRegistration(server.db, activityId, { surname: "Podtržená" });
    for (const search of ["%", "_", "Proc\\", "\\", "%%", "_____"]) {
      const reply = await graphql(server.url, organizer.auth, PAGE, { id: activityId, search });
      expect(reply.json.errors, search).toBeUndefined();
      expect(reply.json.data.registrations.totalCount, search).toBe(0);
    }
    const reply = await graphql(server.url, organizer.auth, PAGE, { id: activityId, search: "Procent" });
    expect(reply.json.data.registrations.totalCount).toBe(1);
  });

  it("refuses NUL and other control characters in any argument, literal or variable, naming where it is", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const o = organizer.organizationId;
    const cases: [auth: string | null, query: string, variables: Record<string, unknown>, message: string][] = [
      [
        null,
        `{ startList(activityId: "638f01d0c5eaf533c891fac3\\u0000") { activityName } }`,
        {},
        "Argument activityId of startList contains the control character U+0000",
      ],
      [
        organizer.auth,
        PAGE,
        { id: activityId, search: "a\u0000" },
        "Argument search of registrations contains the control character U+0000",
      ],
      [
        organizer.auth,
        PAGE,
        { id: activityId, after: "\u0000" },
        "Argument after of registrations contains the control character U+0000",
      ],
      [
        organizer.auth,
        `mutation($o: ID!) { createEvent(organizerId: $o, name: "Závod\\u0000") { event { id } } }`,
        { o },
        "Argument name of createEvent contains the control character U+0000",
      ],
      [
        organizer.auth,
        `mutation($o: ID!) { renameOrganization(id: $o, name: "a\\u001b[31m") { organization { id } } }`,
        { o },
        "Argument name of renameOrganization contains the control character U+001B",
      ],
      [
        organizer.auth,
        `mutation($o: ID!, $l: String!) { addMember(organizationId: $o, login: $l, role: Admin) { membership { id } } }`,
        { o, l: "a\u0000@example.test" },
        "Argument login of addMember contains the control character U+0000",
      ],
      [
        organizer.auth,
        `mutation($d: String) { createAccessKey(description: $d) { secret } }`,
        { d: "\u0000" },
        "Argument description of createAccessKey contains the control character U+0000",
      ],
      // A sync's items are row errors instead (test/rest/control-characters.test.ts); its other arguments are checked here.
      [
        organizer.auth,
        `mutation($id: ID!) { syncRegistrations(activityId: $id, items: [], idempotencyKey: "k\\u0007") { userErrors { message } } }`,
        { id: activityId },
        "Argument idempotencyKey of syncRegistrations contains the control character U+0007",
      ],
    ];
    for (const [auth, query, variables, message] of cases) {
      const reply = await graphql(server.url, auth, query, variables);
      expect(reply.status, message).toBe(400);
      expect(reply.json.data, message).toBeUndefined();
      expect(reply.json.errors, message).toEqual([
        expect.objectContaining({
          message: `${message}; text must not contain control characters.`,
          extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }),
        }),
      ]);
    }
    // Nothing was written.
    const events = await graphql(
      server.url,
      organizer.auth,
      `query($o: ID!) { organization(id: $o) { events { id } } activity(id: "${activityId}") { registrations { totalCount } } }`,
      { o },
    );
    expect(events.json.data.organization.events).toHaveLength(1);
    expect(events.json.data.activity.registrations.totalCount).toBe(0);
    // Tabs and line breaks are text.
    const tab = await graphql(server.url, organizer.auth, PAGE, { id: activityId, search: "a\tb\r\n" });
    expect(tab.json.errors).toBeUndefined();
  });
});

describe("the after cursor", () => {
  const PAGE = `query($id: ID!, $after: String) { registrations(activityId: $id, first: 1, after: $after) { nodes { id } pageInfo { endCursor } } }`;
  const cursorOf = (id: string) => Buffer.from(`registration:${id}`).toString("base64url");

  it("pages on with its own list's cursor, and refuses another activity's or an unknown registration's alike", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const mine = [await nativeRegistration(server.db, activityId), await nativeRegistration(server.db, activityId)];
    const other = await scenario(server.db);
    const theirs = await nativeRegistration(server.db, other.activityId);
    const first = await graphql(server.url, organizer.auth, PAGE, { id: activityId });
    const next = await graphql(server.url, organizer.auth, PAGE, {
      id: activityId,
      after: first.json.data.registrations.pageInfo.endCursor,
    });
    expect(next.json.data.registrations.nodes).toEqual([{ id: mine[1].id }]);

    const answers = [];
    for (const after of [cursorOf(theirs.id), cursorOf("0".repeat(24)), cursorOf(other.activityId), "garbage"]) {
      const reply = await graphql(server.url, organizer.auth, PAGE, { id: activityId, after });
      answers.push({
        status: reply.status,
        data: reply.json.data,
        errors: reply.json.errors.map(({ message, extensions }: any) => ({ message, extensions })),
      });
    }
    expect(answers[0].errors).toEqual([
      {
        message: "after is not a cursor of this list: pass the previous page's endCursor",
        extensions: { code: "BAD_USER_INPUT", field: "after" },
      },
    ]);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });
});

describe("a NUL in the key name of the Authorization header", () => {
  it("is a wrong key (401), in GraphQL and REST alike, not a database error", async () => {
    const { activityId } = await scenario(server.db);
    const auth = `Basic ${Buffer.from("na\u0000me:secretsecretsecret").toString("base64")}`;
    const gql = await graphql(
      server.url,
      auth,
      `
        {
          viewer {
            account {
              id
            }
          }
        }
      `,
    );
    expect(gql.status).toBe(401);
    expect(gql.json.errors).toEqual([
      expect.objectContaining({
        message: "The access key is unknown, wrong or revoked",
        extensions: { code: "UNAUTHENTICATED" },
      }),
    ]);
    const rest = await call(`${server.url}/api/events/activities/${activityId}/registrations.json`, {
      headers: { Authorization: auth },
    });
    expect(rest.status).toBe(401);
    expect(rest.text).not.toMatch(/byte sequence/);
  });
});

describe("the cost of unpaged lists", () => {
  it("multiplies nested lists of unknown size by 20 each, so a key cannot fetch every start list it reaches in one operation", async () => {
    const { organizer } = await activityWith(10);
    const everything = await graphql(
      server.url,
      organizer.auth,
      `
        {
          viewer {
            organizations {
              events {
                activities {
                  startList {
                    entries {
                      name
                    }
                  }
                }
              }
            }
          }
        }
      `,
    );
    expect(everything.status).toBe(400);
    // viewer 1 + organizations 20 × (events 20 × (activities 20 × (start list: 10 entries × 2 + 1) + 1) + 1) + 1.
    const complexity = 1 + 20 * (20 * (20 * (10 * 2 + 1) + 1) + 1) + 1;
    expect(everything.json.errors[0].extensions).toEqual({ code: "QUERY_TOO_COMPLEX", complexity, limit: 100_000 });
    const overview = await graphql(
      server.url,
      organizer.auth,
      `
        {
          viewer {
            organizations {
              name
              events {
                name
                activities {
                  id
                  name
                }
              }
            }
          }
        }
      `,
    );
    expect(overview.json.errors).toBeUndefined();
  });
});
