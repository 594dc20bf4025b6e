// Bad input never hurts (issue 5): ten thousand generated JSON and CSV bodies, mostly plausible and
// partly broken, each answered with 200 or a clear 4xx problem document, and a refused one changes nothing.
// Reproduce a failure with FUZZ_SEED=<the seed fast-check prints>; FUZZ_RUNS sets the number of rounds.
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activityOf, nativeRegistration, scenario, type Member } from "../support/fixtures";
import { call, putJson, registrationsUrl, type Reply } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";
import { POOL, type LaneTokens } from "./fuzz-items";
import { anyBody, excerpt, materialize, type BodySpec } from "./fuzz-support";

/** Lanes are independent organizers; one body per lane at a time gives the modest concurrency. */
const LANES = 4;
const ROUNDS = Number(process.env.FUZZ_RUNS ?? 2_500);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

interface Lane {
  organizer: Member;
  /** The activity bodies go to, and the organizer's other one, whose persons may be attached. */
  activityId: string;
  siblingId: string;
  tokens: LaneTokens;
  /** What the lane's data looked like after its last request; only this lane's requests change it. */
  fingerprint: Fingerprint | null;
}

let server: TestServer;
let lanes: Lane[];
let foreign: { activityId: string; regs: string[]; persons: string[]; fingerprint: Fingerprint };

interface Fingerprint {
  /** A hash of the registrations and their persons. */
  rows: string;
  audits: number;
}

/** Cheap enough to run around every request: one hash over the organizer's registrations and persons, and its audit entries. */
async function fingerprint(activityIds: string[]): Promise<Fingerprint> {
  const [row] = await server.db.query(
    `SELECT md5(coalesce(string_agg(r::text || p::text, ',' ORDER BY r.id), '')) AS rows,
            (SELECT count(*) FROM audit_entry a JOIN registration x ON x.id = a.registration_id
              WHERE x.activity_id = ANY($1::bpchar[]))::int AS audits
       FROM registration r JOIN person p ON p.id = r.person_id
      WHERE r.activity_id = ANY($1::bpchar[])`,
    [activityIds],
  );
  return { rows: row.rows, audits: row.audits };
}

const person = (i: number) => ({
  givenName: ["Jana", "Petr", "Žofie"][i % 3],
  surname: `Importovaná-${i}`,
  sex: i % 2 ? "Male" : "Female",
  birthDate: `19${70 + i}-0${1 + (i % 9)}-1${i % 10}`,
});

/** External registrations made through the API (their persons are unclaimed, so the client may edit them). */
async function imported(
  member: Member,
  activityId: string,
  count: number,
  firstNumber: number,
): Promise<{ id: string; personId: string }[]> {
  const items = Array.from({ length: count }, (_, i) => ({
    externalId: `ext-${i}`,
    startNumber: String(firstNumber + i),
    person: person(i),
  }));
  const reply = await putJson(server.url, activityId, member.auth, items);
  expect(reply.status).toBe(200);
  return reply.json.map((r: any) => ({ id: r.id, personId: r.person.id }));
}

/** 12 platform registrations (numbers 1–10, one Cancelled holding 3, one New without a number) and 12 imported ones (101–112). */
async function makeLane(): Promise<Lane> {
  const { organizer, activityId } = await scenario(server.db);
  const siblingId = await activityOf(server.db, organizer.organizationId);
  const natives = [];
  for (let i = 1; i <= 10; i++)
    natives.push(await nativeRegistration(server.db, activityId, { startNumber: String(i) }));
  natives.push(await nativeRegistration(server.db, activityId, { startNumber: "3", state: "Cancelled" }));
  natives.push(await nativeRegistration(server.db, activityId, { state: "New" }));
  const externals = await imported(organizer, activityId, POOL.reg - natives.length, 101);
  const siblings = [
    ...(await Promise.all([1, 2, 3].map((n) => nativeRegistration(server.db, siblingId, { startNumber: String(n) })))),
    ...(await imported(organizer, siblingId, POOL.sib - 3, 50)),
  ];
  const tokens: LaneTokens = {
    reg: [...natives.map((r) => r.id), ...externals.map((r) => r.id)],
    person: [...natives.map((r) => r.personId), ...externals.map((r) => r.personId)],
    sibReg: siblings.map((r) => r.id),
    sibPerson: siblings.map((r) => r.personId),
    foreignReg: foreign.regs,
    foreignPerson: foreign.persons,
  };
  return { organizer, activityId, siblingId, tokens, fingerprint: null };
}

