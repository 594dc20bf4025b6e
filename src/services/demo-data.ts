// Demo data holding the seed's activity, registration and person, loaded idempotently.
import type { DataSource, EntityManager } from "typeorm";
import { createAccessKey } from "./access-keys";

export const SEED_ACTIVITY_ID = "638f01d0c5eaf533c891fac3";
export const SEED_REGISTRATION_ID = "638f0763c5eaf533c891fb76";
export const SEED_PERSON_ID = "6303aec90f8fc8574e68d664";
/** The platform's results example (SPEC §9): its activity and the second runner it names. */
export const RESULTS_ACTIVITY_ID = "638f1045c5eaf533c891fc07";
export const RESULTS_SECOND_PERSON_ID = "62fb4a61dc322a73b01b3a14";

/** Fixed ids, so that loading twice finds what the first load made. */
const demoId = (n: number) => `638e9a00de70${n.toString(16).padStart(12, "0")}`;

const ORGANIZER = demoId(1);
const TIMING = demoId(2);
const OUTSIDER = demoId(3);
const ORGANIZER_OWNER = demoId(4);
const TIMING_MEMBER = demoId(5);
const OUTSIDER_OWNER = demoId(6);
const EVENT = demoId(10);
const OUTSIDER_EVENT = demoId(20);
const OUTSIDER_ACTIVITY = demoId(21);

type Entry = [
  given: string,
  surname: string,
  sex: "Male" | "Female",
  birth: string,
  state: "New" | "Confirmed" | "Cancelled",
  startNumber: string | null,
  externalId: string | null,
];

// Start numbers from 0010 up, so that the seed's examples (0001, 0002) are free.
const ENTRIES: Entry[] = [
  ["Jana", "Nováková", "Female", "1988-03-14", "Confirmed", "0010", null],
  ["Petr", "Svoboda", "Male", "1979-07-02", "Confirmed", "0011", null],
  ["Lucie", "Dvořáková", "Female", "1992-11-23", "Confirmed", "0012", null],
  ["Tomáš", "Černý", "Male", "1985-01-30", "Confirmed", "0013", null],
  ["Kateřina", "Procházková", "Female", "1990-05-09", "Confirmed", "0014", null],
  ["Jiří", "Kučera", "Male", "1969-09-17", "Confirmed", "0015", "TIM-1015"],
  ["Veronika", "Veselá", "Female", "1996-12-01", "Confirmed", "0016", "TIM-1016"],
  ["Jan", "Horák", "Male", "1983-04-21", "Confirmed", "0017", "TIM-1017"],
  ["Tereza", "Němcová", "Female", "2001-02-11", "Confirmed", "0018", null],
  ["Michal", "Marek", "Male", "1977-08-08", "Confirmed", "0019", null],
  ["Eva", "Pospíšilová", "Female", "1974-06-26", "Confirmed", null, null],
  ["Ondřej", "Pokorný", "Male", "1998-10-05", "Confirmed", null, "TIM-1021"],
  ["Markéta", "Hájková", "Female", "1987-03-03", "New", null, null],
  ["Lukáš", "Král", "Male", "1993-07-19", "New", null, null],
  ["Barbora", "Jelínková", "Female", "1999-01-15", "New", null, "TIM-1024"],
  ["Jakub", "Růžička", "Male", "1981-11-11", "New", null, null],
  ["Zuzana", "Benešová", "Female", "1986-09-29", "New", null, null],
  ["David", "Fiala", "Male", "1972-02-22", "Cancelled", null, null],
  ["Alena", "Sedláčková", "Female", "1965-05-31", "Cancelled", "0020", null],
  ["Vojtěch", "Doležal", "Male", "1995-12-24", "Cancelled", null, "TIM-1029"],
  ["Šárka", "Zemanová", "Female", "1991-08-16", "Confirmed", "0021", null],
  ["Radek", "Kolář", "Male", "1980-04-04", "Confirmed", "0022", null],
  ["Ludmila", "Navrátilová", "Female", "1970-10-10", "New", null, null],
  ["Zdeněk", "Čermák", "Male", "1968-06-06", "Confirmed", "0023", null],
];

