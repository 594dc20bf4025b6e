// The REST API's OpenAPI document (issue 6): valid OpenAPI 3.1, exactly the routes the app serves, true to real
// answers, and rendered at /api/docs by Swagger UI from this server alone.
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { COLUMNS } from "../../src/rest/registration-table";
import { XLSX_MEDIA_TYPE, xlsxBuffer } from "../../src/rest/xlsx-codec";
import { createAccessKey } from "../../src/services/access-keys";
import {
  readInsertAmount,
  readInsertState,
  readItemKeys,
  readPersonFields,
  type RowError,
} from "../../src/services/sync-input";
import packageJson from "../../package.json";
import { blockAllBut, browserSkipReason, collectProblems, launchChromium, noBrowser } from "../support/browser";
import { basic, nativeRegistration, scenario, type Scenario } from "../support/fixtures";
import { call, registrationsUrl, type Reply } from "../support/http";
import { onEmbedded, startServer, type TestServer } from "../support/test-server";

// A small body limit and failure limit, so that 413 and 429 are cheap to provoke.
const BODY_LIMIT = 65_536;
const FAILURES_PER_KEY_NAME = 2;
// The start lists' samples stay under it until the last ones, which go over.
const ANONYMOUS_REQUESTS = 10;

let server: TestServer;
let document: any;
beforeAll(async () => {
  server = await startServer({
    BODY_LIMIT_BYTES: String(BODY_LIMIT),
    AUTH_FAILURES_PER_KEY_NAME: String(FAILURES_PER_KEY_NAME),
    ANONYMOUS_REQUESTS_PER_MINUTE: String(ANONYMOUS_REQUESTS),
  });
  document = (await call(`${server.url}/openapi.json`)).json;
});
afterAll(() => server?.close());

// ---------------------------------------------------------------------------------------------------------------
// Reading the document: JSON pointers, $refs, and a JSON Schema validator that knows the document's schemas.

const escapePointer = (part: string) => part.replace(/~/g, "~0").replace(/\//g, "~1");
const pointerOf = (...parts: string[]) => parts.map((p) => `/${escapePointer(p)}`).join("");

function at(pointer: string): any {
  return pointer
    .split("/")
    .slice(1)
    .reduce((node, part) => node?.[part.replace(/~1/g, "/").replace(/~0/g, "~")], document);
}

/** The object at `pointer`, following a `$ref` to its target; both with their pointer. */
function resolved(pointer: string): { pointer: string; value: any } {
  const value = at(pointer);
  if (value && typeof value.$ref === "string") return resolved(value.$ref.slice(1));
  return { pointer, value };
}

let ajv: Ajv2020 | undefined;
/** Validates `data` against the schema at `pointer` in the document, whose $refs point into the document. */
function schemaErrors(pointer: string, data: unknown): string | null {
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(document, "regsync-openapi");
  }
  const validate = ajv.compile({ $ref: `regsync-openapi#${pointer}` });
  return validate(data) ? null : ajv.errorsText(validate.errors, { dataVar: "answer" });
}

const mediaTypeOf = (contentType: string | null) => (contentType ?? "").split(";")[0].trim().toLowerCase();

