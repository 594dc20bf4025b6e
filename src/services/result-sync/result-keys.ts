// Reading one result item's values by the rules its input class declares (result-item-input.ts). No database here.
import { isFailure, ruledFields } from "../field-rule";
import { SyncResultInput } from "../result-item-input";
import type { ResultFields } from "../result-view";
import { readPersonFields, readPersonId, type RowError, type SyncItemInput } from "../sync-input";
import { SyncPersonInput } from "../sync-item-input";
import type { ResultKeys } from "./result-plan";

/** One item as the adapters hand it over: the platform's JSON shape; absent keys are undefined. */
export type ResultItemInput = { [K in keyof SyncResultInput]?: unknown };

// The rules are read from the classes' decorators once, here, rather than per row.
const FIELDS = ruledFields(SyncResultInput).filter((field) => field.property !== "person");
const POSITIONS = ["position", "positionByCategory", "positionBySex"] as const;

/** The person fields besides the id. */
const PERSON_FIELD_NAMES = ruledFields(SyncPersonInput)
  .map((field) => field.property)
  .filter((name) => name !== "id");

/** An item's result fields and whose result it is; a value that fails is a row error (InvalidValue) naming its field. */
export function readResultKeys(item: ResultItemInput, index: number, errors: RowError[]): ResultKeys {
  const read: Record<string, unknown> = {};
  for (const { property, path, rule } of FIELDS) {
    const value = item[property as keyof ResultItemInput];
    if (value === undefined) continue;
    const result = rule.read(value);
    if (isFailure(result))
      errors.push({ index, field: path, code: "InvalidValue", message: `${path} ${result.error}` });
    else read[property] = result;
  }
  const fields: ResultFields = {
    status: (read.status as ResultFields["status"] | null | undefined) ?? "Finished",
    category: (read.category as string | null | undefined) ?? null,
    position: (read.position as number | null | undefined) ?? null,
    positionByCategory: (read.positionByCategory as number | null | undefined) ?? null,
    positionBySex: (read.positionBySex as number | null | undefined) ?? null,
    time: (read.time as number | null | undefined) ?? null,
    splitTimes: (read.splitTimes as ResultFields["splitTimes"] | undefined) ?? [],
    startNumber: (read.startNumber as string | null | undefined) ?? null,
  };
  if (fields.status !== "Finished") {
    for (const name of POSITIONS) {
      if (fields[name] !== null)
        errors.push({
          index,
          field: name,
          code: "InvalidValue",
          message: `${name} is only for a Finished result; this one is ${fields.status}`,
        });
    }
  }
  const person =
    typeof item.person === "object" && item.person !== null ? (item.person as Record<string, unknown>) : {};
  if (
    item.person !== undefined &&
    item.person !== null &&
    (typeof item.person !== "object" || Array.isArray(item.person))
  )
    errors.push({ index, field: "person", code: "InvalidValue", message: "person must be an object" });
  const keys: ResultKeys = {
    startNumber: fields.startNumber,
    person: {},
    personErrors: [],
    hasPersonFields: PERSON_FIELD_NAMES.some((name) => person[name] !== undefined && person[name] !== null),
    fields,
  };
  keys.personId = readPersonId(person, index, errors);
  if (keys.hasPersonFields) {
    // Read as a new person's: a wrong value is an error now; a missing one only if the person must be created.
    const personErrors: RowError[] = [];
    keys.person = readPersonFields(item as SyncItemInput, index, "new", personErrors);
    errors.push(...personErrors.filter((error) => error.code !== "MissingField"));
    keys.personErrors = personErrors.filter((error) => error.code === "MissingField");
  }
  return keys;
}
