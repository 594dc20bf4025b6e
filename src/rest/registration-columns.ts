// The registration's CSV and workbook columns as the field definition (services/registration-fields.ts) gives
// them: one column per field, named by its path (`registration.startNumber`, `registration.amount.value`,
// `person.givenName`), each cell written as text.
import {
  REGISTRATION,
  REGISTRATION_CSV_PREFIX,
  type OutputField,
  type OutputShape,
  type RegistrationColumnName,
  type RegistrationView,
} from "../services/registration-fields";

export interface RegistrationColumn {
  column: RegistrationColumnName;
  get(r: RegistrationView): string;
  note: string;
}

type Pick = (r: RegistrationView) => unknown;

/** A value as a cell: empty for null, instants in ISO form, numbers and booleans as text. */
function cellOf(field: OutputField, pick: Pick): (r: RegistrationView) => string {
  switch (field.kind) {
    case "dateTime":
      return (r) => (pick(r) as Date | null)?.toISOString() ?? "";
    case "int":
    case "boolean":
      return (r) => {
        const value = pick(r);
        return value === null ? "" : String(value);
      };
    default:
      return (r) => (pick(r) as string | null) ?? "";
  }
}

function columnsOf(shape: OutputShape, prefix: string, pickObject: Pick): RegistrationColumn[] {
  return Object.entries(shape.fields).flatMap(([name, field]): RegistrationColumn[] => {
    if (field.csv === false) return [];
    const pick: Pick = (r) => (pickObject(r) as Record<string, unknown>)[name];
    if (field.kind === "object") return columnsOf(field.shape, field.csv.prefix, pick);
    // The name's type is RegistrationColumnName's rule, spelled out for the compiler.
    return [{ column: `${prefix}.${name}` as RegistrationColumnName, get: cellOf(field, pick), note: field.csv.note }];
  });
}

/** Every column a download may have, in the definition's order. */
export function registrationColumns(): RegistrationColumn[] {
  return columnsOf(REGISTRATION, REGISTRATION_CSV_PREFIX, (r) => r);
}
