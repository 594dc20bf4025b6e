// The registration's JSON answer and its OpenAPI schemas, both read off the field definition
// (services/registration-fields.ts), so the answer and its documentation cannot disagree.
import {
  PERSON,
  REGISTRATION,
  type OutputField,
  type OutputShape,
  type PersonView,
  type RegistrationView,
} from "../services/registration-fields";

type JsonField = OutputField & { json: Exclude<OutputField["json"], false> };

/** A shape's JSON fields in the seed's key order, then the others in definition order. */
function jsonFields(shape: OutputShape): [string, JsonField][] {
  const order = shape.jsonOrder ?? [];
  const names = [...order, ...Object.keys(shape.fields).filter((name) => !order.includes(name))];
  return names.flatMap((name) => {
    const field = shape.fields[name];
    return field.json === false ? [] : [[name, field as JsonField]];
  });
}

type Value = (value: unknown) => unknown;
type Writer = (json: Record<string, unknown>, view: Record<string, unknown>) => void;

/** How a field's value is written: instants in ISO form, days at midnight UTC (the seed's form). */
function jsonValue(field: JsonField): Value {
  switch (field.kind) {
    case "dateTime":
      return (value) => (value === null ? null : (value as Date).toISOString());
    case "date":
      return (value) => (value === null ? null : `${value as string}T00:00:00Z`);
    case "object": {
      const write = objectWriter(field.shape);
      return (value) => (value === null ? null : write(value as Record<string, unknown>));
    }
    default:
      return (value) => value;
  }
}

// Made once per shape: a download writes tens of thousands of registrations.
function objectWriter(shape: OutputShape): (view: Record<string, unknown>) => Record<string, unknown> {
  const writers: Writer[] = jsonFields(shape).map(([name, field]) => {
    const value = jsonValue(field);
    if (field.json.omitWhenEmpty) {
      return (json, view) => {
        if (view[name]) json[name] = value(view[name]);
      };
    }
    return (json, view) => {
      json[name] = value(view[name]);
    };
  });
  return (view) => {
    const json: Record<string, unknown> = {};
    for (const write of writers) write(json, view);
    return json;
  };
}

const writeRegistration = objectWriter(REGISTRATION);
const writePerson = objectWriter(PERSON);

/** A registration in the seed's shape and key order; optional fields are left out when empty, as the seed does. */
export function registrationJson(r: RegistrationView): Record<string, unknown> {
  return writeRegistration(r as unknown as Record<string, unknown>);
}

/** A person as the registration answer writes it (the seed's key order); the result answer shares it. */
export function personJson(p: PersonView): Record<string, unknown> {
  return writePerson(p as unknown as Record<string, unknown>);
}

type JsonType = "string" | "integer" | "number" | "boolean" | "object" | "array" | "null";

/** The JSON Schema (2020-12, OpenAPI 3.1's dialect) keywords the registration's schemas use. */
export interface ResponseSchema {
  $ref?: string;
  type?: JsonType | JsonType[];
  description?: string;
  enum?: readonly unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  minimum?: number;
  properties?: Record<string, ResponseSchema>;
  required?: string[];
}

const JSON_TYPES: Record<OutputField["kind"], JsonType> = {
  id: "string",
  string: "string",
  int: "integer",
  boolean: "boolean",
  date: "string",
  dateTime: "string",
  enum: "string",
  object: "object",
};
const OBJECT_ID_PATTERN = "^[0-9a-f]{24}$";

/** A field's schema; a shape that is an OpenAPI component is referenced, not repeated. */
function fieldSchema(field: JsonField): ResponseSchema {
  if (field.kind === "object") {
    if (field.shape.componentDescription) return { $ref: `#/components/schemas/${field.shape.name}` };
    return { ...objectSchema(field.shape), description: field.json.description };
  }
  const type = JSON_TYPES[field.kind];
  return {
    // Present and null, not absent: the type says so. Left out when empty: absence says so.
    type: field.nullable && !field.json.omitWhenEmpty ? [type, "null"] : type,
    ...(field.kind === "id" ? { pattern: OBJECT_ID_PATTERN } : {}),
    ...(field.kind === "enum" ? { enum: field.values } : {}),
    ...field.json.schema,
    description: field.json.description,
  };
}

/** The properties of a shape's JSON object, in the answer's key order. */
function propertiesOf(shape: OutputShape): Record<string, ResponseSchema> {
  return Object.fromEntries(jsonFields(shape).map(([name, field]) => [name, fieldSchema(field)]));
}

/** The keys every answer has: all but those left out when empty. */
function requiredOf(shape: OutputShape): string[] {
  return jsonFields(shape)
    .filter(([, field]) => !field.json.omitWhenEmpty)
    .map(([name]) => name);
}

function objectSchema(shape: OutputShape): ResponseSchema {
  return {
    type: "object",
    description: shape.componentDescription,
    properties: propertiesOf(shape),
    required: requiredOf(shape),
  };
}

/** The registration's properties, which the sync result shares. */
export const REGISTRATION_PROPERTIES = propertiesOf(REGISTRATION);
/** The keys of every registration answer; a sync result has them unless it was Skipped. */
export const REGISTRATION_REQUIRED = requiredOf(REGISTRATION);
/** components/schemas/Person. */
export const PERSON_SCHEMA = objectSchema(PERSON);
/** components/schemas/Registration. */
export const REGISTRATION_SCHEMA = objectSchema(REGISTRATION);
