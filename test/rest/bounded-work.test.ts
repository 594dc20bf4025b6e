// Bounded work per request (issue 12): a sync is judged before its body is read, holds one item cap in
// every format, lists the errors of at most 1,000 failing rows, and a slow or oversized body is answered
// without waiting for it.
import net from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newObjectId } from "../../src/db/object-id";
import { createAccessKey } from "../../src/services/access-keys";
import { basic, scenario } from "../support/fixtures";
import { call, getRegistrations, graphql, putCsv, putJson, registrationsUrl } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

/**
 * Sends `head` (a request's line and headers, and maybe the start of its body) and never more; resolves
 * with what the server answers, or null when nothing comes within `waitMs`.
 */
function answerWithoutBody(url: string, head: string, waitMs = 5_000): Promise<string | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(head));
    let answer = "";
    const done = (value: string | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(answer || null), waitMs);
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString("latin1");
      // The whole answer: its headers and, for the small problem documents here, its body.
      if (/\r\n\r\n[\s\S]*\}\s*$/.test(answer)) done(answer);
    });
    socket.on("close", () => done(answer || null));
    socket.on("error", () => done(answer || null));
  });
}

const putHead = (path: string, auth: string, contentType: string, length: number) =>
  `PUT ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${auth}\r\nContent-Type: ${contentType}\r\nContent-Length: ${length}\r\n\r\n`;

const statusOf = (answer: string | null) => (answer ? Number(answer.split(" ")[1]) : null);

const MEDIA_TYPES = {
  json: "application/json",
  csv: "text/csv",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;

describe("a PUT is judged before its body is read", () => {
  for (const format of ["json", "csv", "xlsx"] as const) {
    it(`answers a read-only key 403 and an activity out of reach 404 before the .${format} body is sent`, async () => {
      const { organizer, activityId } = await scenario(server.db);
      const readOnly = await createAccessKey(server.db, organizer.accountId, { readOnly: true });
      const other = await scenario(server.db);
      const path = (id: string) => new URL(registrationsUrl(server.url, id, format)).pathname;
      const cases: [string, string, number][] = [
        [path(activityId), basic(`${readOnly.name}:${readOnly.secret}`), 403],
        [path(newObjectId()), organizer.auth, 404],
        [path(other.activityId), organizer.auth, 404],
      ];
      for (const [target, auth, status] of cases) {
        const answer = await answerWithoutBody(server.url, putHead(target, auth, MEDIA_TYPES[format], 10_000_000));
        expect(statusOf(answer), `${target}: no answer before the body was sent`).toBe(status);
      }
    });
  }

  it("answers a header of 100,000 CSV columns 413, as documented, not 400", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const header = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(",");
    const reply = await putCsv(server.url, activityId, organizer.auth, `${header}\n1\n`);
    expect(reply.status).toBe(413);
    expect(reply.json).toMatchObject({
      type: "/problems/csv-too-large",
      line: 1,
      detail: "Line 1: the header has more than 200 columns; at most 200 are accepted",
    });
  });

  it("answers a gzip CSV whose header line has 9.5 million columns 413 without reading it whole", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const body = gzipSync(Buffer.concat([Buffer.from("c,".repeat(9_500_000)), Buffer.from("c\n")]), { level: 9 });
    const reply = await call(registrationsUrl(server.url, activityId, "csv"), {
      method: "PUT",
      headers: { Authorization: organizer.auth, "Content-Type": "text/csv", "Content-Encoding": "gzip" },
      body,
    });
    expect(reply.status).toBe(413);
    expect(reply.json.detail).toBe("Line 1: the header has more than 200 columns; at most 200 are accepted");
  });
});

