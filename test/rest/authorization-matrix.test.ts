// OWASP API1 (broken object-level authorization): every REST route × every kind of caller × the
// organizer's activity and an id that does not exist, against what SPEC §2 and §5 allow. A refused
// write must leave the activity's registrations and audit trail exactly as they were.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newObjectId } from "../../src/db/object-id";
import { createAccessKey, revokeKey } from "../../src/services/access-keys";
import { createAssociation } from "../../src/services/associations";
import { OPERATOR } from "../../src/services/caller";
import {
  basic,
  nativeRegistration,
  organizationWithMember,
  scenario,
  timingCompanyOf,
  type NativeRegistration,
} from "../support/fixtures";
import { call, type Reply } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

type Caller =
  "organizer" | "timingCompany" | "organizerOfTheOrganizer" | "outsider" | "revokedKey" | "wrongSecret" | "noKey";
type Target = "activity" | "missing";

interface Route {
  name: string;
  method: "GET" | "PUT";
  /** What the route answers a caller with a valid key that reaches the activity. */
  access: "key" | "public";
  /** Routes without an activity in their path are tried once per caller. */
  path: (activityId: string) => string;
  hasActivity: boolean;
  accept?: string;
  /** PUT bodies: an update of the existing registration and an insert. */
  body?: (startNumber: string) => { contentType: string; text: string };
}

const runner = { givenName: "Matylda", surname: "Maticová", sex: "Female", birthDate: "1991-03-04" };

const ROUTES: Route[] = [
  {
    name: "GET registrations.json",
    method: "GET",
    access: "key",
    hasActivity: true,
    path: (id) => `/api/events/activities/${id}/registrations.json`,
  },
  {
    name: "GET registrations.csv",
    method: "GET",
    access: "key",
    hasActivity: true,
    path: (id) => `/api/events/activities/${id}/registrations.csv`,
  },
  {
    name: "PUT registrations.json",
    method: "PUT",
    access: "key",
    hasActivity: true,
    path: (id) => `/api/events/activities/${id}/registrations.json`,
    body: (n) => ({
      contentType: "application/json",
      text: JSON.stringify([{ id: registration.id, startNumber: n }, { person: runner }]),
    }),
  },
  {
    name: "PUT registrations.csv",
    method: "PUT",
    access: "key",
    hasActivity: true,
    path: (id) => `/api/events/activities/${id}/registrations.csv`,
    body: (n) => ({
      contentType: "text/csv",
      text:
        `registration.id,registration.startNumber,person.givenName,person.surname,person.sex,person.birthDate\n` +
        `${registration.id},${n},,,,\n,,${runner.givenName},${runner.surname},${runner.sex},${runner.birthDate}\n`,
    }),
  },
  {
    name: "GET startlist.json",
    method: "GET",
    access: "public",
    hasActivity: true,
    path: (id) => `/api/events/activities/${id}/startlist.json`,
  },
  {
    name: "GET /graphql (GraphiQL page)",
    method: "GET",
    access: "public",
    hasActivity: false,
    accept: "text/html",
    path: () => `/graphql`,
  },
  {
    name: "GET /graphql/assets/graphiql.min.js",
    method: "GET",
    access: "public",
    hasActivity: false,
    path: () => `/graphql/assets/graphiql.min.js`,
  },
];

const CALLERS: Caller[] = [
  "organizer",
  "timingCompany",
  "organizerOfTheOrganizer",
  "outsider",
  "revokedKey",
  "wrongSecret",
  "noKey",
];

/** SPEC §2/§5: members of the organizer and of its associates reach it; nobody else, and no bad key gets past 401. */
function expectedStatus(route: Route, caller: Caller, target: Target): number {
  if (route.access === "public") return route.hasActivity && target === "missing" ? 404 : 200;
  if (caller === "revokedKey" || caller === "wrongSecret" || caller === "noKey") return 401;
  if (target === "missing") return 404;
  return caller === "organizer" || caller === "timingCompany" ? 200 : 404;
}

let server: TestServer;
let activityId: string;
let registration: NativeRegistration;
const auth: Record<Caller, string | null> = {} as Record<Caller, string | null>;