beforeAll(async () => {
  // Four keys send thousands of requests a minute here; no rate limit.
  server = await startServer({ REQUESTS_PER_KEY_PER_MINUTE: "0" });
  const other = await scenario(server.db);
  const otherRegs = [
    await nativeRegistration(server.db, other.activityId, { startNumber: "1" }),
    await nativeRegistration(server.db, other.activityId, { startNumber: "2" }),
    ...(await imported(other.organizer, other.activityId, POOL.foreign - 2, 3)),
  ];
  foreign = {
    activityId: other.activityId,
    regs: otherRegs.map((r) => r.id),
    persons: otherRegs.map((r) => r.personId),
    fingerprint: await fingerprint([other.activityId]),
  };
  lanes = [];
  for (let i = 0; i < LANES; i++) lanes.push(await makeLane());
});
afterAll(() => server?.close());

// ---- one request ----------------------------------------------------------------------------

const counts = new Map<string, number>();
const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

const LEAK =
  /\n\s+at .+[(:]\d+|node_modules|\.(ts|js):\d+|QueryFailedError|SELECT |INSERT INTO|UPDATE .+ SET|violates|syntax error at|duplicate key|relation "/;

class FuzzFailure extends Error {}

function describeCase(spec: BodySpec, url: string, body: Buffer, reply: Reply | null): string {
  const answer = reply
    ? `${reply.status} ${reply.headers.get("content-type")}: ${reply.text.slice(0, 800)}`
    : "no answer";
  return `PUT ${url} (${spec.format}, ${JSON.stringify({ encoding: spec.encoding, compression: spec.compression, contentType: spec.contentType })})\nbody: ${excerpt(body)}\nanswer: ${answer}`;
}

/** The problem document a user gets for a refused body: RFC 9457 fields, a readable detail, no internals. */
function problemIsClear(reply: Reply): string | null {
  if (!/^application\/problem\+json/.test(reply.headers.get("content-type") ?? ""))
    return "a 4xx must be application/problem+json";
  const doc = reply.json;
  if (!doc || typeof doc !== "object") return "the problem document is not JSON";
  if (typeof doc.type !== "string" || !doc.type || typeof doc.title !== "string" || !doc.title)
    return "the problem needs type and title";
  if (doc.status !== reply.status) return `the problem's status ${doc.status} differs from the answer's`;
  if (typeof doc.detail !== "string" || doc.detail.trim().length < 5 || doc.detail.length > 2_000)
    return "the problem needs a readable detail";
  if (/undefined|\[object \w+\]|NaN/.test(doc.detail)) return "the detail is not readable";
  if (
    reply.status === 422 &&
    !(
      Array.isArray(doc.errors) &&
      doc.errors.length &&
      doc.errors.every((e: any) => typeof e.message === "string" && typeof e.code === "string")
    )
  ) {
    return "a 422 must list its failing rows";
  }
  if (LEAK.test(reply.text)) return "the answer shows a stack trace or SQL";
  return null;
}

// Cells a spreadsheet would run, after any quotes, are answered with one more leading quote (SPEC §5).
const safeCell = (value: string | null) => (value && /^'*[=+\-@\t\r]/.test(value) ? `'${value}` : (value ?? ""));

interface StoredRow {
  id: string;
  state: string;
  start_number: string | null;
  external_id: string | null;
  person_id: string;
  given_name: string;
  surname: string;
  birth_date: string;
}

async function storedRows(ids: string[]): Promise<Map<string, StoredRow>> {
  const rows = (await server.db.query(
    `SELECT r.id, r.state, r.start_number, r.external_id, p.id AS person_id, p.given_name, p.surname,
            to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date
       FROM registration r JOIN person p ON p.id = r.person_id WHERE r.id = ANY($1::bpchar[])`,
    [ids],
  )) as StoredRow[];
  return new Map(rows.map((row) => [row.id, row]));
}

/** `;` when it splits the first line into more columns than `,`, as the server decides. */
const delimiterOf = (text: string) => {
  const first = text.slice(0, text.indexOf("\n") + 1 || undefined);
  return first.split(";").length > first.split(",").length ? ";" : ",";
};

/** Data rows of an uploaded CSV, when it can be read here as plain UTF-8. */
function uploadedRows(spec: BodySpec, body: Buffer): number | null {
  if (spec.compression !== "none") return null;
  const text = body.toString("utf8");
  try {
    return (parse(text, { delimiter: delimiterOf(text), bom: true, skip_empty_lines: true }) as string[][]).length - 1;
  } catch {
    return null;
  }
}

/** A 200 that wrote: the answer is complete, and each of its rows is what is stored now. */
async function answerMatchesStore(
  spec: BodySpec,
  body: Buffer,
  reply: Reply,
  lane: Lane,
  partial: boolean,
): Promise<string | null> {
  if (spec.format === "json") {
    if (!Array.isArray(reply.json)) return "a 200 must answer a JSON array";
    if (!partial && reply.json.some((r: any) => r.syncResultType === "Skipped"))
      return "all-or-nothing answered 200 with a skipped row";
    const written = reply.json.filter((r: any) => r.id && r.syncResultType !== "Skipped");
    const stored = await storedRows(written.map((r: any) => r.id));
    for (const r of written) {
      const row = stored.get(r.id);
      if (!row) return `registration ${r.id} is in the answer but not stored`;
      if (r.startNumber !== row.start_number || r.state !== row.state || (r.externalId ?? null) !== row.external_id)
        return `registration ${r.id}: answered ${r.startNumber}/${r.state}, stored ${row.start_number}/${row.state}`;
      if (
        r.person.id !== row.person_id ||
        r.person.givenName !== row.given_name ||
        r.person.surname !== row.surname ||
        r.person.birthDate !== `${row.birth_date}T00:00:00Z`
      ) {
        return `registration ${r.id}: answered person ${JSON.stringify(r.person)}, stored ${JSON.stringify(row)}`;
      }
      if (lane.tokens.foreignPerson.includes(row.person_id))
        return `registration ${r.id} got another organizer's person`;
    }
    return null;
  }
  const [header, ...rows] = parse(reply.text, { delimiter: delimiterOf(reply.text), bom: true }) as string[][];
  const sent = uploadedRows(spec, body);
  if (sent !== null && rows.length !== sent) return `answered ${rows.length} rows for ${sent} uploaded`;
  const column = (name: string) => header.indexOf(name);
  const [id, number, given, result] = [
    "registration.id",
    "registration.startNumber",
    "person.givenName",
    "sync.resultType",
  ].map(column);
  if (!partial && result !== -1) return "all-or-nothing answered partial columns";
  if (id === -1) return null;
  const written = rows.filter((row) => row[id] && (result === -1 || row[result] !== "Skipped"));
  const stored = await storedRows(written.map((row) => row[id]).filter((value) => /^[0-9a-f]{24}$/.test(value)));
  for (const row of written) {
    const found = stored.get(row[id]);
    if (!found) return `registration ${row[id]} is in the answer but not stored`;
    if (number !== -1 && row[number] !== safeCell(found.start_number))
      return `registration ${row[id]}: answered number ${row[number]}, stored ${found.start_number}`;
    if (given !== -1 && row[given] !== safeCell(found.given_name))
      return `registration ${row[id]}: answered ${row[given]}, stored ${found.given_name}`;
  }
  return null;
}

