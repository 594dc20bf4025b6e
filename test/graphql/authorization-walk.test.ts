// Authorization on every path: every object field reachable from Query is tried, as a member, a
// member of an associated timing company, the organizer looking at its associate, an outsider and
// without a key. A nested field never reveals what the root query could not.
import { getNamedType, isLeafType, isNonNullType, isObjectType, type GraphQLObjectType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newObjectId } from "../../src/db/object-id";
import { buildRegsyncSchema } from "../../src/schema/build-schema";
import {
  activityOf,
  nativeRegistration,
  organizationWithMember,
  scenario,
  timingCompanyOf,
  type Member,
} from "../support/fixtures";
import { graphql } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

const MAX_DEPTH = 5;
const schema = buildRegsyncSchema();
const visited = new Set<string>();

/** Every field of the type, nested objects expanded to MAX_DEPTH; fields needing arguments are skipped. */
function selection(type: GraphQLObjectType, depth: number): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) {
      parts.push(field.name);
      visited.add(`${type.name}.${field.name}`);
    } else if (isObjectType(named) && depth < MAX_DEPTH) {
      visited.add(`${type.name}.${field.name}`);
      parts.push(`${field.name} { ${selection(named, depth + 1)} }`);
    }
  }
  return parts.join(" ");
}

function rootQuery(field: string, args: Record<string, string>): string {
  const root = schema.getQueryType()!.getFields()[field];
  visited.add(`Query.${field}`);
  const argText = Object.entries(args)
    .map(([k, v]) => `${k}: "${v}"`)
    .join(", ");
  return `{ ${field}${argText ? `(${argText})` : ""} { ${selection(getNamedType(root.type) as GraphQLObjectType, 1)} } }`;
}

let server: TestServer;
let organizer: Member;
let timing: Member;
let outsider: Member;
let ids: {
  organizerId: string;
  activityId: string;
  registrationId: string;
  personId: string;
  timingActivityId: string;
};
let secrets: {
  organizerLogin: string;
  organizerPerson: string;
  organizerCode: string;
  timingLogin: string;
  timingPerson: string;
};

beforeAll(async () => {
  // The walk selects every field five levels deep, nested lists included: far costlier than the default limit allows.
  server = await startServer({ GRAPHQL_MAX_COMPLEXITY: "1000000000" });
  const s = await scenario(server.db);
  organizer = s.organizer;
  timing = await timingCompanyOf(server.db, organizer.organizationId);
  outsider = await organizationWithMember(server.db);
  const reg = await nativeRegistration(server.db, s.activityId, { surname: "Pořadatelova", startNumber: "1" });
  // A result, so that the walk reaches every field of a result and of the public results' entries.
  await server.db.query(
    `INSERT INTO result (id, activity_id, person_id, registration_id, status, category, position, time_ms, split_times)
     VALUES ($1, $2, $3, $4, 'Finished', 'M40', 1, 600000, '[{"distance": 4, "time": "2022-09-01T15:10:00.000Z"}]')`,
    [newObjectId(), s.activityId, reg.personId, reg.id],
  );
  const timingActivityId = await activityOf(server.db, timing.organizationId);
  await nativeRegistration(server.db, timingActivityId, { surname: "Časoměřičova" });
  const login = async (m: Member) =>
    (await server.db.query(`SELECT login FROM user_account WHERE id = $1`, [m.accountId]))[0].login;
  ids = {
    organizerId: organizer.organizationId,
    activityId: s.activityId,
    registrationId: reg.id,
    personId: reg.personId,
    timingActivityId,
  };
  secrets = {
    organizerLogin: await login(organizer),
    organizerPerson: "Pořadatelova",
    organizerCode: reg.code,
    timingLogin: await login(timing),
    timingPerson: "Časoměřičova",
  };
});
afterAll(() => server.close());

const roots = () => ({
  viewer: {},
  organization: { id: ids.organizerId },
  activity: { id: ids.activityId },
  registrations: { activityId: ids.activityId },
  registration: { id: ids.registrationId },
  person: { id: ids.personId },
  startList: { activityId: ids.activityId },
  publicResults: { activityId: ids.activityId },
});

async function walk(auth: string | null, only?: Record<string, Record<string, string>>) {
  const answers: Record<string, { text: string; codes: string[]; data: unknown }> = {};
  for (const [field, args] of Object.entries(only ?? roots())) {
    const reply = await graphql(server.url, auth, rootQuery(field, args));
    expect(reply.status, reply.text).toBeLessThan(500);
    answers[field] = {
      text: reply.text,
      codes: (reply.json.errors ?? []).map((e: any) => e.extensions?.code),
      data: reply.json.data?.[field] ?? null,
    };
  }
  return answers;
}

