// Typed failures that the adapters translate: REST to status codes, GraphQL to error codes.

/** The object does not exist, or the caller may not reach it: the same answer for both. */
export class NotFoundError extends Error {
  constructor(
    readonly what: string,
    readonly id: string,
  ) {
    super(`${what} ${id} was not found`);
  }
}

/** The caller may see the object but not do this with it (for example a Member managing members). */
export class ForbiddenError extends Error {}

/** A request value is wrong in a way that is not tied to one row of a batch. */
export class InvalidInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly code = "InvalidValue",
  ) {
    super(message);
  }
}

/** Another change got there first (for example a concurrent batch took the same start number). */
export class ConflictError extends Error {}
