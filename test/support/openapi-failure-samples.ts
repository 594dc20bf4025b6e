// Failing answers of the server, one or more per documented problem status, for
// test/rest/openapi-answers.test.ts (gathered after the successful ones of openapi-samples.ts).
import { xlsxBuffer } from "../../src/rest/xlsx-codec";
import { createAccessKey } from "../../src/services/access-keys";
import { basic } from "./fixtures";
import { call } from "./http";
import {
  ANONYMOUS_REQUESTS,
  BODY_LIMIT,
  FAILURES_PER_KEY_NAME,
  REGISTRATIONS,
  REJECTED_CSV,
  START_LIST,
  START_LIST_PAGE,
  type Format,
  type SampleContext,
} from "./openapi-checks";
import { addResultQuotaSamples, addResultSamples } from "./openapi-result-samples";

export async function addFailureSamples(context: SampleContext): Promise<void> {
  const { server, s, native, url, add, put } = context;
  const rejected = REJECTED_CSV;
  const emptyWorkbook = await xlsxBuffer(["registration.id"], 0, () => []);
  const empty = (format: Format) => (format === "json" ? "[]" : format === "csv" ? "registration.id\n" : emptyWorkbook);
  for (const format of ["json", "csv", "xlsx"] as const) {
    const route = REGISTRATIONS(format);
    await add(`${format}: no key`, "get", route, call(url(format)));
    await add(
      `${format}: wrong key`,
      "put",
      route,
      put(format, "[]", { auth: basic("nobody-here:wrong-secret-0123456789") }),
    );
    await add(
      `${format}: unknown activity`,
      "get",
      route,
      call(url(format, "", "000000000000000000000000"), { headers: { Authorization: s.organizer.auth } }),
    );
    await add(
      `${format}: unknown activity, sync`,
      "put",
      route,
      put(format, empty(format), { activityId: "000000000000000000000000" }),
    );
    await add(
      `${format}: unknown state`,
      "get",
      route,
      call(url(format, "state=Paid"), { headers: { Authorization: s.organizer.auth } }),
    );
    await add(`${format}: wrong mode`, "put", route, put(format, "[]", { query: "mode=some" }));
    await add(
      `${format}: wrong media type`,
      "put",
      route,
      put(format, "[]", { headers: { "Content-Type": "application/xml" } }),
    );
    await add(
      `${format}: unknown encoding`,
      "put",
      route,
      put(format, "[]", { headers: { "Content-Encoding": "br" } }),
    );
    await add(
      `${format}: broken gzip`,
      "put",
      route,
      put(format, "not gzip", { headers: { "Content-Encoding": "gzip" } }),
    );
    await add(
      `${format}: Idempotency-Key too long`,
      "put",
      route,
      put(format, empty(format), { headers: { "Idempotency-Key": "k".repeat(256) } }),
    );
    await add(`${format}: too large`, "put", route, put(format, "x".repeat(BODY_LIMIT + 1)));
    // The limit counts per key name; all these attempts come from one address, well under its own limit.
    for (const method of ["get", "put"] as const) {
      const auth = basic(`throttled-${format}-${method}:wrong-secret-0123456789`);
      for (let i = 0; i <= FAILURES_PER_KEY_NAME; i++) {
        const label = `${format}: ${method} throttled after ${i} failures`;
        await add(
          label,
          method,
          route,
          method === "get" ? call(url(format), { headers: { Authorization: auth } }) : put(format, "[]", { auth }),
        );
      }
    }
  }
  await add(
    "csv: unknown column",
    "get",
    REGISTRATIONS("csv"),
    call(url("csv", "columns=person.email"), { headers: { Authorization: s.organizer.auth } }),
  );
  await add("json: broken item", "put", REGISTRATIONS("json"), put("json", "[{},{nope}]"));
  await add(
    "json: failing rows",
    "put",
    REGISTRATIONS("json"),
    put(
      "json",
      JSON.stringify([
        { id: native.id, startNumber: "3" },
        { person: { givenName: "No", surname: "Birthday", sex: "Male" } },
      ]),
    ),
  );
  await add(
    "csv: broken quote",
    "put",
    REGISTRATIONS("csv"),
    put("csv", `registration.id,registration.startNumber\n"${native.id}"x,1\n`),
  );
  await add("csv: failing rows", "put", REGISTRATIONS("csv"), put("csv", rejected));
  await add(
    "xlsx: failing rows",
    "put",
    REGISTRATIONS("xlsx"),
    put("xlsx", await xlsxBuffer(rejected.split("\n")[0].split(","), 1, () => rejected.split("\n")[1].split(","))),
  );
  await add(
    "xlsx: CSV sent as a workbook",
    "put",
    REGISTRATIONS("xlsx"),
    put("xlsx", rejected, { headers: { "Content-Type": "application/octet-stream" } }),
  );
  const readOnly = await createAccessKey(server.db, s.organizer.accountId, {
    readOnly: true,
    description: "read-only test key",
  });
  for (const format of ["json", "csv", "xlsx"] as const) {
    await add(
      `${format}: read-only key`,
      "put",
      REGISTRATIONS(format),
      put(format, empty(format), { auth: basic(`${readOnly.name}:${readOnly.secret}`) }),
    );
  }
  await addResultSamples(context);
  await add(
    "start list of an unknown activity",
    "get",
    START_LIST,
    call(`${server.url}/api/events/activities/000000000000000000000000/startlist.json`),
  );
  await add(
    "start list page",
    "get",
    START_LIST_PAGE,
    call(`${server.url}/activities/${s.activityId}/startlist?sort=name&dir=desc&q=dufek`),
  );
  await add(
    "start list page of an unknown activity",
    "get",
    START_LIST_PAGE,
    call(`${server.url}/activities/000000000000000000000000/startlist`),
  );
  for (
    let i = 0;
    i < ANONYMOUS_REQUESTS && (await call(`${server.url}/activities/${s.activityId}/startlist`)).status !== 429;
    i++
  );
  await add(
    "start list page over the address's quota",
    "get",
    START_LIST_PAGE,
    call(`${server.url}/activities/${s.activityId}/startlist`),
  );
  await add(
    "start list over the address's quota",
    "get",
    START_LIST,
    call(`${server.url}/api/events/activities/${s.activityId}/startlist.json`),
  );
  await addResultQuotaSamples(context);
}
