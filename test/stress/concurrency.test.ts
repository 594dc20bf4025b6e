// Many clients syncing one activity at once, through one server process and through two on the same
// database: every answer is 200 or 422, start numbers stay unique, and no accepted change is lost.
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import type { DataSource } from "typeorm";
import { openDatabase } from "../../src/db/data-source";
import { createAccessKey } from "../../src/services/access-keys";
import { killChildren, startChildServer, type ChildServer } from "../support/child-server";
import { activityOf, basic, nativeRegistration, organizationWithMember } from "../support/fixtures";
import { getRegistrations, putJson, type Reply } from "../support/http";

const databaseUrl = inject("databaseUrl");
const BATCHES = 20;
const NATIVES = 40;
const SHARED_EXTERNAL_IDS = 6;

// --- The batches: swaps, clashes, cleared numbers, shared externalIds, items repeated from earlier batches.

type Item = { id?: string; externalId?: string; startNumber?: string | null; person?: Record<string, string> };
interface Batch {
  index: number;
  partial: boolean;
  items: Item[];
}

/** Same sequence on every run, so a failure can be replayed; only the timing differs. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const personOf = (externalId: string) => ({
  givenName: "Souběžný",
  surname: externalId,
  sex: "Female",
  birthDate: "1991-03-04",
});

function makeBatches(natives: string[]): Batch[] {
  const next = random(5);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  const initial = (id: string) => String(natives.indexOf(id) + 1);
  const batches: Batch[] = [];
  for (let b = 0; b < BATCHES; b++) {
    // Every batch creates one registration of its own, so every accepted batch leaves audit entries
    // and thereby a place in the commit order, even if all its other items turn out Unchanged.
    const items: Item[] = [{ externalId: `batch-${b}`, person: personOf(`batch-${b}`) }];
    const touched = new Set<string>();
    const free = (id: string) => !touched.has(id) && (touched.add(id), true);
    const ops = 3 + Math.floor(next() * 4);
    for (let k = 0; k < ops; k++) {
      const roll = next();
      if (roll < 0.35) {
        // A swap of the numbers two registrations had at the start: others may have moved them since.
        const [a, c] = [pick(natives), pick(natives)];
        if (a !== c && free(a) && free(c))
          items.push({ id: a, startNumber: initial(c) }, { id: c, startNumber: initial(a) });
      } else if (roll < 0.55) {
        // Any number up to 55: most are held by someone, 41–55 start free.
        const a = pick(natives);
        if (free(a)) items.push({ id: a, startNumber: String(1 + Math.floor(next() * 55)) });
      } else if (roll < 0.65) {
        const a = pick(natives);
        if (free(a)) items.push({ id: a, startNumber: null });
      } else if (roll < 0.85) {
        // The first batch to commit creates it, the later ones find it by externalId.
        const k = Math.floor(next() * SHARED_EXTERNAL_IDS);
        const externalId = `shared-${k}`;
        if (free(externalId)) items.push({ externalId, startNumber: String(51 + k), person: personOf(externalId) });
      } else if (batches.length) {
        const repeated = pick(pick(batches).items.slice(1));
        const target = repeated?.id ?? repeated?.externalId;
        if (target && free(target)) items.push({ ...repeated });
      }
    }
    // Two batches name one registration twice: DuplicateItem, whatever the timing.
    if (b === 7 || b === 15) items.push({ id: items.find((i) => i.id)?.id ?? natives[0], startNumber: "999" });
    batches.push({ index: b, partial: b % 4 === 3, items });
  }
  return batches;
}

// --- A model of the activity's numbers, to replay the accepted batches on.

interface Model {
  /** registration id → start number */
  numbers: Map<string, string | null>;
  /** externalId → registration id */
  byExternalId: Map<string, string>;
}

const copy = (model: Model): Model => ({ numbers: new Map(model.numbers), byExternalId: new Map(model.byExternalId) });

interface Expected {
  syncResultType: "Created" | "Updated" | "Unchanged" | "Skipped";
  startNumber?: string | null;
  error?: string;
}

