// Every output of a registration follows the one field definition: the JSON answer and its OpenAPI schema,
// the CSV columns and the GraphQL types. A field the definition has and an output lacks fails here.
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { getNamedType, isObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { OPENAPI_DOCUMENT } from "../../src/rest/openapi/document";
import { COLUMNS, COLUMN_INPUTS, DEFAULT_COLUMNS, registrationCells } from "../../src/rest/registration-table";
import {
  PERSON_SCHEMA,
  REGISTRATION_PROPERTIES,
  REGISTRATION_REQUIRED,
  REGISTRATION_SCHEMA,
  registrationJson,
} from "../../src/rest/registration-json";
import { buildRegsyncSchema } from "../../src/schema/build-schema";
import {
  MONEY,
  PERSON,
  REGISTRATION,
  type OutputShape,
  type RegistrationView,
} from "../../src/services/registration-fields";

const FULL: RegistrationView = {
  id: "638f071396a4f9b0d1a2c3d4",
  activityId: "638f071396a4f9b0d1a2c3d0",
  created: new Date("2022-12-06T09:12:03.701Z"),
  modified: new Date("2022-12-07T10:00:00.000Z"),
  code: "RGZ196",
  state: "Confirmed",
  startNumber: "0010",
  amount: { value: 85000, currency: "CZK" },
  source: "External",
  externalId: "crm-42",
  person: {
    id: "638f071396a4f9b0d1a2c3d5",
    givenName: "Jana",
    middleName: "Marie",
    surname: "Nováková",
    sex: "Female",
    birthDate: "1975-11-27",
    language: "cs",
    nickname: "jana",
    country: "CZ",
    isProfilePublic: true,
    name: "Jana Nováková",
    ref: "jana",
  },
};

const BARE: RegistrationView = {
  ...FULL,
  startNumber: null,
  source: "Native",
  externalId: null,
  person: {
    ...FULL.person,
    middleName: null,
    language: null,
    nickname: null,
    country: null,
    isProfilePublic: false,
    ref: FULL.person.id,
  },
};

/** The fields of a shape an output shows, as dotted paths (`person.givenName`). */
function paths(shape: OutputShape, shows: (field: OutputShape["fields"][string]) => boolean, prefix = ""): string[] {
  return Object.entries(shape.fields).flatMap(([name, field]) => {
    if (!shows(field)) return [];
    return field.kind === "object" ? paths(field.shape, shows, `${prefix}${name}.`) : [`${prefix}${name}`];
  });
}

function keyPaths(json: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(json).flatMap(([key, value]) =>
    value !== null && typeof value === "object"
      ? keyPaths(value as Record<string, unknown>, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

const validator = () => {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  ajv.addKeyword("components"); // OpenAPI's container of the schemas the $refs point into
  ajv.addSchema({
    $id: "regsync",
    components: { schemas: { Person: PERSON_SCHEMA, Registration: REGISTRATION_SCHEMA } },
  });
  const validate = ajv.compile({ $ref: "regsync#/components/schemas/Registration" });
  return (data: unknown) => (validate(data) ? null : ajv.errorsText(validate.errors));
};

describe("the registration's outputs", () => {
  it("writes the JSON answer in the seed's shape and key order, leaving out empty optional fields", () => {
    expect(JSON.stringify(registrationJson(FULL))).toBe(
      JSON.stringify({
        id: FULL.id,
        created: "2022-12-06T09:12:03.701Z",
        code: "RGZ196",
        state: "Confirmed",
        startNumber: "0010",
        externalId: "crm-42",
        amount: { value: 85000, currency: "CZK" },
        person: {
          id: FULL.person.id,
          isProfilePublic: true,
          givenName: "Jana",
          middleName: "Marie",
          surname: "Nováková",
          sex: "Female",
          birthDate: "1975-11-27T00:00:00Z",
          language: "cs",
          nickname: "jana",
          country: "CZ",
          name: "Jana Nováková",
          ref: "jana",
        },
      }),
    );
    expect(JSON.stringify(registrationJson(BARE))).toBe(
      JSON.stringify({
        id: FULL.id,
        created: "2022-12-06T09:12:03.701Z",
        code: "RGZ196",
        state: "Confirmed",
        startNumber: null,
        amount: { value: 85000, currency: "CZK" },
        person: {
          id: FULL.person.id,
          isProfilePublic: false,
          givenName: "Jana",
          surname: "Nováková",
          sex: "Female",
          birthDate: "1975-11-27T00:00:00Z",
          name: "Jana Nováková",
          ref: FULL.person.id,
        },
      }),
    );
  });

  it("generates the OpenAPI schemas the document has, keyword for keyword", () => {
    const schemas = OPENAPI_DOCUMENT.components.schemas;
    expect(JSON.stringify(PERSON_SCHEMA)).toBe(JSON.stringify(schemas.Person));
    expect(JSON.stringify(REGISTRATION_SCHEMA)).toBe(JSON.stringify(schemas.Registration));
    const syncResult = schemas.SyncResult;
    expect(
      JSON.stringify(
        Object.fromEntries(Object.keys(REGISTRATION_PROPERTIES).map((key) => [key, syncResult.properties?.[key]])),
      ),
    ).toBe(JSON.stringify(REGISTRATION_PROPERTIES));
    expect(syncResult.anyOf?.[0].required).toEqual(REGISTRATION_REQUIRED);
  });

  it("validates real answers against the generated schema, and the schema has exactly the answer's keys", () => {
    const validate = validator();
    for (const view of [FULL, BARE]) expect(validate(registrationJson(view))).toBeNull();
    expect(validate({ ...registrationJson(BARE), startNumber: 10 })).toMatch(/startNumber/);
    expect(
      validate({ ...registrationJson(BARE), person: { ...(registrationJson(BARE).person as object), sex: "X" } }),
    ).toMatch(/sex/);
    const schemaPaths = [
      ...Object.keys(REGISTRATION_PROPERTIES).filter((key) => !["amount", "person"].includes(key)),
      ...Object.keys(REGISTRATION_PROPERTIES.amount.properties ?? {}).map((key) => `amount.${key}`),
      ...Object.keys(PERSON_SCHEMA.properties ?? {}).map((key) => `person.${key}`),
    ];
    expect(keyPaths(registrationJson(FULL)).sort()).toEqual(schemaPaths.sort());
    expect(keyPaths(registrationJson(BARE)).every((path) => schemaPaths.includes(path))).toBe(true);
  });

  it("shows every field of the definition in each output that does not opt out", () => {
    // JSON answer and OpenAPI schema.
    expect(keyPaths(registrationJson(FULL)).sort()).toEqual(paths(REGISTRATION, (f) => f.json !== false).sort());
    // CSV: a column per field, named by its path.
    const columnOf = (path: string) => (path.startsWith("person.") ? path : `registration.${path}`);
    expect(Object.keys(COLUMNS)).toEqual(paths(REGISTRATION, (f) => f.csv !== false).map(columnOf));
    // GraphQL: each type has exactly the fields of its shape (resolver-only fields aside).
    const schema = buildRegsyncSchema();
    const RESOLVED_ELSEWHERE: Record<string, string[]> = { Registration: ["activity"], Person: ["results"] };
    for (const shape of [REGISTRATION, PERSON, MONEY] as OutputShape[]) {
      const type = schema.getType(shape.name);
      if (!isObjectType(type)) throw new Error(`${shape.name} is not an object type`);
      const fields = Object.keys(type.getFields()).filter((name) => !RESOLVED_ELSEWHERE[shape.name]?.includes(name));
      expect(fields.sort(), shape.name).toEqual(Object.keys(shape.fields).sort());
      for (const [name, field] of Object.entries(shape.fields)) {
        const graphqlField = type.getFields()[name];
        expect(graphqlField.description, `${shape.name}.${name}`).toBe(field.description);
        expect(graphqlField.type.toString().endsWith("!"), `${shape.name}.${name}`).toBe(!field.nullable);
        if (field.kind === "object") expect(getNamedType(graphqlField.type).name).toBe(field.shape.name);
      }
    }
  });

  it("keeps the CSV columns, their order and their cells", () => {
    expect(Object.keys(COLUMNS)).toEqual([
      "registration.id",
      "registration.code",
      "registration.created",
      "registration.state",
      "registration.startNumber",
      "registration.externalId",
      "registration.source",
      "registration.amount.value",
      "registration.amount.currency",
      "person.id",
      "person.givenName",
      "person.middleName",
      "person.surname",
      "person.sex",
      "person.birthDate",
      "person.language",
      "person.nickname",
      "person.country",
      "person.isProfilePublic",
      "person.name",
      "person.ref",
    ]);
    expect(DEFAULT_COLUMNS.every((column) => COLUMNS[column])).toBe(true);
    const columns = Object.keys(COLUMNS);
    expect(registrationCells(FULL, columns)).toEqual([
      FULL.id,
      "RGZ196",
      "2022-12-06T09:12:03.701Z",
      "Confirmed",
      "0010",
      "crm-42",
      "External",
      "85000",
      "CZK",
      FULL.person.id,
      "Jana",
      "Marie",
      "Nováková",
      "Female",
      "1975-11-27",
      "cs",
      "jana",
      "CZ",
      "true",
      "Jana Nováková",
      "jana",
    ]);
    expect(
      registrationCells(BARE, [
        "registration.startNumber",
        "registration.externalId",
        "person.middleName",
        "person.isProfilePublic",
      ]),
    ).toEqual(["", "", "", "false"]);
  });

  it("documents each CSV column with its note from the definition", () => {
    const csvDownload =
      OPENAPI_DOCUMENT.paths["/api/events/activities/{activityId}/registrations.csv"].get?.description ?? "";
    for (const [column, def] of Object.entries(COLUMNS)) {
      expect(csvDownload).toContain(`| \`${column}\` | ${def.set ? "read" : "ignored"} | ${def.note} |`);
    }
  });

  it("reads uploads only in columns a download writes", () => {
    for (const column of Object.keys(COLUMN_INPUTS)) expect(COLUMNS[column]?.set, column).toBeTypeOf("function");
  });
});