const OUTSIDER_ENTRIES: Entry[] = [
  ["Pavla", "Urbanová", "Female", "1989-02-02", "Confirmed", "1", null],
  ["Karel", "Blažek", "Male", "1976-03-03", "Confirmed", "2", null],
];

export interface DemoData {
  activityId: string;
  outsiderActivityId: string;
  /** `keyName:keySecret` of a new key for each demo role. */
  keys: { organizer: string; timing: string; outsider: string };
}

async function insertDemoRows(db: EntityManager): Promise<void> {
  const q = (sql: string, params: unknown[]) => db.query(`${sql} ON CONFLICT (id) DO NOTHING`, params);
  const organizations: [string, string, string][] = [
    [ORGANIZER, "Běžecký klub Kunratice z.s.", "Organizer"],
    [TIMING, "Časomíra Sport s.r.o.", "TimingCompany"],
    [OUTSIDER, "Beskydský trail z.s.", "Organizer"],
  ];
  for (const [id, name, kind] of organizations)
    await q(`INSERT INTO organization (id, name, kind) VALUES ($1, $2, $3)`, [id, name, kind]);
  await q(`INSERT INTO association (id, organizer_id, associate_id) VALUES ($1, $2, $3)`, [
    demoId(30),
    ORGANIZER,
    TIMING,
  ]);
  const accounts: [string, string, string, string, string][] = [
    [ORGANIZER_OWNER, "poradatel@kunratice.example", ORGANIZER, "Owner", demoId(50)],
    [TIMING_MEMBER, "technik@casomira.example", TIMING, "Member", demoId(51)],
    [OUTSIDER_OWNER, "poradatel@beskydy.example", OUTSIDER, "Owner", demoId(52)],
  ];
  for (const [id, login, organization, role, membershipId] of accounts) {
    await q(`INSERT INTO user_account (id, login) VALUES ($1, $2)`, [id, login]);
    await q(`INSERT INTO membership (id, account_id, organization_id, role) VALUES ($1, $2, $3, $4)`, [
      membershipId,
      id,
      organization,
      role,
    ]);
  }
  await q(`INSERT INTO event (id, organizer_id, name, starts_on, ends_on) VALUES ($1, $2, $3, $4, $4)`, [
    EVENT,
    ORGANIZER,
    "Velká Kunratická 2022",
    "2022-12-10",
  ]);
  await q(`INSERT INTO activity (id, event_id, name, starts_at, currency) VALUES ($1, $2, $3, $4, 'CZK')`, [
    SEED_ACTIVITY_ID,
    EVENT,
    "Hlavní závod 10 km",
    "2022-12-10T09:00:00Z",
  ]);
  await q(`INSERT INTO event (id, organizer_id, name, starts_on, ends_on) VALUES ($1, $2, $3, $4, $4)`, [
    OUTSIDER_EVENT,
    OUTSIDER,
    "Beskydská sedmička 2023",
    "2023-09-01",
  ]);
  await q(`INSERT INTO activity (id, event_id, name, starts_at, currency) VALUES ($1, $2, $3, $4, 'CZK')`, [
    OUTSIDER_ACTIVITY,
    OUTSIDER_EVENT,
    "Trail 70 km",
    "2023-09-01T05:00:00Z",
  ]);

  // The activity of the platform's results example, in the same event (so the same organizer and timing company).
  await q(`INSERT INTO activity (id, event_id, name, starts_at, currency) VALUES ($1, $2, $3, $4, 'CZK')`, [
    RESULTS_ACTIVITY_ID,
    EVENT,
    "Kunratický kros 5 km",
    "2022-12-10T11:00:00Z",
  ]);

  // The seed's own registration: Martin Dufek, RGZ196, 850 CZK, Confirmed, no start number yet.
  const martinAccount = demoId(40);
  await q(`INSERT INTO user_account (id, login, created_at) VALUES ($1, $2, $3)`, [
    martinAccount,
    "martin.dufek@example.cz",
    "2022-08-22T12:00:00Z",
  ]);
  await q(
    `INSERT INTO person (id, account_id, given_name, surname, sex, birth_date, language, nickname, country, is_profile_public)
     VALUES ($1, $2, 'Martin', 'Dufek', 'Male', '1975-11-27', 'cs', 'martin.dufek', 'CZ', true)`,
    [SEED_PERSON_ID, martinAccount],
  );
  await q(
    `INSERT INTO registration (id, activity_id, person_id, code, state, start_number, amount_value, amount_currency, source, created_at, modified_at)
     VALUES ($1, $2, $3, 'RGZ196', 'Confirmed', NULL, 85000, 'CZK', 'Native', $4, $4)`,
    [SEED_REGISTRATION_ID, SEED_ACTIVITY_ID, SEED_PERSON_ID, "2022-12-06T09:12:03.701Z"],
  );

  // The results example's runners: Martin Dufek (number 0001) and a second known person (0002); its third
  // runner, Jan Svoboda, is not a platform user, so the example creates him.
  await q(`INSERT INTO user_account (id, login) VALUES ($1, $2)`, [demoId(41), "petr.kolar@example.cz"]);
  await q(
    `INSERT INTO person (id, account_id, given_name, surname, sex, birth_date, language, country, is_profile_public)
     VALUES ($1, $2, 'Petr', 'Kolář', 'Male', '1988-04-12', 'cs', 'CZ', true)`,
    [RESULTS_SECOND_PERSON_ID, demoId(41)],
  );
  for (const [n, personId, code, startNumber] of [
    [42, SEED_PERSON_ID, "KRO1001", "0001"],
    [43, RESULTS_SECOND_PERSON_ID, "KRO1002", "0002"],
  ]) {
    await q(
      `INSERT INTO registration (id, activity_id, person_id, code, state, start_number, amount_value, amount_currency, source, created_at, modified_at)
       VALUES ($1, $2, $3, $4, 'Confirmed', $5, 35000, 'CZK', 'Native', $6, $6)`,
      [demoId(Number(n)), RESULTS_ACTIVITY_ID, personId, code, startNumber, "2022-12-07T08:00:00Z"],
    );
  }

  const register = async (entries: Entry[], activityId: string, base: number, codePrefix: string) => {
    for (const [i, [given, surname, sex, birth, state, startNumber, externalId]] of entries.entries()) {
      const n = base + i;
      const external = externalId !== null;
      const login = external
        ? `${`demo${n}`.padEnd(32, "0")}@actigo.app`
        : `${given}.${surname}.${n}@example.cz`
            .normalize("NFD")
            // eslint-disable-next-line no-control-regex -- the range is "not ASCII", NUL to DEL
            .replace(/[^\x00-\x7f]/g, "")
            .toLowerCase();
      await q(`INSERT INTO user_account (id, login, unclaimed) VALUES ($1, $2, $3)`, [demoId(n), login, external]);
      await q(
        `INSERT INTO person (id, account_id, given_name, surname, sex, birth_date, language, country, is_profile_public)
         VALUES ($1, $2, $3, $4, $5, $6, 'cs', 'CZ', $7)`,
        [demoId(n + 1000), demoId(n), given, surname, sex, birth, i % 3 !== 0],
      );
      await q(
        `INSERT INTO registration (id, activity_id, person_id, code, state, start_number, amount_value, amount_currency, source, external_id, created_at, modified_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'CZK', $8, $9, $10, $10)`,
        // Seven characters: a sync's generated codes have six, so a demo load into a database in use
        // (the CLI's, or the tests' shared one) never meets a code a sync already gave out.
        [
          demoId(n + 2000),
          activityId,
          demoId(n + 1000),
          `${codePrefix}${String(1000 + i)}`,
          state,
          startNumber,
          external ? 0 : 85000,
          external ? "External" : "Native",
          externalId,
          new Date(Date.UTC(2022, 11, 6, 10, i)).toISOString(),
        ],
      );
    }
  };
  await register(ENTRIES, SEED_ACTIVITY_ID, 100, "KUN");
  await register(OUTSIDER_ENTRIES, OUTSIDER_ACTIVITY, 200, "BES");
}

