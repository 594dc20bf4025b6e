// Real answers of the results routes (issue 14), one or more per documented status, for
// test/rest/openapi-answers.test.ts: gathered inside openapi-failure-samples.ts, the public ones before the
// address's quota is spent there, their 429s after.
import { basic } from "./fixtures";
import { call } from "./http";
import { FAILURES_PER_KEY_NAME, type SampleContext } from "./openapi-checks";
import { insertResult } from "./results";

type Format = "json" | "csv" | "xlsx";
export const RESULTS = (format: Format) => `/api/events/activities/{activityId}/results.${format}`;
export const PUBLIC_RESULTS = "/api/events/activities/{activityId}/publicresults.json";
export const RESULTS_PAGE = "/activities/{activityId}/results";

/** Server failures of the results routes: not provoked (database-unavailable.test.ts shows the 503 mapping). */
export const RESULTS_NOT_PROVOKED = [
  ...(["json", "csv", "xlsx"] as const).flatMap((f) => [`GET ${RESULTS(f)} 500`, `GET ${RESULTS(f)} 503`]),
  `GET ${PUBLIC_RESULTS} 500`,
  `GET ${PUBLIC_RESULTS} 503`,
  `GET ${RESULTS_PAGE} 500`,
  `GET ${RESULTS_PAGE} 503`,
];

/** The keyed download's answers, and the public list's and page's that do not spend the address's quota. */
export async function addResultSamples({ server, s, add }: SampleContext): Promise<void> {
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