/** The reply is what the document says this operation answers with its status: media type, schema, headers. */
function expectDocumented(label: string, method: string, route: string, reply: Reply): void {
  const operation = pointerOf("paths", route, method);
  expect(at(operation), `${label}: ${method.toUpperCase()} ${route} is documented`).toBeDefined();
  expect(
    at(`${operation}/responses/${reply.status}`),
    `${label}: status ${reply.status} is documented (${reply.text.slice(0, 300)})`,
  ).toBeDefined();
  const response = resolved(`${operation}/responses/${reply.status}`);
  const mediaType = mediaTypeOf(reply.headers.get("content-type"));
  expect(Object.keys(response.value.content ?? {}), `${label}: media type`).toContain(mediaType);
  const body = /[/+]json$/.test(mediaType) ? JSON.parse(reply.text) : reply.text;
  expect(
    schemaErrors(`${response.pointer}/content/${escapePointer(mediaType)}/schema`, body),
    `${label}: body`,
  ).toBeNull();
  for (const name of Object.keys(response.value.headers ?? {})) {
    const headerPointer = resolved(`${response.pointer}/headers/${escapePointer(name)}`);
    const value = reply.headers.get(name);
    if (headerPointer.value.required) expect(value, `${label}: header ${name}`).not.toBeNull();
    if (value === null) continue;
    const typed = headerPointer.value.schema.type === "integer" ? Number(value) : value;
    expect(schemaErrors(`${headerPointer.pointer}/schema`, typed), `${label}: header ${name}: ${value}`).toBeNull();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The routes the app serves, from its router.

/** Values an Express parameter inside a path segment takes: registration-routes.ts answers 404 for other formats. */
const SEGMENT_VALUES: Record<string, string[]> = { format: ["json", "csv", "xlsx"] };

/** Served, but not part of the REST API's document. */
const NOT_DOCUMENTED = [
  { prefix: "/graphql", why: "GraphQL, described by schema.graphql; its IDE page and files" },
  { prefix: "/api/docs/assets/", why: "the documentation page's script and style files" },
];

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  rawPath?: string;
  handle: { stack?: Layer[] };
}

function servedRoutes(stack: Layer[], prefix = ""): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const routePath = `${prefix}${layer.route.path}`.replace(/(.)\/$/, "$1");
      return Object.keys(layer.route.methods)
        .filter((m) => m !== "_all")
        .flatMap((method) => expand(routePath).map((p) => `${method.toUpperCase()} ${p}`));
    }
    if (layer.handle.stack)
      return servedRoutes(
        layer.handle.stack,
        layer.rawPath && layer.rawPath !== "/" ? `${prefix}${layer.rawPath}` : prefix,
      );
    return [];
  });
}

/** `/a/:id/b.:format` → `/a/{id}/b.json`, `/a/{id}/b.csv`. */
function expand(routePath: string): string[] {
  const segment = /\.:(\w+)/.exec(routePath);
  if (segment) {
    const values = SEGMENT_VALUES[segment[1]];
    if (!values) throw new Error(`No values known for :${segment[1]} in ${routePath}; add them to SEGMENT_VALUES`);
    return values.flatMap((value) => expand(routePath.replace(segment[0], `.${value}`)));
  }
  return [routePath.replace(/:(\w+)/g, "{$1}")];
}