describe("one item cap for every sync format (MAX_SYNC_ITEMS)", () => {
  let small: TestServer;
  let olderName: TestServer;
  beforeAll(async () => {
    small = await startServer({ MAX_SYNC_ITEMS: "3" });
    olderName = await startServer({ MAX_CSV_ROWS: "3" });
  });
  afterAll(async () => {
    await small?.close();
    await olderName?.close();
  });

  const runner = (i: number) => ({
    externalId: `cap-${i}`,
    person: { givenName: "Eva", surname: `Limitová${i}`, sex: "Female", birthDate: "1990-05-05" },
  });
  const runners = (n: number) => Array.from({ length: n }, (_, i) => runner(i));

  it("takes as many JSON items as the cap and refuses one more with 413 naming the cap, writing nothing", async () => {
    const { organizer, activityId } = await scenario(small.db);
    const refused = await putJson(small.url, activityId, organizer.auth, runners(4));
    expect(refused.status).toBe(413);
    expect(refused.json).toMatchObject({
      type: "/problems/too-many-items",
      index: 3,
      detail: "Item 3: a sync takes at most 3 items; split the batch",
    });
    expect((await getRegistrations(small.url, activityId, organizer.auth)).json).toEqual([]);
    expect((await putJson(small.url, activityId, organizer.auth, runners(3))).status).toBe(200);
  });

  it("holds the same cap for CSV rows, and under its older name MAX_CSV_ROWS for JSON too", async () => {
    const { organizer, activityId } = await scenario(small.db);
    const csv = [
      "registration.externalId,person.givenName,person.surname,person.sex,person.birthDate",
      ...runners(4).map((r) => `${r.externalId},Eva,${r.person.surname},Female,1990-05-05`),
    ].join("\n");
    expect((await putCsv(small.url, activityId, organizer.auth, csv)).status).toBe(413);
    const older = await scenario(olderName.db);
    const reply = await putJson(olderName.url, older.activityId, older.organizer.auth, runners(4));
    expect(reply.status).toBe(413);
    expect(reply.json.detail).toBe("Item 3: a sync takes at most 3 items; split the batch");
  });

  it("refuses a GraphQL sync with more items than the cap before any work: the idempotency key stays free", async () => {
    const { organizer, activityId } = await scenario(small.db);
    const SYNC = `mutation ($a: ID!, $items: [SyncRegistrationInput!]!) {
      syncRegistrations(activityId: $a, items: $items, idempotencyKey: "cap-key") { applied } }`;
    const refused = await graphql(small.url, organizer.auth, SYNC, { a: activityId, items: runners(4) });
    // Refused before execution: a request error, no data at all.
    expect(refused.status).toBe(400);
    expect(refused.json.data).toBeUndefined();
    expect(refused.json.errors[0]).toMatchObject({
      message: "4 items were sent: a sync takes at most 3 items; split the batch",
      extensions: { code: "BAD_USER_INPUT", field: "items" },
    });
    const applied = await graphql(small.url, organizer.auth, SYNC, { a: activityId, items: runners(3) });
    expect(applied.json.data.syncRegistrations.applied).toBe(true);
  });

  it("answers a 3 KB gzip of a million empty JSON objects 413 naming the default cap of 50,000", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const body = gzipSync(`[${"{},".repeat(999_999)}{}]`, { level: 9 });
    expect(body.length).toBeLessThan(4_000);
    const reply = await call(registrationsUrl(server.url, activityId, "json"), {
      method: "PUT",
      headers: { Authorization: organizer.auth, "Content-Type": "application/json", "Content-Encoding": "gzip" },
      body,
    });
    expect(reply.status).toBe(413);
    expect(reply.json.detail).toBe("Item 50000: a sync takes at most 50000 items; split the batch");
  });
});

