// Real answers of the results routes (issue 14), one or more per documented status, for
// test/rest/openapi-answers.test.ts: gathered inside openapi-failure-samples.ts, the public ones before the
// address's quota is spent there, their 429s after.
import { XLSX_MEDIA_TYPE, xlsxBuffer } from "../../src/rest/xlsx-codec";
import { createAccessKey } from "../../src/services/access-keys";
import { basic, nativeRegistration, scenario } from "./fixtures";
import { call } from "./http";
import { BODY_LIMIT, FAILURES_PER_KEY_NAME, type SampleContext } from "./openapi-checks";
import { insertResult } from "./results";

type Format = "json" | "csv" | "xlsx";
export const RESULTS = (format: Format) => `/api/events/activities/{activityId}/results.${format}`;
/** The platform's own route of the results sync: JSON without a suffix. */
export const RESULTS_SUFFIXLESS = "/api/events/activities/{activityId}/results";
export const PUBLIC_RESULTS = "/api/events/activities/{activityId}/publicresults.json";
export const RESULTS_PAGE = "/activities/{activityId}/results";

const SYNC_ROUTES = [
  { format: "json", route: RESULTS("json"), suffix: ".json" },
  { format: "csv", route: RESULTS("csv"), suffix: ".csv" },
  { format: "xlsx", route: RESULTS("xlsx"), suffix: ".xlsx" },
  { format: "json", route: RESULTS_SUFFIXLESS, suffix: "" },
] as const;

/**
 * Server failures of the results routes: not provoked (database-unavailable.test.ts shows the 503 mapping);
 * nor the sync's 409, which it answers on the registration sync's code (shown there).
 */
export const RESULTS_NOT_PROVOKED = [
  ...(["json", "csv", "xlsx"] as const).flatMap((f) => [`GET ${RESULTS(f)} 500`, `GET ${RESULTS(f)} 503`]),
  ...SYNC_ROUTES.flatMap(({ route }) => [`PUT ${route} 409`, `PUT ${route} 500`, `PUT ${route} 503`]),
  `GET ${PUBLIC_RESULTS} 500`,
  `GET ${PUBLIC_RESULTS} 503`,
  `GET ${RESULTS_PAGE} 500`,
  `GET ${RESULTS_PAGE} 503`,
];

/** The keyed download's answers, and the public list's and page's that do not spend the address's quota. */
export async function addResultSamples(context: SampleContext): Promise<void> {
  const { server, s, add } = context;
  await insertResult(server.db, s.activityId, {
    givenName: "Martin",
    surname: "Vítěz",
    category: "M40",
    position: 1,
    positionByCategory: 1,
    positionBySex: 1,
    time: 600_000,
    startNumber: "0001",
    splitTimes: [{ distance: 4, time: "2022-09-01T15:10:00.000Z" }],
  });
  await insertResult(server.db, s.activityId, {
    givenName: "Jana",
    surname: "Soukromá",
    sex: "Female",
    isProfilePublic: false,
    status: "DidNotFinish",
  });
  const url = (format: Format, query = "", activityId = s.activityId) =>
    `${server.url}/api/events/activities/${activityId}/results.${format}${query ? `?${query}` : ""}`;
  const keyed = { headers: { Authorization: s.organizer.auth } };
  for (const format of ["json", "csv", "xlsx"] as const) {
    const route = RESULTS(format);
    await add(`results ${format}`, "get", route, call(url(format), keyed));
    await add(`results ${format}, filtered`, "get", route, call(url(format, "category=M40&status=Finished"), keyed));
    await add(`results ${format}: wrong status`, "get", route, call(url(format, "status=Lost"), keyed));
    await add(`results ${format}: no key`, "get", route, call(url(format)));
    await add(
      `results ${format}: unknown activity`,
      "get",
      route,
      call(url(format, "", "000000000000000000000000"), keyed),
    );
    const auth = basic(`throttled-results-${format}:wrong-secret-0123456789`);
    for (let i = 0; i <= FAILURES_PER_KEY_NAME; i++)
      await add(
        `results ${format}: throttled after ${i} failures`,
        "get",
        route,
        call(url(format), { headers: { Authorization: auth } }),
      );
  }
  await addResultSyncSamples(context);
  await add(
    "public results",
    "get",
    PUBLIC_RESULTS,
    call(`${server.url}/api/events/activities/${s.activityId}/publicresults.json`),
  );
  await add(
    "public results of an unknown activity",
    "get",
    PUBLIC_RESULTS,
    call(`${server.url}/api/events/activities/000000000000000000000000/publicresults.json`),
  );
  await add("results page", "get", RESULTS_PAGE, call(`${server.url}/activities/${s.activityId}/results?category=M40`));
  await add(
    "results page of an unknown activity",
    "get",
    RESULTS_PAGE,
    call(`${server.url}/activities/000000000000000000000000/results`),
  );
}