beforeAll(async () => {
  // The wrong-secret and revoked-key cells are failed authentications; here they must not reach the rate limits.
  server = await startServer({ AUTH_FAILURES_PER_KEY_NAME: "0", AUTH_FAILURES_PER_ADDRESS: "0" });
  const s = await scenario(server.db);
  activityId = s.activityId;
  registration = await nativeRegistration(server.db, activityId, { startNumber: "1", surname: "Chráněná" });
  const timing = await timingCompanyOf(server.db, s.organizer.organizationId);
  // An organizer that associated our organizer (it is that organizer's timing company): the association lets our organizer into its activities, not the reverse.
  const upstream = await organizationWithMember(server.db);
  await createAssociation(OPERATOR, server.db, {
    organizerId: upstream.organizationId,
    associateId: s.organizer.organizationId,
  });
  const outsider = await organizationWithMember(server.db);
  const revoked = await createAccessKey(server.db, s.organizer.accountId, { description: "revoked" });
  await revokeKey(OPERATOR, server.db, { name: revoked.name });
  Object.assign(auth, {
    organizer: s.organizer.auth,
    timingCompany: timing.auth,
    organizerOfTheOrganizer: upstream.auth,
    outsider: outsider.auth,
    revokedKey: basic(`${revoked.name}:${revoked.secret}`),
    wrongSecret: basic(`${s.organizer.key.split(":")[0]}:not-the-secret-not-the-secret`),
    noKey: null,
  });
});
afterAll(() => server.close());

/** What the activity holds: its registrations as stored and the number of audit entries about them. */
async function activityState() {
  const rows = await server.db.query(
    `SELECT id, person_id, state, start_number, modified_at FROM registration WHERE activity_id = $1 ORDER BY id`,
    [activityId],
  );
  const [{ n }] = await server.db.query(
    `SELECT count(*)::int AS n FROM audit_entry a JOIN registration r ON r.id = a.registration_id WHERE r.activity_id = $1`,
    [activityId],
  );
  return { rows: JSON.stringify(rows), registrations: rows.length as number, audits: n as number };
}

describe("REST authorization matrix", () => {
  it("answers every route to every caller exactly as SPEC §2 and §5 allow, and writes nothing it refuses", async () => {
    const missingId = newObjectId();
    const notFoundBodies = new Map<string, Set<string>>();
    let startNumber = 100;
    let cells = 0;
    const failures: string[] = [];
    for (const route of ROUTES) {
      for (const caller of CALLERS) {
        for (const target of (route.hasActivity ? ["activity", "missing"] : ["activity"]) as Target[]) {
          const id = target === "activity" ? activityId : missingId;
          const cell = `${route.name} as ${caller} on ${target === "activity" ? "the organizer's activity" : "a missing id"}`;
          const headers: Record<string, string> = { Accept: route.accept ?? "*/*" };
          if (auth[caller]) headers.Authorization = auth[caller]!;
          const number = String(startNumber++);
          const body = route.body?.(number);
          if (body) headers["Content-Type"] = body.contentType;
          const before = await activityState();
          const reply: Reply = await call(`${server.url}${route.path(id)}`, {
            method: route.method,
            headers,
            body: body?.text,
          });
          const after = await activityState();
          cells++;

          const expected = expectedStatus(route, caller, target);
          if (reply.status !== expected) {
            failures.push(`${cell}: ${reply.status}, expected ${expected}: ${reply.text.slice(0, 200)}`);
            continue;
          }
          if (expected === 401) {
            expect(reply.headers.get("www-authenticate"), cell).toMatch(/^Basic /);
            expect(reply.headers.get("content-type"), cell).toMatch(/^application\/problem\+json/);
          }
          if (expected === 404) {
            expect(reply.headers.get("content-type"), cell).toMatch(/^application\/problem\+json/);
            const bodies = notFoundBodies.get(route.name) ?? new Set<string>();
            // Each answer carries its own request id; everything else must be the same.
            bodies.add(reply.text.replaceAll(id, "ID").replace(/"requestId": "[^"]*"/, '"requestId": "…"'));
            notFoundBodies.set(route.name, bodies);
          }
          if (route.access === "key" && expected !== 200) {
            expect(reply.text, `${cell} shows the registration`).not.toContain(registration.id);
            expect(reply.text, `${cell} shows the person`).not.toContain("Chráněná");
          }
          if (route.access === "key" && expected === 200 && route.method === "GET") {
            expect(reply.text, cell).toContain(registration.id);
          }
          if (route.method === "PUT" && expected === 200) {
            // The update and the insert were both written, and audited.
            expect(after.rows, cell).toContain(`"start_number":"${number}"`);
            expect(after.registrations, cell).toBe(before.registrations + 1);
            expect(after.audits, cell).toBe(before.audits + 2);
          } else {
            expect(after, `${cell} wrote`).toEqual(before);
          }
        }
      }
    }
    console.log(
      `REST authorization matrix: ${cells} cells checked (${ROUTES.length} routes × ${CALLERS.length} callers × activity and missing id)`,
    );
    expect(failures).toEqual([]);
    // A refusal never tells "not yours" from "does not exist": one body per route, whoever asks and whichever id.
    for (const [name, bodies] of notFoundBodies) expect([...bodies], name).toHaveLength(1);
    expect(cells).toBe(ROUTES.reduce((n, r) => n + CALLERS.length * (r.hasActivity ? 2 : 1), 0));
  });
});
