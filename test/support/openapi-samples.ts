// Real answers of the server, one or more per documented status, for test/rest/openapi-answers.test.ts: the
// successful ones here, the failures in openapi-failure-samples.ts.
import { gzipSync } from "node:zlib";
import { COLUMNS } from "../../src/rest/registration-table";
import { XLSX_MEDIA_TYPE, xlsxBuffer } from "../../src/rest/xlsx-codec";
import { nativeRegistration, scenario } from "./fixtures";
import { call, registrationsUrl, type Reply } from "./http";
import {
  REGISTRATIONS,
  REJECTED_CSV,
  START_LIST,
  type Format,
  type Sample,
  type SampleContext,
} from "./openapi-checks";
import { addFailureSamples } from "./openapi-failure-samples";
import { onEmbedded, type TestServer } from "./test-server";

/** Sends the samples' requests to `server`, in order, and gathers their answers. */
export async function collectSamples(server: TestServer): Promise<Sample[]> {
  const samples: Sample[] = [];
  const s = await scenario(server.db);
  const url = (format: Format, query = "", activityId = s.activityId) =>
    registrationsUrl(server.url, activityId, format, query);
  const add = async (label: string, method: Sample["method"], route: string, reply: Promise<Reply>) => {
    samples.push({ label, method, route, reply: await reply });
  };
  const MEDIA_TYPES = { json: "application/json", csv: "text/csv", xlsx: XLSX_MEDIA_TYPE };
  const put = (
    format: Format,
    body: string | Buffer,
    options: { query?: string; auth?: string; headers?: Record<string, string>; activityId?: string } = {},
  ) =>
    call(url(format, options.query, options.activityId), {
      method: "PUT",
      headers: {
        Authorization: options.auth ?? s.organizer.auth,
        "Content-Type": MEDIA_TYPES[format],
        ...options.headers,
      },
      body,
    });
  const native = await nativeRegistration(server.db, s.activityId, {
    startNumber: "1",
    givenName: "Martin",
    surname: "Dufek",
    birthDate: "1975-11-27",
  });
  const context: SampleContext = { server, s, native, url, add, put };
  await addAnswerSamples(context);
  await addFailureSamples(context);
  return samples;
}

