// Safe retries (SPEC §5, issue 5): an Idempotency-Key replays the first answer, never applies twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccessKey } from "../../src/services/access-keys";
import { scenario, type Scenario } from "../support/fixtures";
import { call, getRegistrations, graphql, registrationsUrl, type Reply } from "../support/http";
import { onEmbedded, startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

// No start numbers: applying the same body twice must be possible, so that a replay is told apart.
const inserts = (tag: string, n = 3) =>
  Array.from({ length: n }, (_, i) => ({
    person: { givenName: "Adéla", surname: `${tag}${i}`, sex: "Female", birthDate: "1995-05-05" },
  }));

function put(s: Scenario, format: "json" | "csv", body: string, key?: string, query = ""): Promise<Reply> {
  return call(registrationsUrl(server.url, s.activityId, format, query), {
    method: "PUT",
    headers: {
      Authorization: s.organizer.auth,
      "Content-Type": format === "json" ? "application/json" : "text/csv",
      ...(key === undefined ? {} : { "Idempotency-Key": key }),
    },
    body,
  });
}

const auditCount = async (activityId: string) =>
  (
    await server.db.query(
      `SELECT count(*)::int AS n FROM audit_entry a JOIN registration r ON r.id = a.registration_id WHERE r.activity_id = $1`,
      [activityId],
    )
  )[0].n as number;

describe("Idempotency-Key on PUT", () => {
  it("answers a repeat with the first answer and inserts nothing twice", async () => {
    const s = await scenario(server.db);
    const body = JSON.stringify(inserts("Retry"));
    const first = await put(s, "json", body, "import-1");
    expect(first.status).toBe(200);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const again = await put(s, "json", body, "import-1");
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.text).toBe(first.text);
    expect(again.headers.get("sync-summary")).toBe("Created=3, Updated=0, Unchanged=0, Skipped=0");
    expect((await getRegistrations(server.url, s.activityId, s.organizer.auth)).json).toHaveLength(3);
    expect(await auditCount(s.activityId)).toBe(3);

    // Without a key, the same body is a new request: three more registrations.
    expect((await put(s, "json", body)).status).toBe(200);
    expect((await getRegistrations(server.url, s.activityId, s.organizer.auth)).json).toHaveLength(6);
  });

  it("refuses the same key with another body, or another query, with 422 and changes nothing", async () => {
    const s = await scenario(server.db);
    expect((await put(s, "json", JSON.stringify(inserts("One")), "k")).status).toBe(200);
    const other = await put(s, "json", JSON.stringify(inserts("Two")), "k");
    expect(other.status).toBe(422);
    expect(other.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(other.json.detail).toMatch(/different request/);
    expect((await put(s, "json", JSON.stringify(inserts("One")), "k", "dryRun=true")).status).toBe(422);
    expect((await getRegistrations(server.url, s.activityId, s.organizer.auth)).json).toHaveLength(3);
  });

  it("replays a rejected batch's 422 too, and CSV answers byte for byte", async () => {
    const s = await scenario(server.db);
    const bad = "person.givenName,person.surname,person.sex,person.birthDate\nJana,Nová,Female,1999-02-30\n";
    const first = await put(s, "csv", bad, "csv-1");
    expect(first.status).toBe(422);
    const again = await put(s, "csv", bad, "csv-1");
    expect([again.status, again.text, again.headers.get("idempotent-replayed")]).toEqual([422, first.text, "true"]);

    const good = "\uFEFFperson.givenName;person.surname;person.sex;person.birthDate\r\nJana;Nová;Female;1999-02-03\r\n";
    const ok = await put(s, "csv", good, "csv-2");
    const replay = await put(s, "csv", good, "csv-2");
    expect(replay.text).toBe(ok.text);
    expect(replay.headers.get("content-type")).toBe(ok.headers.get("content-type"));
    expect((await getRegistrations(server.url, s.activityId, s.organizer.auth)).json).toHaveLength(1);
  });

  // PGlite is one database session: a transaction held by the test would block the server itself.
  it.skipIf(onEmbedded())(
    "answers 409 with Retry-After while the first request with the key is still running (PostgreSQL)",
    async () => {
      const s = await scenario(server.db);
      // Hold the activity's lock, so that the first request waits inside its transaction.
      const runner = server.db.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      await runner.query(`SELECT id FROM activity WHERE id = $1 FOR UPDATE`, [s.activityId]);
      const body = JSON.stringify(inserts("Slow"));
      const first = put(s, "json", body, "slow");
      let second: Reply;
      for (;;) {
        // Wait until the first request has reserved the key.
        const [{ n }] = await server.db.query(`SELECT count(*)::int AS n FROM idempotent_request WHERE key = 'slow'`);
        if (n) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      try {
        second = await put(s, "json", body, "slow");
      } finally {
        await runner.commitTransaction();
        await runner.release();
      }
      expect(second.status).toBe(409);
      expect(second.headers.get("retry-after")).toBe("1");
      expect((await first).status).toBe(200);
      expect((await put(s, "json", body, "slow")).headers.get("idempotent-replayed")).toBe("true");
      expect((await getRegistrations(server.url, s.activityId, s.organizer.auth)).json).toHaveLength(3);
    },
    30_000,
  );

  it("tells a repeat of a request whose server died a truthful Retry-After, never later than the key's takeover", async () => {
    const s = await scenario(server.db);
    const body = JSON.stringify(inserts("Crashed", 1));
    // What a server killed mid-request leaves: the reservation of this very request, never completed.
    expect((await put(s, "json", body, "probe")).status).toBe(200);
    const [{ access_key_id: keyId, request_hash: hash }] = await server.db.query(
      `SELECT access_key_id, request_hash FROM idempotent_request WHERE key = 'probe'`,
    );
    const crashed = async (key: string, age: number) =>
      server.db.query(
        `INSERT INTO idempotent_request (access_key_id, key, request_hash, created_at) VALUES ($1, $2, $3, now() - make_interval(secs => $4))`,
        [keyId, key, hash, age],
      );

    await crashed("crashed-young", 30);
    const young = await put(s, "json", body, "crashed-young");
    expect(young.status).toBe(409);
    expect(Number(young.headers.get("retry-after"))).toBeGreaterThanOrEqual(30);
    expect(Number(young.headers.get("retry-after"))).toBeLessThanOrEqual(31);
    expect(young.json.detail).toMatch(
      /running for 30 seconds; retry after 3\d seconds\. If its server stopped, the key is taken over in 5(69|70) seconds/,
    );

    await crashed("crashed-old", 400);
    const old = await put(s, "json", body, "crashed-old");
    expect(old.status).toBe(409);
    // At 400 seconds, asking again after 400 more would be after the takeover at 600.
    expect(Number(old.headers.get("retry-after"))).toBeGreaterThanOrEqual(199);
    expect(Number(old.headers.get("retry-after"))).toBeLessThanOrEqual(200);

    // Once the takeover time has come, the repeat is served.
    await server.db.query(
      `UPDATE idempotent_request SET created_at = now() - interval '601 seconds' WHERE key = 'crashed-old'`,
    );
    const served = await put(s, "json", body, "crashed-old");
    expect(served.status).toBe(200);
    expect(served.headers.get("idempotent-replayed")).toBeNull();
  });

  it("keys belong to one access key: another key's same Idempotency-Key is a new request", async () => {
    const s = await scenario(server.db);
    const created = await createAccessKey(server.db, s.organizer.accountId);
    const secondKey = {
      ...s,
      organizer: {
        ...s.organizer,
        auth: `Basic ${Buffer.from(`${created.name}:${created.secret}`).toString("base64")}`,
      },
    };
    const body = JSON.stringify(inserts("Shared", 1));
    expect((await put(s, "json", body, "same")).status).toBe(200);
    const fromOther = await put(secondKey, "json", body, "same");
    expect(fromOther.headers.get("idempotent-replayed")).toBeNull();
    expect((await getRegistrations(server.url, s.activityId, s.organizer.auth)).json).toHaveLength(2);
  });

  it("refuses an Idempotency-Key longer than 255 characters with 400", async () => {
    const s = await scenario(server.db);
    const reply = await put(s, "json", "[]", "x".repeat(256));
    expect(reply.status).toBe(400);
    expect(reply.json.detail).toMatch(/1 to 255/);
  });
});

describe("idempotencyKey on the GraphQL mutation", () => {
  const mutation = `mutation ($activityId: ID!, $items: [SyncRegistrationInput!]!, $key: String) {
    syncRegistrations(activityId: $activityId, items: $items, idempotencyKey: $key) {
      applied replayed results { syncResultType registration { id code created person { surname } } } userErrors { code }
    }
  }`;

  it("replays the first payload, refuses other arguments, and applies once", async () => {
    const s = await scenario(server.db);
    const items = inserts("Gql");
    const first = await graphql(server.url, s.organizer.auth, mutation, {
      activityId: s.activityId,
      items,
      key: "g-1",
    });
    expect(first.json.data.syncRegistrations).toMatchObject({ applied: true, replayed: false });
    const again = await graphql(server.url, s.organizer.auth, mutation, {
      activityId: s.activityId,
      items,
      key: "g-1",
    });
    expect(again.json.data.syncRegistrations).toEqual({ ...first.json.data.syncRegistrations, replayed: true });
    const other = await graphql(server.url, s.organizer.auth, mutation, {
      activityId: s.activityId,
      items: inserts("Else"),
      key: "g-1",
    });
    expect(other.json.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect((await getRegistrations(server.url, s.activityId, s.organizer.auth)).json).toHaveLength(3);
    expect(await auditCount(s.activityId)).toBe(3);
  });
});
