// A field's rule as a class-validator decorator that also reads the value: one definition serves class-validator
// (GraphQL inputs, unit tests), the sync's fast per-row reader and the OpenAPI request schema.
import { getMetadataStorage, registerDecorator, type ValidationArguments } from "class-validator";

/** Why a value was refused: the end of the message, after the field's path (`must be a string`). */
export interface Failure {
  error: string;
}

export const fail = (error: string): Failure => ({ error });

export const isFailure = (value: unknown): value is Failure =>
  typeof value === "object" && value !== null && "error" in value && Object.keys(value).length === 1;

/** What the OpenAPI request schema says of a field: the JSON types and limits its rule accepts. */
export interface RuleSchema {
  type: string | string[];
  maxLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  enum?: readonly (string | null)[];
  /** A list's items (an object's fields in `properties`). */
  items?: RuleSchema;
  properties?: Record<string, RuleSchema>;
  required?: string[];
}

/**
 * How one field is read: `read` turns a client's value into its stored form, or a Failure saying why not.
 * `null` from `read` means "none" (an empty optional value).
 */
export interface FieldRule<T = unknown> {
  /** The constraint's name in class-validator's errors. */
  name: string;
  read(value: unknown): T | Failure;
  schema: RuleSchema;
  /** Whether an absent (undefined) value is read too rather than skipped: a value its object cannot do without. */
  readsAbsent?: boolean;
}

const PREFIXES = new WeakMap<object, string>();

/** Class decorator: the path under which the class's fields sit in a sync item (`person`), which their messages name. */
export function FieldsUnder(prefix: string): ClassDecorator {
  return (target) => {
    PREFIXES.set(target, prefix);
  };
}

/** A field's dotted path in an item: `person.birthDate`, `externalId`. */
export function fieldPath(target: object, property: string): string {
  const prefix = PREFIXES.get(target);
  return prefix ? `${prefix}.${property}` : property;
}

const pathOf = (args: ValidationArguments) => fieldPath(args.object.constructor, args.property);

/** The group whose decorators hold for a new person only: its required fields (see RequiredForNew). */
export const NEW_RECORD = "new";

/** The constraint name input-validation.ts reports as MissingField. */
const MISSING = "isDefined";

export const missingMessage = (path: string) => `${path} is required for a new registration`;

/** Property decorator: the field is read by `rule` whenever it is present (see FieldRule.readsAbsent). */
export function Reads(rule: FieldRule): PropertyDecorator {
  return (target, property) => {
    registerDecorator({
      name: rule.name,
      target: target.constructor,
      propertyName: String(property),
      constraints: [rule],
      options: { always: true },
      validator: {
        validate: (value: unknown) => (value === undefined && !rule.readsAbsent) || !isFailure(rule.read(value)),
        defaultMessage: (args: ValidationArguments) => {
          const read = rule.read(args.value);
          return isFailure(read) ? `${pathOf(args)} ${read.error}` : "";
        },
      },
    });
  };
}

/** Property decorator: a new record (validation group NEW_RECORD) cannot do without the field; MissingField when absent. */
export function RequiredForNew(): PropertyDecorator {
  return (target, property) => {
    registerDecorator({
      name: MISSING,
      target: target.constructor,
      propertyName: String(property),
      options: { groups: [NEW_RECORD] },
      validator: {
        validate: (value: unknown) => value !== undefined,
        defaultMessage: (args: ValidationArguments) => missingMessage(pathOf(args)),
      },
    });
  };
}

/** One field of an input class as its decorators describe it. */
export interface RuledField {
  property: string;
  /** Dotted path, as errors name it. */
  path: string;
  rule: FieldRule;
  requiredForNew: boolean;
}

/** Every property of `target` that has a class-validator decorator, in declaration order. */
export function decoratedProperties(target: new () => object): string[] {
  return [
    ...new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(target, "", true, false)
        .map((meta) => meta.propertyName),
    ),
  ];
}

const isRule = (value: unknown): value is FieldRule =>
  typeof value === "object" && value !== null && "read" in value && "schema" in value && "name" in value;

const ruled = new WeakMap<object, readonly RuledField[]>();

/**
 * The fields of `target` that carry a Reads rule, in declaration order, read from class-validator's metadata once:
 * the sync runs these rules directly per row, which is much cheaper than validateSync on an instance per row.
 */
export function ruledFields(target: new () => object): readonly RuledField[] {
  let fields = ruled.get(target);
  if (fields) return fields;
  const metadata = getMetadataStorage().getTargetValidationMetadatas(target, "", true, false);
  const list: RuledField[] = [];
  for (const meta of metadata) {
    const rule = meta.constraints?.[0];
    if (!isRule(rule)) continue;
    list.push({
      property: meta.propertyName,
      path: fieldPath(target, meta.propertyName),
      rule,
      requiredForNew: metadata.some(
        (m) => m.propertyName === meta.propertyName && m.name === MISSING && (m.groups ?? []).includes(NEW_RECORD),
      ),
    });
  }
  ruled.set(target, (fields = list));
  return fields;
}
