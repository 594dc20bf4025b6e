// The rules of the management inputs' fields, as class-validator decorators: each written once, used by
// the GraphQL arguments and the CLI alike (through checkedInput).
import { registerDecorator, type ValidationArguments, type ValidationOptions } from "class-validator";
import { isDay } from "./calendar-day";

export { isDay } from "./calendar-day";

export const MAX_NAME_LENGTH = 200;

function rule(
  name: string,
  holds: (value: unknown) => boolean,
  message: (args: ValidationArguments) => string,
  options?: ValidationOptions,
) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options: { message, ...options },
      validator: { validate: holds },
    });
}

/** Null and absent pass (an optional field); otherwise a day like 2025-06-14. */
export const IsDay = (options?: ValidationOptions) =>
  rule(
    "isDay",
    (value) => value === null || value === undefined || isDay(value),
    ({ property }) => `${property} must be a date like 2025-06-14`,
    options,
  );

/** A name: 1 to 200 characters once trimmed (services store it trimmed). Null and absent pass: an omitted change. */
export const IsName = (options?: ValidationOptions) =>
  rule(
    "isName",
    (value) =>
      value === null ||
      value === undefined ||
      (typeof value === "string" && value.trim().length > 0 && value.trim().length <= MAX_NAME_LENGTH),
    ({ property }) => `${property} must have 1 to ${MAX_NAME_LENGTH} characters`,
    options,
  );

/** An ISO 4217 code like CZK. Null and absent pass: the default, or no change. */
export const IsCurrency = (options?: ValidationOptions) =>
  rule(
    "isCurrency",
    (value) => value === null || value === undefined || (typeof value === "string" && /^[A-Z]{3}$/.test(value)),
    ({ property }) => `${property} must be an ISO 4217 code like CZK`,
    options,
  );

/** A login (an e-mail address) once trimmed: name@example.com. */
export const IsLogin = (options?: ValidationOptions) =>
  rule(
    "isLogin",
    (value) => typeof value === "string" && /^[^\s@]+@[^\s@]+$/.test(value.trim()),
    () => "A login looks like name@example.com",
    options,
  );

/** One of a list of values (an enum), named in the message. */
export const IsOneOf = (values: readonly string[], options?: ValidationOptions) =>
  rule(
    "isOneOf",
    (value) => typeof value === "string" && values.includes(value),
    ({ property }) => `${property} must be one of ${values.join(", ")}`,
    options,
  );

/**
 * An instance of an input class holding these values, which class-validator needs to find the class's rules: a
 * service calls it on what it is given (a GraphQL argument object, the CLI's plain options). Undefined values are
 * left out, so that the class's defaults apply.
 */
export function inputOf<T extends object>(type: new () => T, values: Partial<T>): T {
  const input = new type();
  for (const [key, value] of Object.entries(values)) if (value !== undefined) Object.assign(input, { [key]: value });
  return input;
}