/** What SPEC §4 says the batch does to the model: each item's result, numbers judged by the batch's end state. */
function judge(model: Model, batch: Batch): Expected[] {
  const claimed = new Set<string>();
  const plans = batch.items.map((item) => {
    const id = item.id ?? model.byExternalId.get(item.externalId!);
    const target = id ?? `new:${item.externalId}`;
    const duplicate = claimed.has(target);
    claimed.add(target);
    const stored = id ? model.numbers.get(id)! : null;
    const wanted = item.startNumber === undefined ? stored : item.startNumber || null;
    return {
      id,
      wanted,
      changed: !id || wanted !== stored,
      error: duplicate ? "DuplicateItem" : (undefined as string | undefined),
    };
  });
  for (;;) {
    // number → who holds it at the end of the batch (a registration outside the batch has no plan)
    const holders = new Map<string, { plan?: (typeof plans)[number] }[]>();
    const hold = (number: string | null, plan?: (typeof plans)[number]) =>
      number && holders.set(number, [...(holders.get(number) ?? []), { plan }]);
    const inBatch = new Set(plans.filter((p) => !p.error && p.id).map((p) => p.id));
    for (const [id, number] of model.numbers) if (!inBatch.has(id)) hold(number);
    for (const plan of plans) if (!plan.error) hold(plan.wanted, plan);
    const losers = [...holders.values()]
      .filter((list) => list.length > 1)
      .flat()
      .flatMap(({ plan }) => (plan?.changed ? [plan] : []));
    if (!losers.length) break;
    for (const plan of losers) plan.error = "StartNumberTaken";
  }
  return plans.map((plan) =>
    plan.error
      ? { syncResultType: "Skipped", error: plan.error }
      : { syncResultType: !plan.id ? "Created" : plan.changed ? "Updated" : "Unchanged", startNumber: plan.wanted },
  );
}

function apply(model: Model, batch: Batch, answer: any[]): void {
  batch.items.forEach((item, i) => {
    const result = answer[i];
    if (result.syncResultType === "Skipped") return;
    model.numbers.set(result.id, result.startNumber);
    if (item.externalId) model.byExternalId.set(item.externalId, result.id);
  });
}

// --- The contest.

interface Figures {
  requests: number;
  byStatus: Record<number, number>;
  processes: number;
  committedChanges: number;
}