function documentedRoutes(): string[] {
  return Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([route, item]) =>
    ["get", "put", "post", "patch", "delete", "head", "options"]
      .filter((m) => item[m])
      .map((m) => `${m.toUpperCase()} ${route}`),
  );
}

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const reply = await call(`${server.url}/openapi.json`);
    expect(reply.status).toBe(200);
    expect(mediaTypeOf(reply.headers.get("content-type"))).toBe("application/json");
    const validator = new Validator();
    const result = await validator.validate(structuredClone(reply.json));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    // Every $ref points somewhere.
    const refs = [...reply.text.matchAll(/"\$ref": "(#[^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of new Set(refs)) expect(at(ref.slice(1)), ref).toBeDefined();
  });

  it("carries the package's version", () => {
    expect(document.info.version).toBe(packageJson.version);
  });

  it("documents every route the app serves, and none it does not", async () => {
    const { app, stop } = await createApp(server.db, server.config);
    let served: string[];
    try {
      served = servedRoutes((app.router as unknown as { stack: Layer[] }).stack);
    } finally {
      await stop();
    }
    const rest = served.filter((route) => !NOT_DOCUMENTED.some(({ prefix }) => route.split(" ")[1].startsWith(prefix)));
    expect(rest).toContain("GET /api/events/activities/{activityId}/registrations.csv");
    expect([...new Set(documentedRoutes())].sort()).toEqual([...new Set(rest)].sort());
  });

  it("gives every operation an id, a summary, a description, and a described answer for each status", () => {
    const ids = new Set<string>();
    for (const route of documentedRoutes()) {
      const [method, routePath] = route.split(" ");
      const operation = at(pointerOf("paths", routePath, method.toLowerCase()));
      expect(operation.operationId, route).toMatch(/^[a-z][A-Za-z]+$/);
      expect(ids.has(operation.operationId), route).toBe(false);
      ids.add(operation.operationId);
      expect(operation.summary.length, route).toBeGreaterThan(5);
      expect(operation.description.length, route).toBeGreaterThan(20);
      for (const status of Object.keys(operation.responses)) {
        const response = resolved(pointerOf("paths", routePath, method.toLowerCase(), "responses", status)).value;
        expect(response.description.length, `${route} ${status}`).toBeGreaterThan(5);
        expect(Object.keys(response.headers ?? {}), `${route} ${status}`).toContain("X-Request-Id");
      }
    }
  });

  it("has every example match its schema", () => {
    const checked: string[] = [];
    const visit = (node: any, pointer: string) => {
      if (!node || typeof node !== "object") return;
      if (node.schema && node.examples && !Array.isArray(node.examples)) {
        for (const [name, example] of Object.entries(node.examples as Record<string, { value: unknown }>)) {
          expect(schemaErrors(`${pointer}/schema`, example.value), `${pointer} example ${name}`).toBeNull();
          checked.push(`${pointer}/${name}`);
        }
      }
      for (const [key, child] of Object.entries(node)) visit(child, `${pointer}/${escapePointer(key)}`);
    };
    visit(document, "");
    expect(checked.length).toBeGreaterThan(25);
  });

  it("states the limits and values the sync's input classes enforce", () => {
    // The document is generated from the decorators; this reads each limit back and tries it on the sync's reader.
    const item = at(pointerOf("components", "schemas", "SyncItem"));
    const errorsOf = (path: string, value: unknown): RowError[] => {
      const [head, tail] = path.split(".");
      const sent: Record<string, unknown> = tail ? { [head]: { [tail]: value } } : { [head]: value };
      const errors: RowError[] = [];
      readItemKeys(sent, 0, errors);
      readPersonFields(sent, 0, "edit", errors);
      readInsertState(sent, 0, errors);
      readInsertAmount(sent, 0, "CZK", errors);
      return errors.filter((error) => error.field === path);
    };
    // A value of exactly the limit that the field's format allows.
    const longest: Record<string, (n: number) => string> = {
      startNumber: (n) => "1".repeat(n),
      "person.country": () => "CZ",
      "person.language": (n) => `en${"-abcdefgh".repeat(8)}`.slice(0, n).replace(/-$/, "x"),
    };
    const checked: string[] = [];
    const fields = Object.entries(item.properties as Record<string, any>).flatMap(([name, schema]) =>
      schema.properties
        ? Object.entries(schema.properties as Record<string, any>).map(([inner, s]) => [`${name}.${inner}`, s] as const)
        : [[name, schema] as const],
    );
    for (const [path, schema] of fields) {
      if (schema.maxLength !== undefined) {
        const text = (longest[path] ?? ((n: number) => "x".repeat(n)))(schema.maxLength);
        expect(text).toHaveLength(schema.maxLength);
        expect(errorsOf(path, text), `${path} at its maxLength`).toEqual([]);
        expect(
          errorsOf(path, `${text}1`)
            .map((e) => e.message)
            .join(),
          `${path} over its maxLength`,
        ).toMatch(new RegExp(`must be at most ${schema.maxLength} characters$`));
        checked.push(path);
      }
      for (const value of schema.enum ?? []) expect(errorsOf(path, value), `${path} = ${value}`).toEqual([]);
      if (schema.enum) expect(errorsOf(path, "Unlisted")).toHaveLength(1);
      if (schema.maximum !== undefined) {
        expect(errorsOf(path, schema.maximum)).toEqual([]);
        expect(errorsOf(path, schema.maximum + 1)).toHaveLength(1);
      }
      if (schema.minimum !== undefined) {
        expect(errorsOf(path, schema.minimum)).toEqual([]);
        expect(errorsOf(path, schema.minimum - 1)).toHaveLength(1);
      }
    }
    expect(checked).toEqual(
      expect.arrayContaining(["externalId", "startNumber", "person.givenName", "person.surname", "person.nickname"]),
    );
  });

  it("describes every CSV column the codec knows", () => {
    const csvDownload = at(pointerOf("paths", "/api/events/activities/{activityId}/registrations.csv", "get"));
    for (const column of Object.keys(COLUMNS)) {
      expect(csvDownload.description, column).toMatch(
        new RegExp(`\\| \`${column.replace(/\./g, "\\.")}\` \\| (read|ignored) \\| \\S.{10,}`),
      );
    }
  });

  it("lists exactly the upload media types the server takes", async () => {
    const s = await scenario(server.db);
    const workbook = await xlsxBuffer(["registration.id", "registration.startNumber"], 0, () => []);
    for (const format of ["json", "csv", "xlsx"] as const) {
      const content = at(
        pointerOf(
          "paths",
          `/api/events/activities/{activityId}/registrations.${format}`,
          "put",
          "requestBody",
          "content",
        ),
      );
      const body =
        format === "json" ? "[]" : format === "csv" ? "registration.id,registration.startNumber\n" : workbook;
      for (const type of [...Object.keys(content), "application/xml", "image/png"]) {
        const reply = await call(registrationsUrl(server.url, s.activityId, format), {
          method: "PUT",
          headers: { Authorization: s.organizer.auth, "Content-Type": type },
          body,
        });
        expect([format, type, reply.status]).toEqual([format, type, type in content ? 200 : 415]);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Real answers, one or more per documented status.

interface Sample {
  label: string;
  method: "get" | "put";
  route: string;
  reply: Reply;
}

type Format = "json" | "csv" | "xlsx";
const REGISTRATIONS = (format: Format) => `/api/events/activities/{activityId}/registrations.${format}`;
const START_LIST = "/api/events/activities/{activityId}/startlist.json";
const START_LIST_PAGE = "/activities/{activityId}/startlist";

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
]);

describe("real answers match the document", () => {
  const samples: Sample[] = [];
  let s: Scenario;

  beforeAll(async () => {
    s = await scenario(server.db);
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
    await add(
      "replay",
      "put",
      REGISTRATIONS("json"),
      put("json", once, { headers: { "Idempotency-Key": "openapi-1" } }),
    );
    await add(
      "Idempotency-Key reused",
      "put",
      REGISTRATIONS("json"),
      put("json", "[]", { headers: { "Idempotency-Key": "openapi-1" } }),
    );
    const rejected = `person.givenName,person.surname,person.sex,person.birthDate\nJana,Nová,Female,1999-02-30\n`;
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

    // Failures.
    const emptyWorkbook = await xlsxBuffer(["registration.id"], 0, () => []);
    const empty = (format: Format) =>
      format === "json" ? "[]" : format === "csv" ? "registration.id\n" : emptyWorkbook;
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
  }, 120_000);

  it("answers each sample as the document says: status, media type, body schema and headers", () => {
    expect(samples.length).toBeGreaterThan(50);
    for (const { label, method, route, reply } of samples) expectDocumented(label, method, route, reply);
  });

  it("provokes every documented status but server failures", () => {
    const seen = new Set(samples.map(({ method, route, reply }) => `${method.toUpperCase()} ${route} ${reply.status}`));
    const documented = documentedRoutes().flatMap((route) => {
      const [method, routePath] = route.split(" ");
      return Object.keys(at(pointerOf("paths", routePath, method.toLowerCase(), "responses"))).map(
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
    expect(schemaErrors(download, good)).toBeNull();
    expect(schemaErrors(download, [{ ...good[0], person: undefined }])).toMatch(/person/);
    expect(schemaErrors(download, [{ ...good[0], state: "Paid" }])).toMatch(/state/);
    expect(schemaErrors(download, [{ ...good[0], created: "yesterday" }])).toMatch(/created/);
    const unauthorized = resolved(pointerOf("paths", REGISTRATIONS("json"), "get", "responses", "401")).pointer;
    const problem = samples.find((sample) => sample.label === "json: no key")!.reply.json;
    expect(schemaErrors(`${unauthorized}/content/application~1problem+json/schema`, problem)).toBeNull();
    expect(
      schemaErrors(`${unauthorized}/content/application~1problem+json/schema`, { ...problem, status: 403 }),
    ).toMatch(/status/);
    const rows = `${pointerOf("paths", REGISTRATIONS("csv"), "put", "responses", "422")}/content/application~1problem+json/schema`;
    const rejected = samples.find((sample) => sample.label === "csv: failing rows")!.reply.json;
    expect(schemaErrors(rows, rejected)).toBeNull();
    expect(schemaErrors(rows, { ...rejected, errors: [{ ...rejected.errors[0], line: undefined }] })).not.toBeNull();
  });

  it("sends the headers the document promises on the answers that carry them", () => {
    const find = (label: string) => samples.find((sample) => sample.label === label)!.reply;
    expect(find("json: no key").headers.get("www-authenticate")).toMatch(/^Basic realm="regsync"/);
    expect(find("sync JSON").headers.get("sync-summary")).toBe("Created=1, Updated=1, Unchanged=0, Skipped=0");
    expect(find("replay").headers.get("idempotent-replayed")).toBe("true");
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

// ---------------------------------------------------------------------------------------------------------------
// The documentation page.

describe("the documentation page at /api/docs", () => {
  it("is Swagger UI from this server, with its own policy allowing its files and calls to this server only", async () => {
    const page = await call(`${server.url}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = [...page.text.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)]
      .map((m) => m[1])
      .filter((src) => !src.startsWith("data:"));
    expect(assets.length).toBe(3);
    for (const src of assets) {
      const url = new URL(src, `${server.url}/api/docs`);
      expect(url.origin, src).toBe(server.url);
      const asset = await fetch(url);
      expect(asset.status, src).toBe(200);
      expect(asset.headers.get("content-type"), src).toMatch(/javascript|^text\/css/);
      expect((await asset.arrayBuffer()).byteLength, src).toBeGreaterThan(0);
    }
    const start = await call(`${server.url}/api/docs/assets/docs-start.js`);
    expect(start.text).toContain('url: "/openapi.json"');
    expect(start.text).toContain("validatorUrl: null");
  });

  it("answers an unknown asset with the API's 404 problem, never a file from elsewhere", async () => {
    for (const name of ["package.json", "..%2Fpackage.json", "index.html"]) {
      const reply = await call(`${server.url}/api/docs/assets/${name}`);
      expect([name, reply.status, mediaTypeOf(reply.headers.get("content-type"))]).toEqual([
        name,
        404,
        "application/problem+json",
      ]);
    }
  });

  it.skipIf(noBrowser)(
    `renders every operation in headless Chromium with every request off this server blocked${browserSkipReason}`,
    async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const blocked = await blockAllBut(page, server.url);
        const problems = collectProblems(page);
        await page.goto(`${server.url}/api/docs`);
        const operations = documentedRoutes();
        // One block per operation; a locator, not waitForFunction, since the page's CSP (rightly) forbids eval.
        await page
          .locator(".opblock")
          .nth(operations.length - 1)
          .waitFor({ timeout: 30_000 });
        expect(await page.locator(".opblock").count()).toBe(operations.length);
        await page.locator(".info .title", { hasText: document.info.title }).waitFor();
        for (const route of operations) {
          const [method, routePath] = route.split(" ");
          await page
            .locator(`.opblock-${method.toLowerCase()} .opblock-summary-path[data-path="${routePath}"]`)
            .first()
            .waitFor({ timeout: 5_000 });
        }
        // Open the JSON sync: its parameters and answers render, with the problem statuses.
        await page.locator(`.opblock-put .opblock-summary-path[data-path="${REGISTRATIONS("json")}"]`).click();
        const opened = page.locator(".opblock.is-open");
        await opened.locator(".parameters-container", { hasText: "Idempotency-Key" }).waitFor({ timeout: 10_000 });
        for (const status of ["200", "401", "403", "409", "422", "429"]) {
          await opened.locator(".responses-table .response-col_status", { hasText: status }).first().waitFor();
        }
        await page.screenshot({ path: path.join(os.tmpdir(), "regsync-openapi.png"), fullPage: true });
        expect(blocked).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );
});
