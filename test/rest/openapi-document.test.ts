// The REST API's OpenAPI document (issue 6): valid OpenAPI 3.1, exactly the routes the app serves, its limits
// and media types those the server enforces. Real answers: openapi-answers.test.ts; the page: openapi-docs-page.test.ts.
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { COLUMNS } from "../../src/rest/registration-table";
import { xlsxBuffer } from "../../src/rest/xlsx-codec";
import {
  readInsertAmount,
  readInsertState,
  readItemKeys,
  readPersonFields,
  type RowError,
} from "../../src/services/sync-input";
import { readResultKeys, type ResultItemInput } from "../../src/services/result-sync/result-keys";
import packageJson from "../../package.json";
import { scenario } from "../support/fixtures";
import { call } from "../support/http";
import {
  NOT_DOCUMENTED,
  OpenApiDocument,
  escapePointer,
  mediaTypeOf,
  pointerOf,
  servedRoutes,
  startOpenApiServer,
  type Layer,
} from "../support/openapi-checks";
import type { TestServer } from "../support/test-server";

let server: TestServer;
let openapi: OpenApiDocument;
beforeAll(async () => {
  server = await startOpenApiServer();
  openapi = new OpenApiDocument((await call(`${server.url}/openapi.json`)).json);
});
afterAll(() => server?.close());

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
    for (const ref of new Set(refs)) expect(openapi.at(ref.slice(1)), ref).toBeDefined();
  });

  it("carries the package's version", () => {
    expect(openapi.document.info.version).toBe(packageJson.version);
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
    expect([...new Set(openapi.documentedRoutes())].sort()).toEqual([...new Set(rest)].sort());
  });

  it("gives every operation an id, a summary, a description, and a described answer for each status", () => {
    const ids = new Set<string>();
    for (const route of openapi.documentedRoutes()) {
      const [method, routePath] = route.split(" ");
      const operation = openapi.at(pointerOf("paths", routePath, method.toLowerCase()));
      expect(operation.operationId, route).toMatch(/^[a-z][A-Za-z]+$/);
      expect(ids.has(operation.operationId), route).toBe(false);
      ids.add(operation.operationId);
      expect(operation.summary.length, route).toBeGreaterThan(5);
      expect(operation.description.length, route).toBeGreaterThan(20);
      for (const status of Object.keys(operation.responses)) {
        const response = openapi.resolved(
          pointerOf("paths", routePath, method.toLowerCase(), "responses", status),
        ).value;
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
          expect(openapi.schemaErrors(`${pointer}/schema`, example.value), `${pointer} example ${name}`).toBeNull();
          checked.push(`${pointer}/${name}`);
        }
      }
      for (const [key, child] of Object.entries(node)) visit(child, `${pointer}/${escapePointer(key)}`);
    };
    visit(openapi.document, "");
    expect(checked.length).toBeGreaterThan(25);
  });

  it("states the limits and values the sync's input classes enforce", () => {
    // The document is generated from the decorators; this reads each limit back and tries it on the sync's reader.
    const item = openapi.at(pointerOf("components", "schemas", "SyncItem"));
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

  it("states the limits and values the results sync's item class enforces", () => {
    // SyncResultItem is generated from SyncResultInput's decorators; each limit read back is tried on the reader.
    const item = openapi.at(pointerOf("components", "schemas", "SyncResultItem"));
    const errorsOf = (name: string, value: unknown): RowError[] => {
      const errors: RowError[] = [];
      readResultKeys({ [name]: value } as ResultItemInput, 0, errors);
      return errors.filter((error) => error.field === name);
    };
    const splits = (n: number, distance = (i: number) => i + 1) =>
      Array.from({ length: n }, (_, i) => ({
        distance: distance(i),
        time: new Date(Date.UTC(2022, 8, 1, 15, 0, i)).toISOString(),
      }));
    const checked: string[] = [];
    for (const [name, schema] of Object.entries(item.properties as Record<string, any>)) {
      if (schema.maxLength !== undefined) {
        expect(errorsOf(name, "1".repeat(schema.maxLength)), `${name} at its maxLength`).toEqual([]);
        expect(errorsOf(name, "1".repeat(schema.maxLength + 1)), `${name} over its maxLength`).toHaveLength(1);
        checked.push(name);
      }
      if (schema.maximum !== undefined) {
        expect(errorsOf(name, schema.maximum), `${name} at its maximum`).toEqual([]);
        expect(errorsOf(name, schema.maximum + 1), `${name} over its maximum`).toHaveLength(1);
        expect(errorsOf(name, schema.minimum), `${name} at its minimum`).toEqual([]);
        expect(errorsOf(name, schema.minimum - 1), `${name} under its minimum`).toHaveLength(1);
        checked.push(name);
      }
      if (schema.enum) {
        for (const value of schema.enum) expect(errorsOf(name, value), `${name} = ${value}`).toEqual([]);
        expect(errorsOf(name, "Unlisted")).toHaveLength(1);
        checked.push(name);
      }
      if (schema.maxItems !== undefined) {
        expect(errorsOf(name, splits(schema.maxItems)), `${name} at its maxItems`).toEqual([]);
        expect(errorsOf(name, splits(schema.maxItems + 1)), `${name} over its maxItems`).toHaveLength(1);
        const { maximum } = schema.items.properties.distance;
        expect(
          errorsOf(
            name,
            splits(1, () => maximum),
          ),
          "the farthest split",
        ).toEqual([]);
        expect(
          errorsOf(
            name,
            splits(1, () => maximum + 1),
          ),
          "a split too far",
        ).toHaveLength(1);
        expect(
          errorsOf(
            name,
            splits(1, () => 0),
          ),
          "a split at the start",
        ).toHaveLength(1);
        checked.push(name);
      }
    }
    expect(checked.sort()).toEqual(
      [
        "category",
        "position",
        "positionByCategory",
        "positionBySex",
        "splitTimes",
        "startNumber",
        "status",
        "time",
      ].sort(),
    );
    expect(Object.keys(item.properties.person.properties)).toContain("birthDate");
  });

  it("describes every CSV column the codec knows", () => {
    const csvDownload = openapi.at(pointerOf("paths", "/api/events/activities/{activityId}/registrations.csv", "get"));
    for (const column of Object.keys(COLUMNS)) {
      expect(csvDownload.description, column).toMatch(
        new RegExp(`\\| \`${column.replace(/\./g, "\\.")}\` \\| (read|ignored) \\| \\S.{10,}`),
      );
    }
  });

  it("lists exactly the upload media types the server takes", async () => {
    const s = await scenario(server.db);
    const workbook = await xlsxBuffer(["registration.id", "registration.startNumber"], 0, () => []);
    for (const [noun, format] of (["registrations", "results"] as const).flatMap((n) =>
      (["json", "csv", "xlsx"] as const).map((f) => [n, f] as const),
    )) {
      const route = `/api/events/activities/{activityId}/${noun}.${format}`;
      const content = openapi.at(pointerOf("paths", route, "put", "requestBody", "content"));
      const body =
        format === "json" ? "[]" : format === "csv" ? "registration.id,registration.startNumber\n" : workbook;
      for (const type of [...Object.keys(content), "application/xml", "image/png"]) {
        const reply = await call(`${server.url}${route.replace("{activityId}", s.activityId)}`, {
          method: "PUT",
          headers: { Authorization: s.organizer.auth, "Content-Type": type },
          body,
        });
        expect([route, type, reply.status]).toEqual([route, type, type in content ? 200 : 415]);
      }
    }
  });
});
