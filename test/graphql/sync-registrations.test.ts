// syncRegistrations over GraphQL: the same service as REST, its results and userErrors in the payload.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeRegistration, organizationWithMember, scenario } from "../support/fixtures";
import { getRegistrations, graphql } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const SYNC = `
  mutation Sync($activityId: ID!, $items: [SyncRegistrationInput!]!, $mode: SyncMode, $dryRun: Boolean) {
    syncRegistrations(activityId: $activityId, items: $items, mode: $mode, dryRun: $dryRun) {
      applied dryRun
      results { index syncResultType registration { id code state startNumber source externalId amount { value currency } person { id name birthDate } } errors { code path message registrationId } }
      userErrors { code path message registrationId }
    }
  }`;

const ACTIVITY = `
  query Activity($id: ID!, $states: [RegistrationState!]) {
    activity(id: $id) { id name registrations(states: $states) { nodes { id startNumber state person { name } } } }
  }`;

describe("syncRegistrations", () => {
  it("updates and inserts like the REST PUT, and the change is visible through activity.registrations", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reg = await nativeRegistration(server.db, activityId);
    const reply = await graphql(server.url, organizer.auth, SYNC, {
      activityId,
      items: [
        { id: reg.id, startNumber: "0001", state: "Cancelled" },
        {
          externalId: "G-1",
          startNumber: "0002",
          state: "New",
          person: { givenName: "Vít", surname: "Kratochvíl", sex: "Male", birthDate: "1970-01-31" },
        },
      ],
    });
    expect(reply.json.errors).toBeUndefined();
    const payload = reply.json.data.syncRegistrations;
    expect(payload).toMatchObject({ applied: true, dryRun: false, userErrors: [] });
    expect(
      payload.results.map((r: any) => [r.index, r.syncResultType, r.registration.startNumber, r.registration.state]),
    ).toEqual([
      [0, "Updated", "0001", "Confirmed"],
      [1, "Created", "0002", "New"],
    ]);
    expect(payload.results[1].registration).toMatchObject({
      source: "External",
      externalId: "G-1",
      amount: { value: 0, currency: "CZK" },
      person: { name: "Vít Kratochvíl", birthDate: "1970-01-31" },
    });
    const read = await graphql(server.url, organizer.auth, ACTIVITY, { id: activityId });
    expect(read.json.data.activity.registrations.nodes.map((r: any) => r.startNumber)).toEqual(["0001", "0002"]);
    const rest = await getRegistrations(server.url, activityId, organizer.auth);
    expect(rest.json.map((r: any) => r.startNumber)).toEqual(["0001", "0002"]);
  });

  it("rejects a batch with a clash as userErrors with a path, and writes nothing", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const holder = await nativeRegistration(server.db, activityId, { startNumber: "5" });
    const reg = await nativeRegistration(server.db, activityId);
    const reply = await graphql(server.url, organizer.auth, SYNC, {
      activityId,
      items: [{ id: reg.id, startNumber: "5" }],
    });
    expect(reply.json.data.syncRegistrations).toEqual({
      applied: false,
      dryRun: false,
      results: [],
      userErrors: [
        {
          code: "StartNumberTaken",
          path: ["items", "0", "startNumber"],
          message: expect.stringContaining(holder.code),
          registrationId: holder.id,
        },
      ],
    });
    const read = await graphql(server.url, organizer.auth, ACTIVITY, { id: activityId });
    expect(read.json.data.activity.registrations.nodes.map((r: any) => r.startNumber)).toEqual(["5", null]);
  });

  it("applies valid items in Partial mode and writes nothing in a dry run", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reg = await nativeRegistration(server.db, activityId);
    const partial = await graphql(server.url, organizer.auth, SYNC, {
      activityId,
      mode: "Partial",
      items: [{ id: reg.id, startNumber: "8" }, { person: { givenName: "Jen" } }],
    });
    const results = partial.json.data.syncRegistrations.results;
    expect(results.map((r: any) => r.syncResultType)).toEqual(["Updated", "Skipped"]);
    expect(results[1].errors.map((e: any) => e.path.join("."))).toEqual([
      "items.1.person.surname",
      "items.1.person.sex",
      "items.1.person.birthDate",
    ]);
    const dry = await graphql(server.url, organizer.auth, SYNC, {
      activityId,
      dryRun: true,
      items: [{ id: reg.id, startNumber: "9" }],
    });
    expect(dry.json.data.syncRegistrations).toMatchObject({
      applied: false,
      dryRun: true,
      results: [{ syncResultType: "Updated", registration: { startNumber: "9" } }],
    });
    const read = await graphql(server.url, organizer.auth, ACTIVITY, { id: activityId });
    expect(read.json.data.activity.registrations.nodes[0].startNumber).toBe("8");
  });

  it("filters activity.registrations by state", async () => {
    const { organizer, activityId } = await scenario(server.db);
    await nativeRegistration(server.db, activityId, { state: "New" });
    await nativeRegistration(server.db, activityId, { state: "Cancelled" });
    const read = await graphql(server.url, organizer.auth, ACTIVITY, { id: activityId, states: ["Cancelled"] });
    expect(read.json.data.activity.registrations.nodes.map((r: any) => r.state)).toEqual(["Cancelled"]);
  });
});

describe("authentication and reach over GraphQL", () => {
  it("answers UNAUTHENTICATED without a key and with a wrong one", async () => {
    const { activityId } = await scenario(server.db);
    for (const auth of [null, "Basic " + Buffer.from("nobody:nothing-nothing").toString("base64")]) {
      const reply = await graphql(server.url, auth, ACTIVITY, { id: activityId });
      expect(reply.json.errors[0].extensions.code).toBe("UNAUTHENTICATED");
      expect(reply.json.data).toBeNull();
    }
  });

  it("answers NOT_FOUND for another organizer's activity, as for a missing one, and writes nothing", async () => {
    const { organizer, activityId } = await scenario(server.db);
    const reg = await nativeRegistration(server.db, activityId);
    const outsider = await organizationWithMember(server.db);
    const read = await graphql(server.url, outsider.auth, ACTIVITY, { id: activityId });
    const missing = await graphql(server.url, outsider.auth, ACTIVITY, { id: "000000000000000000000000" });
    expect(read.json.errors[0].extensions.code).toBe("NOT_FOUND");
    expect(missing.json.errors[0].extensions.code).toBe("NOT_FOUND");
    const write = await graphql(server.url, outsider.auth, SYNC, {
      activityId,
      items: [{ id: reg.id, startNumber: "1" }],
    });
    expect(write.json.errors[0].extensions.code).toBe("NOT_FOUND");
    expect((await getRegistrations(server.url, activityId, organizer.auth)).json[0].startNumber).toBeNull();
  });

  it("refuses a GET mutation and a simple cross-site POST (CSRF prevention)", async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(response.status).toBe(400);
  });
});