async function contest(db: DataSource, servers: ChildServer[]): Promise<Figures> {
  const organizer = await organizationWithMember(db);
  const activityId = await activityOf(db, organizer.organizationId);
  const natives: string[] = [];
  for (let i = 1; i <= NATIVES; i++)
    natives.push((await nativeRegistration(db, activityId, { startNumber: String(i) })).id);
  // One key per batch: the audit trail names the key, which tells each batch's entries apart.
  const keys = [];
  for (let b = 0; b < BATCHES; b++)
    keys.push(await createAccessKey(db, organizer.accountId, { description: `batch ${b}` }));
  const auth = keys.map((key) => basic(`${key.name}:${key.secret}`));
  const batches = makeBatches(natives);
  const serverOf = (b: number) => servers[b % servers.length].url;
  // Verify each key's secret (a slow hash) before the race, so the requests meet at the activity's lock.
  await Promise.all(batches.map((b) => getRegistrations(serverOf(b.index), activityId, auth[b.index])));

  const replies: Reply[] = await Promise.all(
    batches.map((b) => putJson(serverOf(b.index), activityId, auth[b.index], b.items, b.partial ? "mode=partial" : "")),
  );

  const byStatus: Record<number, number> = {};
  for (const reply of replies) byStatus[reply.status] = (byStatus[reply.status] ?? 0) + 1;
  const unexpected = replies.flatMap((reply, b) =>
    reply.status === 200 || reply.status === 422 ? [] : [`batch ${b}: ${reply.status} ${reply.text}`],
  );
  expect(unexpected).toEqual([]);
  const accepted = batches.filter((b) => replies[b.index].status === 200);
  const rejected = batches.filter((b) => replies[b.index].status === 422);
  expect(accepted.length).toBeGreaterThan(0);
  for (const batch of rejected) {
    expect(replies[batch.index].json.errors.map((e: any) => e.code)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(StartNumberTaken|DuplicateItem)$/)]),
    );
  }

  const [{ count: sharedNumbers }] = await db.query(
    `SELECT count(*)::int AS count FROM (
       SELECT start_number FROM registration WHERE activity_id = $1 AND state <> 'Cancelled' AND start_number IS NOT NULL
        GROUP BY start_number HAVING count(*) > 1) twice`,
    [activityId],
  );
  expect(sharedNumbers).toBe(0);

  // The activity row is locked for the whole batch, so batches commit one after another and the audit
  // ids (a sequence) of one batch all come before the next batch's: their order is the commit order.
  const entries = (await db.query(
    `SELECT a.access_key_id, array_agg(a.registration_id::text ORDER BY a.id) AS registrations, min(a.id)::bigint AS first, max(a.id)::bigint AS last
       FROM audit_entry a JOIN registration r ON r.id = a.registration_id
      WHERE r.activity_id = $1 GROUP BY a.access_key_id ORDER BY min(a.id)`,
    [activityId],
  )) as { access_key_id: string; registrations: string[]; first: string; last: string }[];
  for (let i = 1; i < entries.length; i++) expect(BigInt(entries[i - 1].last)).toBeLessThan(BigInt(entries[i].first));
  const batchOfKey = new Map(keys.map((key, b) => [key.id, b]));
  const commitOrder = entries.map((entry) => batchOfKey.get(entry.access_key_id)!);
  expect([...commitOrder].sort((x, y) => x - y)).toEqual(accepted.map((b) => b.index));

  // Replaying the accepted batches in commit order gives each item's answer, the audit entries and the end state.
  const start: Model = { numbers: new Map(natives.map((id, i) => [id, String(i + 1)])), byExternalId: new Map() };
  const states = [copy(start)];
  let model = start;
  let committedChanges = 0;
  entries.forEach((entry, position) => {
    const batch = batches[commitOrder[position]];
    const answer = replies[batch.index].json as any[];
    const got = answer.map((r) =>
      r.syncResultType === "Skipped"
        ? { syncResultType: r.syncResultType, error: r.errors[0].code }
        : { syncResultType: r.syncResultType, startNumber: r.startNumber },
    );
    expect(got, `batch ${batch.index}, the ${position + 1}. to commit`).toEqual(judge(model, batch));
    const changed = answer
      .filter((r) => r.syncResultType === "Created" || r.syncResultType === "Updated")
      .map((r) => r.id);
    expect([...entry.registrations].sort(), `audit entries of batch ${batch.index}`).toEqual([...changed].sort());
    committedChanges += changed.length;
    model = copy(model);
    apply(model, batch, answer);
    states.push(model);
  });
  const stored = (await db.query(`SELECT id, start_number FROM registration WHERE activity_id = $1`, [activityId])) as {
    id: string;
    start_number: string | null;
  }[];
  expect(new Map(stored.map((r) => [r.id, r.start_number]))).toEqual(model.numbers);

  // A rejected batch must have been wrong against the activity as it stood at some moment of the race.
  for (const batch of rejected) {
    const wrongSomewhere = states.some((state) => judge(state, batch).some((e) => e.syncResultType === "Skipped"));
    expect(wrongSomewhere, `batch ${batch.index} was rejected: ${replies[batch.index].text}`).toBe(true);
  }
  return { requests: replies.length, byStatus, processes: servers.length, committedChanges };
}

const report = (figures: Figures) =>
  console.log(
    `${figures.requests} concurrent syncs through ${figures.processes} server process(es): ` +
      `${Object.entries(figures.byStatus)
        .map(([status, n]) => `${n}× ${status}`)
        .join(", ")}; ${figures.committedChanges} audited changes`,
  );

const POSTGRES_ONLY =
  "(PostgreSQL only: the embedded database is one session in one process, so batches never overlap there)";

describe("concurrent syncs of one activity", () => {
  let db: DataSource;

  beforeAll(async () => {
    if (databaseUrl) db = await openDatabase({ databaseUrl, dataDir: "" });
  });

  afterAll(async () => {
    await killChildren();
    await db?.destroy();
  });

  it.skipIf(!databaseUrl)(
    `answers 200 or 422 and loses no accepted change, through one server process ${POSTGRES_ONLY}`,
    async () => {
      const server = await startChildServer({ databaseUrl });
      try {
        report(await contest(db, [server]));
      } finally {
        await server.kill();
      }
    },
  );

  it.skipIf(!databaseUrl)(
    `answers 200 or 422 and loses no accepted change, through two server processes on one database ${POSTGRES_ONLY}`,
    async () => {
      const servers = await Promise.all([startChildServer({ databaseUrl }), startChildServer({ databaseUrl })]);
      try {
        report(await contest(db, servers));
      } finally {
        await Promise.all(servers.map((server) => server.kill()));
      }
    },
  );
});