/** The rows of a CSV answer, by column name. */
function csvAnswerRows(reply: Reply): Record<string, string>[] {
  const [header, ...rows] = parse(reply.text, { delimiter: delimiterOf(reply.text), bom: true }) as string[][];
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
}

/** Result types of a 200, when the answer has them (JSON; CSV in partial mode). */
function resultTypes(spec: BodySpec, reply: Reply): string[] | null {
  if (spec.format === "json") return reply.json.map((r: any) => r.syncResultType);
  const rows = csvAnswerRows(reply);
  return rows.length && "sync.resultType" in rows[0] ? rows.map((row) => row["sync.resultType"]) : null;
}

/** What a dry run must predict of the real run: the answer's status, and each row's result, number and error codes. */
function outcomeOutline(spec: BodySpec, reply: Reply): string {
  const errors = (list: any[] | undefined) =>
    (list ?? []).map((e) => `${e.index ?? e.line}/${e.field}/${e.code}`).join(" ");
  if (reply.status === 422) return `422 ${errors(reply.json.errors)}`;
  if (spec.format === "json")
    return `200 ${reply.json.map((r: any) => `${r.syncResultType}:${r.startNumber}:${errors(r.errors)}`).join(" ")}`;
  return `200 ${csvAnswerRows(reply)
    .map((row) => `${row["sync.resultType"]}:${row["registration.startNumber"]}:${row["sync.errors"]}`)
    .join(" ")}`;
}