/** The public list's and page's 429, once the address's quota is spent. */
export async function addResultQuotaSamples({ server, s, add }: SampleContext): Promise<void> {
  await add(
    "public results over the address's quota",
    "get",
    PUBLIC_RESULTS,
    call(`${server.url}/api/events/activities/${s.activityId}/publicresults.json`),
  );
  await add(
    "results page over the address's quota",
    "get",
    RESULTS_PAGE,
    call(`${server.url}/activities/${s.activityId}/results`),
  );
}

/** The results sync's answers, on an activity of their own (prune deletes what an upload leaves out). */
async function addResultSyncSamples({ server, add }: SampleContext): Promise<void> {
  const race = await scenario(server.db);
  for (const [startNumber, givenName] of [
    ["0001", "Martin"],
    ["0002", "Petr"],
    ["0010", "Eva"],
  ])
    await nativeRegistration(server.db, race.activityId, { startNumber, givenName, surname: "Běžec" });
  const readOnly = await createAccessKey(server.db, race.organizer.accountId, {
    readOnly: true,
    description: "read-only results test key",
  });
  const MEDIA_TYPES = { json: "application/json", csv: "text/csv", xlsx: XLSX_MEDIA_TYPE };
  const put = (
    suffix: string,
    format: Format,
    body: string | Buffer,
    options: { query?: string; auth?: string; type?: string; activityId?: string } = {},
  ) =>
    call(
      `${server.url}/api/events/activities/${options.activityId ?? race.activityId}/results${suffix}${options.query ? `?${options.query}` : ""}`,
      {
        method: "PUT",
        headers: {
          Authorization: options.auth ?? race.organizer.auth,
          "Content-Type": options.type ?? MEDIA_TYPES[format],
        },
        body,
      },
    );
  const platform = JSON.stringify([
    {
      category: "M40",
      startNumber: "0001",
      position: 1,
      positionByCategory: 1,
      positionBySex: 1,
      splitTimes: [{ distance: 4.0, time: "2022-09-01T17:10:00+02:00" }],
      time: 600000,
    },
    { category: "M30", startNumber: "0002", position: 2, positionByCategory: 1, positionBySex: 2, time: "0:11:00" },
    {
      category: "M20",
      person: { givenName: "Jan", surname: "Svoboda", sex: "Male", birthDate: "2001-10-01", country: "CZ" },
      position: 3,
      positionByCategory: 1,
      positionBySex: 3,
      time: 720000,
    },
  ]);
  const header = ["result.startNumber", "result.status", "result.category", "result.time", "split.4"];
  const row = ["0010", "DidNotFinish", "Z30", "", ""];
  const failingRow = ["0010", "Finished", "Z30", "10:00", ""];
  const bodies = {
    json: { ok: platform, failing: JSON.stringify([{ startNumber: "0002", position: 1, time: 1 }]) },
    csv: { ok: `${header.join(",")}\n${row.join(",")}\n`, failing: `${header.join(",")}\n${failingRow.join(",")}\n` },
    xlsx: {
      ok: await xlsxBuffer(header, 1, () => row),
      failing: await xlsxBuffer(header, 1, () => failingRow),
    },
  };
  for (const { format, route, suffix } of SYNC_ROUTES) {
    const label = `results sync ${suffix || "without suffix"}`;
    const { ok, failing } = bodies[format];
    await add(label, "put", route, put(suffix, format, ok));
    await add(`${label}: wrong mode`, "put", route, put(suffix, format, ok, { query: "mode=some" }));
    await add(`${label}: wrong prune`, "put", route, put(suffix, format, ok, { query: "prune=maybe" }));
    await add(
      `${label}: read-only key`,
      "put",
      route,
      put(suffix, format, ok, { auth: basic(`${readOnly.name}:${readOnly.secret}`) }),
    );
    await add(
      `${label}: unknown activity`,
      "put",
      route,
      put(suffix, format, ok, { activityId: "000000000000000000000000" }),
    );
    await add(`${label}: too large`, "put", route, put(suffix, format, "x".repeat(BODY_LIMIT + 1)));
    await add(`${label}: wrong media type`, "put", route, put(suffix, format, ok, { type: "application/xml" }));
    await add(`${label}: failing rows`, "put", route, put(suffix, format, failing));
    const auth = basic(`throttled-results-sync${suffix.replace(".", "-")}:wrong-secret-0123456789`);
    for (let i = 0; i <= FAILURES_PER_KEY_NAME; i++)
      await add(`${label}: throttled after ${i} failures`, "put", route, put(suffix, format, ok, { auth }));
  }
  await add(
    "results sync, partial, prune: a skipped row and deleted results",
    "put",
    RESULTS("json"),
    put(".json", "json", JSON.stringify([JSON.parse(platform)[0], { startNumber: "0099", time: 1 }]), {
      query: "mode=partial&prune=true&dryRun=true",
    }),
  );
  await add(
    "results sync CSV, partial, prune",
    "put",
    RESULTS("csv"),
    put(".csv", "csv", bodies.csv.failing, { query: "mode=partial&prune=true" }),
  );
}
