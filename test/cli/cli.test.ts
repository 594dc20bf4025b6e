// The operator CLI, run in-process on the real database: what it prints, its exit codes, and that its keys work.
import { describe, expect, inject, it } from "vitest";
import type { DataSource } from "typeorm";
import { runCli } from "../../src/cli/commands";
import { loadConfig } from "../../src/config";
import { openDatabase } from "../../src/db/data-source";
import { reachableOrganizerIds } from "../../src/services/access";
import { verifyAccessKey } from "../../src/services/access-keys";
import { SEED_ACTIVITY_ID } from "../../src/services/demo-data";
import { basic } from "../support/fixtures";
import { getRegistrations } from "../support/http";
import { startServer, temporaryDataDir } from "../support/test-server";

const databaseUrl = inject("databaseUrl");
// Embedded: one data folder for this file; the CLI and the checks below open it one at a time.
const env = databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: temporaryDataDir() };

const KEY_LINE = /^[A-Za-z0-9._~-]+:.+$/;
const OBJECT_ID = /^[0-9a-f]{24}$/;

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`;

interface Run {
  code: number;
  out: string[];
  err: string[];
}

async function cli(...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    { out: (text) => out.push(...text.split("\n")), err: (text) => err.push(...text.split("\n")) },
    env,
  );
  return { code, out, err };
}

/** Runs a command that must succeed and print exactly one line on stdout; returns that line. */
async function printed(...argv: string[]): Promise<string> {
  const run = await cli(...argv);
  expect(run.code, run.err.join("\n")).toBe(0);
  expect(run.out).toHaveLength(1);
  return run.out[0];
}

/** Opens the database the CLI used, after it has finished with it. */
async function withDatabase<T>(use: (db: DataSource) => Promise<T>): Promise<T> {
  const db = await openDatabase(loadConfig(env));
  try {
    return await use(db);
  } finally {
    await db.destroy();
  }
}

function splitKey(key: string): [name: string, secret: string] {
  const colon = key.indexOf(":");
  return [key.slice(0, colon), key.slice(colon + 1)];
}

async function organizationWithOwner(
  kind = "Organizer",
): Promise<{ organizationId: string; accountId: string; login: string }> {
  const organizationId = await printed("org", "create", "--name", unique(kind), "--kind", kind);
  const login = `${unique("owner")}@example.test`;
  const accountId = await printed("member", "add", "--org", organizationId, "--login", login, "--role", "Owner");
  return { organizationId, accountId, login };
}

describe("operator CLI", () => {
  it("creates a read-only key limited to the account's organization, and refuses one for another", async () => {
    const { organizationId, accountId, login } = await organizationWithOwner();
    const other = await organizationWithOwner();
    const [name, secret] = splitKey(
      await printed("key", "create", "--login", login, "--read-only", "--organization", organizationId),
    );
    await withDatabase(async (db) => {
      expect(await verifyAccessKey(db, name, secret)).toMatchObject({
        accountId,
        readOnly: true,
        organizationIds: [organizationId],
      });
    });
    const refused = await cli("key", "create", "--login", login, "--organization", other.organizationId);
    expect(refused.code).toBe(1);
    expect(refused.err.join("\n")).toContain(`not a member of ${other.organizationId}`);
  });

  it("creates an organization, member, event, activity and a key that the REST API accepts", async () => {
    const { organizationId, accountId, login } = await organizationWithOwner();
    expect(organizationId).toMatch(OBJECT_ID);
    expect(accountId).toMatch(OBJECT_ID);
    const eventId = await printed(
      "event",
      "create",
      "--org",
      organizationId,
      "--name",
      unique("Event"),
      "--starts-on",
      "2025-06-14",
      "--ends-on",
      "2025-06-15",
    );
    const activityId = await printed(
      "activity",
      "create",
      "--event",
      eventId,
      "--name",
      unique("10 km"),
      "--starts-at",
      "2025-06-14T09:00:00+02:00",
      "--currency",
      "EUR",
    );
    expect(eventId).toMatch(OBJECT_ID);
    expect(activityId).toMatch(OBJECT_ID);
    const key = await printed("key", "create", "--login", login, "--description", "CLI test");
    const [name, secret] = splitKey(key);

    await withDatabase(async (db) => {
      expect(await verifyAccessKey(db, name, secret)).toEqual({
        id: expect.stringMatching(OBJECT_ID),
        accountId,
        readOnly: false,
        organizationIds: null,
      });
      const [membership] = await db.query(
        `SELECT role FROM membership WHERE organization_id = $1 AND account_id = $2`,
        [organizationId, accountId],
      );
      expect(membership.role).toBe("Owner");
      const [event] = await db.query(
        `SELECT organizer_id, starts_on::text AS starts_on, ends_on::text AS ends_on FROM event WHERE id = $1`,
        [eventId],
      );
      expect(event).toEqual({ organizer_id: organizationId, starts_on: "2025-06-14", ends_on: "2025-06-15" });
      const [activity] = await db.query(`SELECT event_id, starts_at, currency FROM activity WHERE id = $1`, [
        activityId,
      ]);
      expect(activity).toMatchObject({ event_id: eventId, currency: "EUR" });
      expect(new Date(activity.starts_at).toISOString()).toBe("2025-06-14T07:00:00.000Z");
    });

    // The embedded database cannot be shared with a server in this process while the CLI uses it; PostgreSQL can.
    if (databaseUrl) {
      const server = await startServer();
      try {
        expect((await getRegistrations(server.url, activityId, basic(key))).status).toBe(200);
      } finally {
        await server.close();
      }
    }
  });

  it("associates a timing company so that its members reach the organizer, not the reverse", async () => {
    const organizer = await organizationWithOwner("Organizer");
    const timing = await organizationWithOwner("TimingCompany");
    const associationId = await printed(
      "associate",
      "--organizer",
      organizer.organizationId,
      "--associate",
      timing.organizationId,
    );
    expect(associationId).toMatch(OBJECT_ID);
    await withDatabase(async (db) => {
      expect(await reachableOrganizerIds(db, timing.accountId)).toEqual(
        new Set([timing.organizationId, organizer.organizationId]),
      );
      expect(await reachableOrganizerIds(db, organizer.accountId)).toEqual(new Set([organizer.organizationId]));
    });
  });

  it("prints a created key alone on stdout as name:secret, generated or given", async () => {
    const { login } = await organizationWithOwner();
    const generated = await cli("key", "create", "--login", login);
    expect(generated.code).toBe(0);
    expect(generated.out).toHaveLength(1);
    expect(generated.out[0]).toMatch(KEY_LINE);

    const name = unique("ops.key").slice(0, 64);
    const given = await printed(
      "key",
      "create",
      "--login",
      login,
      "--name",
      name,
      "--secret",
      "a-secret-of-twenty-chars",
      "--description",
      "given",
    );
    expect(given).toBe(`${name}:a-secret-of-twenty-chars`);
    expect(given).toMatch(KEY_LINE);
  });

  it("refuses a key for a login without an account", async () => {
    const login = `${unique("nobody")}@example.test`;
    const run = await cli("key", "create", "--login", login);
    expect(run.code).toBe(1);
    expect(run.out).toEqual([]);
    expect(run.err.join("\n")).toContain(`no account with login ${login}`);
  });

  it("revokes a key: verification refuses it afterwards", async () => {
    const { login } = await organizationWithOwner();
    const [name, secret] = splitKey(await printed("key", "create", "--login", login));
    await withDatabase(async (db) => expect(await verifyAccessKey(db, name, secret)).not.toBeNull());
    const run = await cli("key", "revoke", name);
    expect(run.code, run.err.join("\n")).toBe(0);
    expect(run.out).toEqual([]);
    await withDatabase(async (db) => expect(await verifyAccessKey(db, name, secret)).toBeNull());
  });

  it("loads the demo data as one line of JSON, twice without duplicating registrations", async () => {
    const countRegistrations = () =>
      withDatabase(async (db) => {
        const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM registration WHERE activity_id = $1`, [
          SEED_ACTIVITY_ID,
        ]);
        return count as number;
      });
    const keys = {
      organizer: expect.stringMatching(KEY_LINE),
      timing: expect.stringMatching(KEY_LINE),
      outsider: expect.stringMatching(KEY_LINE),
    };

    const first = JSON.parse(await printed("demo", "--json"));
    expect(first).toEqual({ activityId: SEED_ACTIVITY_ID, keys });
    const afterFirst = await countRegistrations();
    expect(afterFirst).toBeGreaterThanOrEqual(21);

    const second = JSON.parse(await printed("demo", "--json"));
    expect(second).toEqual({ activityId: SEED_ACTIVITY_ID, keys });
    expect(second.keys.organizer).not.toBe(first.keys.organizer);
    expect(await countRegistrations()).toBe(afterFirst);

    await withDatabase(async (db) => {
      for (const key of Object.values(second.keys as Record<string, string>)) {
        expect(await verifyAccessKey(db, ...splitKey(key))).not.toBeNull();
      }
    });
  });

  it("summarizes the demo data for a person: keys and the seed's curl line", async () => {
    const run = await cli("demo");
    expect(run.code, run.err.join("\n")).toBe(0);
    const text = run.out.join("\n");
    expect(text).toContain(SEED_ACTIVITY_ID);
    expect(text).toMatch(/organizer\s+demo-organizer-\S+:\S+/);
    expect(text).toContain(
      `curl http://localhost:${loadConfig(env).port}/api/events/activities/${SEED_ACTIVITY_ID}/registrations.json`,
    );
  });

  it("fails with exit code 1 and a message on stderr for an unknown organization", async () => {
    const run = await cli("member", "add", "--org", "000000000000000000000000", "--login", `${unique("a")}@b.cz`);
    expect(run.code).toBe(1);
    expect(run.out).toEqual([]);
    expect(run.err.join("\n")).toMatch(/Organization 000000000000000000000000 was not found/);
  });

  it("checks its input as the API does: a 300-character name, an event ending before it starts", async () => {
    const long = await cli("org", "create", "--name", "x".repeat(300));
    expect(long.code).toBe(1);
    expect(long.out).toEqual([]);
    expect(long.err.join("\n")).toBe("error: name must have 1 to 200 characters");

    const organizationId = await printed("org", "create", "--name", unique("Organizer"));
    const backwards = await cli(
      "event",
      "create",
      "--org",
      organizationId,
      "--name",
      "Běh",
      "--starts-on",
      "2025-06-15",
      "--ends-on",
      "2025-06-14",
    );
    expect(backwards.code).toBe(1);
    expect(backwards.out).toEqual([]);
    expect(backwards.err.join("\n")).toBe("error: endsOn must not be before startsOn");
  });

  it("fails with exit code 1 for an unknown command, a missing option or a malformed date", async () => {
    const unknown = await cli("frobnicate");
    expect(unknown.code).toBe(1);
    expect(unknown.err.join("\n")).toContain("unknown command 'frobnicate'");

    const missing = await cli("org", "create");
    expect(missing.code).toBe(1);
    expect(missing.err.join("\n")).toContain("--name");

    const malformed = await cli(
      "event",
      "create",
      "--org",
      "000000000000000000000000",
      "--name",
      "X",
      "--starts-on",
      "14.6.2025",
    );
    expect(malformed.code).toBe(1);
    expect(malformed.err.join("\n")).toContain("--starts-on");
    expect(malformed.out).toEqual([]);
  });
});