const allowedCodes = ["UNAUTHENTICATED", "NOT_FOUND", "FORBIDDEN"];

describe("authorization on every path", () => {
  it("covers every field of every object type reachable from Query", async () => {
    for (const [field, args] of Object.entries(roots())) rootQuery(field, args);
    const expected = new Set<string>();
    const seen = new Set<string>();
    const visit = (type: GraphQLObjectType) => {
      if (seen.has(type.name)) return;
      seen.add(type.name);
      for (const field of Object.values(type.getFields())) {
        expected.add(`${type.name}.${field.name}`);
        const named = getNamedType(field.type);
        if (isObjectType(named)) visit(named);
      }
    };
    visit(schema.getQueryType()!);
    expect([...expected].filter((f) => !visited.has(f))).toEqual([]);
  });

  it("without a key: UNAUTHENTICATED everywhere but the public start list and results", async () => {
    const answers = await walk(null);
    for (const [field, answer] of Object.entries(answers)) {
      if (field === "startList" || field === "publicResults") expect(answer.codes).toEqual([]);
      else {
        expect(answer.codes, field).toEqual(["UNAUTHENTICATED"]);
        expect(answer.data).toBeNull();
      }
    }
  });

  it("as an outsider: NOT_FOUND for the organizer's objects, and none of its data anywhere", async () => {
    const answers = await walk(outsider.auth);
    for (const [field, answer] of Object.entries(answers)) {
      expect(
        answer.codes.every((c) => allowedCodes.includes(c)),
        `${field}: ${answer.codes}`,
      ).toBe(true);
      if (!["viewer", "startList", "publicResults"].includes(field)) expect(answer.codes, field).toEqual(["NOT_FOUND"]);
      for (const secret of [secrets.organizerLogin, secrets.organizerCode, secrets.timingLogin, secrets.timingPerson]) {
        expect(answer.text, `${field} leaks ${secret}`).not.toContain(secret);
      }
    }
    // The start list is public: name and number only.
    expect(answers.startList.text).toContain(secrets.organizerPerson);
    expect(answers.viewer.text).not.toContain(secrets.organizerPerson);
  });

  it("as a member of the associated timing company: registrations yes, the organizer's members never", async () => {
    const answers = await walk(timing.auth);
    for (const [field, answer] of Object.entries(answers)) {
      expect(
        answer.codes.every((c) => allowedCodes.includes(c)),
        `${field}: ${answer.codes}`,
      ).toBe(true);
      expect(answer.text, `${field} leaks the organizer's login`).not.toContain(secrets.organizerLogin);
    }
    // The registration is there; only the organizer's members and associations inside it are refused.
    expect(answers.registration.codes.every((c) => c === "FORBIDDEN")).toBe(true);
    expect(answers.registration.text).toContain(secrets.organizerCode);
    expect(answers.organization.codes).toContain("FORBIDDEN");
    expect(answers.organization.data).toMatchObject({ id: ids.organizerId, members: null, associations: null });
  });

  it("as the organizer looking at its associate: the timing company's name, never its activities or members", async () => {
    const answers = await walk(organizer.auth, {
      viewer: {},
      organization: { id: timing.organizationId },
      activity: { id: ids.timingActivityId },
      registrations: { activityId: ids.timingActivityId },
    });
    for (const [field, answer] of Object.entries(answers)) {
      expect(
        answer.codes.every((c) => allowedCodes.includes(c)),
        `${field}: ${answer.codes}`,
      ).toBe(true);
      for (const secret of [secrets.timingLogin, secrets.timingPerson])
        expect(answer.text, `${field} leaks ${secret}`).not.toContain(secret);
    }
    expect(answers.activity.codes).toEqual(["NOT_FOUND"]);
    expect(answers.registrations.codes).toEqual(["NOT_FOUND"]);
    expect(answers.organization.codes).toContain("FORBIDDEN");
  });

  it("as a member of the organizer: everything of its own is there", async () => {
    const answers = await walk(organizer.auth);
    for (const [field, answer] of Object.entries(answers)) {
      expect(
        answer.codes.every((c) => allowedCodes.includes(c)),
        `${field}: ${answer.codes}`,
      ).toBe(true);
      // Only the associate's own members and events, reached through associations, are refused.
      expect(
        answer.codes.every((c) => c === "FORBIDDEN"),
        field,
      ).toBe(true);
      expect(answer.data, field).not.toBeNull();
    }
    expect(answers.organization.text).toContain(secrets.organizerLogin);
    expect(answers.registrations.text).toContain(secrets.organizerCode);
    expect(answers.person.text).toContain(secrets.organizerPerson);
  });
});