describe("the errors of at most 1,000 failing rows are listed, with the count of all", () => {
  it("REST: a rejected batch of 1,200 empty items lists the first 1,000 rows' errors and says how many it left out", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reply = await putJson(
      server.url,
      activityId,
      organizer.auth,
      Array.from({ length: 1_200 }, () => ({})),
    );
    expect(reply.status).toBe(422);
    // Each empty item misses the four required person fields.
    expect(reply.json).toMatchObject({
      errorCount: 4_800,
      errorsOmitted: 800,
      detail:
        "1200 rows failed; nothing was written. The errors of the first 1000 failing rows are listed; 800 more are left out",
    });
    expect(reply.json.errors).toHaveLength(4_000);
    expect(reply.json.errors.at(-1)).toMatchObject({ index: 999, code: "MissingField" });
  });

  it("REST: a batch with few failing rows lists them all and omits none", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reply = await putJson(server.url, activityId, organizer.auth, [
      {},
      { person: { givenName: "Jan", surname: "Malý", sex: "Male" } },
    ]);
    expect(reply.status).toBe(422);
    expect(reply.json).toMatchObject({ errorCount: 5, errorsOmitted: 0, detail: "2 rows failed; nothing was written" });
  });

  it("GraphQL: userErrors of the first 1,000 failing items, and failedItemCount and userErrorCount of all", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reply = await graphql(
      server.url,
      organizer.auth,
      `
        mutation ($a: ID!, $items: [SyncRegistrationInput!]!) {
          syncRegistrations(activityId: $a, items: $items) {
            applied
            failedItemCount
            userErrorCount
            userErrors {
              path
            }
          }
        }
      `,
      { a: activityId, items: Array.from({ length: 1_200 }, () => ({})) },
    );
    const payload = reply.json.data.syncRegistrations;
    expect(payload).toMatchObject({ applied: false, failedItemCount: 1_200, userErrorCount: 4_800 });
    expect(payload.userErrors).toHaveLength(4_000);
    expect(payload.userErrors.at(-1).path.slice(0, 2)).toEqual(["items", "999"]);
  });

  it("GraphQL, partial mode: results carry the errors of the first 1,000 failing items, like userErrors", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reply = await graphql(
      server.url,
      organizer.auth,
      `
        mutation ($a: ID!, $items: [SyncRegistrationInput!]!) {
          syncRegistrations(activityId: $a, items: $items, mode: Partial) {
            applied
            failedItemCount
            userErrors {
              code
            }
            results {
              syncResultType
              errors {
                code
              }
            }
          }
        }
      `,
      { a: activityId, items: Array.from({ length: 1_200 }, () => ({})) },
    );
    const payload = reply.json.data.syncRegistrations;
    expect(payload).toMatchObject({ applied: true, failedItemCount: 1_200 });
    expect(payload.userErrors).toHaveLength(4_000);
    expect(payload.results).toHaveLength(1_200);
    expect(payload.results.every((r: any) => r.syncResultType === "Skipped")).toBe(true);
    expect(payload.results[999].errors).toHaveLength(4);
    expect(payload.results[1_000].errors).toEqual([]);
  });
});

describe("slow and oversized bodies", () => {
  let quick: TestServer;
  beforeAll(async () => {
    quick = await startServer({ REQUEST_TIMEOUT_SECONDS: "2", HEADERS_TIMEOUT_SECONDS: "1" });
  });
  afterAll(() => quick?.close());

  it("answers a /graphql body whose Content-Length is over BODY_LIMIT_BYTES 413 before it is sent", async () => {
    const head = `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${server.config.bodyLimit + 1}\r\n\r\n`;
    const answer = await answerWithoutBody(server.url, head);
    expect(statusOf(answer)).toBe(413);
    expect(answer).toMatch(/connection: close/i);
    expect(answer).toContain("/problems/body-too-large");
  });

  it("closes a connection whose /graphql body stalls, after REQUEST_TIMEOUT_SECONDS", async () => {
    const head = `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":`;
    const answer = await answerWithoutBody(quick.url, head, 10_000);
    expect(statusOf(answer)).toBe(408);
  });

  it("closes a connection whose headers stall, after HEADERS_TIMEOUT_SECONDS", async () => {
    const answer = await answerWithoutBody(quick.url, "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ", 10_000);
    expect(statusOf(answer)).toBe(408);
  });
});
