// The OpenAPI document's tests (test/rest/openapi-*.test.ts): their server, reading the document (JSON pointers,
// $refs, and a JSON Schema validator that knows the document's schemas), and the routes the app serves.
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { expect } from "vitest";
import type { nativeRegistration, Scenario } from "./fixtures";
import type { Reply } from "./http";
import { startServer, type TestServer } from "./test-server";

// A small body limit and failure limit, so that 413 and 429 are cheap to provoke.
export const BODY_LIMIT = 65_536;
export const FAILURES_PER_KEY_NAME = 2;
// The start lists' samples stay under it until the last ones, which go over.
export const ANONYMOUS_REQUESTS = 10;

/** A server with the limits above. */
export const startOpenApiServer = () =>
  startServer({
    BODY_LIMIT_BYTES: String(BODY_LIMIT),
    AUTH_FAILURES_PER_KEY_NAME: String(FAILURES_PER_KEY_NAME),
    ANONYMOUS_REQUESTS_PER_MINUTE: String(ANONYMOUS_REQUESTS),
  });

export const escapePointer = (part: string) => part.replace(/~/g, "~0").replace(/\//g, "~1");
export const pointerOf = (...parts: string[]) => parts.map((p) => `/${escapePointer(p)}`).join("");

export const mediaTypeOf = (contentType: string | null) => (contentType ?? "").split(";")[0].trim().toLowerCase();

/** The document as served, read by JSON pointer. */
export class OpenApiDocument {
  private ajv: Ajv2020 | undefined;

  constructor(readonly document: any) {}

  at(pointer: string): any {
    return pointer
      .split("/")
      .slice(1)
      .reduce((node, part) => node?.[part.replace(/~1/g, "/").replace(/~0/g, "~")], this.document);
  }

  /** The object at `pointer`, following a `$ref` to its target; both with their pointer. */
  resolved(pointer: string): { pointer: string; value: any } {
    const value = this.at(pointer);
    if (value && typeof value.$ref === "string") return this.resolved(value.$ref.slice(1));
    return { pointer, value };
  }

  /** Validates `data` against the schema at `pointer` in the document, whose $refs point into the document. */
  schemaErrors(pointer: string, data: unknown): string | null {
    if (!this.ajv) {
      this.ajv = new Ajv2020({ strict: false, allErrors: true });
      addFormats(this.ajv);
      this.ajv.addSchema(this.document, "regsync-openapi");
    }
    const validate = this.ajv.compile({ $ref: `regsync-openapi#${pointer}` });
    return validate(data) ? null : this.ajv.errorsText(validate.errors, { dataVar: "answer" });
  }

  /** The reply is what the document says this operation answers with its status: media type, schema, headers. */
  expectDocumented(label: string, method: string, route: string, reply: Reply): void {
    const operation = pointerOf("paths", route, method);
    expect(this.at(operation), `${label}: ${method.toUpperCase()} ${route} is documented`).toBeDefined();
    expect(
      this.at(`${operation}/responses/${reply.status}`),
      `${label}: status ${reply.status} is documented (${reply.text.slice(0, 300)})`,
    ).toBeDefined();
    const response = this.resolved(`${operation}/responses/${reply.status}`);
    const mediaType = mediaTypeOf(reply.headers.get("content-type"));
    expect(Object.keys(response.value.content ?? {}), `${label}: media type`).toContain(mediaType);
    const body = /[/+]json$/.test(mediaType) ? JSON.parse(reply.text) : reply.text;
    expect(
      this.schemaErrors(`${response.pointer}/content/${escapePointer(mediaType)}/schema`, body),
      `${label}: body`,
    ).toBeNull();
    for (const name of Object.keys(response.value.headers ?? {})) {
      const headerPointer = this.resolved(`${response.pointer}/headers/${escapePointer(name)}`);
      const value = reply.headers.get(name);
      if (headerPointer.value.required) expect(value, `${label}: header ${name}`).not.toBeNull();
      if (value === null) continue;
      const typed = headerPointer.value.schema.type === "integer" ? Number(value) : value;
      expect(
        this.schemaErrors(`${headerPointer.pointer}/schema`, typed),
        `${label}: header ${name}: ${value}`,
      ).toBeNull();
    }
  }

  documentedRoutes(): string[] {
    return Object.entries(this.document.paths as Record<string, Record<string, unknown>>).flatMap(([route, item]) =>
      ["get", "put", "post", "patch", "delete", "head", "options"]
        .filter((m) => item[m])
        .map((m) => `${m.toUpperCase()} ${route}`),
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The routes the app serves, from its router.

/** Values an Express parameter inside a path segment takes: registration-routes.ts answers 404 for other formats. */
const SEGMENT_VALUES: Record<string, string[]> = { format: ["json", "csv", "xlsx"] };

/** Served, but not part of the REST API's document. */
export const NOT_DOCUMENTED = [
  { prefix: "/graphql", why: "GraphQL, described by schema.graphql; its IDE page and files" },
  { prefix: "/api/docs/assets/", why: "the documentation page's script and style files" },
];

export interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  rawPath?: string;
  handle: { stack?: Layer[] };
}

export function servedRoutes(stack: Layer[], prefix = ""): string[] {
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

// ---------------------------------------------------------------------------------------------------------------
// Real answers, one or more per documented status (gathered by openapi-samples.ts).

export interface Sample {
  label: string;
  method: "get" | "put";
  route: string;
  reply: Reply;
}

export type Format = "json" | "csv" | "xlsx";
export const REGISTRATIONS = (format: Format) => `/api/events/activities/{activityId}/registrations.${format}`;
export const START_LIST = "/api/events/activities/{activityId}/startlist.json";
export const START_LIST_PAGE = "/activities/{activityId}/startlist";

/** A CSV batch whose one row fails (a 31st of February). */
export const REJECTED_CSV = `person.givenName,person.surname,person.sex,person.birthDate\nJana,Nová,Female,1999-02-30\n`;

/** What the sample gatherers share: the server, a scenario with one native registration, and ways to call. */
export interface SampleContext {
  server: TestServer;
  s: Scenario;
  native: Awaited<ReturnType<typeof nativeRegistration>>;
  url(format: Format, query?: string, activityId?: string): string;
  add(label: string, method: Sample["method"], route: string, reply: Promise<Reply>): Promise<void>;
  put(
    format: Format,
    body: string | Buffer,
    options?: { query?: string; auth?: string; headers?: Record<string, string>; activityId?: string },
  ): Promise<Reply>;
}
