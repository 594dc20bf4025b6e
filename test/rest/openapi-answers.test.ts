// The REST API's OpenAPI document (issue 6) is true to real answers: one or more of every documented status,
// each checked for its media type, body schema and headers (the samples: test/support/openapi-samples.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../support/http";
import {
  FAILURES_PER_KEY_NAME,
  OpenApiDocument,
  REGISTRATIONS,
  START_LIST,
  START_LIST_PAGE,
  pointerOf,
  startOpenApiServer,
  type Sample,
} from "../support/openapi-checks";
import { RESULTS_NOT_PROVOKED } from "../support/openapi-result-samples";
import { collectSamples } from "../support/openapi-samples";
import { onEmbedded, type TestServer } from "../support/test-server";

let server: TestServer;
let openapi: OpenApiDocument;
beforeAll(async () => {
  server = await startOpenApiServer();
  openapi = new OpenApiDocument((await call(`${server.url}/openapi.json`)).json);
});
afterAll(() => server?.close());

/** Documented answers not provoked here: server failures, and a 409 the JSON sync already shows (on PostgreSQL). */
const NOT_PROVOKED = new Set([
  ...(["json", "csv", "xlsx"] as const).flatMap((f) => [`GET ${REGISTRATIONS(f)} 500`, `PUT ${REGISTRATIONS(f)} 500`]),
  `GET ${START_LIST} 500`,
  `GET ${START_LIST_PAGE} 500`,
  "GET /readyz 503",
  // An unavailable database: test/rest/database-unavailable.test.ts provokes these on PostgreSQL.
  ...(["json", "csv", "xlsx"] as const).flatMap((f) => [`GET ${REGISTRATIONS(f)} 503`, `PUT ${REGISTRATIONS(f)} 503`]),
  `GET ${START_LIST} 503`,
  `GET ${START_LIST_PAGE} 503`,
  `PUT ${REGISTRATIONS("csv")} 409`,
  `PUT ${REGISTRATIONS("xlsx")} 409`,
  ...RESULTS_NOT_PROVOKED,
]);

describe("real answers match the document", () => {
  let samples: Sample[] = [];

  beforeAll(async () => {
    samples = await collectSamples(server);
  }, 120_000);

  it("answers each sample as the document says: status, media type, body schema and headers", () => {
    expect(samples.length).toBeGreaterThan(50);
    for (const { label, method, route, reply } of samples) openapi.expectDocumented(label, method, route, reply);
  });

  it("provokes every documented status but server failures", () => {
    const seen = new Set(samples.map(({ method, route, reply }) => `${method.toUpperCase()} ${route} ${reply.status}`));
    const documented = openapi.documentedRoutes().flatMap((route) => {
      const [method, routePath] = route.split(" ");
      return Object.keys(openapi.at(pointerOf("paths", routePath, method.toLowerCase(), "responses"))).map(
        (status) => `${route} ${status}`,
      );
    });
    const notProvoked = new Set(NOT_PROVOKED);
    if (onEmbedded()) notProvoked.add("PUT /api/events/activities/{activityId}/registrations.json 409");
    expect(documented.filter((answer) => !seen.has(answer) && !notProvoked.has(answer))).toEqual([]);
  });

  it("checks schemas for real: answers that differ from the document fail", () => {
    const download = `${pointerOf("paths", REGISTRATIONS("json"), "get", "responses", "200")}/content/application~1json/schema`;
    const good = samples.find((sample) => sample.label === "download JSON")!.reply.json;
    expect(good.length).toBeGreaterThan(0);
    expect(openapi.schemaErrors(download, good)).toBeNull();
    expect(openapi.schemaErrors(download, [{ ...good[0], person: undefined }])).toMatch(/person/);
    expect(openapi.schemaErrors(download, [{ ...good[0], state: "Paid" }])).toMatch(/state/);
    expect(openapi.schemaErrors(download, [{ ...good[0], created: "yesterday" }])).toMatch(/created/);
    const unauthorized = openapi.resolved(pointerOf("paths", REGISTRATIONS("json"), "get", "responses", "401")).pointer;
    const problem = samples.find((sample) => sample.label === "json: no key")!.reply.json;
    expect(openapi.schemaErrors(`${unauthorized}/content/application~1problem+json/schema`, problem)).toBeNull();
    expect(
      openapi.schemaErrors(`${unauthorized}/content/application~1problem+json/schema`, { ...problem, status: 403 }),
    ).toMatch(/status/);
    const rows = `${pointerOf("paths", REGISTRATIONS("csv"), "put", "responses", "422")}/content/application~1problem+json/schema`;
    const rejected = samples.find((sample) => sample.label === "csv: failing rows")!.reply.json;
    expect(openapi.schemaErrors(rows, rejected)).toBeNull();
    expect(
      openapi.schemaErrors(rows, { ...rejected, errors: [{ ...rejected.errors[0], line: undefined }] }),
    ).not.toBeNull();
  });

  it("sends the headers the document promises on the answers that carry them", () => {
    const find = (label: string) => samples.find((sample) => sample.label === label)!.reply;
    expect(find("json: no key").headers.get("www-authenticate")).toMatch(/^Basic realm="regsync"/);
    expect(find("sync JSON").headers.get("sync-summary")).toBe("Created=1, Updated=1, Unchanged=0, Skipped=0");
    expect(find("replay").headers.get("idempotent-replayed")).toBe("true");
    expect(find("results sync, partial, prune: a skipped row and deleted results").headers.get("sync-summary")).toBe(
      "Created=0, Updated=0, Unchanged=1, Deleted=3, Skipped=1",
    );
    expect(find("download JSON").headers.get("ratelimit-policy")).toMatch(/^"per-key";q=\d+;w=60$/);
    expect(find("sync JSON").headers.get("ratelimit")).toMatch(/^"per-key";r=\d+;t=\d+$/);
    expect(find("replay of a rejected CSV batch").headers.get("idempotent-replayed")).toBe("true");
    expect(
      Number(find(`json: put throttled after ${FAILURES_PER_KEY_NAME} failures`).headers.get("retry-after")),
    ).toBeGreaterThan(0);
    if (!onEmbedded()) expect(find("Idempotency-Key in use").headers.get("retry-after")).toBe("1");
    expect(find("json: failing rows").json.errors.map((e: { index: number }) => e.index)).toEqual([0, 1]);
    expect(find("csv: failing rows").json.errors.map((e: { line: number }) => e.line)).toEqual([2]);
    expect(find("xlsx: failing rows").json.errors.map((e: { line: number }) => e.line)).toEqual([2]);
  });
});
