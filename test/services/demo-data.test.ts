// The demo data: the seed's ids, people in every state, and keys that reach what their role should.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import {
  loadDemoData,
  SEED_ACTIVITY_ID,
  SEED_PERSON_ID,
  SEED_REGISTRATION_ID,
  type DemoData,
} from "../../src/services/demo-data";
import { basic } from "../support/fixtures";
import { getRegistrations } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
let demo: DemoData;
beforeAll(async () => {
  server = await startServer();
  demo = await loadDemoData(server.db);
});
afterAll(() => server.close());

describe("demo data", () => {
  it("holds the seed's registration and person, Confirmed, 850 CZK, without a start number at first", async () => {
    const fresh = await startServer();
    try {
      const { keys } = await loadDemoData(fresh.db);
      const reply = await getRegistrations(fresh.url, SEED_ACTIVITY_ID, basic(keys.organizer));
      const seed = reply.json.find((r: any) => r.id === SEED_REGISTRATION_ID);
      expect(seed).toMatchObject({
        code: "RGZ196",
        state: "Confirmed",
        amount: { value: 85000, currency: "CZK" },
        created: "2022-12-06T09:12:03.701Z",
      });
      expect(seed.person).toMatchObject({
        id: SEED_PERSON_ID,
        name: "Martin Dufek",
        ref: "martin.dufek",
        birthDate: "1975-11-27T00:00:00Z",
      });
    } finally {
      await fresh.close();
    }
  }, 120_000);

  it("has at least 20 more registrations with Czech names in all three states", async () => {
    const reply = await getRegistrations(server.url, SEED_ACTIVITY_ID, basic(demo.keys.organizer));
    const others = reply.json.filter((r: any) => r.id !== SEED_REGISTRATION_ID);
    expect(others.length).toBeGreaterThanOrEqual(20);
    expect(new Set(others.map((r: any) => r.state))).toEqual(new Set(["New", "Confirmed", "Cancelled"]));
    expect(others.some((r: any) => /[ěščřžýáíéůú]/i.test(r.person.surname))).toBe(true);
  });

  it("gives keys that reach what their role should: organizer and timing company yes, outsider only its own", async () => {
    expect((await getRegistrations(server.url, SEED_ACTIVITY_ID, basic(demo.keys.organizer))).status).toBe(200);
    expect((await getRegistrations(server.url, SEED_ACTIVITY_ID, basic(demo.keys.timing))).status).toBe(200);
    expect((await getRegistrations(server.url, SEED_ACTIVITY_ID, basic(demo.keys.outsider))).status).toBe(404);
    expect((await getRegistrations(server.url, demo.outsiderActivityId, basic(demo.keys.outsider))).status).toBe(200);
    expect((await getRegistrations(server.url, demo.outsiderActivityId, basic(demo.keys.timing))).status).toBe(404);
  });

  it("loads idempotently: a second load adds no registrations and its keys work too", async () => {
    const before = await getRegistrations(server.url, SEED_ACTIVITY_ID, basic(demo.keys.organizer));
    const again = await loadDemoData(server.db);
    const after = await getRegistrations(server.url, SEED_ACTIVITY_ID, basic(again.keys.organizer));
    expect(after.json.length).toBe(before.json.length);
    expect((await getRegistrations(server.url, SEED_ACTIVITY_ID, basic(demo.keys.organizer))).status).toBe(200);
  });
});

describe("DEMO", () => {
  // Starting the built server with and without it: test/stress/demo-on-start.test.ts.
  it("is off unless asked, so that a container never loads demo data and prints a live key by itself", () => {
    expect(loadConfig({}).demo).toBe(false);
    expect(loadConfig({ DEMO: "1" }).demo).toBe(true);
    expect(loadConfig({ DEMO: "0" }).demo).toBe(false);
    expect(() => loadConfig({ DEMO: "please" })).toThrow(/DEMO must be true or false/);
  });
});
