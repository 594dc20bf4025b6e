// The public start list (SPEC §7): no key, Confirmed only, numeric order, nothing private.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeRegistration, scenario } from "../support/fixtures";
import { call } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const startList = (activityId: string) => call(`${server.url}/api/events/activities/${activityId}/startlist.json`);

describe("start list", () => {
  it("lists only Confirmed registrations, in numeric order of start numbers, without a key", async () => {
    const { activityId } = await scenario(server.db);
    await nativeRegistration(server.db, activityId, { startNumber: "10", surname: "Desátá" });
    await nativeRegistration(server.db, activityId, { startNumber: "2", surname: "Druhá" });
    await nativeRegistration(server.db, activityId, { startNumber: "3", surname: "Nová", state: "New" });
    await nativeRegistration(server.db, activityId, { startNumber: "4", surname: "Zrušená", state: "Cancelled" });
    await nativeRegistration(server.db, activityId, { surname: "Bezčíslá" });
    const reply = await startList(activityId);
    expect(reply.status).toBe(200);
    expect(reply.json.entries.map((e: any) => [e.startNumber, e.name])).toEqual([
      ["2", "Jana Druhá"],
      ["10", "Jana Desátá"],
      [null, "Jana Bezčíslá"],
    ]);
  });

  it("never shows logins or full birth dates, and only name and number of a private profile", async () => {
    const { activityId } = await scenario(server.db);
    const open = await nativeRegistration(server.db, activityId, {
      startNumber: "1",
      birthDate: "1981-04-05",
      isProfilePublic: true,
    });
    const closed = await nativeRegistration(server.db, activityId, {
      startNumber: "2",
      birthDate: "1982-06-07",
      isProfilePublic: false,
    });
    const reply = await startList(activityId);
    expect(reply.text).not.toMatch(/1981-04-05|1982-06-07|@example\.test|login/);
    expect(reply.json.entries[0]).toEqual({
      id: expect.any(String),
      startNumber: "1",
      name: expect.any(String),
      yearOfBirth: 1981,
      country: "CZ",
    });
    expect(Object.keys(reply.json.entries[1]).sort()).toEqual(["id", "name", "startNumber"]);
    // The entries' ids (for clients' caches) are not the registrations' ids, which begin with their creation time.
    expect(reply.text).not.toContain(open.id);
    expect(reply.text).not.toContain(closed.id);
    expect(new Set(reply.json.entries.map((e: any) => e.id)).size).toBe(2);
    expect((await startList(activityId)).json.entries.map((e: any) => e.id)).toEqual(
      reply.json.entries.map((e: any) => e.id),
    );
  });

  it("answers 404 for an activity that does not exist", async () => {
    expect((await startList("000000000000000000000000")).status).toBe(404);
    expect((await startList("not-an-id")).status).toBe(404);
  });
});
