// Checking an input class's class-validator decorators: the one way every adapter validates an input.
import { validateSync, type ValidationError } from "class-validator";
import { InvalidInputError } from "./domain-errors";

/** One failed constraint, named by the dotted path of its field (`person.birthDate`). */
export interface FieldFailure {
  field: string;
  /** `MissingField` when an `@IsDefined()` failed, else `InvalidValue`. */
  code: "MissingField" | "InvalidValue";
  message: string;
}

const MISSING_CONSTRAINTS = new Set(["isDefined"]);

function flatten(errors: readonly ValidationError[], prefix: string, into: FieldFailure[]): void {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const constraints = Object.entries(error.constraints ?? {});
    // One failure per field: the first constraint that failed is the one to fix first.
    const [name, message] =
      constraints.find(([constraint]) => MISSING_CONSTRAINTS.has(constraint)) ?? constraints[0] ?? [];
    if (name !== undefined && message !== undefined)
      into.push({ field, code: MISSING_CONSTRAINTS.has(name) ? "MissingField" : "InvalidValue", message });
    if (error.children?.length) flatten(error.children, field, into);
  }
}

/** Every failed constraint of an input class instance; empty when it is valid. */
export function fieldFailures(input: object): FieldFailure[] {
  const failures: FieldFailure[] = [];
  flatten(validateSync(input, { forbidUnknownValues: false }), "", failures);
  return failures;
}

/**
 * The input, once its decorators hold.
 * @throws InvalidInputError naming the first failing field.
 */
export function checkedInput<T extends object>(input: T): T {
  const [failure] = fieldFailures(input);
  if (failure) throw new InvalidInputError(failure.field, failure.message, failure.code);
  return input;
}