/** Sends one body and checks its answer and the lane's data; answers 200s and 422s in outline, for comparing runs. */
async function send(lane: Lane, spec: BodySpec): Promise<string | null> {
  const activityId =
    spec.target === "own"
      ? lane.activityId
      : spec.target === "foreign"
        ? foreign.activityId
        : "638f01d0c5eaf533c891fac3";
  const url = registrationsUrl(server.url, activityId, spec.format, spec.query);
  const { body, headers } = materialize(spec, lane.tokens);
  const activities = [lane.activityId, lane.siblingId];
  const before = lane.fingerprint ?? (await fingerprint(activities));
  lane.fingerprint = null; // unknown until this request is checked
  let reply: Reply | null = null;
  const check = (problem: string | null) => {
    if (problem) throw new FuzzFailure(`${problem}\n${describeCase(spec, url, body, reply)}`);
  };
  reply = await call(url, { method: "PUT", headers: { Authorization: lane.organizer.auth, ...headers }, body });
  count(`${spec.format} ${reply.status}`);
  check(reply.status === 200 || (reply.status >= 400 && reply.status < 500) ? null : `answered ${reply.status}`);
  if (reply.status !== 200) check(problemIsClear(reply));
  // The body is read before the activity is looked up, so a broken one gets its 400 anywhere; a readable one gets 404.
  if (spec.target !== "own")
    check(
      reply.status !== 200 && reply.status !== 422
        ? null
        : "another organizer's or an unknown activity must answer 404",
    );

  const after = await fingerprint(activities);
  const dryRun = /dryRun=true/.test(spec.query);
  if (reply.status !== 200 || dryRun) {
    check(
      after.rows === before.rows && after.audits === before.audits
        ? null
        : `a ${dryRun ? "dry run" : "refused body"} changed the stored registrations`,
    );
  } else {
    check(await answerMatchesStore(spec, body, reply, lane, /mode=partial/.test(spec.query)));
    // Every change is in the audit trail, once.
    const changed = resultTypes(spec, reply)?.filter((type) => type === "Created" || type === "Updated").length;
    if (changed !== undefined)
      check(
        after.audits - before.audits === changed
          ? null
          : `${changed} rows changed but ${after.audits - before.audits} audit entries were written`,
      );
  }
  lane.fingerprint = after;
  const outline = reply.status === 200 || reply.status === 422 ? outcomeOutline(spec, reply) : null;
  if (dryRun && outline) {
    // The same body for real: the dry run must have told what it does.
    const real = await send(lane, { ...spec, query: spec.query.replace(/&?dryRun=true/, "").replace(/^&/, "") });
    check(real === outline ? null : `the dry run answered ${outline}\nthe real run ${real}`);
  }
  return outline;
}

describe("fuzzing the registration PUT", () => {
  it(`answers ${ROUNDS * LANES} generated bodies with 200 or a clear 4xx, and a refused body changes nothing`, async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.array(anyBody, { minLength: LANES, maxLength: LANES }), async (bodies) => {
        const sent = await Promise.allSettled(bodies.map((spec, i) => send(lanes[i], spec)));
        const failure = sent.find((s): s is PromiseRejectedResult => s.status === "rejected");
        if (failure) throw failure.reason;
      }),
      { numRuns: ROUNDS, seed: SEED },
    );
    const seconds = Math.round((Date.now() - started) / 1000);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const byFormat = (f: string) => [...counts].filter(([k]) => k.startsWith(f)).reduce((a, [, n]) => a + n, 0);
    const byStatus = new Map<string, number>();
    for (const [key, n] of counts) byStatus.set(key.split(" ")[1], (byStatus.get(key.split(" ")[1]) ?? 0) + n);
    console.log(
      `fuzz: ${total} bodies (json ${byFormat("json")}, csv ${byFormat("csv")}) in ${seconds} s on ${server.config.databaseUrl ? "PostgreSQL" : "the embedded database"}; ` +
        `answers ${[...byStatus]
          .sort()
          .map(([s, n]) => `${s}×${n}`)
          .join(", ")}; by format ${[...counts]
          .sort()
          .map(([k, n]) => `${k}×${n}`)
          .join(", ")}`,
    );
    expect(total).toBeGreaterThanOrEqual(ROUNDS * LANES);
    // The mix must exercise the sync, not only the parsers: many bodies get through, many fail on their rows.
    expect(byStatus.get("200") ?? 0).toBeGreaterThan(total / 10);
    expect(byStatus.get("422") ?? 0).toBeGreaterThan(total / 10);

    expect(await fingerprint([foreign.activityId])).toEqual(foreign.fingerprint);
    for (const lane of lanes) {
      const [{ duplicates, strangers }] = await server.db.query(
        `SELECT (SELECT count(*) FROM (SELECT start_number_key(start_number) FROM registration WHERE activity_id = $1 AND state <> 'Cancelled'
                   AND start_number IS NOT NULL GROUP BY 1 HAVING count(*) > 1) d)::int AS duplicates,
                (SELECT count(*) FROM registration WHERE activity_id = $1 AND person_id = ANY($2::bpchar[]))::int AS strangers`,
        [lane.activityId, foreign.persons],
      );
      expect({ duplicates, strangers }).toEqual({ duplicates: 0, strangers: 0 });
    }
  });
});
