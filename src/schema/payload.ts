// Mutations report domain failures (InvalidInputError) in their payload's userErrors; authorization
// failures stay GraphQL errors.
import { InvalidInputError } from "../services/domain-errors";
import type { UserError } from "./user-error";

type Nullable<T> = { [K in keyof T]: T[K] | null };

export async function withUserErrors<T extends object>(
  run: () => Promise<T>,
  empty: Nullable<T>,
): Promise<Nullable<T> & { userErrors: UserError[] }> {
  try {
    return { ...(await run()), userErrors: [] };
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    return {
      ...empty,
      userErrors: [{ code: error.code, path: ["input", error.field], message: error.message, registrationId: null }],
    };
  }
}