// Any fixed number, distinct from the migrations' lock.
const DEMO_DATA_LOCK = 727_002;

/** Loads the demo data (a second load changes nothing) and creates a fresh key for each role. */
export async function loadDemoData(db: DataSource): Promise<DemoData> {
  return db.transaction(async (manager) => {
    // Two loads at once (test files side by side, two CLI runs) would both find the rows missing and
    // collide on their fixed ids: one waits for the other, then finds everything there.
    await manager.query("SELECT pg_advisory_xact_lock($1)", [DEMO_DATA_LOCK]);
    await insertDemoRows(manager);
    const key = async (role: string, accountId: string) => {
      const created = await createAccessKey(manager, accountId, {
        name: `demo-${role}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
        description: `Demo key (${role})`,
      });
      return `${created.name}:${created.secret}`;
    };
    return {
      activityId: SEED_ACTIVITY_ID,
      outsiderActivityId: OUTSIDER_ACTIVITY,
      keys: {
        organizer: await key("organizer", ORGANIZER_OWNER),
        timing: await key("timing", TIMING_MEMBER),
        outsider: await key("outsider", OUTSIDER_OWNER),
      },
    };
  });
}

/** On an empty database (no organization yet), loads the demo data. */
export async function loadDemoDataIfEmpty(
  db: DataSource,
): Promise<(DemoData & { curl(base: string): string; resultsCurl(base: string): string }) | null> {
  const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM organization`);
  if (count > 0) return null;
  const demo = await loadDemoData(db);
  return {
    ...demo,
    curl: (base) => seedJsonCurl(base, demo.keys.organizer),
    resultsCurl: (base) => resultsExampleCurl(base, demo.keys.timing),
  };
}

/** The seed's JSON example, pointed at this server and key. */
export function seedJsonCurl(base: string, key: string): string {
  return `curl ${base}/api/events/activities/${SEED_ACTIVITY_ID}/registrations.json \\
 -H 'Authorization: Basic ${Buffer.from(key).toString("base64")}' \\
 -H 'Content-Type: application/json' \\
 -X PUT --data-binary @- <<BODY
[
 {
  "id": "${SEED_REGISTRATION_ID}",
  "startNumber": "0001",
  "person": {
   "id": "${SEED_PERSON_ID}"
  }
 }
]
BODY`;
}

/** The platform's results example (SPEC §9), as its page shows it: three finishers, the third not a platform user. */
export const RESULTS_EXAMPLE = [
  {
    category: "M40",
    person: { id: SEED_PERSON_ID },
    position: 1,
    positionByCategory: 1,
    positionBySex: 1,
    splitTimes: [{ distance: 4.0, time: "2022-09-01T15:10:00Z" }],
    startNumber: "0001",
    time: 600000,
  },
  {
    category: "M30",
    person: { id: RESULTS_SECOND_PERSON_ID },
    position: 2,
    positionByCategory: 1,
    positionBySex: 2,
    startNumber: "0002",
    time: 660000,
  },
  {
    category: "M20",
    person: {
      givenName: "Jan",
      middleName: null,
      surname: "Svoboda",
      sex: "Male",
      birthDate: "2001-10-01T00:00:00Z",
      country: "CZ",
    },
    position: 3,
    positionByCategory: 1,
    positionBySex: 3,
    startNumber: "0003",
    time: 720000,
  },
];

/** The platform's results example, pointed at this server and key; like its page, it calls `…/results` without a suffix. */
export function resultsExampleCurl(base: string, key: string): string {
  return `curl ${base}/api/events/activities/${RESULTS_ACTIVITY_ID}/results \\
 -H 'Authorization: Basic ${Buffer.from(key).toString("base64")}' \\
 -H 'Content-Type: application/json' \\
 -X PUT --data-binary @- <<BODY
${JSON.stringify(RESULTS_EXAMPLE, null, 1)}
BODY`;
}