/** 200s, with every optional part of the shapes, and the Idempotency-Key's answers. */
async function addAnswerSamples({ server, s, native, url, add, put }: SampleContext): Promise<void> {
  const newPerson = {
    givenName: "Jana",
    middleName: "Marie",
    surname: "Nováková",
    sex: "Female",
    birthDate: "1990-01-02",
    language: "cs",
    country: "cz",
    nickname: "jana",
  };

  // 200s, with every optional part of the shapes: externalId, middle name, a warning, a failed insert, a dry run.
  await add(
    "sync JSON",
    "put",
    REGISTRATIONS("json"),
    put(
      "json",
      JSON.stringify([
        { id: native.id, startNumber: "0002", person: { id: native.personId } },
        { externalId: "timing-1", startNumber: "3", person: newPerson },
      ]),
    ),
  );
  await add(
    "sync JSON, partial, with a warning and a failed insert",
    "put",
    REGISTRATIONS("json"),
    put(
      "json",
      JSON.stringify([
        {
          externalId: "timing-2",
          person: { givenName: "Martin", surname: "Dufek", sex: "Male", birthDate: "1975-11-27" },
        },
        { person: { givenName: "No", surname: "Birthday", sex: "Female" } },
        { id: native.id, startNumber: "3" },
      ]),
      { query: "mode=partial" },
    ),
  );
  await add(
    "sync JSON, dry run",
    "put",
    REGISTRATIONS("json"),
    put("json", JSON.stringify([{ id: native.id, startNumber: "4" }]), { query: "dryRun=true" }),
  );
  await add(
    "sync CSV",
    "put",
    REGISTRATIONS("csv"),
    put("csv", `registration.id,registration.startNumber,extra\n${native.id},5,kept\n`),
  );
  await add(
    "sync CSV, partial",
    "put",
    REGISTRATIONS("csv"),
    put("csv", `registration.id,registration.startNumber\n${native.id},6\nnope,7\n`, { query: "mode=partial" }),
  );
  await add(
    "sync gzip-compressed JSON",
    "put",
    REGISTRATIONS("json"),
    put("json", gzipSync(JSON.stringify([{ id: native.id, startNumber: "8" }])), {
      headers: { "Content-Encoding": "gzip" },
    }),
  );
  await add(
    "download JSON",
    "get",
    REGISTRATIONS("json"),
    call(url("json"), { headers: { Authorization: s.organizer.auth } }),
  );
  await add(
    "download JSON, filtered",
    "get",
    REGISTRATIONS("json"),
    call(url("json", "state=New,Confirmed&modifiedSince=2020-01-01T00:00:00Z"), {
      headers: { Authorization: s.organizer.auth },
    }),
  );
  await add(
    "download CSV",
    "get",
    REGISTRATIONS("csv"),
    call(url("csv"), { headers: { Authorization: s.organizer.auth } }),
  );
  await add(
    "sync workbook",
    "put",
    REGISTRATIONS("xlsx"),
    put("xlsx", await xlsxBuffer(["registration.id", "registration.startNumber"], 1, () => [native.id, "11"])),
  );
  await add(
    "download workbook, columns",
    "get",
    REGISTRATIONS("xlsx"),
    call(url("xlsx", "columns=registration.code,registration.startNumber"), {
      headers: { Authorization: s.organizer.auth },
    }),
  );
  await add(
    "download CSV, Excel, columns",
    "get",
    REGISTRATIONS("csv"),
    call(url("csv", `dialect=excel&columns=${Object.keys(COLUMNS).join(",")}`), {
      headers: { Authorization: s.organizer.auth },
    }),
  );
  await add(
    "start list",
    "get",
    START_LIST,
    call(`${server.url}/api/events/activities/${s.activityId}/startlist.json`),
  );
  await add("health", "get", "/healthz", call(`${server.url}/healthz`));
  await add("readiness", "get", "/readyz", call(`${server.url}/readyz`));
  await add("metrics", "get", "/metrics", call(`${server.url}/metrics`));
  await add("this document", "get", "/openapi.json", call(`${server.url}/openapi.json`));
  await add("documentation page", "get", "/api/docs", call(`${server.url}/api/docs`));

  // Idempotency-Key: a replay, a reuse, and (on PostgreSQL) a key still in use.
  const once = JSON.stringify([{ id: native.id, startNumber: "9" }]);
  await put("json", once, { headers: { "Idempotency-Key": "openapi-1" } });
  await add("replay", "put", REGISTRATIONS("json"), put("json", once, { headers: { "Idempotency-Key": "openapi-1" } }));
  await add(
    "Idempotency-Key reused",
    "put",
    REGISTRATIONS("json"),
    put("json", "[]", { headers: { "Idempotency-Key": "openapi-1" } }),
  );
  const rejected = REJECTED_CSV;
  await put("csv", rejected, { headers: { "Idempotency-Key": "openapi-2" } });
  await add(
    "replay of a rejected CSV batch",
    "put",
    REGISTRATIONS("csv"),
    put("csv", rejected, { headers: { "Idempotency-Key": "openapi-2" } }),
  );
  if (!onEmbedded()) {
    // The first request waits for the activity's lock, held here, with its key reserved. (PGlite is one session:
    // a lock held by the test would block the server itself.)
    const runner = server.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`SELECT id FROM activity WHERE id = $1 FOR UPDATE`, [s.activityId]);
    const body = JSON.stringify([{ id: native.id, startNumber: "10" }]);
    const first = put("json", body, { headers: { "Idempotency-Key": "openapi-3" } });
    try {
      while (!(await server.db.query(`SELECT 1 FROM idempotent_request WHERE key = 'openapi-3'`)).length)
        await new Promise((resolve) => setTimeout(resolve, 20));
      await add(
        "Idempotency-Key in use",
        "put",
        REGISTRATIONS("json"),
        put("json", body, { headers: { "Idempotency-Key": "openapi-3" } }),
      );
    } finally {
      await runner.commitTransaction();
      await runner.release();
    }
    await add("first request with the key that was in use", "put", REGISTRATIONS("json"), first);
  }
}
